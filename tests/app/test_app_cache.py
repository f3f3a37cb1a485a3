"""The app's caches give the numbers an uncached run gives: a new text is counted anew, another model takes
its own family's count, the compare view's kept comparison follows the input and the reserves, and the charts
drawn without Altair's per-run check are valid Vega-Lite.

Expected values are worked out here: token counts with the Llama 3 encoder itself, money by hand from the
catalog's published prices (Hermes 4 405B: 131,072 tokens, $1 / $3 per million). Speed is measured in
scripts/benchmark_app.py, never here.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from apptest_support import metric, no_exceptions, run_app
from streamlit.testing.v1 import AppTest

from planner.app.charts import READABLE
from planner.catalog import load_catalog
from planner.tokens.encoders import get_encoding

HERMES = "nousresearch/hermes-4-405b"
FIRST = (
    "The board met on Monday and approved the budget for the office in Lisbon (€4.2M, 日本語 menus, café).\n"
    * 40
)
SECOND = "Shipping dates slipped by a week; the vendor blamed a shortage of connectors.\n" * 90
MILLION = Decimal(1_000_000)


def paste(app: AppTest, text: str) -> AppTest:
    if app.radio(key="w_source").value != "paste":
        app.radio(key="w_source").set_value("paste").run()
    return app.text_area(key="pasted_text").input(text).run()


def llama3_tokens(text: str) -> int:
    return len(get_encoding("llama3").encode_ordinary(text))


def hermes_row(app: AppTest):  # noqa: ANN201 - a pandas Series
    table = next(frame.value for frame in app.dataframe if "Cost per request ($)" in frame.value.columns)
    return table[table["Id"] == HERMES].iloc[0]


def hermes_cost(tokens: int, output: int) -> Decimal:
    return Decimal(tokens) * 1 / MILLION + Decimal(output) * 3 / MILLION


@pytest.mark.slow
def test_a_new_paste_is_counted_anew_and_an_old_one_gives_its_old_count() -> None:
    first, second = llama3_tokens(FIRST), llama3_tokens(SECOND)
    assert first != second
    app = paste(run_app(), FIRST)
    no_exceptions(app)
    assert metric(app, "Tokens") == f"{first:,}"
    app = paste(app, SECOND)
    assert metric(app, "Tokens") == f"{second:,}"
    assert metric(app, "Words") == f"{len(SECOND.split()):,}"
    app = paste(app, FIRST)  # the cached count of the first text
    assert metric(app, "Tokens") == f"{first:,}"
    assert metric(app, "Words") == f"{len(FIRST.split()):,}"


@pytest.mark.slow
def test_another_model_takes_its_own_family_and_count_of_the_same_text() -> None:
    gpt4o = load_catalog().get("gpt-4o", provider="openai")
    app = paste(run_app(), FIRST)
    assert (metric(app, "Tokenizer"), metric(app, "Tokens")) == ("llama3", f"{llama3_tokens(FIRST):,}")
    app.text_input(key="w_model_search").input("gpt-4o").run()
    app.selectbox(key="w_model").set_value(f"{gpt4o.provider}::{gpt4o.id}").run()
    no_exceptions(app)
    o200k = len(get_encoding("o200k_base").encode_ordinary(FIRST))
    assert o200k != llama3_tokens(FIRST)
    assert (metric(app, "Tokenizer"), metric(app, "Tokens")) == ("o200k_base", f"{o200k:,}")
    app.text_input(key="w_model_search").input("hermes 4 405b").run()
    app.selectbox(key="w_model").set_value(f"openrouter::{HERMES}").run()
    assert (metric(app, "Tokenizer"), metric(app, "Tokens")) == ("llama3", f"{llama3_tokens(FIRST):,}")


@pytest.mark.slow
def test_the_kept_comparison_follows_the_input_and_the_reserve() -> None:
    app = run_app(view="compare", f_provider="openrouter", fit_only="false", hide_free="false")
    app = paste(app, FIRST)
    no_exceptions(app)
    first, second = llama3_tokens(FIRST), llama3_tokens(SECOND)
    row = hermes_row(app)
    assert (row["Input tokens"], Decimal(row["Cost per request ($)"])) == (first, hermes_cost(first, 2_000))
    assert row["Fits"] == "Fits"
    tight = 131_072 - first - 100  # leaves 100 tokens, under 5 % of the window: tight
    app.number_input(key="w_output").set_value(tight).run()
    row = hermes_row(app)
    assert (row["Fits"], Decimal(row["Cost per request ($)"])) == ("Tight", hermes_cost(first, tight))
    app = paste(app, SECOND)
    row = hermes_row(app)
    assert (row["Input tokens"], Decimal(row["Cost per request ($)"])) == (second, hermes_cost(second, tight))
    assert row["Fits"] == "Does not fit"  # 270 tokens longer: over the 100 left
    app.number_input(key="w_output").set_value(2_000).run()
    app = paste(app, FIRST)  # both kept from the first run: the same rows again
    row = hermes_row(app)
    assert (row["Input tokens"], row["Fits"]) == (first, "Fits")
    assert Decimal(row["Cost per request ($)"]) == hermes_cost(first, 2_000)


@pytest.mark.parametrize("view", ["fit", "compare"])
@pytest.mark.slow
def test_the_charts_drawn_are_valid_vega_lite(view: str) -> None:
    app = run_app(view=view, source="tokens", tokens="150000")  # does not fit: bars over the window too
    no_exceptions(app)
    charts = app.get("vega_lite_chart")
    assert len(charts) == (1 if view == "fit" else 2)
    schema = load_schema()
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        validate_jsonschema(spec, schema)  # raises on a spec Vega-Lite would reject
        assert spec["layer"] and spec["config"] == READABLE  # dark text, no Altair theme sizes
