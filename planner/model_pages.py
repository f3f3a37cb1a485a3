"""The model page: a model's window in tokens and words, what fits in one request, prices, comparisons.

Context comparisons use the figure users know from model pages: percent larger = floor((a / b - 1) * 100), in
integer arithmetic (131,072 vs 42,000 -> 212). A model is compared with

- the landmark models below, where the catalog has them: well-known models whose windows users remember
  (the older Titan, Claude and Code Llama models the seed pages show, and the current flagships), and
- its neighbours on the same host: the next two larger and the next two smaller windows that differ from its
  own by at least 5 % (one model per window, the first by id), so a catalog without landmarks still gets some.

A landmark offered by several hosts is shown once, from its maker's own host where the catalog has it.

The list is sorted by percent larger (largest first), then name and id, so the same catalog always gives the
same list.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from planner.catalog.freshness import Freshness, freshness_keys, offer_freshness
from planner.catalog.schema import Capabilities, ModelOffer, Money, PriceTier
from planner.catalog.store import canonical_rank
from planner.costs import format_usd, format_usd_per_million, price_per_million, prices_per_million
from planner.counting import TokenCount
from planner.families import family_for
from planner.plans import Verdict, check_fit, tokens_to_words, words_per_token, words_to_tokens

# Reference documents for "what fits in one request", in words.
REFERENCE_DOCUMENTS: tuple[tuple[str, int], ...] = (
    ("short document", 1_500),
    ("long document", 37_000),
    ("small codebase", 150_000),
    ("full novel", 375_000),
)

# Landmark models, matched on the offer id (also "<provider>/<id>" and a trailing "/<landmark>").
LANDMARK_IDS: tuple[str, ...] = (
    "amazon.titan-text-express-v1",
    "amazon.titan-text-lite-v1",
    "amazon.titan-text-premier-v1:0",
    "anthropic.claude-instant-v1",
    "anthropic.claude-v2:1",
    "anyscale/codellama/CodeLlama-34b-Instruct-hf",
    "gpt-4",
    "gpt-3.5-turbo",
    "gpt-4o",
    "gpt-4.1",
    "gemini-2.5-pro",
)
NEIGHBOURS_EACH_SIDE = 2
NEIGHBOUR_MIN_PERCENT = 5


class HasOffers(Protocol):
    offers: list[ModelOffer]


class WhatFits(BaseModel):
    name: str
    words: int
    tokens: int
    fits: bool
    verdict: Verdict


class ContextComparison(BaseModel):
    id: str
    name: str
    provider: str
    context_window: int
    percent_larger: int  # floor((this / other - 1) * 100); negative when the other window is larger
    percent_smaller: int  # floor((1 - this / other) * 100) when the other is larger, else 0
    landmark: bool
    relation: Literal["larger", "smaller", "same"]  # this window against the other, by the floored percents
    summary: str  # "212 % larger context window than Titan Text Express": the one wording of every page


class ModelPage(BaseModel):
    model: ModelOffer
    tokenizer: str
    words_per_token: Decimal
    words_per_token_basis: str
    words_estimate: int | None  # the window in words
    words_label: str  # "~98K words"
    headline: str  # "This model accepts 131K tokens in one request (~98K words of text)."
    what_fits: list[WhatFits]
    prices_per_million: dict[str, Money | None]
    comparisons: list[ContextComparison] = Field(default_factory=list)
    freshness: Freshness | None = None  # price age and retirement (planner.catalog.freshness)

    def record(self) -> dict[str, Any]:
        """The JSON document of `planner model ID --json`: the model record plus the page's additions
        (with ``price_age_days``, ``price_warnings`` and ``retires_on`` from the freshness)."""
        doc = self.model.model_dump(mode="json")
        extra = self.model_dump(mode="json", exclude={"model", "freshness"})
        return {**doc, **extra, **freshness_keys(self.freshness)}


def percent_larger(a: int, b: int) -> int:
    """floor((a / b - 1) * 100) without floats."""
    return (100 * (a - b)) // b


def percent_smaller(a: int, b: int) -> int:
    """floor((1 - a / b) * 100) for a < b, else 0."""
    return (100 * (b - a)) // b if a < b else 0


def words_label(words: int) -> str:
    """~98K words, ~1.5M words, ~900 words."""
    if words >= 1_000_000:
        return f"~{Decimal(words) / 1_000_000:.1f}M words".replace(".0M", "M")
    if words >= 1_000:
        return f"~{round(words / 1_000)}K words"
    return f"~{words} words"


def tokens_label(tokens: int) -> str:
    """131K, 1M, 1.5M, 900: a window as people say it (thousands rounded, millions to one decimal)."""
    return words_label(tokens).removeprefix("~").removesuffix(" words")


def headline(offer: ModelOffer) -> str:
    """The model page's first sentence: what the window takes, in tokens and in words."""
    if not offer.context_window:
        return "The catalog lists no context window for this model, so what fits in one request is unknown."
    return (
        f"This model accepts {tokens_label(offer.context_window)} tokens in one request "
        f"({words_label(tokens_to_words(offer.context_window, words_per_token(family_for(offer)).value))} "
        "of text)."
    )


def _offers(catalog: HasOffers | Iterable[ModelOffer]) -> list[ModelOffer]:
    offers = getattr(catalog, "offers", catalog)
    return list(offers)


def _matches_landmark(offer: ModelOffer, landmark: str) -> bool:
    return (
        offer.id == landmark
        or f"{offer.provider}/{offer.id}" == landmark
        or offer.id.endswith("/" + landmark)
    )


def _landmarks(offers: list[ModelOffer]) -> list[ModelOffer]:
    chosen = []
    for landmark in LANDMARK_IDS:
        found = sorted(
            (offer for offer in offers if offer.context_window and _matches_landmark(offer, landmark)),
            key=lambda offer: (offer.id != landmark, canonical_rank(offer)),
        )
        if found:
            chosen.append(found[0])
    return chosen


def _neighbours(subject: ModelOffer, offers: list[ModelOffer]) -> list[ModelOffer]:
    window = subject.context_window or 0
    first_by_window: dict[int, ModelOffer] = {}
    for offer in sorted(offers, key=lambda offer: offer.id):
        size = offer.context_window
        if not size or offer.provider != subject.provider or offer.mode not in (None, "chat"):
            continue
        if abs(percent_larger(window, size)) >= NEIGHBOUR_MIN_PERCENT and size not in first_by_window:
            first_by_window[size] = offer
    larger = sorted(size for size in first_by_window if size > window)[:NEIGHBOURS_EACH_SIDE]
    smaller = sorted((size for size in first_by_window if size < window), reverse=True)[:NEIGHBOURS_EACH_SIDE]
    return [first_by_window[size] for size in larger + smaller]


def context_comparisons(
    subject: ModelOffer, catalog: HasOffers | Iterable[ModelOffer]
) -> list[ContextComparison]:
    """Landmarks and neighbours compared with ``subject``'s window (see the module docstring)."""
    window = subject.context_window
    if not window:
        return []
    offers = [
        offer for offer in _offers(catalog) if (offer.id, offer.provider) != (subject.id, subject.provider)
    ]
    landmarks = _landmarks(offers)
    landmark_keys = {(offer.id, offer.provider) for offer in landmarks}
    chosen = {(offer.id, offer.provider): offer for offer in landmarks + _neighbours(subject, offers)}
    rows = [_comparison(window, offer, key in landmark_keys) for key, offer in chosen.items()]
    return sorted(rows, key=lambda row: (-row.percent_larger, row.name, row.id, row.provider))


def _comparison(window: int, offer: ModelOffer, landmark: bool) -> ContextComparison:
    other = offer.context_window or 1
    larger, smaller = percent_larger(window, other), percent_smaller(window, other)
    if larger > 0:
        relation, summary = "larger", f"{larger} % larger context window than {offer.name}"
    elif smaller > 0:
        relation, summary = "smaller", f"{smaller} % smaller context window than {offer.name}"
    else:
        relation, summary = "same", f"the same context window as {offer.name}"
    return ContextComparison(
        id=offer.id,
        name=offer.name,
        provider=offer.provider,
        context_window=other,
        percent_larger=larger,
        percent_smaller=smaller,
        landmark=landmark,
        relation=relation,
        summary=summary,
    )


def what_fits(
    offer: ModelOffer,
    rate: Decimal,
    user_tokens: int | TokenCount | None = None,
    user_words: int | None = None,
) -> list[WhatFits]:
    """The reference documents (and the user's input) against the window, with no output reserved."""
    rows = []
    for name, words in REFERENCE_DOCUMENTS:
        tokens = words_to_tokens(words, rate)
        rows.append(_what_fits_row(offer, name, words, tokens))
    if user_tokens is not None:
        tokens = user_tokens.tokens_high if isinstance(user_tokens, TokenCount) else user_tokens
        words = user_words if user_words is not None else tokens_to_words(tokens, rate)
        rows.append(_what_fits_row(offer, "your input", words, user_tokens))
    return rows


def _what_fits_row(offer: ModelOffer, name: str, words: int, tokens: int | TokenCount) -> WhatFits:
    fit = check_fit(offer, tokens)
    return WhatFits(name=name, words=words, tokens=fit.input_tokens_high, fits=fit.fits, verdict=fit.verdict)


def model_page(
    offer: ModelOffer,
    catalog: HasOffers | Iterable[ModelOffer],
    user_tokens: int | TokenCount | None = None,
    user_words: int | None = None,
) -> ModelPage:
    """Everything `planner model ID` shows for ``offer``; ``catalog`` supplies the comparisons."""
    family = family_for(offer)
    rate = words_per_token(family)
    window_words = tokens_to_words(offer.context_window, rate.value) if offer.context_window else None
    return ModelPage(
        model=offer,
        tokenizer=family,
        words_per_token=rate.value,
        words_per_token_basis=rate.basis,
        words_estimate=window_words,
        words_label=words_label(window_words) if window_words is not None else "unknown",
        headline=headline(offer),
        what_fits=what_fits(offer, rate.value, user_tokens, user_words) if offer.context_window else [],
        prices_per_million=prices_per_million(offer.pricing),
        comparisons=context_comparisons(offer, catalog),
        freshness=offer_freshness(offer),
    )


class PageRow(BaseModel):
    """One line of a model page table, as text: the CLI and the app lay out the same rows."""

    label: str
    value: str


def _text(value: object) -> str:
    return "unknown" if value in (None, "", []) else str(value)


def _tokens_text(value: int | None) -> str:
    return f"{value:,}" if value else "unknown"


def specification_rows(page: ModelPage) -> list[PageRow]:
    """The specifications of the page's model."""
    offer = page.model
    window_kind = {"total": "input + output", "input": "input only"}.get(offer.context_window_kind or "total")
    rows = [
        ("Model id", offer.id),
        ("Provider (host)", offer.provider),
        ("Creator", _text(offer.creator)),
        ("Context window counts", _text(window_kind)),
        ("Max output tokens", _tokens_text(offer.max_output_tokens)),
        ("Max input tokens", _tokens_text(offer.max_input_tokens)),
        ("Tokenizer", page.tokenizer),
        ("Input", _text(", ".join(offer.input_modalities))),
        ("Output", _text(", ".join(offer.output_modalities))),
        ("Mode", _text(offer.mode)),
        ("Released", _text(offer.release_date)),
        ("Knowledge cutoff", _text(offer.knowledge_cutoff)),
        ("Hugging Face", _text(offer.hf_id)),
        ("Source (as of)", f"{offer.source} ({offer.as_of})"),
    ]
    listed = [  # shown only where a source gives them
        ("Canonical slug", offer.canonical_slug),
        ("Status", offer.status),
        ("Deprecated on", offer.deprecation_date),
        ("Expires on", offer.expiration_date),
        ("Supported parameters", ", ".join(offer.supported_parameters)),
        ("Description", offer.description),
    ]
    rows += [(label, str(value)) for label, value in listed if value]
    if page.freshness is not None:
        rows.append(("Price age", f"{page.freshness.price_age_days:,} days"))
    return [PageRow(label=label, value=value) for label, value in rows]


PRICE_LABELS = {
    "input": "Input",
    "output": "Output",
    "cache_read": "Cached input (read)",
    "cache_write": "Cache write (5 min)",
    "cache_write_1h": "Cache write (1 hour)",
    "reasoning": "Reasoning",
    "batch_input": "Batch input",
    "batch_output": "Batch output",
    "flex_input": "Flex input",
    "flex_output": "Flex output",
    "flex_cache_read": "Flex cached input (read)",
    "priority_input": "Priority input",
    "priority_output": "Priority output",
    "priority_cache_read": "Priority cached input (read)",
    "per_request": "Per request (fee)",
}


def price_rows(page: ModelPage) -> list[PageRow]:
    """Prices in US dollars per million tokens (the fee per request as it is): input and output always
    (unknown when unknown), the others where the catalog lists them, then each long-context tier."""
    rows = []
    for name, label in PRICE_LABELS.items():
        value = page.prices_per_million.get(name)
        if value is None and name not in ("input", "output"):
            continue
        shown = format_usd(value) if name == "per_request" else format_usd_per_million(value)
        rows.append(PageRow(label=label, value=shown))
    for tier in page.model.pricing.tiers:
        rows.append(PageRow(label=f"Prompts over {tier.above_tokens:,} tokens", value=_tier_text(tier)))
    return rows


def _tier_text(tier: PriceTier) -> str:
    parts = [
        f"{name} {format_usd_per_million(price_per_million(getattr(tier, name)))}"
        for name, _ in tier
        if name != "above_tokens" and getattr(tier, name) is not None
    ]
    return "whole request at: " + ", ".join(parts) + " per million"


class CapabilityRow(BaseModel):
    name: str
    label: str
    supported: bool | None  # None: the catalog does not say


def capability_label(name: str) -> str:
    return {"batch_api": "Batch API"}.get(name, name.replace("_", " ").capitalize())


def capability_rows(offer: ModelOffer) -> list[CapabilityRow]:
    return [
        CapabilityRow(name=name, label=capability_label(name), supported=getattr(offer.capabilities, name))
        for name in Capabilities.model_fields
    ]
