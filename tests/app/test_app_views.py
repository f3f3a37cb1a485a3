"""The Streamlit app, driven with streamlit.testing.v1.AppTest: each view shows the numbers planner computes.

Expected values are computed here independently: token counts with the Llama 3 encoder itself, money and
windows by hand from the catalog's published figures (Hermes 4 405B: 131,072 tokens, $1 / $3 per million).
"""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import Decimal
from pathlib import Path

import pytest
from apptest_support import APP, metric, no_exceptions, run_app
from streamlit.testing.v1 import AppTest

from planner.advice.compare import compare_models
from planner.advice.fit_rule import check_fit
from planner.advice.model_page import tokens_label
from planner.advice.policy import answers_in_text
from planner.app import examples, filters, tables, uploads, urlstate
from planner.catalog import load_catalog
from planner.errors import LimitError, UsageError
from planner.tokens.counts import TokenCount, typed_counts
from planner.tokens.encoders import get_encoding
from planner.tokens.families import families_of

HERMES = "nousresearch/hermes-4-405b"
TEXT = (
    "The quarterly report covers revenue, hiring and the roadmap. Revenue grew 12% to $4.2M; "
    "we hired 7 engineers.\n\nNext quarter: ship the planner app, café menus in 日本語, and fix bug #1234.\n"
)


def paste(app: AppTest, text: str) -> AppTest:
    app.radio(key="w_source").set_value("paste").run()
    return app.text_area(key="pasted_text").input(text).run()


def llama3_tokens(text: str) -> int:
    return len(get_encoding("llama3").encode_ordinary(text))


def reference_estimate(text: str, family: str, kind: str) -> tuple[int, int, int]:
    """(low, central, high) of an estimate worked out here: the reference o200k_base encoder's count times
    the family's published factors for the kind of text, from the shipped factor table."""
    table = json.loads((Path(APP).parent / "planner/data/estimate_factors.json").read_text(encoding="utf-8"))
    low, mid, high = table["families"][family]["factors"][kind]
    base = len(get_encoding("o200k_base").encode_ordinary(text))
    return math.floor(base * low), round(base * mid), math.ceil(base * high)


# ------------------------------------------------------------------------------------------------ input
@pytest.mark.slow
def test_pasted_text_shows_the_exact_llama3_count_words_and_method() -> None:
    app = paste(run_app(), TEXT)
    no_exceptions(app)
    assert metric(app, "Tokens") == f"{llama3_tokens(TEXT):,}"
    assert metric(app, "Words") == f"{len(TEXT.split()):,}"
    assert metric(app, "Tokenizer") == "llama3"
    assert metric(app, "Method") == "exact"


@pytest.mark.slow
def test_an_estimated_family_shows_its_band() -> None:
    catalog = load_catalog()
    claude = next(offer for offer in catalog.offers if offer.tokenizer == "claude" and offer.context_window)
    app = paste(run_app(model=claude.id, provider=claude.provider), TEXT)
    no_exceptions(app)
    low, central, high = reference_estimate(TEXT, "claude", "prose")  # English prose with a few other words
    assert low < central < high
    assert metric(app, "Method") == "estimate"
    assert metric(app, "Tokens") == f"{central:,}"
    band = f"between {low:,} and {high:,} tokens"
    assert any(band in item.value for item in app.caption), [item.value for item in app.caption]


@pytest.mark.parametrize("example", examples.EXAMPLES, ids=lambda example: example.key)
def test_examples_have_the_reference_sizes(example: examples.Example) -> None:
    text = examples.example_text(example.words, example.kind)
    assert len(text.split()) == example.words
    assert examples.example_text(example.words, example.kind) == text  # deterministic


@pytest.mark.slow
def test_example_document_is_counted_exactly() -> None:
    app = run_app(example="short_document")
    no_exceptions(app)
    text = examples.example_text(1_500, "prose")
    assert metric(app, "Words") == "1,500"
    assert metric(app, "Tokens") == f"{llama3_tokens(text):,}"


@pytest.mark.slow
def test_typed_token_count_is_used_as_given() -> None:
    app = run_app(source="tokens", tokens="12345")
    no_exceptions(app)
    assert metric(app, "Tokens") == "12,345"
    assert metric(app, "Words") == f"~{12_345 * 3 // 4:,}"  # 0.75 words per token, rounded down


# -------------------------------------------------------------------------------------------------- fit
@pytest.mark.slow
def test_fit_view_shows_verdict_headroom_and_share_of_the_window() -> None:
    app = paste(run_app(output="2000"), TEXT)
    no_exceptions(app)
    tokens = llama3_tokens(TEXT)
    headroom = 131_072 - 2_000 - tokens
    assert metric(app, "Context window") == "131,072"
    assert metric(app, "Headroom (tokens)") == f"{headroom:,}"
    assert metric(app, "Used") == f"{(tokens + 2_000) / 131_072:.1%}"
    assert app.success and app.success[0].value.startswith("**Fits**")


@pytest.mark.slow
def test_a_full_window_with_one_output_token_does_not_fit_and_says_what_to_do() -> None:
    app = run_app(source="tokens", tokens="131072", output="1")
    no_exceptions(app)
    assert app.error and app.error[0].value.startswith("**Does not fit**")
    assert "1 token over" in app.error[0].value
    assert metric(app, "Headroom (tokens)") == "1 over"
    advice = " ".join(item.value for item in app.markdown)
    assert "Split it into **2 chunks** of at most 131,071 tokens" in advice
    assert "smallest window" in advice and "cheapest" in advice
    lines = [item.value for item in app.markdown if item.value.startswith("- Or use a model")]
    paid = [line for line in lines if "free or preview" not in line]
    assert len(paid) == 2 and not any("$0.000000 per request" in line for line in paid)  # $0 plans apart
    assert any("free or preview, smallest window" in line for line in lines)


@pytest.mark.slow
def test_fit_view_shows_the_input_limit_when_it_binds() -> None:
    # gpt-5: 300,000 input + 2,000 output are 75.5 % of the 400,000 window, but the input is 28,000 over
    # its 272,000 input limit (400,000 - 2,000 = 398,000 would leave more)
    app = run_app(source="tokens", tokens="300000", output="2000", model="gpt-5", provider="openai")
    no_exceptions(app)
    assert app.error and "28,000 tokens over the model's 272,000-token input limit" in app.error[0].value
    assert (metric(app, "Used"), metric(app, "Input limit")) == ("75.5%", "272,000")
    hermes = run_app(source="tokens", tokens="1000")
    assert "Input limit" not in [item.label for item in hermes.metric]


# ------------------------------------------------------------------------------------------- model page
@pytest.mark.slow
def test_model_page_hosts_table_shows_the_long_context_prices_applied() -> None:
    # Gemini 2.5 Pro at 250,000 input tokens: Google's tier ($2.50 / $15 above 200,000), OpenRouter's base
    app = run_app(view="model", model="gemini-2.5-pro", provider="google", source="tokens", tokens="250000")
    no_exceptions(app)
    hosts = next(frame.value for frame in app.table if "Note" in frame.value.columns)
    rows = {(row["Host"], row["Id"]): row for row in hosts.to_dict("records")}
    google = rows[("google", "gemini-2.5-pro")]
    assert (google["Input $/M"], google["Output $/M"]) == ("$2.50", "$15.00")
    # The tier note, then the retirement warning: LiteLLM 1.110.2 (the pinned source since a99d5cb) gives
    # gemini/gemini-2.5-pro a deprecation_date of 2026-12-01, already past, so the row says so as well.
    assert google["Note"] == (
        "long-context tier (above 200,000 prompt tokens); "
        "gemini-2.5-pro (google) was retired by its host on 2026-12-01; choose another model"
    )
    openrouter = rows[("openrouter", "google/gemini-2.5-pro")]
    assert (openrouter["Input $/M"], openrouter["Output $/M"], openrouter["Note"]) == (
        "$1.25",
        "$10.00",
        "no long-context tier listed",
    )


@pytest.mark.slow
def test_model_page_hosts_table_notes_the_hosts_that_retired_the_model() -> None:
    # LiteLLM's deprecation dates: OpenAI's 2026-10-23 (past); github_copilot's none. LiteLLM 1.110.2 (the
    # pinned source since a99d5cb) no longer lists azure/gpt-4-0613 (1.109.1 had it, retired 2025-06-06),
    # so there is no azure row.
    app = run_app(view="model", model="gpt-4-0613", provider="openai", source="tokens", tokens="1000")
    no_exceptions(app)
    hosts = next(frame.value for frame in app.table if "Note" in frame.value.columns)
    notes = {row["Host"]: row["Note"] for row in hosts.to_dict("records")}
    assert notes == {
        "openai": "gpt-4-0613 (openai) was retired by its host on 2026-10-23; choose another model",
        "github-copilot": "",
    }


@pytest.mark.slow
def test_model_page_for_hermes_shows_window_words_what_fits_and_comparisons() -> None:
    app = run_app(view="model")
    no_exceptions(app)
    assert metric(app, "Context window (tokens)") == "131,072"
    assert metric(app, "Context window (words)") == "~98K words"
    what_fits = next(frame.value for frame in app.table if "In one request" in frame.value.columns)
    marks = dict(zip(what_fits["Document"], what_fits["In one request"], strict=True))
    assert marks["Short document"] == "✓ fits"
    assert marks["Long document"] == "✓ fits"
    assert marks["Small codebase"] == "✗ does not fit"
    assert marks["Full novel"] == "✗ does not fit"
    assert "Your input" in marks  # the user's own input (the default long example) is judged too
    prices = next(frame.value for frame in app.table if "Price" in frame.value.columns)
    assert dict(zip(prices["Price"], prices["US dollars"], strict=True))["Input"] == "$1.00"
    assert dict(zip(prices["Price"], prices["US dollars"], strict=True))["Output"] == "$3.00"
    text = " ".join(item.label for item in app.button)  # each opens the side-by-side view in this tab
    assert "212 % larger context window than" in text  # 131,072 vs 42,000 (Titan Text)
    assert "31 % larger context window than" in text  # vs 100,000 (Claude Instant / Claude v2.1)
    assert "3100 % larger context window than" in text  # vs 4,096 (Code Llama 34B)


# ------------------------------------------------------------------------------------------------- cost
@pytest.mark.slow
def test_cost_view_hand_checked_hermes_request_and_month() -> None:
    app = run_app(view="cost", source="tokens", tokens="100000", answer="2000", requests_per_day="1000")
    no_exceptions(app)
    # 100,000 x $1/M + 2,000 x $3/M = $0.100 + $0.006
    assert metric(app, "Per request") == "$0.106000"
    assert metric(app, "Per day") == "$106.00"
    assert metric(app, "Per month (30 days)") == "$3,180.00"


@pytest.mark.slow
def test_cost_view_batch_without_batch_prices_is_unknown_not_zero() -> None:
    app = run_app(view="cost", source="tokens", tokens="100000", batch="true")
    no_exceptions(app)
    assert metric(app, "Per request") == "unknown"
    [missing] = [item.value for item in app.warning if "batch_input" in item.value]
    assert "the cost is unknown" in missing
    # what to do, in the words of the app's own control (the command line's is "drop --batch")
    assert "turn off Batch API (to price it at list prices)" in missing and "--" not in missing, missing


def gpt_4o_prices_are_the_published_ones() -> None:
    pricing = load_catalog().get("gpt-4o", provider="openai").pricing
    # OpenAI's list prices per million tokens: input $2.50, cached input $1.25, output $10, batch half price
    assert pricing.input * 1_000_000 == Decimal("2.5") and pricing.output * 1_000_000 == Decimal("10")
    assert pricing.cache_read * 1_000_000 == Decimal("1.25")
    assert pricing.batch_input * 1_000_000 == Decimal("1.25") and pricing.batch_output * 1_000_000 == Decimal(
        "5"
    )
    assert not pricing.tiers


@pytest.mark.slow
def test_cost_view_cache_hit_rate_bills_part_of_the_prompt_at_the_cached_price() -> None:
    gpt_4o_prices_are_the_published_ones()
    params = {"view": "cost", "source": "tokens", "tokens": "100000", "answer": "2000"}
    app = run_app(**params, model="gpt-4o", provider="openai", cache_hit="50", requests_per_day="100")
    no_exceptions(app)
    # 50,000 x $2.50/M + 50,000 x $1.25/M + 2,000 x $10/M = 0.125 + 0.0625 + 0.02
    assert metric(app, "Per request") == "$0.207500"
    assert metric(app, "Per month (30 days)") == "$622.50"  # x 100 x 30


@pytest.mark.slow
def test_cost_view_batch_uses_batch_prices() -> None:
    gpt_4o_prices_are_the_published_ones()
    params = {"view": "cost", "source": "tokens", "tokens": "100000", "answer": "2000"}
    app = run_app(**params, model="gpt-4o", provider="openai", batch="true")
    no_exceptions(app)
    assert metric(app, "Per request") == "$0.135000"  # 100,000 x $1.25/M + 2,000 x $5/M


# ---------------------------------------------------------------------------------------------- compare
def compare_table(app: AppTest):  # noqa: ANN201 - a pandas DataFrame
    return next(frame.value for frame in app.dataframe if "Cost per request ($)" in frame.value.columns)


@pytest.mark.slow
def test_compare_view_filters_lists_every_matching_model_with_its_cost() -> None:
    params = {"view": "compare", "source": "tokens", "tokens": "100000", "output": "2000"}
    app = run_app(**params, f_provider="openrouter", fit_only="false", hide_free="false")
    no_exceptions(app)
    expected = load_catalog().filter(provider="openrouter")
    table = compare_table(app)
    # ranked: the general models that answer in text (an image model or a guard is left out)
    assert len(table) == len([offer for offer in expected if answers_in_text(offer)]) < len(expected)
    hermes = table[table["Id"] == HERMES].iloc[0]
    assert Decimal(hermes["Cost per request ($)"]) == Decimal("0.106")
    assert hermes["Window"] == 131_072
    assert hermes["Fits"] == "Fits"
    summary = " ".join(item.value for item in app.markdown)
    # nothing hidden but what does not answer in text: the account says how many of each
    hidden = len(expected) - len(table)
    fitting = (table["Fits"].isin(["Fits", "Tight"])).sum()
    priced = table["Cost per request ($)"].notna().sum()
    assert (
        f"**{len(expected):,} offers** on openrouter: {hidden:,} not answering in text hidden; "
        f"**{len(table):,} shown**, {fitting:,} of them fit your input, {priced:,} priced."
    ) in summary
    assert (table["Cost per request ($)"] == 0).any()  # OpenRouter lists free variants at $0


@pytest.mark.slow
def test_compare_view_says_how_many_free_or_preview_offers_it_hid() -> None:
    params = {"view": "compare", "source": "tokens", "tokens": "100000", "output": "2000"}
    hidden = run_app(**params, f_provider="openrouter")
    every = run_app(**params, f_provider="openrouter", hide_free="false")
    no_exceptions(hidden)
    no_exceptions(every)
    shown, all_rows = compare_table(hidden), compare_table(every)
    left_out = len(all_rows) - len(shown)  # the rows the toggle brings back
    assert left_out > 10 and (all_rows["Cost per request ($)"] == 0).any()
    summary = " ".join(item.value for item in hidden.markdown)
    assert f", {left_out:,} free or preview hidden; **{len(shown):,} shown**" in summary, summary


@pytest.mark.slow
def test_compare_view_by_default_shows_only_paid_models_that_fit() -> None:
    app = run_app(view="compare", source="tokens", tokens="100000", output="2000", f_provider="openrouter")
    no_exceptions(app)
    table = compare_table(app)
    assert set(table["Fits"]) <= {"Fits", "Tight"}
    assert not (table["Cost per request ($)"] == 0).any()
    assert HERMES in set(table["Id"])
    small = [
        offer.id
        for offer in load_catalog().filter(provider="openrouter")
        if (offer.context_window or 0) < 102_000
    ]
    assert small and not set(small) & set(table["Id"])  # 100,000 + 2,000 cannot fit a smaller window


@pytest.mark.slow
def test_compare_filters_restore_from_the_url_and_bad_price_is_reported() -> None:
    app = run_app(view="compare", f_min_window="1000000", f_capability="vision", f_max_price="abc")
    no_exceptions(app)
    assert app.number_input(key="w_f_min_window").value == 1_000_000
    assert app.multiselect(key="w_f_capability").value == ["vision"]
    assert any("The max input price `abc` is not a price" in item.value for item in app.error)
    # one clear line, the rest still done: the other filters' models, at any price, with their table
    table = compare_table(app)
    assert len(table) > 0 and (table["Window"] >= 1_000_000).all()


def test_comparison_downloads_hold_every_model_with_decimal_money() -> None:
    catalog = load_catalog()
    offers = catalog.filter(provider="openrouter")
    counts = dict.fromkeys(families_of(offers), 100_000)
    comparison = compare_models(offers, counts, output_tokens=2_000)
    rows = list(csv.DictReader(io.StringIO(tables.comparison_csv(comparison))))
    assert len(rows) == len(offers)
    hermes = next(row for row in rows if row["id"] == HERMES)
    assert hermes["total_cost"] == "0.106" and hermes["context_window"] == "131072"
    document = json.loads(tables.comparison_json(comparison))
    assert len(document["models"]) == len(offers)
    assert next(row for row in document["models"] if row["id"] == HERMES)["total_cost"] == "0.106"


# ------------------------------------------------------------------------------------------- shareable
@pytest.mark.slow
def test_query_params_restore_model_reserves_and_view() -> None:
    app = run_app(model="anthropic.claude-v2:1", output="3000", view="model")
    no_exceptions(app)
    offer = load_catalog().get("anthropic.claude-v2:1")
    assert app.selectbox(key="w_model").value == f"{offer.provider}::{offer.id}"
    assert app.number_input(key="w_output").value == 3_000
    assert metric(app, "Context window (tokens)") == f"{offer.context_window:,}"
    assert not app.error


@pytest.mark.slow
def test_changing_a_setting_writes_it_to_the_url() -> None:
    app = run_app()
    app.number_input(key="w_output").set_value(4_096).run()
    app.segmented_control(key="w_view").set_value("compare").run()
    no_exceptions(app)
    assert app.query_params["output"] == "4096"
    assert app.query_params["view"] == "compare"
    assert "model" not in app.query_params  # defaults stay out of the link


# ------------------------------------------------------------------------------------------- bad input
@pytest.mark.slow
def test_unknown_model_in_the_url_is_an_error_and_the_default_is_shown() -> None:
    app = run_app(model="no-such/model-xyz-123", view="model")
    no_exceptions(app)
    assert any(
        "no-such/model-xyz-123" in item.value and "not in the catalog" in item.value for item in app.error
    )
    assert metric(app, "Context window (tokens)") == "131,072"


@pytest.mark.slow
def test_bad_number_in_the_url_is_a_warning() -> None:
    app = run_app(output="lots")
    no_exceptions(app)
    assert any("output=`lots`" in item.value for item in app.warning)
    assert app.number_input(key="w_output").value == 2_000


@pytest.mark.parametrize(
    ("name", "raw", "allowed"),
    [
        ("view", "nonsense", "use one of 'fit', 'model', 'side', 'compare', 'cost'"),
        ("source", "zzz", "use one of 'example', 'paste', 'upload', 'tokens'"),
        ("sort", "price", "use one of 'cost', 'window', 'headroom', 'name'"),
        ("tokens", "-5", "use a whole number 0 or more"),
        ("cache_hit", "150", "use a whole number from 0 to 100"),
        ("batch", "maybe", "use true or false"),
        ("f_capability", "vision,telepathy", "use one of 'vision'"),
    ],
)
@pytest.mark.slow
def test_bad_values_in_the_url_are_named_and_the_default_is_used(name: str, raw: str, allowed: str) -> None:
    app = run_app(**{name: raw})
    no_exceptions(app)
    assert any(f"Ignored {name}=`{raw}` in the link ({allowed}" in item.value for item in app.warning), [
        item.value for item in app.warning
    ]
    assert metric(app, "Tokens")  # the page is still drawn


@pytest.mark.slow
def test_unknown_provider_filter_in_the_url_falls_back_to_every_provider() -> None:
    app = run_app(view="compare", f_provider="no-such-host")
    no_exceptions(app)
    assert any("No provider `no-such-host`" in item.value for item in app.warning)
    assert app.selectbox(key="w_f_provider").value == ""


def test_a_partial_model_name_in_the_url_says_which_model_it_shows() -> None:
    app = run_app(model="hermes 4 405b", view="model")
    no_exceptions(app)
    assert any("showing the closest match" in item.value and HERMES in item.value for item in app.info)
    assert metric(app, "Context window (tokens)") == "131,072"


@pytest.mark.parametrize("text", ["", "   \n "], ids=["empty", "whitespace"])
@pytest.mark.slow
def test_empty_pasted_text_is_a_warning_not_an_error(text: str) -> None:
    app = paste(run_app(), text)
    no_exceptions(app)
    assert any("Nothing to check yet**: your input is empty" in item.value for item in app.info)
    assert not app.error


@pytest.mark.slow
def test_binary_upload_is_reported_and_the_text_file_still_counted() -> None:
    app = run_app(source="upload")
    app.file_uploader(key="uploads").set_value(
        [
            ("notes.txt", TEXT.encode("utf-8"), "text/plain"),
            ("photo.bin", b"\x7fELF" + bytes(range(256)) * 8, "application/octet-stream"),
        ]
    ).run()
    no_exceptions(app)
    assert any("photo.bin" in item.value and "binary" in item.value for item in app.warning), [
        item.value for item in app.warning
    ]
    assert metric(app, "Tokens") == f"{llama3_tokens(TEXT):,}"
    files = next(frame.value for frame in app.table if "File" in frame.value.columns)
    assert list(files["File"]) == ["notes.txt", "photo.bin"]
    assert list(files["Tokens"]) == [f"{llama3_tokens(TEXT):,}", ""]
    assert "binary" in files["Note"].iloc[1]


@pytest.mark.slow
def test_upload_over_the_size_limit_is_refused_with_a_clear_error() -> None:
    app = run_app(source="upload")
    app.file_uploader(key="uploads").set_value(
        ("huge.txt", b"a" * (uploads.MAX_UPLOAD_BYTES + 1), "text/plain")
    ).run()
    no_exceptions(app)
    assert any(
        "huge.txt" in item.value and f"{uploads.MAX_UPLOAD_MB} MB upload limit" in item.value
        for item in app.error
    )
    assert any("Nothing to check yet" in item.value for item in app.info)  # not counted, not judged


def test_streamlit_config_matches_the_upload_limit() -> None:
    config = (Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert f"maxUploadSize = {uploads.MAX_UPLOAD_MB}" in config


# ------------------------------------------------------------------------------ presentation helpers (views)
def test_uploads_are_written_under_their_own_names_inside_the_folder(tmp_path: Path) -> None:
    written = uploads.write_uploads([("../../etc/passwd", b"x"), ("a.txt", b"1"), ("a.txt", b"2")], tmp_path)
    assert list(written.values()) == ["../../etc/passwd", "a.txt", "a.txt"]
    assert [path.name for path in written] == ["passwd", "a.txt", "a.txt"]
    assert all(tmp_path in path.parents for path in written)
    assert sorted(path.read_bytes() for path in written) == [b"1", b"2", b"x"]


def test_upload_limit_is_checked_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(LimitError, match="big.bin is 1.0 MB, over the 0 MB upload limit"):
        uploads.write_uploads([("big.bin", b"a" * 1024 * 1024)], tmp_path, limit=1024)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("typed", "per_token"),
    [("3", "0.000003"), ("$0.50", "0.0000005"), ("1,000", "0.001"), ("", None), ("  ", None)],
)
def test_max_price_per_million_becomes_an_exact_price_per_token(typed: str, per_token: str | None) -> None:
    expected = None if per_token is None else Decimal(per_token)
    assert filters.parse_price_per_million(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "-1", "nan", "inf", "0,5", "1e3"])
def test_bad_max_price_is_a_usage_error(typed: str) -> None:
    with pytest.raises(UsageError, match="max price"):
        filters.parse_price_per_million(typed)


def test_fit_bar_segments_tile_the_window_when_it_fits_and_overflow_is_marked() -> None:
    hermes = load_catalog().get(HERMES)
    fits = check_fit(hermes, 41_716, 2_000, 500)
    rows = tables.fit_bar_rows(fits)
    assert [row["part"] for row in rows] == ["Input", "Reserved output", "Reasoning reserve", "Free room"]
    assert [row["tokens"] for row in rows] == [41_716, 2_000, 500, 131_072 - 41_716 - 2_000 - 500]
    assert all(left["end"] == right["start"] for left, right in zip(rows, rows[1:], strict=False))
    assert rows[-1]["end"] == 131_072
    over = tables.fit_bar_rows(check_fit(hermes, 131_072, 1))
    assert over[-1] == {**over[-1], "part": "Over the window", "start": 131_072, "end": 131_073, "tokens": 1}


def test_fit_bar_marks_an_input_over_the_input_limit() -> None:
    # gpt-5: 300,000 input tokens on a 400,000 window whose input limit is 272,000: 28,000 over that limit,
    # drawn from 272,000 to 300,000 (the window itself is not overrun: 300,000 + 2,000 < 400,000)
    gpt5 = load_catalog().get("gpt-5", "openai")
    rows = tables.fit_bar_rows(check_fit(gpt5, 300_000, 2_000))
    assert [row["part"] for row in rows] == ["Input", "Reserved output", "Over the input limit"]
    assert rows[-1] == {**rows[-1], "start": 272_000, "end": 300_000, "tokens": 28_000}
    fitting = tables.fit_bar_rows(check_fit(gpt5, 200_000, 2_000))
    assert "Over the input limit" not in {row["part"] for row in fitting}
    assert {row["part"]: row["tokens"] for row in fitting}["Free room"] == 72_000  # 272,000 - 200,000


def test_reserves_are_drawn_inside_an_input_only_window_too() -> None:
    offer = next(
        o
        for o in load_catalog().offers
        if o.context_window_kind == "input" and o.context_window and (o.max_output_tokens or 0) >= 1_000
    )
    window = offer.context_window
    fit = check_fit(offer, window // 2, 1_000)
    rows = {row["part"]: row["tokens"] for row in tables.fit_bar_rows(fit)}
    assert rows["Reserved output"] == 1_000
    assert rows["Free room"] == window - window // 2 - 1_000


def test_estimated_input_shows_its_upper_band_on_the_bar() -> None:
    claude = next(
        offer for offer in load_catalog().offers if offer.tokenizer == "claude" and offer.context_window
    )
    low, central, high = reference_estimate(TEXT, "claude", "prose")
    count = TokenCount(
        tokenizer="claude", method="estimate", tokens=central, tokens_low=low, tokens_high=high, basis="here"
    )
    rows = {row["part"]: row["tokens"] for row in tables.fit_bar_rows(check_fit(claude, count))}
    assert rows["Input"] == central
    assert rows["Estimate band (upper)"] == high - central


@pytest.mark.parametrize(
    ("amount", "label"),
    [("0.106", "$0.106000"), ("0.0000003", "$0.0000003"), ("0.00000094", "$0.00000094"), ("0", "$0.000000")],
)
def test_cost_labels_never_show_a_paid_request_as_zero(amount: str, label: str) -> None:
    assert tables.usd_label(Decimal(amount)) == label


@pytest.mark.slow
def test_an_offer_without_a_known_window_is_explained_not_guessed() -> None:
    offer = next(offer for offer in load_catalog().offers if not offer.context_window)
    app = run_app(model=offer.id, provider=offer.provider)
    no_exceptions(app)
    assert any("no context window" in item.value for item in app.warning)  # fit view: no verdict
    app.segmented_control(key="w_view").set_value("model").run()
    assert metric(app, "Context window (tokens)") == "unknown"
    assert any("no context window" in item.value for item in app.info)


@pytest.mark.slow
def test_compare_search_keeps_only_models_named_so() -> None:
    params = {"view": "compare", "fit_only": "false", "hide_free": "false"}
    app = run_app(**params, f_search="claude", f_provider="anthropic")
    no_exceptions(app)
    expected = {
        offer.id
        for offer in load_catalog().offers
        if offer.provider == "anthropic"
        and "claude" in " ".join([offer.id, *offer.aliases, offer.name, offer.provider]).lower()
    }
    assert expected and set(compare_table(app)["Id"]) == expected
    assert app.query_params["f_search"] == "claude"


def test_an_input_larger_than_every_window_can_only_be_split() -> None:
    largest = max(offer.context_window or 0 for offer in load_catalog().offers)
    tokens = largest * 2
    app = run_app(source="tokens", tokens=str(tokens))
    no_exceptions(app)
    advice = " ".join(item.value for item in app.markdown)
    assert "No model in the catalog takes it whole" in advice
    chunk = 131_072 - 2_000
    assert f"Split it into **{-(-tokens // chunk):,} chunks** of at most {chunk:,} tokens" in advice


# ------------------------------------------------------------------------------------- nothing given
def upload(app: AppTest, *files: tuple[str, bytes, str]) -> AppTest:
    return app.file_uploader(key="uploads").set_value(list(files)).run()


def nothing_uploaded(view: str) -> AppTest:
    return run_app(source="upload", view=view)


def binary_uploaded(view: str) -> AppTest:
    binary = ("photo.bin", b"\x7fELF" + bytes(range(256)) * 8, "application/octet-stream")
    return upload(run_app(source="upload", view=view), binary)


def whitespace_pasted(view: str) -> AppTest:
    return paste(run_app(view=view), "  \n\t \n")


def zero_tokens_typed(view: str) -> AppTest:
    return run_app(source="tokens", tokens="0", view=view)


NOTHING_GIVEN = [nothing_uploaded, binary_uploaded, whitespace_pasted, zero_tokens_typed]


@pytest.mark.parametrize("given", NOTHING_GIVEN, ids=lambda given: given.__name__)
def test_nothing_given_shows_no_verdict(given) -> None:  # noqa: ANN001 - one of NOTHING_GIVEN
    app = given("fit")
    no_exceptions(app)
    shown = [item.value for item in [*app.success, *app.warning, *app.error]]
    assert not any(verdict in text for text in shown for verdict in ("Fits", "Tight", "Does not fit")), shown
    assert not [item for item in app.metric if item.label in ("Used", "Headroom (tokens)")]
    assert any(item.value.startswith("**Nothing to check yet**: your input is empty") for item in app.info)


@pytest.mark.parametrize("given", NOTHING_GIVEN, ids=lambda given: given.__name__)
@pytest.mark.slow
def test_nothing_given_is_not_priced(given) -> None:  # noqa: ANN001 - one of NOTHING_GIVEN
    app = given("cost")
    no_exceptions(app)
    assert not [item for item in app.metric if item.label.startswith("Per ")], [m.label for m in app.metric]
    assert any("the verdict and the price appear here" in item.value for item in app.info)
    assert not [item for item in app.metric if item.label == "Cost per request"]  # no price for nothing


# ------------------------------------------------------------------------------- URL values as text
MARKDOWN_LADEN = ["[Click to verify](https://evil.example/login)", "![x](http://evil.example/pixel.png)"]


@pytest.mark.parametrize("raw", MARKDOWN_LADEN)
@pytest.mark.slow
def test_markdown_in_the_model_of_a_link_is_shown_as_a_code_span(raw: str) -> None:
    app = run_app(model=raw, view="model")
    no_exceptions(app)
    shown = [item.value for item in [*app.error, *app.info, *app.warning] if "evil" in item.value]
    assert shown == [
        f"The link asks for the model `{raw}`, which is not in the catalog. Showing {HERMES} instead."
    ]
    assert metric(app, "Context window (tokens)") == "131,072"


@pytest.mark.slow
def test_markdown_in_a_compare_filter_of_a_link_is_a_code_span() -> None:
    raw = MARKDOWN_LADEN[0]
    app = run_app(view="compare", f_provider=raw)
    no_exceptions(app)
    assert f"No provider `{raw}` in the catalog: showing every provider." in [
        item.value for item in app.warning
    ]
    app = run_app(view="compare", f_max_price=raw)
    no_exceptions(app)
    [box] = [item.value for item in app.error if "evil" in item.value]
    assert f"`{raw}`" in box and box.count("`") == 2, box  # the link's text as one code span


@pytest.mark.parametrize(
    ("raw", "span"),
    [
        ("plain", "`plain`"),
        ("a `b` c", "``a `b` c``"),
        ("`x``", "``` `x`` ```"),
        ("two\nlines  here", "`two lines here`"),
        ("", "` `"),
    ],
)
def test_literal_is_a_code_span_whose_fence_outlasts_every_backtick_run(raw: str, span: str) -> None:
    assert urlstate.literal(raw) == span


# ------------------------------------------------------------------------------------ huge numbers
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"source": "tokens", "tokens": str(10**30)}, "input tokens must be at most 10^18 (a billion"),
        ({"view": "cost", "requests_per_day": str(10**30)}, "requests per day must be at most 10^18"),
    ],
    ids=["tokens", "requests_per_day"],
)
def test_huge_numbers_in_a_link_get_the_cli_limit_and_message(params: dict[str, str], message: str) -> None:
    app = run_app(**params)
    no_exceptions(app)
    shown = [item.value for item in app.error]
    assert any(message in text for text in shown), shown


# ---------------------------------------------------------------------------------------- at a glance
@pytest.mark.parametrize("view", ["fit", "model", "compare", "cost"])
@pytest.mark.slow
def test_every_view_starts_with_the_model_headline(view: str) -> None:
    app = run_app(view=view)
    no_exceptions(app)
    assert app.markdown[1].value == "**This model accepts 131K tokens in one request (~98K words of text).**"


@pytest.mark.parametrize(
    ("tokens", "label"),
    [(131_072, "131K"), (200_000, "200K"), (8_192, "8K"), (512, "512"), (1_048_576, "1M")],
)
def test_window_labels_read_as_people_say_them(tokens: int, label: str) -> None:
    assert tokens_label(tokens) == label


# ------------------------------------------------------------------------------------- cost and charts
@pytest.mark.slow
def test_cost_view_says_when_the_request_does_not_fit() -> None:
    app = run_app(view="cost", source="tokens", tokens="211969", answer="2000")
    no_exceptions(app)
    # 211,969 + 2,000 answer tokens against 131,072: 82,897 over the 129,072 the answer leaves
    assert metric(app, "Per request") == "$0.217969"  # 211,969 x $1/M + 2,000 x $3/M
    warnings = [item.value for item in app.warning if "does not fit" in item.value]
    assert warnings and "82,897 tokens over" in warnings[0], [item.value for item in app.warning]


def claude_comparison():  # noqa: ANN201 - a planner.advice.compare.Comparison
    catalog = load_catalog()
    offers = filters.filter_offers(
        catalog, search="claude", provider="", capability=[], min_window=0, max_price=""
    )
    counts = typed_counts(1_000, families_of(offers), "typed")
    return compare_models(offers, counts, default=catalog.get(HERMES), output_tokens=2_000)


@pytest.mark.slow
def test_chart_labels_are_distinct_so_no_two_offers_share_a_bar() -> None:
    rows = claude_comparison().models
    labels = tables.chart_labels(rows)
    plain = [f"{row.name} · {row.provider}" for row in rows]
    assert len(set(plain)) < len(plain), "the search has offers sharing a name and a host"
    assert len(set(labels)) == len(labels) == len(rows)
    bars = tables.cost_chart_rows(rows)
    priced = [row for row in rows if row.total_cost is not None]
    # each bar is its own offer's exact cost: nothing is added up under a shared label
    assert [bar["cost_label"] for bar in bars] == [tables.usd_label(row.total_cost) for row in priced]
    assert len({bar["model"] for bar in bars}) == len(bars)


def test_chart_labels_leave_out_the_makers_prefix_the_host_stays() -> None:
    catalog = load_catalog()
    offers = [catalog.get(HERMES), catalog.get("gpt-4o", provider="openai")]
    rows = compare_models(offers, typed_counts(1_000, families_of(offers), "typed")).models
    assert sorted(tables.chart_labels(rows)) == ["GPT-4o · openai", "Hermes 4 405B · openrouter"]
    assert offers[0].name == "Nous: Hermes 4 405B"  # the catalog's name, as the table shows it


@pytest.mark.parametrize(
    ("drawn", "shown", "caption"),
    [
        (25, 25, "the first 25 models"),
        (14, 25, "14 of the first 25 models (11 with an unknown price left out)"),
    ],
)
def test_charts_say_how_many_models_they_draw(drawn: int, shown: int, caption: str) -> None:
    assert tables.drawn_caption(drawn, shown, "an unknown price") == caption


@pytest.mark.parametrize(("smallest", "axis"), [(131_072, 1_000), (1_000, 1_000), (256, 100), (8, 1)])
def test_the_windows_axis_starts_at_or_below_the_smallest_window(smallest: int, axis: int) -> None:
    rows = [{"window": 200_000}, {"window": smallest}]
    assert tables.window_axis_from(rows) == axis


# ---------------------------------------------------------------------------------------------- picker
@pytest.mark.slow
def test_the_picker_lists_usable_offers_first_each_label_once() -> None:
    app = run_app()
    no_exceptions(app)
    picker = app.selectbox(key="w_model")
    options = picker.options
    assert len(options) == len(set(options)), "no two entries read the same"
    assert len(options) <= 41 and picker.proto.ByteSize() < 10_000  # a few KB per rerun, not the catalog
    by_label = {}
    for offer in load_catalog().offers:
        label = f"{offer.name} · {offer.provider}"
        by_label.setdefault(label, offer)
        by_label[f"{label} ({offer.id})"] = offer
    for label in options:  # without a search: offers that can be planned (known window and prices)
        offer = by_label[label]
        assert offer.context_window and offer.pricing.input is not None and offer.pricing.output is not None


@pytest.mark.parametrize(
    ("search", "first", "host"),
    [("gpt-4o", "GPT-4o · openai", "openai"), ("claude", None, "anthropic"), ("qwen", None, "alibaba")],
)
@pytest.mark.slow
def test_the_picker_search_is_the_cli_rule_makers_host_first(
    search: str, first: str | None, host: str
) -> None:
    app = run_app()
    app.text_input(key="w_model_search").input(search).run()
    no_exceptions(app)
    options = app.selectbox(key="w_model").options
    assert options[0] == "Hermes 4 405B · openrouter" or "Hermes 4 405B" in options[0]  # the current model
    found = options[1:]
    expected = load_catalog().search(search)[0]  # `planner models --search`'s first answer
    assert expected.provider == host and found[0].startswith(f"{expected.name} · {host}")
    if first:
        assert found[0] == first
    assert "claude-code · poe" not in found[:5]
    assert app.selectbox(key="w_model").value.startswith("openrouter::")  # searching picks nothing yet


@pytest.mark.slow
def test_files_to_leave_out_are_named_as_written_not_as_markdown() -> None:
    model = "bedrock/eu-west-1/meta.llama3-70b-instruct-v1:0"  # an 8,192-token window, llama3
    big = "def handler(event):\n    return event\n" * 800
    app = upload(
        run_app(source="upload", model=model),
        ("__init__.py", big.encode("utf-8"), "text/x-python"),
        ("b.py", TEXT.encode("utf-8"), "text/x-python"),
    )
    no_exceptions(app)
    assert llama3_tokens(big) + llama3_tokens(TEXT) + 2_000 > 8_192 > llama3_tokens(TEXT) + 2_000
    lines = [item.value for item in app.markdown if "leave out" in item.value]
    dropped = f"`__init__.py` ({llama3_tokens(big):,} tokens)"
    assert lines == [f"- Or leave out 1 of your files, largest first: {dropped}."]


@pytest.mark.slow
def test_compare_ranks_only_models_that_answer_in_text() -> None:
    app = run_app(view="compare", fit_only="false", hide_free="false", f_search="guard")
    no_exceptions(app)
    guards = [offer.id for offer in load_catalog().offers if "guard" in offer.id.lower()]
    assert "Qwen/Qwen3Guard-Gen-0.6B" in guards  # a safety classifier, not a chat model
    shown = set(compare_table(app)["Id"]) if app.dataframe else set()
    assert "Qwen/Qwen3Guard-Gen-0.6B" not in shown
    assert not any("safeguard" in name for name in shown)
