"""Models that take an input whole when it does not fit the chosen one: the smallest window and the cheapest.

The offers to look at and the headroom a suggestion must leave are ``planner.advice.policy``'s. Paid offers
are suggested; free and preview offers apart (``Suggestions.free``), or mixed in with ``include_free``. Among
the offers that fit with that headroom: the smallest window (ties: cheaper, then id, then host) and the
cheapest known cost per request (ties: smaller window, then id, then host).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from pydantic import BaseModel

from planner.advice.compare import Comparison, ComparisonRow, compare_models, large_enough
from planner.advice.fit_rule import fit_verdict
from planner.advice.policy import OfferClass, may_suggest, offer_class, suggestion_headroom
from planner.advice.prices import request_total, require_non_negative
from planner.catalog.schema import ModelOffer
from planner.errors import LimitError, UsageError
from planner.tokens.counts import TokenCount
from planner.tokens.families import family_for


class Alternatives(BaseModel):
    """Models that fit with the headroom asked for: the one with the smallest window and the cheapest."""

    headroom_fraction: Decimal
    smallest_window: ComparisonRow | None
    cheapest: ComparisonRow | None


class Suggestions(BaseModel):
    """Models that take the input whole: ``paid`` (free ones mixed in with ``include_free``) and, apart,
    ``free`` (free tiers and previews)."""

    headroom_fraction: Decimal
    include_free: bool
    paid: Alternatives
    free: Alternatives

    @property
    def none_found(self) -> bool:
        return self.paid.smallest_window is None and self.paid.cheapest is None


def _roomy_enough(fits: bool | None, window: int | None, headroom: int | None, fraction: Decimal) -> bool:
    """Whether a model takes the input with ``fraction`` of its window free (judged on the upper band)."""
    return bool(fits and window and headroom is not None and headroom >= fraction * window)


Rank = Callable[[int | None, Decimal | None, str, str], tuple]  # window, cost, id, provider -> sort key


def _smallest_key(window: int | None, cost: Decimal | None, model_id: str, provider: str) -> tuple:
    return (window, cost is None, cost or 0, model_id, provider)


def _cheapest_key(window: int | None, cost: Decimal | None, model_id: str, provider: str) -> tuple:
    return (cost, window, model_id, provider)


def alternatives(comparison: Comparison, headroom_fraction: Decimal) -> Alternatives:
    """Among the compared models that fit with ``headroom_fraction`` of their window free (judged on the
    upper band): the smallest window and the cheapest known cost (ties as in the module doc)."""
    fitting = [
        row
        for row in comparison.models
        if _roomy_enough(row.fits, row.context_window, row.headroom_tokens, headroom_fraction)
    ]

    def key(rank: Rank) -> Callable[[ComparisonRow], tuple]:
        return lambda row: rank(row.context_window, row.total_cost, row.id, row.provider)

    smallest = min(fitting, key=key(_smallest_key), default=None)
    priced = [row for row in fitting if row.total_cost is not None]
    cheapest = min(priced, key=key(_cheapest_key), default=None)
    return Alternatives(headroom_fraction=headroom_fraction, smallest_window=smallest, cheapest=cheapest)


def suggestable(offers: Iterable[ModelOffer]) -> dict[OfferClass, list[ModelOffer]]:
    """The offers the policy may suggest, by class (``unsuitable`` ones and cross-host outliers left out,
    planner.advice.policy.may_suggest)."""
    pools: dict[OfferClass, list[ModelOffer]] = {"paid": [], "free": []}
    for offer in offers:
        kind = offer_class(offer)
        if kind != "unsuitable" and may_suggest(offer):
            pools[kind].append(offer)
    return pools


def _roomy(
    offers: Iterable[ModelOffer],
    counts: Mapping[str, int | TokenCount],
    output_tokens: int,
    reasoning_tokens: int,
    fraction: Decimal,
) -> list[tuple[ModelOffer, Decimal | None]]:
    """The offers ``alternatives`` would keep from their compare_models rows, each with its cost per request,
    by the same rules (planner.advice.fit_rule.fit_verdict, costs.request_total) but without building a row
    for each of thousands of offers on every re-plan."""
    kept: list[tuple[ModelOffer, Decimal | None]] = []
    for offer in offers:
        family = family_for(offer)
        if family not in counts:
            raise UsageError(
                f"no count for tokenizer {family} (model {offer.id}); count with families_of(offers)"
            )
        count = counts[family]
        try:
            verdict, _limit, headroom = fit_verdict(offer, count, output_tokens, reasoning_tokens)
        except LimitError:
            continue  # the reserve is above the model's max output: it does not fit
        if not _roomy_enough(verdict != "does_not_fit", offer.context_window, headroom, fraction):
            continue
        tokens = count.tokens if isinstance(count, TokenCount) else count
        kept.append((offer, request_total(offer, tokens, output_tokens, reasoning_tokens=reasoning_tokens)))
    return kept


def _best(found: list[tuple[ModelOffer, Decimal | None]], rank: Rank) -> ModelOffer | None:
    """The offer ``rank`` (one of the keys above) puts first; ties keep the pools' order."""

    def key(item: tuple[ModelOffer, Decimal | None]) -> tuple:
        offer, cost = item
        return rank(offer.context_window, cost, offer.id, offer.provider)

    first = min(found, key=key, default=None)
    return first[0] if first is not None else None


def suggest_models(
    pools: Mapping[OfferClass, list[ModelOffer]],
    counts: Mapping[str, int | TokenCount],
    *,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
    headroom_fraction: Decimal | None = None,
    include_free: bool = False,
) -> Suggestions:
    """The suggestions for an input (``counts``: its count per tokenizer family of the pools' offers), from
    ``pools`` as ``suggestable`` returns them."""
    fraction = suggestion_headroom(headroom_fraction)
    require_non_negative(output_tokens=output_tokens, reasoning_tokens=reasoning_tokens)

    def best(offers: list[ModelOffer]) -> Alternatives:
        roomy = _roomy(large_enough(offers, counts), counts, output_tokens, reasoning_tokens, fraction)
        priced = [item for item in roomy if item[1] is not None]

        def row(offer: ModelOffer | None) -> ComparisonRow | None:
            """The winner's row, as compare_models builds it."""
            if offer is None:
                return None
            compared = compare_models(
                [offer], counts, output_tokens=output_tokens, reasoning_tokens=reasoning_tokens
            )
            return compared.models[0]

        return Alternatives(
            headroom_fraction=fraction,
            smallest_window=row(_best(roomy, _smallest_key)),
            cheapest=row(_best(priced, _cheapest_key)),
        )

    paid_pool = list(pools.get("paid", []))
    free_pool = list(pools.get("free", []))
    return Suggestions(
        headroom_fraction=fraction,
        include_free=include_free,
        paid=best(paid_pool + free_pool if include_free else paid_pool),
        free=best(free_pool),
    )
