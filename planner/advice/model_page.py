"""The model page: a model's window in tokens and words, what fits in one request, prices, comparisons.

Context comparisons use the figure users know from model pages: percent larger = (a / b - 1) * 100
rounded toward zero, in integer arithmetic (131,072 vs 42,000 -> 212; 128,000 vs 131,072 -> -2, "2 %
smaller"). A model is compared with

- the landmark models below, where the catalog has them: well-known models whose windows users remember
  (the older Titan, Claude and Code Llama models the seed pages show, and the current flagships), and
- its neighbours on the same host: the next two larger and the next two smaller windows that differ from its
  own by at least 5 % (one model per window, the first by id), so a catalog without landmarks still gets some.

A landmark offered by several hosts is shown once, from its maker's own host where the catalog has it.

The list is sorted by percent larger (largest first), then name and id, so the same catalog always gives the
same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Protocol, cast

from pydantic import BaseModel, Field

from planner.advice.fit_rule import Verdict, check_fit, limited_by, tokens_to_words, words_per_token
from planner.advice.model_facts import (
    CAPABILITY_NOTES,
    BestFor,
    Faq,
    Identifier,
    best_for,
    display_name,
    faq,
    identifiers,
)
from planner.advice.policy import answers_in_text
from planner.advice.prices import (
    price_per_million,
    prices_per_million,
    request_total,
)
from planner.advice.reference_documents import REFERENCES, reference_count
from planner.catalog import naming
from planner.catalog.freshness import Freshness, freshness_keys, offer_freshness
from planner.catalog.raw_records import RawRecord, raw_record
from planner.catalog.schema import Capabilities, ModelOffer, Money, PriceTier
from planner.catalog.store import canonical_rank
from planner.errors import LimitError
from planner.tokens.counts import TokenCount
from planner.tokens.families import family_for
from planner.wording import (
    HEADROOM_UNKNOWN,
    RESERVE_TOO_LARGE,
    UNKNOWN,
    count_of,
    headroom_text,
    usd,
    usd_per_million,
    verdict_label,
    yes_no,
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
    @property
    def offers(self) -> list[ModelOffer]: ...


class WhatFits(BaseModel):
    name: str
    words: int
    tokens: int  # the central count (exact: the count), as `planner count` and the app's "Tokens" show it
    fits: bool
    verdict: Verdict
    tokens_high: int = 0  # the upper band the verdict is judged on (== tokens for an exact count)
    method: Literal["exact", "estimate"] = "exact"
    headroom_tokens: int = 0  # left after the input and the page's reserves (negative: over)
    headroom_text: str = ""  # "87,356" or "1,902 over" (planner.wording)


class CreatorModel(BaseModel):
    """One entry of "More from <creator>": another model by the same maker, from its preferred host."""

    id: str
    name: str
    provider: str
    context_window: int | None
    window_label: str  # "131K tokens" or "window not known"
    release_date: date | None = None


# "More from <creator>": other models by the same maker, one entry per model (the same weights on several
# hosts are one model, shown from the host ``canonical_rank`` prefers), general models that answer in text
# only, newest release first (unknown dates last), then by name; at most this many, with the total given.
MORE_FROM_CREATOR = 6

# Speed: no source of the catalog (OpenRouter, models.dev, LiteLLM, genai-prices) publishes a throughput or
# latency figure, and a tier derived from the price or the parameter count would be a guess that a reader
# takes for a measurement; so the page shows the tier as not known and says why.
SPEED_TIER_UNKNOWN = "not known"
SPEED_TIER_NOTE = (
    "not known: the catalog's sources (OpenRouter, models.dev, LiteLLM, genai-prices) publish no speed or "
    "throughput figures, and a tier guessed from price or size would read as a measurement"
)


class ContextComparison(BaseModel):
    id: str
    name: str
    provider: str
    context_window: int
    percent_larger: int  # (this / other - 1) * 100 rounded toward zero; negative when the other is larger
    percent_smaller: int  # -percent_larger when the other window is larger, else 0
    landmark: bool
    relation: Literal["larger", "smaller", "same"]  # this window against the other, by the rounded percents
    summary: str  # "212 % larger context window than Titan Text Express": the one wording of every page
    title: str = ""  # "Hermes 4 405B vs Titan Text Express" (names without the maker prefix)


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
    output_tokens: int = 0  # the answer reserve "what fits" keeps free (the app's top reserve, -o)
    reasoning_tokens: int = 0  # the thinking reserve kept free too
    reserve_note: str = ""  # "with 2,000 tokens reserved for the answer" / "with no output reserved"
    prices_source: str = ""  # "openrouter, as of 2026-08-19 (105 days old)": next to the prices
    more_from_creator: list[CreatorModel] = Field(default_factory=list)
    more_from_creator_total: int = 0  # models by the same creator in the catalog (the list shows a few)
    speed_tier: str = SPEED_TIER_UNKNOWN
    speed_tier_note: str = SPEED_TIER_NOTE
    # the seed page's facts, by the rules of planner.advice.model_facts
    display_name: str = ""  # "Hermes 4 405B": the name without the catalog's "Nous: " prefix
    description: str | None = None  # the source's whole description, as it holds it
    best_for: BestFor | None = None
    faq: list[Faq] = Field(default_factory=list)
    capability_notes: dict[str, str] = Field(default_factory=dict)
    identifiers: list[Identifier] = Field(default_factory=list)
    raw_record: RawRecord | None = (
        None  # OpenRouter's own record of the weights (planner.catalog.raw_records)
    )

    def record(self) -> dict[str, Any]:
        """The JSON document of `planner model ID --json`: the model record plus the page's additions
        (with ``price_age_days``, ``price_warnings`` and ``retires_on`` from the freshness)."""
        doc = self.model.model_dump(mode="json")
        extra = self.model_dump(mode="json", exclude={"model", "freshness"})
        return {**doc, **extra, **freshness_keys(self.freshness)}


def percent_larger(a: int, b: int) -> int:
    """(a / b - 1) * 100 rounded toward zero, without floats: the one rule of every window percentage (the
    model page's "% larger" and "% smaller", compare's ``context_vs_default_pct``). 131,072 vs 42,000:
    212.08 -> 212; 128,000 vs 131,072: -2.34 -> -2 (so "2 % smaller" and -2 agree)."""
    magnitude = (100 * abs(a - b)) // b
    return magnitude if a >= b else -magnitude


def percent_smaller(a: int, b: int) -> int:
    """How much smaller ``a`` is than ``b``, as ``percent_larger`` rounds it (positive), for a < b; else 0."""
    return -percent_larger(a, b) if a < b else 0


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
    """The model page's first sentence: what the window takes, in tokens and in words; with an input limit
    below the window (GPT-5: 272,000 input of 400,000), the input limit too, and the words are of it."""
    if not offer.context_window:
        return "The catalog lists no context window for this model, so what fits in one request is unknown."
    rate = words_per_token(family_for(offer)).value
    if limited_by(offer) == "input_limit" and offer.max_input_tokens is not None:
        return (
            f"This model accepts {tokens_label(offer.context_window)} tokens in one request, of which at "
            f"most {tokens_label(offer.max_input_tokens)} input "
            f"({words_label(tokens_to_words(offer.max_input_tokens, rate))} of text)."
        )
    return (
        f"This model accepts {tokens_label(offer.context_window)} tokens in one request "
        f"({words_label(tokens_to_words(offer.context_window, rate))} of text)."
    )


def _offers(catalog: HasOffers | Iterable[ModelOffer]) -> list[ModelOffer]:
    offers = getattr(catalog, "offers", catalog)
    return list(cast("Iterable[ModelOffer]", offers))


def _landmark_names(offer: ModelOffer) -> set[str]:
    """The landmark ids ``offer`` answers to: its id, "<provider>/<id>", and every tail of its id after a
    "/" (a landmark matches an id that ends with "/<landmark>")."""
    return _names_of(offer.id, offer.provider)


def _names_of(model_id: str, provider: str) -> set[str]:
    parts = model_id.split("/")
    return {model_id, f"{provider}/{model_id}", *("/".join(parts[start:]) for start in range(1, len(parts)))}


def page_offers(subject: ModelOffer, catalog: HasOffers | Iterable[ModelOffer]) -> list[ModelOffer]:
    """The offers a model page can show (landmarks, the subject's host, its creator's models), picked from
    the raw records when the catalog can (``Catalog.offers_matching``: a page validates a few hundred
    records, not the whole catalog); the page is the same as from every offer
    (tests/advice/test_model_page.py)."""
    matching = getattr(catalog, "offers_matching", None)
    if matching is None:
        return _offers(catalog)
    creator = (subject.creator or "").strip().lower()
    landmarks = set(LANDMARK_IDS)

    def wanted(model_id: str, provider: str, maker: str | None) -> bool:
        if provider == subject.provider or (creator and (maker or "").strip().lower() == creator):
            return True
        return bool(_names_of(model_id, provider) & landmarks)

    return matching(wanted)


def _landmarks(offers: list[ModelOffer]) -> list[ModelOffer]:
    """The catalog's offer of each landmark (in one pass over the catalog): an exact id first, then the
    maker's own host (``canonical_rank``)."""
    wanted = set(LANDMARK_IDS)
    found: dict[str, list[ModelOffer]] = {}
    for offer in offers:
        if offer.context_window:
            for name in _landmark_names(offer) & wanted:
                found.setdefault(name, []).append(offer)
    return [
        min(found[landmark], key=lambda offer: (offer.id != landmark, canonical_rank(offer)))
        for landmark in LANDMARK_IDS
        if landmark in found
    ]


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
    relation: Literal["larger", "smaller", "same"]
    larger, smaller = percent_larger(window, other), percent_smaller(window, other)
    name = display_name(offer.name)  # as the titles name it: "Morph V3 Fast", not "Morph: Morph V3 Fast"
    if larger > 0:
        relation, summary = "larger", f"{larger} % larger context window than {name}"
    elif smaller > 0:
        relation, summary = "smaller", f"{smaller} % smaller context window than {name}"
    else:
        relation, summary = "same", f"the same context window as {name}"
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
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
) -> list[WhatFits]:
    """The reference documents (and the user's input) against the window with the reserves kept free; each
    document counted by ``planner.advice.reference_documents.reference_count`` with the model's tokenizer (the
    count the app shows for the same example input)."""
    family = family_for(offer)
    rows = []
    for doc in REFERENCES:
        count = reference_count(doc.words, doc.kind, family)
        rows.append(_what_fits_row(offer, doc.name, doc.words, count, output_tokens, reasoning_tokens))
    if user_tokens is not None:
        central = user_tokens.tokens if isinstance(user_tokens, TokenCount) else user_tokens
        words = user_words if user_words is not None else tokens_to_words(central, rate)
        rows.append(_what_fits_row(offer, "your input", words, user_tokens, output_tokens, reasoning_tokens))
    return rows


def _what_fits_row(
    offer: ModelOffer, name: str, words: int, tokens: int | TokenCount, output: int, reasoning: int
) -> WhatFits:
    fit = check_fit(offer, tokens, output, reasoning)
    return WhatFits(
        name=name,
        words=words,
        tokens=fit.input_tokens,
        tokens_high=fit.input_tokens_high,
        method=fit.method,
        fits=fit.fits,
        verdict=fit.verdict,
        headroom_tokens=fit.headroom_tokens,
        headroom_text=headroom_text(fit.headroom_tokens),
    )


def reserve_note(output_tokens: int, reasoning_tokens: int) -> str:
    """How the page's "what fits" is judged: "with 2,000 tokens reserved for the answer" (and thinking)."""
    if not output_tokens and not reasoning_tokens:
        return "with no output reserved"
    parts = [f"{output_tokens:,} tokens reserved for the answer"] if output_tokens else []
    if reasoning_tokens:
        parts.append(f"{reasoning_tokens:,} for thinking")
    return "with " + " and ".join(parts)


def prices_source(offer: ModelOffer, freshness: Freshness | None = None) -> str:
    """Where the prices come from and how old they are: "openrouter, as of 2026-08-19 (105 days old)"."""
    age = freshness or offer_freshness(offer)
    return f"{offer.priced_by}, as of {offer.as_of.isoformat()} ({count_of(age.price_age_days, 'day')} old)"


def _sources_text(offer: ModelOffer) -> str:
    """The record's source, and its prices' when another (fresher) source gave them."""
    return f"{offer.source}; prices {offer.price_source}" if offer.price_source else offer.source


def _same_creator(subject: ModelOffer, offers: list[ModelOffer]) -> list[list[ModelOffer]]:
    """Offers of other models by ``subject``'s creator, grouped by model (``naming.weights_key``)."""
    creator = (subject.creator or "").strip().lower()
    if not creator:
        return []
    own = naming.weights_keys(subject.id, subject.aliases, subject.hf_id, subject.canonical_slug)
    groups: dict[str, list[ModelOffer]] = {}
    for offer in offers:
        if (offer.creator or "").strip().lower() != creator or not answers_in_text(offer):
            continue
        key = naming.weights_key(offer.id)
        if (
            key in own
            or naming.weights_keys(offer.id, offer.aliases, offer.hf_id, offer.canonical_slug) & own
        ):
            continue
        groups.setdefault(key, []).append(offer)
    return list(groups.values())


def more_from_creator(
    subject: ModelOffer, catalog: HasOffers | Iterable[ModelOffer], limit: int = MORE_FROM_CREATOR
) -> tuple[list[CreatorModel], int]:
    """Up to ``limit`` other models by the same creator (rule at ``MORE_FROM_CREATOR``) and how many there
    are in all."""
    groups = _same_creator(subject, _offers(catalog))
    chosen = [
        min(group, key=lambda offer: (not offer.context_window, canonical_rank(offer))) for group in groups
    ]
    chosen.sort(
        key=lambda offer: (
            offer.release_date is None,
            -(offer.release_date.toordinal() if offer.release_date else 0),
            offer.name.lower(),
            offer.id,
        )
    )
    rows = [
        CreatorModel(
            id=offer.id,
            name=offer.name,
            provider=offer.provider,
            context_window=offer.context_window,
            window_label=f"{tokens_label(offer.context_window)} tokens"
            if offer.context_window
            else HEADROOM_UNKNOWN,
            release_date=offer.release_date,
        )
        for offer in chosen[:limit]
    ]
    return rows, len(chosen)


def model_page(
    offer: ModelOffer,
    catalog: HasOffers | Iterable[ModelOffer],
    user_tokens: int | TokenCount | None = None,
    user_words: int | None = None,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
) -> ModelPage:
    """Everything `planner model ID` shows for ``offer``; ``catalog`` supplies the comparisons and "More from
    <creator>"; "what fits" keeps ``output_tokens`` + ``reasoning_tokens`` free (a reserve above the model's
    max output is a LimitError, as in `planner fit`)."""
    family = family_for(offer)
    rate = words_per_token(family)
    window_words = tokens_to_words(offer.context_window, rate.value) if offer.context_window else None
    freshness = offer_freshness(offer)
    fits = (
        what_fits(offer, rate.value, user_tokens, user_words, output_tokens, reasoning_tokens)
        if offer.context_window
        else []
    )
    candidates = page_offers(offer, catalog)
    more, total = more_from_creator(offer, candidates)
    name = display_name(offer.name)
    comparisons = [
        row.model_copy(update={"title": f"{name} vs {display_name(row.name)}"})
        for row in context_comparisons(offer, candidates)
    ]
    words = words_label(window_words) if window_words is not None else UNKNOWN
    raw = raw_record(offer)
    return ModelPage(
        display_name=name,
        description=offer.description,
        best_for=best_for(offer),
        faq=faq(offer, words, [(row.name.capitalize(), verdict_label(row.verdict)) for row in fits]),
        capability_notes=CAPABILITY_NOTES,
        identifiers=identifiers(offer, raw.source if raw else None),
        raw_record=raw,
        model=offer,
        tokenizer=family,
        words_per_token=rate.value,
        words_per_token_basis=rate.basis,
        words_estimate=window_words,
        words_label=words_label(window_words) if window_words is not None else UNKNOWN,
        headline=headline(offer),
        what_fits=fits,
        prices_per_million=prices_per_million(offer.pricing),
        comparisons=comparisons,
        freshness=freshness,
        output_tokens=output_tokens,
        reasoning_tokens=reasoning_tokens,
        reserve_note=reserve_note(output_tokens, reasoning_tokens),
        prices_source=prices_source(offer, freshness),
        more_from_creator=more,
        more_from_creator_total=total,
    )


class PageRow(BaseModel):
    """One line of a model page table, as text: the CLI and the app lay out the same rows."""

    label: str
    value: str


def _text(value: object) -> str:
    return UNKNOWN if value in (None, "", []) else str(value)


def _tokens_text(value: int | None) -> str:
    return f"{value:,}" if value else UNKNOWN


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
        ("Source (prices as of)", f"{_sources_text(offer)} ({offer.as_of})"),
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
        shown = usd(value) if name == "per_request" else usd_per_million(value)
        rows.append(PageRow(label=label, value=shown))
    for tier in page.model.pricing.tiers:
        rows.append(PageRow(label=f"Prompts over {tier.above_tokens:,} tokens", value=_tier_text(tier)))
    return rows


def _tier_text(tier: PriceTier) -> str:
    parts = [
        f"{name} {usd_per_million(price_per_million(getattr(tier, name)))}"
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


# ------------------------------------------------------------------------------------------ side by side
SideVerdict = Literal["fits", "tight", "does_not_fit", "unknown"]


class SideFit(BaseModel):
    """One model's fit and cost of the current input, for the side-by-side view."""

    id: str
    provider: str
    input_tokens: int
    method: Literal["exact", "estimate"]
    verdict: SideVerdict
    reason: str
    headroom_tokens: int | None
    headroom_text: str
    total_cost: Money | None
    cost_text: str


class SideRow(BaseModel):
    section: Literal["model", "prices", "capabilities", "input"]
    label: str
    left: str
    right: str


class SideBySide(BaseModel):
    """Two models next to each other: window, prices, capabilities and the fit of the current input."""

    left_id: str
    left_provider: str
    left_name: str
    right_id: str
    right_provider: str
    right_name: str
    summary: str  # "212 % larger context window than Titan Text Express" (the left against the right)
    output_tokens: int
    reasoning_tokens: int
    rows: list[SideRow]
    fits: list[SideFit] = Field(default_factory=list)  # left, right; empty when no input was given


def _window_text(offer: ModelOffer) -> str:
    if not offer.context_window:
        return HEADROOM_UNKNOWN
    rate = words_per_token(family_for(offer)).value
    return f"{offer.context_window:,} tokens ({words_label(tokens_to_words(offer.context_window, rate))})"


def _model_rows(left: ModelOffer, right: ModelOffer) -> list[tuple[str, str, str]]:
    def row(label: str, value: Any) -> tuple[str, str, str]:
        return label, value(left), value(right)

    return [
        row("Host", lambda offer: offer.provider),
        row("Creator", lambda offer: _text(offer.creator)),
        row("Context window", _window_text),
        row("Max output tokens", lambda offer: _tokens_text(offer.max_output_tokens)),
        row("Tokenizer", family_for),
        row("Accepts", lambda offer: _text(", ".join(offer.input_modalities))),
        row("Speed tier", lambda offer: SPEED_TIER_UNKNOWN),
    ]


def _price_rows(left: ModelOffer, right: ModelOffer) -> list[tuple[str, str, str]]:
    prices = prices_per_million(left.pricing), prices_per_million(right.pricing)
    rows = []
    for name, label in PRICE_LABELS.items():
        values = [table.get(name) for table in prices]
        if all(value is None for value in values) and name not in ("input", "output"):
            continue
        shown = [usd(value) if name == "per_request" else usd_per_million(value) for value in values]
        rows.append((label if name == "per_request" else f"{label} per million", shown[0], shown[1]))
    rows.append(("Prices from", prices_source(left), prices_source(right)))
    return rows


def _capability_rows(left: ModelOffer, right: ModelOffer) -> list[tuple[str, str, str]]:
    return [
        (one.label, yes_no(one.supported), yes_no(other.supported))
        for one, other in zip(capability_rows(left), capability_rows(right), strict=True)
    ]


def side_fit(
    offer: ModelOffer, count: TokenCount, output_tokens: int = 0, reasoning_tokens: int = 0
) -> SideFit:
    """The fit (``planner.advice.fit_rule.check_fit``) and the cost per request
    (``planner.advice.prices.request_total``) of
    ``count`` on ``offer``; no window: "window not known"; reserves above the model's limits: does not fit."""
    cost = request_total(offer, count.tokens, output_tokens, reasoning_tokens=reasoning_tokens)
    verdict: SideVerdict
    headroom: int | None = None
    if not offer.context_window:
        verdict, reason, shown = "unknown", "the catalog lists no context window", HEADROOM_UNKNOWN
    else:
        try:
            fit = check_fit(offer, count, output_tokens, reasoning_tokens)
        except LimitError as error:
            verdict, reason, shown = "does_not_fit", error.message, RESERVE_TOO_LARGE
        else:
            verdict, reason, headroom = fit.verdict, fit.reason, fit.headroom_tokens
            shown = headroom_text(fit.headroom_tokens)
    return SideFit(
        id=offer.id,
        provider=offer.provider,
        input_tokens=count.tokens,
        method=count.method,
        verdict=verdict,
        reason=reason,
        headroom_tokens=headroom,
        headroom_text=shown,
        total_cost=cost,
        cost_text=usd(cost, 6),
    )


def _input_rows(fits: list[SideFit]) -> list[tuple[str, str, str]]:
    def tokens(fit: SideFit) -> str:
        return f"~{fit.input_tokens:,} (estimate)" if fit.method == "estimate" else f"{fit.input_tokens:,}"

    def headroom(fit: SideFit) -> str:  # an estimate is judged on its upper band: said where it is read
        judged = fit.method == "estimate" and fit.headroom_tokens is not None
        return f"{fit.headroom_text} (from the estimate's upper band)" if judged else fit.headroom_text

    left, right = fits
    return [
        ("Your input (tokens)", tokens(left), tokens(right)),
        ("Fits with the reserves", verdict_label(left.verdict), verdict_label(right.verdict)),
        ("Headroom (tokens)", headroom(left), headroom(right)),
        ("Cost per request", left.cost_text, right.cost_text),
    ]


def side_by_side(
    left: ModelOffer,
    right: ModelOffer,
    counts: Mapping[str, TokenCount] | None = None,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
) -> SideBySide:
    """``left`` and ``right`` next to each other; with ``counts`` (the input's count per tokenizer family, for
    both models' families) also the fit and the cost of that input on each, with the same reserves."""
    fits = []
    if counts is not None:
        fits = [
            side_fit(offer, counts[family_for(offer)], output_tokens, reasoning_tokens)
            for offer in (left, right)
        ]
    sections: list[tuple[Any, list[tuple[str, str, str]]]] = [
        ("model", _model_rows(left, right)),
        ("prices", _price_rows(left, right)),
        ("capabilities", _capability_rows(left, right)),
        ("input", _input_rows(fits) if fits else []),
    ]
    rows = [
        SideRow(section=section, label=label, left=one, right=other)
        for section, items in sections
        for label, one, other in items
    ]
    if left.context_window and right.context_window:
        summary = _comparison(left.context_window, right, landmark=False).summary
    else:
        summary = (
            f"the catalog lists no context window for {left.name if not left.context_window else right.name}"
        )
    return SideBySide(
        left_id=left.id,
        left_provider=left.provider,
        left_name=left.name,
        right_id=right.id,
        right_provider=right.provider,
        right_name=right.name,
        summary=summary,
        output_tokens=output_tokens,
        reasoning_tokens=reasoning_tokens,
        rows=rows,
        fits=fits,
    )
