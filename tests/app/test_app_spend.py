"""The app's Spend view shows the numbers `planner spend` prints for the same exports and models, draws the
totals by day and model, offers the table as CSV, and keeps only the chosen models in the link."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from apptest_support import metric, no_exceptions, run_app

from planner.cli import run_app as run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "usage"
OPENAI = FIXTURES / "openai_completions_usage.json"
CHOSEN = "openai::gpt-4.1-mini,anthropic::claude-haiku-4-5"
pytestmark = pytest.mark.slow  # each AppTest run loads the catalog and draws the page


@pytest.fixture(autouse=True)
def _cache(isolated_cache):
    """The shipped catalog and no user ledger, for the app and the CLI alike."""


def cli_answer(capsys, *arguments: str) -> dict:
    run_cli(["spend", *arguments, "--json"])
    return json.loads(capsys.readouterr().out)


def upload(app, *paths: Path):
    files = [(path.name, path.read_bytes(), "application/json") for path in paths]
    return app.file_uploader(key="spend_uploads").set_value(files).run()


def table_with(app, column: str):
    return next(frame.value for frame in app.table if column in frame.value.columns)


@pytest.mark.slow
def test_spend_view_shows_the_clis_numbers(capsys) -> None:
    from planner.wording import signed_usd, usd

    app = upload(run_app(view="spend", **{"as": CHOSEN}), OPENAI)
    no_exceptions(app)
    answer = cli_answer(capsys, str(OPENAI), "--as", "gpt-4.1-mini", "--as", "claude-haiku-4-5")
    assert metric(app, "As billed") == usd(Decimal(answer["total_cost"])) == "$0.895000"
    models = table_with(app, "Cache writes")
    assert list(models["Cost"]) == [usd(Decimal(item["total_cost"])) for item in answer["by_model"]]
    as_if = table_with(app, "As if on")
    assert list(as_if["Cost"]) == [usd(Decimal(item["total_cost"])) for item in answer["as_if"]]
    assert list(as_if["Difference"]) == [signed_usd(Decimal(item["difference"])) for item in answer["as_if"]]
    assert list(as_if["Cost"]) == ["$1.360000", "$3.734000"]
    days = table_with(app, "Day")
    assert list(days["Cost"]) == ["$0.700000", "$0.195000"]
    assert len(app.get("vega_lite_chart")) == 1  # the cost of each day, stacked by model
    # the link carries the chosen models and the view, never the exports
    assert app.query_params["as"] == CHOSEN and app.query_params["view"] == "spend"
    assert all("usage" not in value for value in app.query_params.values())
    left_out = " ".join(item.value for item in app.warning)
    assert "1 row left out of the totals" in left_out and "input_tokens must be 0 or more" in left_out


@pytest.mark.slow
def test_spend_view_per_request_export_says_what_would_not_fit(capsys) -> None:
    spans = FIXTURES / "otel_genai_spans.json"
    app = upload(run_app(view="spend", **{"as": "openai::gpt-4o"}), spans)
    no_exceptions(app)
    answer = cli_answer(capsys, str(spans), "--as", "gpt-4o", "--provider", "openai")
    (as_if,) = answer["as_if"]
    row = table_with(app, "As if on")
    assert list(row["Over the window"]) == ["1 request"] and as_if["requests_over_window"] == 1
    assert list(row["Cost"]) == ["$0.292750"]


def test_spend_csv_holds_exact_decimal_money() -> None:
    from planner.advice.spend import plan_spend, read_exports
    from planner.app import tables
    from planner.catalog import load_catalog

    catalog = load_catalog()
    report = plan_spend(read_exports([OPENAI]), catalog, as_offers=[catalog.get("gpt-4.1-mini", "openai")])
    rows = list(csv.DictReader(io.StringIO(tables.spend_csv(report))))
    assert [(row["kind"], row["model"], row["cost_usd"]) for row in rows] == [
        ("as billed", "gpt-4o-mini-2024-07-18", "0.495"),
        ("as billed", "gpt-4o-2024-08-06", "0.4"),
        ("as if", "gpt-4.1-mini", "1.36"),
        ("total as billed", "", "0.895"),
    ]
    assert rows[2]["difference_usd"] == "0.465"


def test_spend_chart_is_valid_vega_lite_with_each_day_and_model() -> None:
    from planner.advice.spend import plan_spend, read_exports
    from planner.app import charts, tables
    from planner.catalog import load_catalog

    report = plan_spend(read_exports([OPENAI]), load_catalog())
    spec = charts.spend_chart(tables.spend_chart_rows(report))
    validate_jsonschema(spec, load_schema())  # raises on a spec Vega-Lite would reject
    drawn = {(row["day"], row["model"]): row["cost_label"] for row in spec["data"]["values"]}
    assert drawn == {
        ("2026-11-23", "gpt-4o-2024-08-06 (openai)"): "$0.400000",
        ("2026-11-23", "gpt-4o-mini-2024-07-18 (openai)"): "$0.300000",
        ("2026-11-24", "gpt-4o-mini-2024-07-18 (openai)"): "$0.195000",
    }


def test_spend_view_without_exports_asks_for_them_and_drops_unknown_models() -> None:
    app = run_app(view="spend", **{"as": "openai::gpt-4.1-mini,nowhere::no-such-model"})
    no_exceptions(app)
    assert any("Upload one or more usage exports" in item.value for item in app.info)
    assert app.query_params["as"] == "openai::gpt-4.1-mini"
