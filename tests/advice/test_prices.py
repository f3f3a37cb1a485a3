"""Request and volume costs: hand-checked Decimal sums, tiers, caching, batch, unknown prices, properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planner.advice.compare import compare_models
from planner.advice.fit_rule import check_fit
from planner.advice.prices import (
    applied_prices_per_million,
    cached_tokens,
    decimal_str,
    prices_per_million,
    request_cost,
    request_total,
    require_total,
    tier_label,
    volume_cost,
)
from planner.catalog.schema import ModelOffer, PriceTier, Pricing
from planner.errors import PriceUnknownError, UsageError
from planner.wording import usd


def offer(pricing: Pricing, **fields) -> ModelOffer:
    values = dict(id="test/model", name="Test", provider="test", context_window=1_000_000, source="test")
    values.update(fields)
    return ModelOffer(pricing=pricing, as_of=date(2026, 1, 1), **values)


HERMES = offer(
    Pricing(input=D("0.000001"), output=D("0.000003")),
    id="nousresearch/hermes-4-405b",
    name="Nous: Hermes 4 405B",
    provider="openrouter",
    context_window=131_072,
    tokenizer="llama3",
)
# Anthropic-like prices: $3 / $15 per M, cache read $0.30, cache write $3.75, long-context tier above 200K.
SONNET = offer(
    Pricing(
        input=D("0.000003"),
        output=D("0.000015"),
        cache_read=D("0.0000003"),
        cache_write=D("0.00000375"),
        batch_input=D("0.0000015"),
        batch_output=D("0.0000075"),
        tiers=[PriceTier(above_tokens=200_000, input=D("0.000006"), output=D("0.0000225"))],
    )
)


def test_hermes_hand_checked_request_and_volume():
    cost = request_cost(HERMES, 100_000, 2_000)
    assert cost.input_cost == D("0.1")
    assert cost.output_cost == D("0.006")
    assert cost.total_cost == D("0.106000")
    assert usd(cost.total_cost) == "$0.106000"
    volume = volume_cost(cost.total_cost, 30_000)
    assert volume.total_for_requests == D("3180")
    assert usd(volume.total_for_requests, 2) == "$3,180.00"
    assert usd(volume.total_for_requests) == "$3,180.000000"
    assert decimal_str(volume.total_for_requests) == "3180"
    assert isinstance(cost.total_cost, D)


def test_json_money_is_decimal_strings():
    doc = request_cost(HERMES, 100_000, 2_000).model_dump(mode="json")
    assert doc["total_cost"] == "0.106"
    assert doc["input_cost"] == "0.1"


def test_monthly_volume_per_day_and_month():
    volume = volume_cost(D("0.106"), requests_per_day=1_000, days_per_month=30)
    assert volume.per_day == D("106")
    assert volume.per_month == D("3180")
    assert volume.requests == 30_000
    assert volume.total_for_requests == D("3180")


def test_prices_per_million():
    table = prices_per_million(SONNET.pricing)
    assert table["input"] == D(3)
    assert table["output"] == D(15)
    assert table["cache_read"] == D("0.3")
    assert table["reasoning"] is None
    assert prices_per_million(HERMES.pricing)["output"] == D(3)


def test_tier_reprices_the_whole_request_once_the_prompt_passes_it():
    at_threshold = request_cost(SONNET, 200_000, 1_000)
    assert at_threshold.tier_above_tokens is None
    assert at_threshold.total_cost == D("0.615")  # 200,000 x $3/M + 1,000 x $15/M
    above = request_cost(SONNET, 200_001, 1_000)
    assert above.tier_above_tokens == 200_000
    assert above.total_cost == D("1.222506")  # 200,001 x $6/M + 1,000 x $22.50/M


def test_highest_passed_tier_wins_and_unlisted_tier_prices_stay_base():
    pricing = Pricing(
        input=D("0.000001"),
        output=D("0.000002"),
        tiers=[
            PriceTier(above_tokens=100, input=D("0.00001")),
            PriceTier(above_tokens=1_000, input=D("0.0001")),
        ],
    )
    cost = request_cost(offer(pricing), 1_001, 10)
    assert cost.tier_above_tokens == 1_000
    assert cost.total_cost == D("0.1001") + D("0.00002")


def test_cached_reads_and_writes():
    cost = request_cost(SONNET, 100_000, 1_000, cached_tokens=80_000, cache_write_tokens=10_000)
    assert cost.input_cost == D("0.03")  # 10,000 plain x $3/M
    assert cost.cached_cost == D("0.024")  # 80,000 x $0.30/M
    assert cost.cache_write_cost == D("0.0375")  # 10,000 x $3.75/M
    assert cost.total_cost == D("0.1065")


def test_cache_read_without_a_price_is_billed_as_input():
    cost = request_cost(HERMES, 100_000, 0, cached_tokens=50_000, cache_write_tokens=10_000)
    assert cost.total_cost == D("0.1")


def test_reasoning_at_its_own_price_else_output():
    priced = offer(Pricing(input=D("0.000001"), output=D("0.000003"), reasoning=D("0.00001")))
    assert request_cost(priced, 0, 0, reasoning_tokens=1_000).reasoning_cost == D("0.01")
    assert request_cost(HERMES, 0, 0, reasoning_tokens=1_000).reasoning_cost == D("0.003")


def test_batch_prices_and_missing_batch_price_is_unknown():
    batch = request_cost(SONNET, 100_000, 2_000, batch=True)
    assert batch.total_cost == D("0.165")  # 100,000 x $1.50/M + 2,000 x $7.50/M
    unknown = request_cost(HERMES, 100_000, 2_000, batch=True)
    assert unknown.total_cost is None
    assert unknown.missing_prices == ["batch_input", "batch_output"]
    with pytest.raises(PriceUnknownError) as raised:
        require_total(unknown, HERMES)
    assert raised.value.exit_code == 7
    assert "batch_input" in raised.value.message


def test_batch_inside_a_long_context_tier_is_unknown():
    assert request_cost(SONNET, 300_000, 10, batch=True).total_cost is None


def test_missing_price_is_unknown_never_zero_but_unused_prices_do_not_matter():
    no_output = offer(Pricing(input=D("0.000001")))
    assert request_cost(no_output, 1_000, 10).total_cost is None
    assert request_cost(no_output, 1_000, 10).missing_prices == ["output"]
    assert request_cost(no_output, 1_000, 0).total_cost == D("0.001")
    assert usd(None) == "unknown"


def test_per_request_fee_is_added():
    fee = offer(Pricing(input=D("0.000001"), output=D("0.000003"), per_request=D("0.005")))
    assert request_cost(fee, 100_000, 2_000).total_cost == D("0.111")


def test_bad_counts():
    with pytest.raises(UsageError):
        request_cost(HERMES, -1, 0)
    with pytest.raises(UsageError):
        request_cost(HERMES, 10, 0, cached_tokens=8, cache_write_tokens=3)
    with pytest.raises(UsageError):
        volume_cost(D(1), -5)


counts = st.integers(min_value=0, max_value=200_000)


@given(a=counts, b=counts, out=st.integers(0, 50_000), cached=st.integers(0, 100_000))
def test_cost_is_linear_in_input_below_the_tier(a, b, out, cached):
    def total(tokens: int) -> D:
        return request_cost(SONNET, tokens + cached, out, cached_tokens=cached).total_cost

    assume(a + b + cached <= 200_000)  # below the long-context tier
    base = total(0)
    assert total(a + b) - base == (total(a) - base) + (total(b) - base)


@given(a=st.integers(0, 100_000), b=st.integers(0, 100_000), prompt=st.integers(0, 200_000))
def test_cost_is_linear_in_output_and_reasoning(a, b, prompt):
    def total(out: int, reasoning: int) -> D:
        return request_cost(SONNET, prompt, out, reasoning_tokens=reasoning).total_cost

    base = total(0, 0)
    assert total(a + b, 0) - base == (total(a, 0) - base) + (total(b, 0) - base)
    assert total(0, a + b) - base == (total(0, a) - base) + (total(0, b) - base)


@given(
    prompt=st.integers(0, 400_000),
    grow=st.integers(0, 400_000),
    out=st.integers(0, 100_000),
    reasoning=st.integers(0, 10_000),
    field=st.sampled_from(["input", "output", "reasoning", "cached"]),
)
def test_cost_never_decreases_when_a_count_grows(prompt, grow, out, reasoning, field):
    cached = prompt // 2

    def total(extra: dict) -> D:
        args = {"input": prompt, "output": out, "reasoning": reasoning, "cached": cached}
        for key, value in extra.items():
            args[key] += value
        if field == "cached":
            args["input"] += extra.get("cached", 0)  # cached tokens are part of the prompt
        return request_cost(
            SONNET,
            args["input"],
            args["output"],
            reasoning_tokens=args["reasoning"],
            cached_tokens=args["cached"],
        ).total_cost

    assert total({field: grow}) >= total({})


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda: request_cost(HERMES, 100, -1), "output tokens must be 0 or more, got -1"),
        (lambda: check_fit(HERMES, -5), "input tokens must be 0 or more, got -5"),
        (lambda: check_fit(HERMES, 100, 0, -2), "reasoning tokens must be 0 or more, got -2"),
        (
            lambda: compare_models([HERMES], {"llama3": 10}, cached_tokens=-3),
            "cached tokens must be 0 or more",
        ),
        (lambda: volume_cost(D(1), requests_per_day=-4), "requests per day must be 0 or more, got -4"),
    ],
)
def test_a_negative_count_is_named_the_same_way_by_costs_fits_and_comparisons(action, message) -> None:
    with pytest.raises(UsageError, match=message):
        action()


def test_cache_hit_rate_rounds_down_to_whole_tokens() -> None:
    assert cached_tokens(100_000, 50) == 50_000
    assert cached_tokens(7, 50) == 3
    assert cached_tokens(7, 100) == 7
    with pytest.raises(UsageError):
        cached_tokens(7, 101)


def test_plain_input_is_the_prompt_less_cache_reads_and_writes() -> None:
    bill = request_cost(SONNET, 100_000, cached_tokens=30_000, cache_write_tokens=20_000)
    assert bill.plain_input_tokens == 50_000


def test_applied_prices_are_the_tier_prices_once_a_tier_prices_the_request():
    pricing = SONNET.pricing
    base = applied_prices_per_million(pricing, 200_000)
    assert (base["input"], base["output"], base["cache_read"]) == (D(3), D(15), D("0.30"))
    tier = applied_prices_per_million(pricing, 200_001)
    # the tier lists input $6 and output $22.50; cache prices it does not list stay the base ones
    assert (tier["input"], tier["output"], tier["cache_read"]) == (D(6), D("22.5"), D("0.30"))
    # and they are the prices the cost used: 200,001 x $6/M + 1,000 x $22.50/M
    cost = request_cost(SONNET, 200_001, 1_000)
    assert cost.total_cost == 200_001 * tier["input"] / 1_000_000 + 1_000 * tier["output"] / 1_000_000
    assert tier_label(cost.tier_above_tokens) == "above 200,000 prompt tokens"
    assert tier_label(None) is None


# ---------------------------------------------------------------- money beyond 28 digits (issue 12, item 9)

PRECISE = offer(Pricing(input=D("0.123456789012345678901234"), output=D("0.000000000000000000000001")))


def dollars_text(units: int) -> str:
    """An amount of 1E-24 US dollars as a plain decimal string, by integer arithmetic only."""
    whole, fraction = divmod(units, 10**24)
    return f"{whole}.{fraction:024d}".rstrip("0").rstrip(".")


def test_request_and_volume_costs_are_exact_beyond_28_significant_digits():
    cost = request_cost(PRECISE, 987_654_321, output_tokens=7)
    per_request = 123456789012345678901234 * 987_654_321 + 7  # hand-checked in integers
    assert decimal_str(cost.total_cost) == dollars_text(per_request)
    volume = volume_cost(cost.total_cost, 10**12)
    assert decimal_str(volume.total_for_requests) == dollars_text(per_request * 10**12)
    assert len(volume.total_for_requests.as_tuple().digits) > 28  # the default context would have rounded
    cents = (per_request * 10**12 + 5 * 10**21) // 10**22  # rounded half up to cents
    assert usd(volume.total_for_requests, 2) == f"${cents // 100:,}.{cents % 100:02d}"


def test_the_largest_allowed_counts_stay_exact():
    cost = request_cost(PRECISE, 10**18, output_tokens=10**18)
    monthly = volume_cost(cost.total_cost, requests_per_day=10**18, days_per_month=31)
    exact = (123456789012345678901234 + 1) * 10**18 * 10**18 * 31
    assert decimal_str(monthly.per_month) == dollars_text(exact)


def test_counts_above_the_cap_are_a_usage_error():
    with pytest.raises(UsageError, match=r"input tokens must be at most 10\^18"):
        request_cost(PRECISE, 10**18 + 1)
    with pytest.raises(UsageError, match=r"requests must be at most 10\^18"):
        volume_cost(D(1), 10**19)


@pytest.mark.slow
def test_request_total_is_the_total_of_request_cost_for_every_shipped_offer(shipped):
    """The total-only path that ranks thousands of offers per re-plan prices as request_cost does."""
    checked = 0
    for offer in shipped.offers:
        for tokens, output, reasoning in ((0, 0, 0), (1_234, 500, 0), (250_001, 4_000, 2_000)):
            expected = request_cost(offer, tokens, output, reasoning_tokens=reasoning).total_cost
            assert request_total(offer, tokens, output, reasoning_tokens=reasoning) == expected
            checked += expected is not None and expected > 0
    assert checked > 10_000  # most offers are priced: the comparison is not of unknowns
