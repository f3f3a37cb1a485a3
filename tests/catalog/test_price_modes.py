"""Price modes the sources publish: flex and priority tiers, 1-hour cache writes, batch inside long-context
tiers; checked against the pinned LiteLLM file read here as plain JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from planner.advice.prices import request_cost
from planner.catalog.schema import ModelOffer
from planner.errors import UsageError

LITELLM = Path(__file__).resolve().parents[2] / "data" / "litellm-1.110.2.json"


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(LITELLM.read_text(encoding="utf-8"), parse_float=Decimal)


def test_flex_and_priority_prices_of_gpt_5(raw, shipped):
    gpt5 = shipped.offer_for("openai", "gpt-5").pricing
    source = raw["gpt-5"]
    assert gpt5.flex_input == source["input_cost_per_token_flex"]
    assert gpt5.flex_output == source["output_cost_per_token_flex"]
    assert gpt5.flex_cache_read == source["cache_read_input_token_cost_flex"]
    assert gpt5.priority_input == source["input_cost_per_token_priority"]
    assert gpt5.priority_output == source["output_cost_per_token_priority"]
    assert gpt5.priority_cache_read == source["cache_read_input_token_cost_priority"]
    assert gpt5.flex_input == gpt5.input / 2  # OpenAI's flex processing is half price


def _priced_by_litellm(shipped, keys: list[str]):
    """The first of ``keys`` whose shipped record takes its prices from LiteLLM (the merge's winner)."""
    by_key = {key: o for o in shipped.offers if o.source == "litellm" for key in (o.id, *o.aliases)}
    return next((key, by_key[key]) for key in keys if key in by_key)


@pytest.mark.slow
def test_batch_and_1_hour_cache_write_inside_long_context_tiers(raw, shipped):
    chat = {k: v for k, v in raw.items() if isinstance(v, dict) and v.get("mode") == "chat"}
    batch_tier = "input_cost_per_token_above_200k_tokens_batches"
    key, offer = _priced_by_litellm(shipped, [k for k, v in chat.items() if batch_tier in v])
    [tier] = [t for t in offer.pricing.tiers if t.above_tokens == 200_000]
    assert tier.batch_input == raw[key][batch_tier]
    assert tier.batch_output == raw[key]["output_cost_per_token_above_200k_tokens_batches"]
    hour_tier = "cache_creation_input_token_cost_above_1hr_above_200k_tokens"
    key, offer = _priced_by_litellm(shipped, [k for k, v in chat.items() if hour_tier in v])
    [tier] = [t for t in offer.pricing.tiers if t.above_tokens == 200_000]
    assert tier.cache_write_1h == raw[key][hour_tier]
    assert offer.pricing.cache_write_1h == raw[key]["cache_creation_input_token_cost_above_1hr"]


# ---------------------------------------------------------------- the cost rules of the modes


def offer(**pricing) -> ModelOffer:
    return ModelOffer(
        id="acme/m", name="M", provider="acme", source="litellm", as_of=date(2026, 11, 1), pricing=pricing
    )


BASE = {"input": "0.000003", "output": "0.000015"}


def test_one_hour_writes_use_their_price_or_are_unknown_after_a_five_minute_premium():
    listed = offer(**BASE, cache_write="0.00000375", cache_write_1h="0.000006")
    cost = request_cost(listed, 10_000, cache_write_tokens=10_000, cache_ttl="1h")
    assert cost.cache_write_cost == Decimal("0.06")  # 10,000 x $6 per million
    five_only = offer(**BASE, cache_write="0.00000375")
    unknown = request_cost(five_only, 10_000, cache_write_tokens=10_000, cache_ttl="1h")
    assert unknown.total_cost is None and unknown.missing_prices == ["cache_write_1h"]
    neither = request_cost(offer(**BASE), 10_000, cache_write_tokens=10_000, cache_ttl="1h")
    assert neither.cache_write_cost == Decimal("0.03") and neither.cache_write_at_input_price  # as input


def test_batch_inside_a_long_context_tier_uses_the_tiers_batch_prices():
    tier = {
        "above_tokens": 200_000,
        "input": "0.000006",
        "output": "0.0000225",
        "batch_input": "0.000003",
        "batch_output": "0.00001125",
    }
    priced = offer(**BASE, batch_input="0.0000015", batch_output="0.0000075", tiers=[tier])
    inside = request_cost(priced, 300_000, 1_000, batch=True)
    assert inside.total_cost == Decimal("0.91125")  # 300,000 x $3/M + 1,000 x $11.25/M = 0.9 + 0.01125
    no_tier_batch = offer(
        **BASE,
        batch_input="0.0000015",
        batch_output="0.0000075",
        tiers=[{"above_tokens": 200_000, "input": "0.000006"}],
    )
    assert request_cost(no_tier_batch, 300_000, 1_000, batch=True).total_cost is None


def test_flex_and_priority_prices_and_their_limits():
    priced = offer(
        **BASE,
        cache_read="0.0000003",
        flex_input="0.0000015",
        flex_output="0.0000075",
        priority_input="0.000006",
        priority_output="0.00003",
        priority_cache_read="0.0000006",
    )
    flex = request_cost(priced, 1_000, 100, service_tier="flex")
    assert flex.total_cost == 1_000 * Decimal("0.0000015") + 100 * Decimal("0.0000075")
    cached = request_cost(priced, 1_000, 100, cached_tokens=500, service_tier="flex")
    assert cached.total_cost is None and cached.missing_prices == ["flex_cache_read"]  # never the base price
    priority = request_cost(priced, 1_000, 100, cached_tokens=500, service_tier="priority")
    assert priority.total_cost == (
        500 * Decimal("0.000006") + 500 * Decimal("0.0000006") + 100 * Decimal("0.00003")
    )
    with pytest.raises(UsageError, match="do not combine"):
        request_cost(priced, 1_000, service_tier="flex", batch=True)
    tiered = offer(
        **BASE,
        flex_input="0.0000015",
        flex_output="0.0000075",
        tiers=[{"above_tokens": 200_000, "input": "0.000006"}],
    )
    assert request_cost(tiered, 300_000, service_tier="flex").total_cost is None
