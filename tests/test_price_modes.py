"""Price modes the sources publish: flex and priority tiers, 1-hour cache writes, batch inside long-context
tiers; checked against the pinned LiteLLM file read here as plain JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from planner.catalog import store

LITELLM = Path(__file__).resolve().parents[1] / "data" / "litellm-1.109.1.json"


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(LITELLM.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture(scope="module")
def shipped():
    return store.read_snapshot(store.SHIPPED_SNAPSHOT)


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
