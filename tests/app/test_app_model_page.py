"""The model page in full (the seed page's parts): heading without the maker prefix, the whole description,
"Best for" by its stated rule, a FAQ from the record, capability explanations, "X vs Y" comparison titles,
identifiers and provenance, and the raw record."""

from __future__ import annotations

import pytest
from apptest_support import run_clean

from planner.catalog import load_catalog

HERMES = "nousresearch/hermes-4-405b"


@pytest.mark.slow
def test_the_model_page_has_every_part_of_the_seed_page() -> None:
    app = run_clean(view="model")
    offer = load_catalog().get(HERMES)
    assert [item.value for item in app.subheader][0] == "Hermes 4 405B"  # not "Nous: Hermes 4 405B"
    text = " ".join(item.value.replace("\\", "") for item in app.markdown)
    assert offer.description and offer.description in text  # the whole of the source's text
    assert (
        "**Best for:** long documents and codebases, multi-step reasoning, JSON output held to a schema."
        in text
    )
    assert any("one use per rule" in item.value for item in app.caption)  # the rule is stated
    assert "**How much text can Hermes 4 405B take at once?** 131,072 tokens in one request" in text
    capabilities = next(frame.value for frame in app.table if "What it means" in frame.value.columns)
    assert capabilities.set_index("Capability").loc["Vision", "What it means"].startswith("reads images")
    labels = [item.label.replace("\\", "") for item in app.button]
    assert any(label.startswith("**Hermes 4 405B vs Titan Text Express**: 212 % larger") for label in labels)
    ids = next(
        frame.value for frame in app.table if "Value" in frame.value.columns and "" in frame.value.columns
    )
    rows = dict(zip(ids[""], ids["Value"], strict=True))
    assert (
        rows["OpenRouter canonical slug"] == HERMES
        and rows["Hugging Face id"] == "NousResearch/Hermes-4-405B"
    )
    assert rows["Prices from"].startswith("genai-prices, as of")
    [raw] = [item.value for item in app.code]
    assert '"is_moderated": false' in raw and '"per_request_limits": null' in raw
    assert any(item.label.startswith("Raw record (openrouter-models-") for item in app.expander)


@pytest.mark.slow
def test_a_cross_host_outlier_is_flagged_on_its_page_and_in_the_hosts_table() -> None:
    # Snowflake Cortex lists GPT-5 nano with a 5,000,000-token window; the other hosts say 400,000 or 272,000
    app = run_clean(view="model", model="openai-gpt-5-nano", provider="snowflake-cortex")
    warnings = [item.value for item in app.warning if item.value.startswith("Cross-host outlier")]
    assert warnings and "context_window 5,000,000 differs by more than 10x from most hosts" in warnings[0]
    hosts = next(frame.value for frame in app.table if "Host" in frame.value.columns)
    rows = {(row["Host"], row["Id"]): row for row in hosts.to_dict("records")}
    assert rows[("snowflake-cortex", "openai-gpt-5-nano")]["Window"].endswith("!")
    assert not rows[("snowflake-cortex", "openai-gpt-5-nano")]["Max output"].endswith("!")  # 16,384
    # requesty: 16,000 / 4,000 where most say 400,000 / 128,000
    assert rows[("requesty", "openai/gpt-5-nano")]["Window"].endswith("!")
    assert rows[("requesty", "openai/gpt-5-nano")]["Max output"] == "4,000!"
    assert not any(str(value).endswith("!") for value in rows[("openai", "gpt-5-nano")].values())
    notes = [item.value for item in app.caption if item.value.startswith("! ")]
    assert len(notes) == 2 and any("requesty openai/gpt-5-nano" in note for note in notes)
    # where the prices come from, per host: OpenRouter's record priced by the fresher genai-prices
    assert rows[("openrouter", "openai/gpt-5-nano")]["Prices from"] == "genai-prices"
    assert rows[("openai", "gpt-5-nano")]["Prices from"] == "litellm"


@pytest.mark.slow
def test_the_model_page_says_when_the_prices_come_from_another_source_than_the_record() -> None:
    app = run_clean(view="model", model="qwen-flash", provider="alibaba")
    captions = [item.value for item in app.caption]
    assert any("Record from litellm; prices from models.dev, as of " in item for item in captions), captions


@pytest.mark.slow
def test_side_by_side_says_where_an_estimates_headroom_comes_from() -> None:
    import re

    # Claude v2.1 (100,000 tokens) has no offline tokenizer: the example document's count is an estimate
    app = run_clean(view="side", model="anthropic.claude-v2:1", other="gpt-4o")
    [band] = [item.value for item in app.caption if item.value.startswith("Estimate: between")]
    low, high = (int(n.replace(",", "")) for n in re.findall(r"[\d,]{4,}", band)[:2])  # the count's band
    fit = next(frame.value for frame in app.table if "Headroom (tokens)" in list(frame.value[""]))
    left, right = fit.set_index("").loc["Your input (tokens)"].tolist()
    assert left.startswith("~") and left.endswith(" (estimate)") and not right.startswith("~")
    headroom = fit.set_index("").loc["Headroom (tokens)"].tolist()
    # judged on the upper band: 100,000 - 2,000 - high, and the cell says so
    assert headroom[0] == f"{100_000 - 2_000 - high:,} (from the estimate's upper band)"
    assert "upper band" not in headroom[1]  # GPT-4o's count is exact
    assert low < high


@pytest.mark.slow
def test_reserves_larger_than_the_window_are_not_called_no_reserve_on_the_model_page() -> None:
    # 200,000 tokens for the answer against Hermes 4 405B's 131,072-token window: the strip's verdict is
    # "Reserve too large"; the page's "what fits" is judged without the reserves and must say why, not
    # read as if the top reserved nothing ("with no output reserved: the reserves at the top").
    app = run_clean(view="model", answer="200000")
    [heading] = [item.value for item in app.markdown if item.value.startswith("**What fits in one request**")]
    assert "the reserves at the top are too large" in heading, heading
    assert "no output reserved: the reserves at the top)" not in heading, heading


@pytest.mark.slow
@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("cost", "What will it cost on Hermes 4 405B?"),
        ("side", "Hermes 4 405B and GPT-4o, side by side"),
    ],
)
def test_every_view_names_the_model_as_its_page_does(view: str, expected: str) -> None:
    # The model page's heading is "Hermes 4 405B" (the catalog's "Nous: " maker prefix apart); the fit view
    # asks about "Hermes 4 405B" too. The cost and side-by-side views said "Nous: Hermes 4 405B".
    app = run_clean(view=view)
    headings = [item.value.replace("\\", "") for item in app.subheader]
    assert headings[0] == expected, headings
    text = " ".join(item.value for item in app.markdown) + " ".join(item.label for item in app.button)
    assert "Nous: Hermes" not in text.replace("\\", "")


@pytest.mark.slow
def test_comparisons_and_more_from_name_models_without_the_maker_prefix() -> None:
    # OpenRouter's names carry the maker ("Morph: Morph V3 Fast", "Nous: Hermes 4 70B"); the model page's
    # comparison titles drop it ("Hermes 4 405B vs Morph V3 Fast"), and its sentences and More-from entries
    # must name the same model the same way.
    app = run_clean(view="model")
    labels = [item.label.replace("\\", "") for item in app.button]
    morph = "**Hermes 4 405B vs Morph V3 Fast**: 60 % larger context window than Morph V3 Fast ("
    assert any(label.startswith(morph) for label in labels), labels
    assert any(label.startswith("Hermes 4 70B (openrouter, 131K tokens") for label in labels), labels
    prefixed = ("Morph: Morph", "Nous: Hermes", "DeepSeek: DeepSeek", "Anthropic: Claude")
    assert not [label for label in labels if any(name in label for name in prefixed)], labels
