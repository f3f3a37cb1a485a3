"""Cross-host outliers (planner.catalog.outliers): flagged on the record, shown by `model` and `hosts`,
never suggested."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from planner.advice import pool_index, suggestions
from planner.catalog import store
from planner.catalog.outliers import OUTLIER_FACTOR, outlier_fields
from planner.catalog.schema import ModelOffer
from planner.cli import run_app

SNOWFLAKE = ("snowflake-cortex", "openai-gpt-5-nano")


pytestmark = pytest.mark.usefixtures("isolated_cache")  # tests/conftest.py


def _offer(provider: str, window: int | None, **fields) -> ModelOffer:
    record = {
        "id": "m",
        "name": "M",
        "provider": provider,
        "source": "models.dev",
        "as_of": date(2026, 6, 13),
    }
    return ModelOffer.model_validate({**record, "context_window": window, **fields})


def test_the_factor_is_stated_and_ten():
    assert OUTLIER_FACTOR == 10


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        (5_000_000, [400_000, 400_000, 272_000], ["context_window"]),  # 12.5x and 18.4x: most disagree
        (4_000_000, [400_000, 400_000, 400_000], []),  # exactly 10x: not more than the factor
        (5_000_000, [400_000, 400_000], []),  # two other hosts are too few to outvote
        (5_000_000, [400_000, 5_000_000, 4_000_000, 272_000], []),  # 2 of 4 disagree: not most
        (5_000_000, [400_000, 400_000, 4_000_000, 272_000], ["context_window"]),  # 3 of 4
        (40_000, [400_000, 400_000, 400_000], []),  # 10x smaller: not more than the factor
        (39_999, [400_000, 400_000, 400_000], ["context_window"]),
    ],
)
def test_a_value_most_other_hosts_contradict_by_more_than_the_factor(mine, theirs, expected):
    others = [_offer(f"host{index}", window) for index, window in enumerate(theirs)]
    assert outlier_fields(_offer("odd", mine), others) == expected


def test_prices_are_compared_and_zero_or_unknown_is_not():
    others = [_offer(f"h{i}", None, pricing={"input": Decimal("0.000001")}) for i in range(3)]
    assert outlier_fields(_offer("odd", None, pricing={"input": Decimal("0.00002")}), others) == [
        "pricing.input"
    ]
    assert outlier_fields(_offer("free", None, pricing={"input": Decimal(0)}), others) == []


def test_the_snowflake_gpt_5_nano_window_is_flagged_in_the_shipped_catalog():
    catalog = store.load_catalog()
    offer = catalog.offer_for(*SNOWFLAKE)
    assert offer is not None and offer.context_window == 5_000_000
    assert offer.outliers == ["context_window"]
    hosts = catalog.same_weights(offer)
    windows = [other.context_window for other in hosts if other is not offer and other.context_window]
    assert len(windows) >= 20 and all(window <= 400_000 for window in windows)


@pytest.mark.slow
def test_model_and_hosts_show_the_outlier(capsys):
    document = _json(capsys, "model", SNOWFLAKE[1], "--provider", SNOWFLAKE[0])
    assert document["outliers"] == ["context_window"]
    assert run_app(["model", SNOWFLAKE[1], "--provider", SNOWFLAKE[0]]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "Cross-host outlier: snowflake-cortex openai-gpt-5-nano: context_window 5,000,000 differs by more "
        "than 10x" in out
    )
    rows = _json(capsys, "hosts", "gpt-5-nano", "--provider", "openai")
    flagged = {(row["provider"], row["id"]): row["outliers"] for row in rows if row["outliers"]}
    assert flagged[SNOWFLAKE] == ["context_window"]
    assert run_app(["hosts", "gpt-5-nano", "--provider", "openai"]) == 0
    out = capsys.readouterr().out
    assert "5,000,000 input!" in out
    assert "! snowflake-cortex openai-gpt-5-nano: context_window 5,000,000 differs" in " ".join(out.split())


@pytest.mark.slow
def test_the_outlier_is_never_the_smallest_window_that_fits(capsys, monkeypatch):
    # 3,000,000 input tokens with 10 % to spare need 3,333,334: Snowflake's claimed 5,000,000 would be the
    # smallest window that fits; the rule leaves it out
    document = _json(capsys, "fit", "-i", "3000000")
    smallest = document["alternatives"]["smallest_window"]
    assert (smallest["provider"], smallest["id"]) != SNOWFLAKE
    monkeypatch.setattr(suggestions, "may_suggest", lambda offer: True)  # without the rule
    # the pools built from every offer, not from the shipped pool index (generated with the rule)
    monkeypatch.setattr(pool_index, "shipped_records", lambda: None)
    store.clear_catalog_cache()
    unguarded = _json(capsys, "fit", "-i", "3000000")["alternatives"]["smallest_window"]
    assert (unguarded["provider"], unguarded["id"]) == SNOWFLAKE


def _json(capsys, *argv: str):
    code = run_app([*argv, "--json"])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    return json.loads(captured.out)
