"""The app shows price age, retirement warnings, the hosts of the same weights and a price-over-time chart
(issue 15), from the same planner.advice.hosts / planner.catalog answers the CLI renders."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from apptest_support import run_app

from planner.app import tables
from planner.catalog import store
from planner.catalog.ledger import LedgerEntry, offer_history, prices_on


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PLANNER_MODELS_FILE", raising=False)
    monkeypatch.delenv("PLANNER_MAX_PRICE_AGE_DAYS", raising=False)


@pytest.mark.slow
def test_model_page_lists_hermes_hosts_cheapest_first_and_its_price_age() -> None:
    app = run_app(view="model", source="tokens", tokens="100000", output="0")
    assert not app.exception, [item.value for item in app.exception]
    hosts = next(frame.value for frame in app.table if "Host" in frame.value.columns)
    assert {"openrouter", "nebius", "nano-gpt"} <= set(hosts["Host"])
    assert list(hosts["Host"])[0] == "nano-gpt"  # $0.30 / $1.20 per million: the cheapest
    by_host = dict(zip(hosts["Host"], hosts["Cost / request"], strict=False))
    assert by_host["openrouter"] == "$0.100000"  # 100,000 x $1 per million, no output
    # Hermes on OpenRouter is priced by genai-prices 0.2.5, uploaded 2026-11-19 (data/SOURCES.md)
    age = (date.today() - date(2026, 11, 19)).days
    warnings = [item.value for item in app.warning]
    assert any(f"{age:,} days old (as of 2026-11-19" in text for text in warnings) is (age > 90)
    specs = next(frame.value for frame in app.table if "Price age" in list(frame.value.iloc[:, 0]))
    assert f"{age:,} days" in list(specs.iloc[:, 1])
    [chart] = app.get("vega_lite_chart")  # the price-over-time chart: Hermes' $1 input and $3 output
    spec = json.loads(chart.proto.spec)
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["y"]["field"] == "usd_per_million"


@pytest.mark.slow
def test_cost_view_says_how_old_the_prices_are() -> None:
    app = run_app(view="cost", source="tokens", tokens="1000")
    assert not app.exception, [item.value for item in app.exception]
    age = (date.today() - date(2026, 11, 19)).days
    # from genai-prices, which priced Hermes' OpenRouter record (the record itself is OpenRouter's)
    said = f"Prices as of 2026-11-19 ({age:,} days old), from genai-prices."
    assert any(said in item.value for item in app.caption), [item.value for item in app.caption]


def test_price_history_points_are_the_dated_input_and_output_prices() -> None:
    catalog = store.read_snapshot(store.SHIPPED_SNAPSHOT)
    hermes = catalog.offer_for("openrouter", "nousresearch/hermes-4-405b")
    points = tables.price_history_rows(offer_history(catalog, hermes))
    assert [(p["date"], p["price"], p["label"], p["source"]) for p in points] == [
        # genai-prices 0.2.5: an undated $1 / $3, dated by the release (2025-08-26)
        ("2025-08-26", "input", "$1.00", "genai-prices"),
        ("2025-08-26", "output", "$3.00", "genai-prices"),
    ]


def test_the_price_line_runs_to_the_day_the_prices_are_known_to_hold() -> None:
    """Hermes' shipped prices date from its release (2025-08-26) and are as of 2026-11-19: the chart carried
    one point per price in August 2025 and nothing after, as if the history stopped there."""
    catalog = store.read_snapshot(store.SHIPPED_SNAPSHOT)
    hermes = catalog.offer_for("openrouter", "nousresearch/hermes-4-405b")
    entries = offer_history(catalog, hermes)
    assert hermes.as_of == date(2026, 11, 19)
    points = tables.price_history_rows(entries, hermes.as_of, prices_on(hermes, hermes.as_of, entries))
    assert [(p["date"], p["price"], p["label"], p["held"]) for p in points] == [
        ("2025-08-26", "input", "$1.00", False),
        ("2025-08-26", "output", "$3.00", False),
        ("2026-11-19", "input", "$1.00", True),
        ("2026-11-19", "output", "$3.00", True),
    ]
    assert tables.price_history_sentence(points) == (
        "input: $1.00 (2025-08-26), still $1.00 on 2026-11-19; "
        "output: $3.00 (2025-08-26), still $3.00 on 2026-11-19."
    )


def test_a_price_changed_on_the_records_day_or_gone_is_not_carried() -> None:
    """A price whose newest point is the record's own day gets no second point; a price no longer in force
    (the ledger's newest entry for it has no price) is not drawn as held."""
    catalog = store.read_snapshot(store.SHIPPED_SNAPSHOT)
    hermes = catalog.offer_for("openrouter", "nousresearch/hermes-4-405b")
    day = date(2026, 12, 1)

    def entry(when: date, field: str, new: str | None) -> LedgerEntry:
        price = Decimal(new) if new is not None else None
        return LedgerEntry(
            as_of=when, provider=hermes.provider, id=hermes.id, field=field, new=price, source="ledger"
        )

    entries = [
        entry(date(2026, 1, 5), "input", "0.000001"),
        entry(date(2026, 1, 5), "output", "0.000003"),
        entry(day, "input", "0.0000008"),  # changed on the record's day
        entry(date(2026, 6, 1), "output", None),  # gone
    ]
    entries.sort(key=lambda item: item.as_of)
    points = tables.price_history_rows(entries, day, prices_on(hermes, day, entries))
    assert [(p["date"], p["price"], p["label"], p["held"]) for p in points] == [
        ("2026-01-05", "input", "$1.00", False),
        ("2026-01-05", "output", "$3.00", False),
        ("2026-12-01", "input", "$0.80", False),
    ]
