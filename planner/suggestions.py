"""Models that take an input whole when it does not fit the chosen one: the smallest window and the cheapest.

The offers to look at and the headroom a suggestion must leave are ``planner.policy``'s. Paid offers are
suggested; free and preview offers apart (``Suggestions.free``), or mixed in with ``include_free``. Among the
offers that fit with that headroom: the smallest window (ties: cheaper, then id) and the cheapest known cost
per request (ties: smaller window, then id).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from pydantic import BaseModel

from planner.catalog.schema import ModelOffer
from planner.compare import Comparison, ComparisonRow, compare_models, large_enough
from planner.counting import TokenCount
from planner.policy import OfferClass, offer_class, suggestion_headroom


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


def alternatives(comparison: Comparison, headroom_fraction: Decimal) -> Alternatives:
    """Among the compared models that fit with ``headroom_fraction`` of their window free (judged on the
    upper band): the smallest window and the cheapest known cost (ties as in the module doc)."""
    fitting = [
        row
        for row in comparison.models
        if row.fits
        and row.context_window
        and row.headroom_tokens is not None
        and row.headroom_tokens >= headroom_fraction * row.context_window
    ]
    smallest = min(
        fitting,
        key=lambda row: (row.context_window, row.total_cost is None, row.total_cost or 0, row.id),
        default=None,
    )
    priced = [row for row in fitting if row.total_cost is not None]
    cheapest = min(priced, key=lambda row: (row.total_cost, row.context_window, row.id), default=None)
    return Alternatives(headroom_fraction=headroom_fraction, smallest_window=smallest, cheapest=cheapest)


def suggestable(offers: Iterable[ModelOffer]) -> dict[OfferClass, list[ModelOffer]]:
    """The offers the policy may suggest, by class (``unsuitable`` ones are left out)."""
    pools: dict[OfferClass, list[ModelOffer]] = {"paid": [], "free": []}
    for offer in offers:
        kind = offer_class(offer)
        if kind != "unsuitable":
            pools[kind].append(offer)
    return pools


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

    def best(offers: list[ModelOffer]) -> Alternatives:
        comparison = compare_models(
            large_enough(offers, counts),
            counts,
            output_tokens=output_tokens,
            reasoning_tokens=reasoning_tokens,
        )
        return alternatives(comparison, fraction)

    paid_pool = list(pools.get("paid", []))
    free_pool = list(pools.get("free", []))
    return Suggestions(
        headroom_fraction=fraction,
        include_free=include_free,
        paid=best(paid_pool + free_pool if include_free else paid_pool),
        free=best(free_pool),
    )
