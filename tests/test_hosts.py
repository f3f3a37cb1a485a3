"""The same weights across hosts (planner.hosts and Catalog.same_weights), cheapest first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from planner.catalog import naming
from planner.costs import request_cost
from planner.hosts import host_families, hosts_of
from planner.plans import check_fit

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
