"""The per-request checks and notes the fit and cost answers carry (planner.advice.notes), so that the CLI
and the app render one wording: the image refusal and the cost notes. Figures from the catalog's published
prices (Hermes 4 405B: 131,072 tokens, $1 / $3 per million, no vision, no batch price; Hermes 4 70B: $0.13 /
$0.40, no cache-read price; GPT-4o on OpenAI: vision; Gemini 2.5 Pro on Google: above 200,000 prompt tokens
the long-context prices)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planner.advice.answers import advise_cost, advise_fit
from planner.advice.notes import images_refused
from planner.advice.suggestions import suggestable
from planner.catalog import load_catalog
from planner.catalog.schema import ModelOffer
from planner.tokens.counts import typed_counts


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def offer(catalog, model: str, provider: str | None = None) -> ModelOffer:
    return catalog.get(model, provider)


def tokens(n: int, family: str = "llama3"):
    return typed_counts(n, [family])[family]


def test_a_model_without_vision_refuses_images_in_the_fit_and_the_cost_answer(catalog):
    hermes = offer(catalog, "nousresearch/hermes-4-405b")
    cost = advise_cost(hermes, tokens(1_000), 100, images=2)
    assert cost.image_refusal is not None
    assert cost.image_refusal.startswith("nousresearch/hermes-4-405b does not accept images")
    assert "the input has 2 images;" in cost.image_refusal
    fit = advise_fit(hermes, tokens(1_000), 100, images=2)
    assert fit.image_refusal == cost.image_refusal  # one wording
    assert not fit.gate_passed  # a refused input does not pass `planner fit`'s gate, though 1,100 tokens fit


def test_a_refused_fit_looks_for_no_alternatives(catalog):
    hermes = offer(catalog, "nousresearch/hermes-4-405b")
    calls: list[list[str]] = []

    def counts_for(families: list[str]):
        calls.append(families)
        return typed_counts(500_000, families)

    advice = advise_fit(
        hermes, tokens(500_000), pools=suggestable(catalog.offers), counts_for=counts_for, images=1
    )
    assert advice.fit.verdict == "does_not_fit"
    assert advice.image_refusal is not None and advice.suggestions is None and calls == []


def test_the_presenter_names_where_its_vision_models_are(catalog):
    hermes = offer(catalog, "nousresearch/hermes-4-405b")
    cost = advise_cost(hermes, tokens(10), images=1, find_vision="the Vision filter")
    assert cost.image_refusal is not None and "(the Vision filter)" in cost.image_refusal


def test_no_refusal_without_images_or_for_a_vision_model(catalog):
    hermes = offer(catalog, "nousresearch/hermes-4-405b")
    gpt = offer(catalog, "gpt-4o", "openai")
    assert advise_cost(hermes, tokens(10)).image_refusal is None
    assert advise_cost(gpt, tokens(10, "o200k_base"), images=3).image_refusal is None
    assert images_refused(gpt, 3) is None and images_refused(hermes, 0) is None


def test_a_plain_request_has_no_notes(catalog):
    hermes = offer(catalog, "nousresearch/hermes-4-405b")
    advice = advise_cost(hermes, tokens(100_000), 2_000)
    assert advice.cost.total_cost == Decimal("0.106")  # 100,000 x $1/M + 2,000 x $3/M
    assert advice.notes == []


def test_a_missing_batch_price_is_a_warning_that_names_it(catalog):
    hermes = offer(catalog, "nousresearch/hermes-4-405b")
    advice = advise_cost(hermes, tokens(100_000), 2_000, batch=True)
    assert advice.cost.total_cost is None
    [note] = advice.notes
    assert (note.kind, note.level) == ("missing_price", "warning")
    assert "batch_input" in note.text and "the cost is unknown" in note.text


def test_cache_reads_without_a_cache_price_are_said_to_be_billed_as_input(catalog):
    hermes_70b = offer(catalog, "nousresearch/hermes-4-70b")
    assert hermes_70b.pricing.cache_read is None
    advice = advise_cost(hermes_70b, tokens(100_000), cached_tokens=50_000)
    assert advice.cost.total_cost == Decimal("0.013")  # all 100,000 at $0.13/M: no discount to apply
    assert [(n.kind, n.level) for n in advice.notes] == [("cache_read_at_input_price", "info")]
    assert "cache reads are billed as input" in advice.notes[0].text


def test_a_long_context_tier_is_named(catalog):
    gemini = offer(catalog, "gemini-2.5-pro", "google")
    advice = advise_cost(gemini, tokens(250_000, "gemma3"), 1_000)
    assert advice.cost.total_cost == Decimal("0.64")  # 250,000 x $2.50/M + 1,000 x $15/M
    kinds = {note.kind: note for note in advice.notes}
    assert "above 200,000 prompt tokens" in kinds["price_tier"].text


def test_a_request_larger_than_the_window_is_priced_with_a_warning(catalog):
    hermes = offer(catalog, "nousresearch/hermes-4-405b")
    advice = advise_cost(hermes, tokens(200_000))
    assert advice.cost.total_cost == Decimal("0.2")
    [note] = advice.notes
    assert (note.kind, note.level) == ("does_not_fit", "warning")
    assert "does not fit the window of nousresearch/hermes-4-405b" in note.text
