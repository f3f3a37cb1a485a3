"""Fit verdicts, chunks, file drops, the model page, compare and the conversation plan (hand-checked)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st
from llama_models.llama3.tokenizer import Tokenizer as Llama3Tokenizer

from planner.advice.compare import compare_models, large_enough, select_rows
from planner.advice.conversation import check_turns, plan_conversation
from planner.advice.fit_rule import (
    FileTokens,
    check_fit,
    plan_chunks,
    plan_file_drops,
    suggest_file_drops,
    used_percent_label,
    words_per_token,
)
from planner.advice.model_page import model_page, percent_larger, percent_smaller, words_label
from planner.advice.policy import offer_class
from planner.advice.reference_documents import reference_text
from planner.advice.suggestions import alternatives, suggest_models, suggestable
from planner.catalog.schema import Capabilities, ModelOffer, Pricing
from planner.errors import LimitError, UsageError
from planner.inputs.parts import looks_like_path
from planner.tokens.counts import TokenCount
from planner.tokens.families import families_of
from planner.tokens.quantities import parse_token_count


def offer(model_id: str, window: int | None, *, input_price="0.000001", output_price="0.000003", **fields):
    values = dict(name=model_id, provider="test", source="test", tokenizer="llama3")
    values.update(fields)
    pricing = values.pop("pricing", None) or Pricing(
        input=D(input_price) if input_price else None, output=D(output_price) if output_price else None
    )
    return ModelOffer(id=model_id, context_window=window, pricing=pricing, as_of=date(2026, 1, 1), **values)


HERMES = offer(
    "nousresearch/hermes-4-405b",
    131_072,
    name="Nous: Hermes 4 405B",
    provider="openrouter",
    capabilities=Capabilities(reasoning=True, vision=False, streaming=True),
)


def estimate(tokens: int, high: int, family: str = "llama3") -> TokenCount:
    return TokenCount(
        tokenizer=family, method="estimate", tokens=tokens, tokens_low=tokens, tokens_high=high, basis="test"
    )


# ---- fit -----------------------------------------------------------------------------------------------


def test_full_window_plus_one_output_token_does_not_fit():
    fit = check_fit(HERMES, 131_072, 1)
    assert fit.verdict == "does_not_fit"
    assert fit.fits is False
    assert fit.total_tokens == 131_073
    assert fit.headroom_tokens == -1
    assert fit.chunks_needed == 2


def test_fits_headroom_words_and_used_fraction():
    fit = check_fit(HERMES, 100_000, 2_000, 1_000)
    assert fit.verdict == "fits"
    assert fit.headroom_tokens == 131_072 - 103_000
    assert fit.headroom_words == 21_054  # floor(28,072 x 0.75)
    assert fit.words_per_token == D("0.75")
    assert "default" in fit.words_per_token_basis
    assert fit.used_fraction == round(103_000 / 131_072, 6)
    assert fit.chunks_needed == 1


def test_tight_when_headroom_is_under_five_percent():
    # 5 % of 131,072 = 6,553.6: headroom 6,554 fits, 6,553 is tight.
    assert check_fit(HERMES, 131_072 - 6_554).verdict == "fits"
    assert check_fit(HERMES, 131_072 - 6_553).verdict == "tight"
    assert check_fit(HERMES, 131_072).verdict == "tight"
    assert check_fit(HERMES, 131_072).fits is True


def test_estimate_is_judged_on_its_upper_band():
    assert check_fit(HERMES, estimate(100_000, 110_000)).verdict == "fits"
    band_over = check_fit(HERMES, estimate(120_000, 140_000))  # only the central count would fit
    assert (band_over.verdict, band_over.fits) == ("does_not_fit", False)
    assert band_over.headroom_tokens == 131_072 - 140_000
    assert band_over.chunks_needed == 2  # 140,000 in chunks of at most 131,072
    assert "central estimate, 120,000, would fit" in band_over.reason
    exactly_full = check_fit(HERMES, estimate(120_000, 131_072))  # the upper band just fits: tight, 0 free
    assert (exactly_full.verdict, exactly_full.headroom_tokens) == ("tight", 0)
    assert check_fit(HERMES, estimate(131_073, 140_000)).verdict == "does_not_fit"


def test_output_reserve_above_max_output_is_a_limit_error():
    limited = offer("limited", 200_000, max_output_tokens=8_192)
    with pytest.raises(LimitError) as raised:
        check_fit(limited, 10, 8_000, 193)
    assert raised.value.exit_code == 8
    assert check_fit(limited, 10, 8_192).fits


def test_reserves_larger_than_the_window_say_so_in_words_not_a_negative_count():
    # planner fit -i 10 -o 1000 -r 200000 said "leaves no room for input (-69,928 tokens)"
    with pytest.raises(LimitError) as raised:
        check_fit(HERMES, 10, 1_000, 200_000)
    message = raised.value.message
    assert "-69,928" not in message
    # 1,000 + 200,000 - 131,072 = 69,928 tokens over the window, by hand
    assert "take the whole 131,072-token window, 69,928 tokens over it" in message
    assert "1,000 tokens for the answer and 200,000 for thinking" in message
    assert raised.value.exit_code == 8
    with pytest.raises(LimitError) as exactly:  # the reserves exactly fill the window: no input fits
        check_fit(HERMES, 10, 131_072)
    assert "take the whole 131,072-token window: no input fits" in exactly.value.message


# LiteLLM's gpt-4o with no other source for the total: 128,000 input tokens, total unknown
INPUT_ONLY = offer(
    "gpt-4o", 128_000, context_window_kind="input", max_input_tokens=128_000, max_output_tokens=16_384
)


def test_input_only_window_is_judged_conservatively_as_if_it_were_the_total():
    fit = check_fit(INPUT_ONLY, 127_000, 10_000)
    assert (fit.verdict, fit.fits) == ("does_not_fit", False)
    assert (fit.input_limit, fit.total_tokens) == (118_000, 137_000)  # 128,000 - 10,000
    assert fit.used_fraction == round(137_000 / 128_000, 6)
    # 128,000 - 10,000 - 100,000 = 18,000 spare, above 5 % of 128,000 (6,400)
    assert check_fit(INPUT_ONLY, 100_000, 10_000).verdict == "fits"
    assert check_fit(INPUT_ONLY, 113_000, 10_000).verdict == "tight"  # 5,000 spare < 6,400


def test_max_input_tokens_also_limits_a_total_window():
    # GPT-5: 400,000 in total, at most 272,000 of them input
    gpt5 = offer(
        "gpt-5", 400_000, context_window_kind="total", max_input_tokens=272_000, max_output_tokens=128_000
    )
    assert check_fit(gpt5, 300_000).verdict == "does_not_fit"
    assert check_fit(gpt5, 272_001).verdict == "does_not_fit"
    fit = check_fit(gpt5, 200_000, 100_000)
    assert (fit.verdict, fit.input_limit, fit.total_tokens) == ("fits", 272_000, 300_000)
    assert check_fit(gpt5, 272_000, 128_000).verdict == "tight"  # exactly the 400,000 total: no headroom


def test_tight_threshold_is_a_share_of_the_input_limit_when_that_binds():
    # DeepSeek as the catalog has it: a 1,000,000 window, at most 131,072 input tokens
    deepseek = offer("deepseek-chat", 1_000_000, max_input_tokens=131_072)
    fit = check_fit(deepseek, 100_000, 2_000)
    # 1,000,000 - 2,000 = 998,000 > 131,072: the input limit binds; 131,072 - 100,000 = 31,072 free,
    # above 5 % of 131,072 (6,553.6): fits (a bar of 5 % of the window, 50,000, would have said tight)
    assert (fit.verdict, fit.limited_by, fit.input_limit, fit.headroom_tokens) == (
        "fits",
        "input_limit",
        131_072,
        31_072,
    )
    assert fit.reason == "fits with 31,072 tokens to spare of the 131,072-token input limit"
    assert fit.input_limit_used_percent == "76.3%"  # 100,000 / 131,072 = 76.29 %
    assert fit.used_percent == "10.2%"  # 102,000 / 1,000,000, still of the window
    tight = check_fit(deepseek, 131_072 - 6_553, 2_000)  # 6,553 free < 6,553.6
    assert tight.verdict == "tight"
    assert tight.reason == "fits with 6,553 tokens to spare, under 5% of the 131,072-token input limit"
    assert check_fit(deepseek, 131_072 - 6_554, 2_000).verdict == "fits"
    over = check_fit(deepseek, 140_000)
    assert over.reason == "the input is 8,928 tokens over the model's 131,072-token input limit"
    assert over.input_limit_used_percent == "106.8%"  # 140,000 / 131,072 = 106.81 %
    # the window binds when the reserves leave less than the input limit: 1,000,000 - 900,000 = 100,000
    by_window = check_fit(deepseek, 90_000, 8_000, 892_000)
    assert (by_window.limited_by, by_window.input_limit, by_window.input_limit_used_percent) == (
        "window",
        100_000,
        None,
    )


@given(
    central=st.integers(0, 300_000),
    band=st.integers(0, 30_000),
    out=st.integers(0, 50_000),
    reasoning=st.integers(0, 50_000),
)
@pytest.mark.parametrize("kind", ["total", "input"])
def test_never_fits_when_input_plus_reserves_exceed_the_window(kind, central, band, out, reasoning):
    model = HERMES.model_copy(update={"context_window_kind": kind})
    fit = check_fit(model, estimate(central, central + band), out, reasoning)
    if central + band + out + reasoning > 131_072:
        assert fit.verdict != "fits"
    if central + out + reasoning > 131_072:
        assert fit.verdict == "does_not_fit"
        assert not fit.fits


def test_words_per_token_default_is_stated():
    rate = words_per_token("claude")
    assert rate.value == D("0.75")
    assert "no measurement" in rate.basis


# ---- chunks and file drops ------------------------------------------------------------------------------


def test_chunks_without_and_with_overlap():
    assert plan_chunks(262_142, 131_071).chunks == 2
    with_overlap = plan_chunks(262_142, 131_071, overlap_tokens=1)
    assert with_overlap.chunks == 3  # 1 + ceil(131,071 / 131,070)
    assert plan_chunks(300_000, 100_000, 10_000).chunks == 4  # 1 + ceil(200,000 / 90,000)
    assert plan_chunks(5, 100).chunks == 1
    with pytest.raises(UsageError):
        plan_chunks(300_000, 100_000, 100_000)
    with pytest.raises(LimitError):
        plan_chunks(10, 0)


def test_fit_reports_chunks_for_the_chosen_model():
    fit = check_fit(HERMES, 300_000, 1_072, overlap_tokens=0)
    assert fit.chunks_needed == 3  # budget 130,000: 1 + ceil(170,000 / 130,000)


FILES = [
    FileTokens(path="src/a.py", tokens=50_000),
    FileTokens(path="src/b.py", tokens=30_000),
    FileTokens(path="docs/c.md", tokens=20_000),
    FileTokens(path="README.md", tokens=5_000),
]


def test_drop_largest_first():
    plan = plan_file_drops(FILES, 60_000, fixed_tokens=1_000)
    assert [item.path for item in plan.drop] == ["src/a.py"]
    assert plan.tokens_kept == 56_000
    assert plan.fits
    plan = plan_file_drops(FILES, 20_000)
    assert [item.path for item in plan.drop] == ["src/a.py", "src/b.py", "docs/c.md"]
    assert plan.tokens_kept == 5_000


def test_drop_by_priority_keeps_the_listed_files_and_puts_back_what_fits():
    plan = plan_file_drops(FILES, 60_000, priority=["src/a.py", "README.md"])
    # unlisted first, largest first: b (30,000) then c (20,000) leaves 55,000; nothing else to put back.
    assert [item.path for item in plan.drop] == ["src/b.py", "docs/c.md"]
    assert plan.tokens_kept == 55_000
    plan = plan_file_drops(FILES, 75_000, priority=["src"])
    # docs/c.md, README.md, then the larger listed src/a.py go (30,000 left); putting back the most important
    # first, src/a.py does not fit again but README.md and docs/c.md do.
    assert [item.path for item in plan.drop] == ["src/a.py"]
    assert plan.tokens_kept == 55_000
    assert plan.order == "priority"


def test_a_suggestion_needs_two_files_and_keeps_tokens_outside_the_files():
    assert suggest_file_drops(FILES[:1], 10_000) is None
    plan = suggest_file_drops(FILES, 60_000, total_tokens=106_000)  # 1,000 tokens of chat overhead
    # 106,000 > 60,000: the largest file (50,000) goes; 30,000 + 20,000 + 5,000 + 1,000 = 56,000 stay
    assert (plan.fixed_tokens, plan.tokens_kept, plan.tokens_dropped, plan.fits) == (
        1_000,
        56_000,
        50_000,
        True,
    )
    assert [item.path for item in plan.drop] == ["src/a.py"]
    assert [item.path for item in plan.keep] == ["src/b.py", "docs/c.md", "README.md"]
    plan = suggest_file_drops(FILES, 60_000)  # no total given: nothing outside the files
    assert (plan.fixed_tokens, plan.tokens_kept, plan.tokens_dropped) == (0, 55_000, 50_000)


def test_priority_names_files_by_a_tail_of_their_path():
    files = [FileTokens(path=f"/home/me/repo/{item.path}", tokens=item.tokens) for item in FILES]
    plan = plan_file_drops(files, 60_000, priority=["./src/a.py", "README.md"])
    assert [item.path for item in plan.drop] == ["/home/me/repo/src/b.py", "/home/me/repo/docs/c.md"]
    plan = plan_file_drops(files, 60_000, priority=["rc/a.py"])  # not a whole path segment: unlisted
    assert "/home/me/repo/src/a.py" in [item.path for item in plan.drop]


def test_parse_token_count():
    assert parse_token_count("100,000") == 100_000
    assert parse_token_count("100k") == 100_000
    assert parse_token_count("1.5M") == 1_500_000
    for bad in ("-5", "abc", "1.5", ""):
        with pytest.raises(UsageError):
            parse_token_count(bad, "--input-tokens")


# ---- model page ----------------------------------------------------------------------------------------

CATALOG = [
    HERMES,
    offer("amazon.titan-text-express-v1", 42_000, name="Titan Text Express", provider="bedrock"),
    offer("amazon.titan-text-lite-v1", 42_000, name="Titan Text Lite", provider="bedrock"),
    offer("amazon.titan-text-premier-v1:0", 42_000, name="Titan Text Premier", provider="bedrock"),
    offer(
        "anthropic.claude-instant-v1", 100_000, name="Claude Instant", provider="bedrock", tokenizer="claude"
    ),
    offer("anthropic.claude-v2:1", 100_000, name="Anthropic Claude", provider="bedrock", tokenizer="claude"),
    offer("codellama/CodeLlama-34b-Instruct-hf", 4_096, name="Codellama 34b Instruct", provider="anyscale"),
    offer("big/one", 1_000_000, name="Big One", provider="openrouter", input_price=None),
    offer("no/window", None, name="No Window"),
]


def test_percent_larger_values():
    assert percent_larger(131_072, 42_000) == 212
    assert percent_larger(131_072, 100_000) == 31
    assert percent_larger(131_072, 4_096) == 3100
    # rounded toward zero: (131,072 / 200,000 - 1) x 100 = -34.464 -> -34, the same 34 as "% smaller"
    assert percent_larger(131_072, 200_000) == -34
    assert percent_smaller(131_072, 200_000) == 34
    assert (percent_larger(128_000, 131_072), percent_smaller(128_000, 131_072)) == (-2, 2)  # -2.34
    assert (percent_larger(8_192, 131_072), percent_smaller(8_192, 131_072)) == (-93, 93)  # -93.75
    assert percent_larger(131_073, 131_072) == 0 and percent_smaller(131_071, 131_072) == 0
    assert words_label(98_304) == "~98K words"
    assert words_label(1_500_000) == "~1.5M words"


def llama3_reference(words: int, kind: str) -> int:
    text = reference_text(words, kind)  # type: ignore[arg-type]
    return len(
        Llama3Tokenizer.get_instance().model.encode(text, allowed_special=set(), disallowed_special=())
    )


@pytest.mark.slow
def test_model_page_for_hermes():
    page = model_page(HERMES, CATALOG, user_tokens=10_000)
    assert page.words_estimate == 98_304
    assert page.words_label == "~98K words"
    verdicts = {row.name: (row.words, row.tokens, row.fits) for row in page.what_fits}
    # each reference document counted with Meta's Llama 3 vocabulary (tiktoken over Meta's file)
    assert verdicts["short document"] == (1_500, llama3_reference(1_500, "prose"), True)
    assert verdicts["long document"] == (37_000, llama3_reference(37_000, "prose"), True)
    assert verdicts["small codebase"] == (150_000, llama3_reference(150_000, "code"), False)
    assert verdicts["full novel"] == (375_000, llama3_reference(375_000, "prose"), False)
    assert verdicts["your input"] == (7_500, 10_000, True)  # 10,000 given tokens at 0.75 words per token
    assert page.prices_per_million["input"] == D(1)
    assert page.prices_per_million["output"] == D(3)
    percents = {row.id: row.percent_larger for row in page.comparisons}
    assert percents["amazon.titan-text-express-v1"] == 212
    assert percents["amazon.titan-text-lite-v1"] == 212
    assert percents["amazon.titan-text-premier-v1:0"] == 212
    assert percents["anthropic.claude-instant-v1"] == 31
    assert percents["anthropic.claude-v2:1"] == 31
    assert percents["codellama/CodeLlama-34b-Instruct-hf"] == 3100
    assert percents["big/one"] == -86  # a larger neighbour: 131,072 / 1,000,000 - 1 = -86.89 % -> -86
    assert "no/window" not in percents and HERMES.id not in percents
    assert [row.percent_larger for row in page.comparisons] == sorted(
        (row.percent_larger for row in page.comparisons), reverse=True
    )
    assert model_page(HERMES, list(reversed(CATALOG))).comparisons == page.comparisons


def test_model_page_record_has_the_contract_keys():
    record = model_page(HERMES, CATALOG).record()
    for key in ("id", "name", "provider", "context_window", "pricing", "capabilities", "words_estimate"):
        assert key in record
    short = llama3_reference(1_500, "prose")
    assert record["what_fits"][0] == {
        "name": "short document",
        "words": 1500,
        "tokens": short,
        "fits": True,
        "verdict": "fits",
        "tokens_high": short,
        "method": "exact",
        "headroom_tokens": 131_072 - short,
        "headroom_text": f"{131_072 - short:,}",
    }
    assert (record["speed_tier"], record["output_tokens"], record["more_from_creator"]) == (
        "not known",
        0,
        [],
    )
    assert set(record["comparisons"][0]) >= {"id", "name", "context_window", "percent_larger"}
    assert record["capabilities"]["tool_use"] is None
    assert record["pricing"]["input"] == "0.000001"


# ---- compare -------------------------------------------------------------------------------------------


def test_compare_uses_one_count_per_family_and_sorts():
    families = families_of(CATALOG)
    assert families == ["claude", "llama3"]
    counts = {"llama3": 100_000, "claude": estimate(110_000, 115_000, "claude")}
    result = compare_models(CATALOG, counts, default=HERMES, output_tokens=2_000)
    rows = {row.id: row for row in result.models}
    assert rows[HERMES.id].total_cost == D("0.106")
    assert rows[HERMES.id].context_vs_default_pct == 0
    assert rows["amazon.titan-text-lite-v1"].fits is False
    assert rows["amazon.titan-text-lite-v1"].context_vs_default_pct == -67  # 42,000 / 131,072 - 1: -67.96 %
    assert rows["anthropic.claude-instant-v1"].input_tokens == 110_000
    assert rows["anthropic.claude-instant-v1"].fits is False  # 115,000 + 2,000 > 100,000
    assert rows["big/one"].total_cost is None
    assert rows["big/one"].context_vs_default_pct == 662
    assert rows["no/window"].fits is None
    ids = [row.id for row in result.models]
    fitting = [row.id for row in result.models if row.fits is True]
    assert "big/one" in fitting and ids[: len(fitting)] == fitting  # the models it fits first
    assert fitting[-1] == "big/one"  # an unknown cost sorts last among them
    assert rows["anthropic.claude-instant-v1"].id in ids[len(fitting) :]
    by_window = compare_models(CATALOG, counts, sort_by="window").models
    assert [row.context_window for row in by_window][:2] == [1_000_000, 131_072]
    assert by_window[-1].id == "no/window"
    assert len(result.models) == len(CATALOG)
    with pytest.raises(UsageError):
        compare_models(CATALOG, {"llama3": 1})
    needed = compare_models(CATALOG, counts, output_tokens=2_000, reasoning_tokens=500)
    claude = next(row for row in needed.models if row.id == "anthropic.claude-instant-v1")
    assert needed.tokens_needed(claude) == 117_500  # upper band 115,000 + 2,000 + 500


def test_alternatives_smallest_window_and_cheapest_with_headroom():
    cheap_big = offer("cheap/big", 500_000, input_price="0.0000001", output_price="0.0000002")
    catalog = CATALOG + [cheap_big]
    result = compare_models(catalog, {"llama3": 140_000, "claude": 150_000}, output_tokens=1_000)
    found = alternatives(result, D("0.1"))
    assert found.smallest_window.id == "cheap/big"  # big/one is larger
    assert found.cheapest.id == "cheap/big"
    found = alternatives(compare_models(catalog, {"llama3": 20_000, "claude": 20_000}), D(0))
    assert found.smallest_window.id == "amazon.titan-text-express-v1"
    assert found.cheapest.total_cost == D("0.002")


def test_rows_that_fit_and_rows_that_are_not_free_or_preview_are_selected_in_order():
    free = offer("free/big", 500_000, input_price="0", output_price="0")
    result = compare_models(CATALOG + [free], {"llama3": 50_000, "claude": 50_000})
    fitting = select_rows(result, fits_only=True)
    assert [row.id for row in fitting.models] == [row.id for row in result.models if row.fits]
    assert "free/big" in [row.id for row in fitting.models]
    assert "amazon.titan-text-lite-v1" not in [row.id for row in fitting.models]  # 42,000 < 50,000
    paid = select_rows(result, hide_free=True)
    assert [row.id for row in paid.models] == [row.id for row in result.models if row.id != "free/big"]
    assert "big/one" in [row.id for row in paid.models]  # unknown cost is not $0
    preview = offer("maker/model-preview", 500_000)  # paid, but a preview: hidden with the free ones
    result = compare_models([HERMES, preview], {"llama3": 50_000})
    assert [row.id for row in select_rows(result, hide_free=True).models] == [HERMES.id]


def test_large_enough_cuts_windows_below_the_smallest_count_and_unknown_windows():
    kept = large_enough(CATALOG, {"llama3": 100_000, "claude": estimate(99_000, 101_000, "claude")})
    assert [item.id for item in kept] == [
        HERMES.id,
        "anthropic.claude-instant-v1",
        "anthropic.claude-v2:1",
        "big/one",
    ]


def test_suggestions_are_paid_by_default_with_free_ones_apart_and_ten_percent_to_spare():
    cheap_big = offer("cheap/big", 500_000, input_price="0.0000001", output_price="0.0000002")
    free = offer("free/bigger", 600_000, input_price="0", output_price="0")
    snug = offer("snug/one", 150_000, input_price="0.0000001", output_price="0.0000002")
    catalog = CATALOG + [cheap_big, free, snug]
    counts = {"llama3": 140_000, "claude": 150_000}
    pools = suggestable(catalog)
    assert [item.id for item in pools["free"]] == ["free/bigger"]
    assert "big/one" not in [item.id for item in pools["paid"]]  # unknown prices are never suggested
    found = suggest_models(pools, counts, output_tokens=1_000)
    # snug/one: 150,000 - 141,000 = 9,000 free, under 10 % of 150,000: not suggested
    assert found.headroom_fraction == D("0.10")
    assert (found.paid.smallest_window.id, found.paid.cheapest.id) == ("cheap/big", "cheap/big")
    assert found.paid.cheapest.total_cost == D("0.0142")  # 140,000 x $0.0000001 + 1,000 x $0.0000002
    assert (found.free.smallest_window.id, found.free.cheapest.id) == ("free/bigger", "free/bigger")
    mixed = suggest_models(pools, counts, output_tokens=1_000, include_free=True)
    assert (mixed.paid.smallest_window.id, mixed.paid.cheapest.id) == ("cheap/big", "free/bigger")
    wider = suggest_models(pools, counts, output_tokens=1_000, headroom_fraction=D("0.8"))
    # 500,000 leaves 359,000 (71.8 %), 600,000 leaves 459,000 (76.5 %): neither has 80 % to spare
    assert wider.none_found and wider.free.smallest_window is None


def test_suggestions_leave_out_a_model_whose_max_output_is_below_the_reserve_and_break_ties_by_host():
    capped = offer("capped/big", 400_000, input_price="0.00000001", max_output_tokens=500)
    twin_b = offer("twin/one", 300_000, provider="b-host")
    twin_a = offer("twin/one", 300_000, provider="a-host")
    found = suggest_models(suggestable([capped, twin_b, twin_a]), {"llama3": 100_000}, output_tokens=1_000)
    # capped/big is the cheapest and roomiest, but writes at most 500 tokens: a 1,000-token reserve fails
    assert (found.paid.smallest_window.provider, found.paid.cheapest.provider) == ("a-host", "a-host")
    assert found.paid.cheapest.total_cost == D("0.103")  # 100,000 x $0.000001 + 1,000 x $0.000003
    small = suggest_models(suggestable([capped, twin_b]), {"llama3": 100_000}, output_tokens=400)
    assert small.paid.cheapest.id == "capped/big"  # 400 tokens are within its 500


@pytest.mark.parametrize(
    ("tokens", "output", "reasoning", "include_free"),
    [
        (185_000, 4_000, 0, False),
        (185_000, 2_000, 8_000, True),
        (30_000, 0, 0, False),
        (900_000, 1_000, 0, True),
    ],
)
@pytest.mark.slow
def test_suggestions_match_the_full_comparison_of_the_shipped_catalog(
    shipped, tokens, output, reasoning, include_free
):
    """suggest_models skips building a row per offer; its answer must be what the full comparison gives."""
    pools = suggestable(shipped.offers)
    families = families_of(shipped.offers)
    counts = {
        family: estimate(tokens + index * 997, tokens + index * 1_311, family)
        for index, family in enumerate(families)
    }
    found = suggest_models(
        pools, counts, output_tokens=output, reasoning_tokens=reasoning, include_free=include_free
    )
    for pool, got in (
        (pools["paid"] + pools["free"] if include_free else pools["paid"], found.paid),
        (pools["free"], found.free),
    ):
        full = compare_models(
            large_enough(pool, counts), counts, output_tokens=output, reasoning_tokens=reasoning
        )
        expected = alternatives(full, D("0.10"))
        assert got.smallest_window == expected.smallest_window
        assert got.cheapest == expected.cheapest
    assert found.paid.smallest_window is not None and found.paid.cheapest is not None  # something to compare


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "paid"),
        ({"input_price": None}, "unsuitable"),
        ({"output_price": None}, "unsuitable"),
        ({"window": None}, "unsuitable"),
        ({"input_price": "0", "output_price": "0"}, "free"),
        ({"model_id": "maker/thing:free"}, "free"),
        ({"model_id": "gemini-3-pro-preview"}, "free"),
        ({"model_id": "meta-llama/llama-guard-4-12b"}, "unsuitable"),
        ({"model_id": "Qwen/Qwen3Guard-Gen-8B"}, "unsuitable"),
        ({"model_id": "deepseek/deepseek-ocr"}, "unsuitable"),
        ({"output_modalities": ["image"]}, "unsuitable"),
        ({"output_modalities": ["text", "image"]}, "paid"),
        ({"model_id": "freedom-7b"}, "paid"),  # "free" must be a whole word
    ],
)
def test_offer_class_policy(fields, expected):
    model_id = fields.pop("model_id", "maker/model")
    window = fields.pop("window", 100_000)
    assert offer_class(offer(model_id, window, **fields)) == expected


# ---- conversation --------------------------------------------------------------------------------------


def test_conversation_overflow_turn_on_hermes():
    plan = plan_conversation(HERMES, 1_000, 200, 300, turns=300)
    # limit 131,072 - 300 = 130,772 input tokens; turn k sends 1,000 + (k - 1) x 500 + 200.
    assert plan.last_turn_that_fits == 260  # 130,700 tokens
    assert plan.overflow_turn == 261  # 131,200 tokens
    assert plan.turns_costed == 260
    assert plan.total_with_caching == plan.total_without_caching  # no cache prices: reads and writes at input


def test_conversation_costs_with_and_without_caching_hand_checked():
    cached = offer(
        "cached",
        200_000,
        pricing=Pricing(
            input=D("0.000003"), output=D("0.000015"), cache_read=D("0.0000003"), cache_write=D("0.00000375")
        ),
    )
    plan = plan_conversation(cached, 1_000, 100, 200, turns=3)
    # prompts: 1,100 / 1,400 / 1,700 tokens; 200 output tokens each ($0.003).
    assert [row.input_tokens for row in plan.turns] == [1_100, 1_400, 1_700]
    assert plan.total_without_caching == D("0.0033") + D("0.0042") + D("0.0051") + 3 * D("0.003")
    # with caching: turn 1 writes 1,100; turn 2 reads 1,100 and writes 300; turn 3 reads 1,400 and writes 300.
    expected = (
        D("0.004125") + (D("0.00033") + D("0.001125")) + (D("0.00042") + D("0.001125")) + 3 * D("0.003")
    )
    assert plan.total_with_caching == expected
    assert plan.savings_with_caching == plan.total_without_caching - expected


def test_conversation_bad_input():
    with pytest.raises(UsageError):
        plan_conversation(HERMES, -1, 1, 1)
    with pytest.raises(UsageError):
        plan_conversation(HERMES, 1, 1, 1, turns=0)
    assert plan_conversation(HERMES, 200_000, 1, 1).last_turn_that_fits == 0


def test_model_page_for_hermes_on_the_shipped_catalog():
    from planner.catalog import load_catalog

    catalog = load_catalog()
    hermes = catalog.get("nousresearch/hermes-4-405b")
    page = model_page(hermes, catalog)
    assert page.words_label == "~98K words"
    assert [row.fits for row in page.what_fits] == [True, True, False, False]
    percents = {row.id: row.percent_larger for row in page.comparisons}
    assert percents["amazon.titan-text-express-v1"] == 212
    assert percents["amazon.titan-text-lite-v1"] == 212
    assert percents["amazon.titan-text-premier-v1:0"] == 212
    assert percents["anthropic.claude-instant-v1"] == 31
    assert percents["anthropic.claude-v2:1"] == 31
    assert percents["anyscale/codellama/CodeLlama-34b-Instruct-hf"] == 3100
    names = {row.name for row in page.comparisons}
    assert {"Titan Text Express", "Claude Instant", "Anthropic Claude", "Codellama 34b Instruct"} <= names


def test_headroom_fraction_raises_the_bar_for_fits():
    # 125,000 of 131,072 leaves 6,072 tokens = 4.63 % of the window: tight at the 5 % default already;
    # 100,000 leaves 31,072 = 23.7 %: fits with a 20 % bar, tight with a 25 % bar.
    assert check_fit(HERMES, 125_000, headroom_fraction=D("0.2")).verdict == "tight"
    assert check_fit(HERMES, 100_000, headroom_fraction=D("0.2")).verdict == "fits"
    tight = check_fit(HERMES, 100_000, headroom_fraction=D("0.25"))
    assert (tight.verdict, tight.fits, tight.tight_threshold) == ("tight", True, D("0.25"))
    assert "under 25%" in tight.reason
    # A bar below the 5 % default leaves the default in place.
    assert check_fit(HERMES, 126_000, headroom_fraction=D("0.01")).verdict == "tight"


def test_token_counts_above_the_maximum_are_usage_errors():
    assert parse_token_count("1000000000000", "--output-tokens") == 10**12
    assert parse_token_count("1000000M") == 10**12
    for too_many in ("1000000000001", "99999999999999999999999", "1000001M", 10**12 + 1):
        with pytest.raises(UsageError, match=r"--output-tokens must be at most 1,000,000,000,000"):
            parse_token_count(too_many, "--output-tokens")


@pytest.mark.parametrize(
    ("value", "is_path"),
    [
        ("promt.md", True),
        ("notes.txt", True),
        ("chat.json", True),
        ("docs/system", True),
        ("C:\\prompts\\system", True),
        ("my notes/prompt.md", True),
        ("You are terse.", False),
        ("Be brief.", False),
        ("Answer yes/no.", False),
        ("v1.2", False),
        ("Hello", False),
        ("line one\nline two.md", False),
        ("", False),
    ],
)
def test_conversation_parts_that_look_like_paths(value, is_path):
    assert looks_like_path(value) is is_path


def test_minus_zero_parses_as_zero_and_other_negatives_do_not():
    assert parse_token_count("-0") == 0
    assert parse_token_count(" -0k ") == 0
    with pytest.raises(UsageError, match="must be 0 or more, got -1"):
        parse_token_count("-1", "--output-tokens")


@pytest.mark.parametrize(
    ("used", "window", "label"),
    [
        (131_073, 131_072, "100.001%"),
        (131_072, 131_072, "100.0%"),
        (103_000, 131_072, "78.6%"),
        (1_310_720, 131_072, "1000.0%"),
        (1_310_721, 131_072, ">1000%"),
        (10**12, 131_072, ">1000%"),
        (5, 0, "unknown"),
    ],
)
def test_used_percent_label(used, window, label):
    assert used_percent_label(used, window) == label


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**7))
def test_used_percent_over_the_window_is_never_shown_as_100_or_less(used, window):
    label = used_percent_label(used, window)
    if used > window and label != ">1000%":
        assert D(label.rstrip("%")) > 100
    if used <= window:
        assert D(label.rstrip("%")) <= 100


def test_conversation_turns_error_names_the_option_given():
    with pytest.raises(UsageError, match="^--turns must be from 1 to 100,000, got 0$"):
        check_turns(0, "--turns")
    with pytest.raises(UsageError, match="^turns must be"):
        plan_conversation(HERMES, 10, 10, 10, 0)


def test_selection_counts_what_each_rule_hid_in_order_text_then_fit_then_free():
    from planner.advice.compare import select

    images = offer("maker/image-1", 500_000, output_modalities=["image"])  # answers in images: not text
    rows = [
        offer("paid/big", 500_000),  # shown, fits
        offer("paid/small", 10_000),  # does not fit 50,000
        offer("free/big", 500_000, input_price="0", output_price="0"),  # free, fits
        offer("free/small", 10_000, input_price="0", output_price="0"),  # free and does not fit
        offer("paid/unpriced", 500_000, input_price=None),  # shown, fits, cost unknown
        images,
    ]
    result = compare_models(rows, {"llama3": 50_000})
    every = select(result)
    assert (every.offers, every.shown, every.not_text_left_out, every.free_left_out) == (6, 6, 0, 0)
    chosen = select(result, fits_only=True, hide_free=True, text_only=True)
    # 6 offers: the image model left out first, then paid/small and free/small (too small), then free/big
    assert (chosen.offers, chosen.not_text_left_out, chosen.not_fitting_left_out, chosen.free_left_out) == (
        6,
        1,
        2,
        1,
    )
    assert sorted(row.id for row in chosen.comparison.models) == ["paid/big", "paid/unpriced"]
    assert (chosen.shown, chosen.fitting, chosen.priced) == (2, 2, 1)
    # free offers are counted among the rows left after the fit rule, as `compare --json`'s free_left_out
    free_only = select(result, hide_free=True, text_only=True)
    assert (free_only.not_fitting_left_out, free_only.free_left_out, free_only.shown) == (0, 2, 3)
