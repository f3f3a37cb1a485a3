"""Which offers the CLI and the app may suggest, and how much room a suggestion must leave: the one policy.

- An offer may be suggested only when it answers in text (its output modalities include text, or are not
  listed; not a special-purpose model: OCR, safety classifiers, embeddings, rerankers, speech, image
  control), and the catalog knows its window and its input and output prices.
- Such an offer is ``free`` when it is listed at $0 for input and output, or its id or name calls it free or
  a preview (free tiers, subscription plans, previews that may change or vanish); else it is ``paid``.
  Free and preview offers are shown apart from the paid ones (``planner fit --include-free``, the app's
  toggle, mix them in); a comparison (``planner compare`` and the app's compare view) leaves them out
  unless asked (``FREE_IN_COMPARISONS``: ``compare --include-free``), saying how many it left out.
- A cross-host outlier (``offer.outliers`` non-empty: a window, max output or price most hosts of the same
  weights contradict, planner.catalog.outliers) is never suggested: one bad value must not win a headline.
- A suggested model must take the input (judged on the count's upper band, with the reserves) with at
  least ``SUGGESTION_HEADROOM`` (10 %) of its window to spare, or the caller's headroom when that is larger.
- Re-pricing real traffic on "the cheapest" (``planner spend --as cheapest``) considers the paid offers only
  and lists the ``CHEAPEST_OFFERS`` (5) cheapest that take every request of the export.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from planner.catalog.offer_words import FREE_WORDS, PREVIEW_WORDS, names_non_text_model, words_of
from planner.catalog.schema import ModelOffer
from planner.errors import UsageError

FREE_IN_COMPARISONS = False  # a comparison lists free and preview offers only when asked (--include-free)
SUGGESTION_HEADROOM = Decimal("0.10")  # a suggested model leaves at least 10 % of its window free
CHEAPEST_OFFERS = 5  # `planner spend --as cheapest` lists this many paid offers that take every request
OfferClass = Literal["paid", "free", "unsuitable"]

# Words (whole words of the id or name, or glued to the end of one) that mark a model made for something other
# than answering in text, beyond the catalog's non-text marks (planner.catalog.offer_words).
SPECIAL_PURPOSE_WORDS = frozenset({"ocr", "guard", "safeguard", "controlnet", "asr"})


@lru_cache(maxsize=65_536)  # a comparison asks two or three times per offer, on every re-plan
def _special_purpose(model_id: str, name: str) -> bool:
    if names_non_text_model(model_id, name):
        return True
    # "Qwen3Guard", "olmOCR": a marker glued to a name is still a marker
    return any(part.endswith(word) for part in words_of(model_id, name) for word in SPECIAL_PURPOSE_WORDS)


def answers_in_text(offer: ModelOffer) -> bool:
    """Whether the offer is a general model that answers in text (see the module doc)."""
    if offer.output_modalities and "text" not in offer.output_modalities:
        return False
    return not _special_purpose(offer.id, offer.name)


def is_free_or_preview(offer: ModelOffer) -> bool:
    """Listed at $0 for input and output, or called free or a preview in its id or name
    (planner.catalog.offer_words)."""
    pricing = offer.pricing
    if pricing.input == 0 and pricing.output == 0:
        return True
    return bool(words_of(offer.id, offer.name) & (FREE_WORDS | PREVIEW_WORDS))


def offer_class(offer: ModelOffer) -> OfferClass:
    """``paid`` or ``free`` for an offer that may be suggested, else ``unsuitable`` (see the module doc)."""
    if not offer.context_window or offer.pricing.input is None or offer.pricing.output is None:
        return "unsuitable"
    if not answers_in_text(offer):
        return "unsuitable"
    return "free" if is_free_or_preview(offer) else "paid"


def may_suggest(offer: ModelOffer) -> bool:
    """Whether an offer may be suggested beyond its class: not a cross-host outlier (see the module doc)."""
    return not offer.outliers


def suggestion_headroom(headroom_fraction: Decimal | None = None) -> Decimal:
    """The share of a suggested model's window that must stay free: 10 %, or the caller's when larger."""
    if headroom_fraction is None:
        return SUGGESTION_HEADROOM
    if not 0 <= headroom_fraction < 1:
        raise UsageError(f"headroom must be a fraction from 0 up to 1 (0.1 is 10 %), got {headroom_fraction}")
    return max(SUGGESTION_HEADROOM, headroom_fraction)


PICKER_ORDER: dict[OfferClass, int] = {"paid": 0, "free": 1, "unsuitable": 2}


def _picker_key(offer: ModelOffer) -> tuple[int, bool]:
    first_party = bool(offer.creator and offer.creator.lower() == offer.provider.lower())
    return PICKER_ORDER[offer_class(offer)], not first_party


def picker_order(offers: Iterable[ModelOffer]) -> list[ModelOffer]:
    """Offers in the order a model picker lists them: the ones that can be planned (known window and prices,
    answering in text) first, paid before free, the rest after; in each group the maker's own offers (the
    host is the creator) before resellers', then catalog order. An offer
    identical to one already listed (same name, host, window and prices) is left out."""
    return without_twins(sorted(offers, key=_picker_key))


def without_twins(offers: Iterable[ModelOffer]) -> list[ModelOffer]:
    """``offers`` in their order, less each offer identical to one before it (same name, host, window and
    prices: a picker would show two entries that read the same)."""
    seen: set[tuple[str, str, int | None, str]] = set()
    kept: list[ModelOffer] = []
    for offer in offers:
        same = (offer.name, offer.provider, offer.context_window, offer.pricing.model_dump_json())
        if same not in seen:
            seen.add(same)
            kept.append(offer)
    return kept
