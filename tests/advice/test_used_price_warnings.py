"""The price-age warning: once per answer, and only for the prices that answer used."""

from __future__ import annotations

import json
from datetime import date

import pytest

from planner.catalog.freshness import Freshness, used_price_warnings
from planner.cli import run_app

pytestmark = pytest.mark.usefixtures("isolated_cache")  # tests/conftest.py


def _freshness(retirement: str | None = None) -> Freshness:
    return Freshness(
        as_of=date(2026, 1, 1),
        price_age_days=340,
        max_price_age_days=90,
        stale=True,
        model="m",
        provider="h",
        retirement_warning=retirement,
        warnings=["its own stale prices"],
    )


def test_only_the_used_stale_prices_warn_each_once_then_the_retirement():
    used = [("a", "x", date(2026, 6, 13)), ("a", "x", date(2026, 6, 13)), ("b", "y", date(2026, 11, 19))]
    warnings = used_price_warnings(
        _freshness("m (h) is retired"), used, today=date(2026, 12, 7), max_age_days=90
    )
    assert warnings == [
        "prices for a (x) are 177 days old (as of 2026-06-13, over the 90-day limit); "
        "run `planner catalog refresh` for current prices",
        "m (h) is retired",
    ]
    assert used_price_warnings(_freshness(), [], today=date(2026, 12, 7)) == []


@pytest.mark.slow
def test_a_fit_that_shows_no_price_warns_of_none(capsys, monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_PRICE_AGE_DAYS", "0")  # every price is stale
    assert run_app(["fit", "-i", "1000", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["price_warnings"] == []
    assert run_app(["fit", "-i", "1000"]) == 0
    assert "warning:" not in capsys.readouterr().err


@pytest.mark.slow
def test_a_fit_warns_once_for_each_suggested_price_it_shows(capsys, monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_PRICE_AGE_DAYS", "0")
    assert run_app(["fit", "-i", "300000", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    shown = [document["alternatives"]["smallest_window"], document["alternatives"]["cheapest"]]
    shown.append(document["free_alternatives"]["smallest_window"])
    labels = {f"prices for {row['id']} ({row['provider']})" for row in shown if row}
    warnings = document["price_warnings"]
    assert len(warnings) == len(labels) and {w.split(" are ")[0] for w in warnings} == labels
    assert not any("hermes-4-405b" in warning for warning in warnings)  # its prices are not shown


def test_a_cost_warns_once(capsys, monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_PRICE_AGE_DAYS", "0")
    assert run_app(["cost", "-i", "1000"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and "prices for nousresearch/hermes-4-405b (openrouter)" in err
