"""The same weights across hosts (planner.advice.hosts and Catalog.same_weights), cheapest first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from planner.advice.fit_rule import check_fit
from planner.advice.hosts import host_families, hosts_of
from planner.advice.prices import request_cost
from planner.catalog import naming

HERMES = "nousresearch/hermes-4-405b"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("nousresearch/hermes-4-405b", "NousResearch/Hermes-4-405B"),
        ("nousresearch/hermes-4-405b", "NousResearch/hermes-4-405b:thinking"),
        ("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("us.anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet-20240620"),
        ("meta-llama/llama-3.1-8b-instruct", "llama-3.1-8b-instruct:free"),
    ],
)
def test_weights_key_joins_spellings_of_the_same_weights(one, other):
    assert naming.weights_key(one) == naming.weights_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("openai/gpt-4o", "openai/gpt-4o-2024-05-13"),  # a dated snapshot is other weights
        ("nousresearch/hermes-4-405b", "nousresearch/hermes-4-70b"),
        ("openai/gpt-4o", "openai/gpt-4o-mini"),
    ],
)
def test_weights_key_keeps_other_weights_apart(one, other):
    assert naming.weights_key(one) != naming.weights_key(other)


def test_hermes_4_405b_hosts_cheapest_first(shipped):
    offer = shipped.get(HERMES)
    answer = hosts_of(shipped, offer, {"llama3": 1_000}, output_tokens=500, today=date(2026, 12, 1))
    hosts = [row.offer.provider for row in answer.hosts]
    assert {"openrouter", "nebius", "nano-gpt"} <= set(hosts)
    assert all(naming.weights_key(row.offer.id) == "hermes-4-405b" for row in answer.hosts)
    totals = [row.total_cost for row in answer.hosts]
    assert None not in totals and totals == sorted(totals)
    # hand-checked: nano-gpt lists $0.30 / $1.20 per million, OpenRouter $1 / $3 (data/SOURCES.md)
    cheapest = answer.hosts[0]
    assert cheapest.offer.provider == "nano-gpt"
    assert cheapest.offer.pricing.input == Decimal("0.0000003")
    assert cheapest.total_cost == Decimal("0.0009")  # 1,000 x 0.30/M + 500 x 1.20/M
    openrouter = next(row for row in answer.hosts if row.offer.provider == "openrouter")
    assert openrouter.total_cost == Decimal("0.0025")  # 1,000 x 1/M + 500 x 3/M
    assert openrouter.fit is not None and openrouter.fit.context_window == 131_072
    assert answer.price_age is not None and answer.price_age.as_of == date(2026, 6, 13)


def test_rows_are_the_fit_and_cost_of_each_offer(shipped):
    offer = shipped.get(HERMES)
    families = host_families(shipped, offer)
    answer = hosts_of(shipped, offer, dict.fromkeys(families, 120_000), output_tokens=4_000)
    for row in answer.hosts:
        expected_cost = request_cost(row.offer, 120_000, 4_000).total_cost
        assert row.total_cost == expected_cost
        if row.offer.context_window:
            assert row.fit == check_fit(row.offer, 120_000, 4_000)
    verdicts = {row.offer.provider: row.verdict for row in answer.hosts}
    # 120,000 + 4,000: on 131,072 7,072 stay free (over 5 %, 6,554): fits; on 128,000 none: tight
    assert verdicts["openrouter"] == "fits"
    assert verdicts["nano-gpt"] == "tight"


def test_a_reserve_above_a_hosts_max_output_is_refused_there_only(shipped):
    offer = shipped.get(HERMES)
    answer = hosts_of(shipped, offer, {"llama3": 1_000}, output_tokens=10_000)
    nano = [row for row in answer.hosts if row.offer.provider == "nano-gpt"]
    assert nano and all(row.verdict == "does_not_fit" and row.total_cost is None for row in nano)
    assert "at most 8,192 output tokens" in (nano[0].note or "")
    assert [row.offer.provider for row in answer.hosts][-len(nano) :] == ["nano-gpt"] * len(nano)
    openrouter = next(row for row in answer.hosts if row.offer.provider == "openrouter")
    assert openrouter.verdict == "fits" and openrouter.total_cost == Decimal("0.031")


def test_long_context_prices_are_the_ones_applied_and_a_host_without_a_tier_is_flagged(shipped):
    # Gemini 2.5 Pro: Google lists $1.25 / $10 per million, and $2.50 / $15 above 200,000 prompt tokens
    # (data/SOURCES.md); OpenRouter's record has only the base prices
    offer = shipped.get("gemini-2.5-pro", "google")
    families = host_families(shipped, offer)
    answer = hosts_of(shipped, offer, dict.fromkeys(families, 250_000), output_tokens=2_000)
    google = next(row for row in answer.hosts if row.offer.provider == "google")
    assert (google.prices_per_million["input"], google.prices_per_million["output"]) == (2.5, 15)
    assert google.total_cost == Decimal("0.655")  # 250,000 x 2.50/M + 2,000 x 15/M = 0.625 + 0.03
    assert (google.price_tier, google.tier_missing) == ("above 200,000 prompt tokens", False)
    openrouter = next(
        row
        for row in answer.hosts
        if (row.offer.provider, row.offer.id) == ("openrouter", "google/gemini-2.5-pro")
    )
    assert (openrouter.prices_per_million["input"], openrouter.prices_per_million["output"]) == (1.25, 10)
    assert openrouter.total_cost == Decimal("0.3325")  # 250,000 x 1.25/M + 2,000 x 10/M
    assert (openrouter.price_tier, openrouter.tier_missing) == (None, True)
    assert answer.tier_above_tokens == 200_000
    assert answer.tier_note == (
        "may cost more above 200,000 prompt tokens (another host of these weights charges more there)"
    )
    # below the threshold the tier host is priced at base, and the app's table shows what the CLI shows
    small = hosts_of(shipped, offer, dict.fromkeys(families, 1_000))
    google_small = next(row for row in small.hosts if row.offer.provider == "google")
    assert (google_small.prices_per_million["input"], google_small.price_tier) == (1.25, None)


def test_hermes_hosts_have_no_tier_flag(shipped):
    answer = hosts_of(shipped, shipped.get(HERMES), {"llama3": 1_000})
    assert answer.tier_above_tokens is None and answer.tier_note is None
    assert not any(row.tier_missing for row in answer.hosts)


def test_stale_prices_are_one_warning_for_all_the_stale_hosts(shipped):
    # hermes hosts' prices as of: nano-gpt x2 and kilo 2026-06-13 (models.dev), openrouter 2026-11-19
    # (genai-prices 0.2.5), nebius 2026-11-20 (LiteLLM 1.110.2); on 2026-12-01: 171, 171, 171, 12 and 11
    # days old; over 90: 3 of 5, the oldest 171 days
    answer = hosts_of(shipped, shipped.get(HERMES), {"llama3": 1_000}, today=date(2026, 12, 1))
    assert answer.price_warnings == [
        "prices of 3 of 5 hosts are over 90 days old (the oldest as of 2026-06-13, 171 days); "
        "run `planner catalog refresh` for current prices"
    ]
    # on 2026-09-20 the June prices are 99 days old: 3 of 5 stale
    earlier = hosts_of(shipped, shipped.get(HERMES), {"llama3": 1_000}, today=date(2026, 9, 20))
    assert earlier.price_warnings == [
        "prices of 3 of 5 hosts are over 90 days old (the oldest as of 2026-06-13, 99 days); "
        "run `planner catalog refresh` for current prices"
    ]


def test_hosts_that_retired_or_retire_the_weights_each_warn(shipped):
    # LiteLLM 1.110.2 (data/litellm-1.110.2.json) lists deprecation_date 2026-10-23 for OpenAI's
    # gpt-4-0613 and none for github_copilot/gpt-4-0613 (azure/gpt-4-0613 left LiteLLM after 1.109.1)
    offer = shipped.get("gpt-4-0613", provider="openai")
    answer = hosts_of(shipped, offer, {"cl100k_base": 0}, today=date(2026, 12, 1))
    assert [row.offer.provider for row in answer.hosts] == ["openai", "github-copilot"]
    assert answer.retirement_warnings == [
        "gpt-4-0613 (openai) was retired by its host on 2026-10-23; choose another model",
    ]
    # on 2026-10-01 OpenAI's date is 22 days away (October 1 + 22 days = October 23), inside the 30-day notice
    before = hosts_of(shipped, offer, {"cl100k_base": 0}, today=date(2026, 10, 1))
    assert before.retirement_warnings[0] == (
        "gpt-4-0613 (openai) is retired by its host on 2026-10-23 (in 22 days); "
        "plan a move to another model or host"
    )
    # on 2025-01-01 OpenAI's date is far away: no notice
    assert hosts_of(shipped, offer, {"cl100k_base": 0}, today=date(2025, 1, 1)).retirement_warnings == []


def test_hermes_hosts_have_no_retirement_warning(shipped):
    answer = hosts_of(shipped, shipped.get(HERMES), {"llama3": 1_000}, today=date(2026, 12, 1))
    assert answer.retirement_warnings == []
