"""The answers the CLI and the app give, computed once: "does it fit, and what then" and "what does it cost".

Each answer is a typed row the presenters only lay out (``planner fit`` / ``planner cost`` and their
``--json``, the app's fit and cost views); no presenter holds a threshold, a fallback or a sum.

- ``advise_fit``: the verdict (``planner.advice.fit_rule.check_fit``), and when the input does not fit, the
  chunks it needs, the files to leave out and the models that take it whole (``planner.advice.suggestions``:
  one policy). ``FitAdvice.gate_passed`` is the exit rule of ``planner fit``.
- ``advise_cost``: the reserve check shared with fit (an answer above the model's max output is a
  LimitError, exit 8, in the CLI and the app alike), the bill by part with the per-million price applied to
  each (a missing cache price falls back to the input price: ``cache_read_at_input_price`` says so), the
  volume per day and month, and the fit of the same request (None when the window is unknown).
- Both carry the offer's ``freshness`` (``planner.catalog.freshness``: price age, retirement, warnings) and
  ``image_refusal`` (``planner.advice.notes``): the sentence that refuses an input with images on a model that
  takes none (None when there is nothing to refuse). A refused fit has no drop plan and no suggestions.
- ``CostAdvice.notes``: the cost notes (``planner.advice.notes.cost_notes``): a missing price, cache reads at
  the input price, the long-context tier, a request larger than the window; each a sentence to show as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from planner.advice.compare import smallest_count
from planner.advice.fit_rule import (
    DropPlan,
    FileTokens,
    FitResult,
    check_fit,
    check_reserves,
    suggest_file_drops,
)
from planner.advice.notes import FIND_VISION_MODELS, Note, cost_notes, images_refused
from planner.advice.pool_index import OfferPools, Pools
from planner.advice.prices import (
    DROP_BATCH,
    CacheTtl,
    RequestCost,
    ServiceTier,
    VolumeCost,
    applied_prices_per_million,
    prices_per_million,
    request_cost,
    tier_label,
    volume_cost,
)
from planner.advice.suggestions import OfferClass, Suggestions, suggest_models
from planner.catalog.freshness import Freshness, offer_freshness, used_price_warnings
from planner.catalog.schema import ModelOffer, Money
from planner.tokens.counts import TokenCount
from planner.tokens.families import family_for

CountsFor = Callable[[list[str]], Mapping[str, TokenCount]]


class FitAdvice(BaseModel):
    """Does it fit, and what then: the verdict, chunks, files to leave out and models that take it."""

    tokenizer: str
    fit: FitResult
    strict: bool = False  # "tight" fails the gate too (--strict, or a headroom asked for)
    drop_plan: DropPlan | None = None  # only when it does not fit and was counted file by file
    suggestions: Suggestions | None = None  # only when it does not fit and suggestions were asked for
    freshness: Freshness | None = None  # how old the offer's record is, and whether it is retiring
    image_refusal: str | None = None  # the input has images and the model takes none: show this, not the fit

    @property
    def gate_passed(self) -> bool:
        """The exit rule of `planner fit`: "does_not_fit" fails; with ``strict``, "tight" fails too; an input
        whose images the model refuses fails."""
        verdict = self.fit.verdict
        if self.image_refusal is not None:
            return False
        return verdict == "fits" or (verdict == "tight" and not self.strict)


def advise_fit(
    offer: ModelOffer,
    count: TokenCount,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
    *,
    overlap_tokens: int = 0,
    headroom_fraction: Decimal | None = None,
    strict: bool = False,
    files: list[FileTokens] | None = None,
    priority: list[str] | None = None,
    pools: Mapping[OfferClass, list[ModelOffer]] | Pools | None = None,
    counts_for: CountsFor | None = None,
    include_free: bool = False,
    images: int = 0,
    find_vision: str = FIND_VISION_MODELS,
    input_budget: int | None = None,
) -> FitAdvice:
    """The fit of ``count`` on ``offer`` and, when it does not fit, what to do.

    ``files``: the input counted file by file (for the files to leave out). ``pools`` (from
    ``planner.advice.suggestions.suggestable``, or ``planner.advice.pool_index.pools_for``) and
    ``counts_for`` (the input counted for a list of tokenizer families, called only when suggestions are
    needed): where to look for models that take it whole; only offers with a window at least the input's
    smallest count are looked at (no smaller one can take it).
    ``images``: how many images the input has (``find_vision``: where this presenter lists vision models,
    for the refusal's sentence).
    ``input_budget``: the caller's cap on input tokens (planner.advice.fit_rule.check_fit); over it, no other
    model helps, so none is suggested."""
    fit = check_fit(
        offer,
        count,
        output_tokens,
        reasoning_tokens,
        overlap_tokens=overlap_tokens,
        headroom_fraction=headroom_fraction,
        input_budget=input_budget,
    )
    advice = FitAdvice(
        tokenizer=family_for(offer),
        fit=fit,
        strict=strict or headroom_fraction is not None,
        freshness=offer_freshness(offer),
        image_refusal=images_refused(offer, images, find_vision),
    )
    advice.freshness = _fit_freshness(advice.freshness, None)
    if fit.verdict != "does_not_fit" or advice.image_refusal is not None:
        return advice
    if files is not None:
        advice.drop_plan = suggest_file_drops(
            files, fit.input_limit, total_tokens=count.tokens, priority=priority
        )
    if pools is not None and counts_for is not None and fit.limited_by != "budget":
        source = OfferPools(pools) if isinstance(pools, Mapping) else pools
        counts = counts_for(source.families())
        advice.suggestions = suggest_models(
            source.at_least(smallest_count(counts)),  # no smaller window can take it (large_enough)
            counts,
            output_tokens=output_tokens,
            reasoning_tokens=reasoning_tokens,
            headroom_fraction=headroom_fraction,
            include_free=include_free,
        )
        advice.freshness = _fit_freshness(advice.freshness, advice.suggestions)
    return advice


def _fit_freshness(freshness: Freshness | None, suggestions: Suggestions | None) -> Freshness | None:
    """A fit shows no price of its own model: its warnings are the stale prices of the suggestions it
    shows (each once) and the model's retirement (``freshness.used_price_warnings``)."""
    if freshness is None:
        return None
    rows = []
    if suggestions is not None:  # the rows a fit shows (planner.cli.fit, the app): paid, then free apart
        free = None if suggestions.include_free else suggestions.free.smallest_window
        shown = (suggestions.paid.smallest_window, suggestions.paid.cheapest, free)
        rows = [row for row in shown if row is not None]
    used = [(row.id, row.provider, row.as_of) for row in rows if row.as_of is not None]
    return freshness.model_copy(update={"warnings": used_price_warnings(freshness, used)})


CostPart = Literal["input", "cache_read", "cache_write", "output", "reasoning", "request_fee"]


class CostLine(BaseModel):
    """One billed part of a request: its tokens, the price per million applied to it, and its cost."""

    part: CostPart
    tokens: int | None  # None for the per-request fee
    price_per_million: Money | None  # the price applied (None: unknown, or the fee)
    cost: Money | None  # None: a needed price is unknown


class CostAdvice(BaseModel):
    """What one request costs, part by part, and a volume of them; with the fit of the same request."""

    tokenizer: str
    method: Literal["exact", "estimate"]
    count: TokenCount
    cost: RequestCost
    volume: VolumeCost
    lines: list[CostLine]  # input and output always, other parts when they have tokens, the fee when set
    prices_per_million: dict[str, Money | None]  # the prices applied (tier, batch, cache fallbacks)
    base_prices_per_million: dict[str, Money | None]
    price_tier: str | None  # "above 200,000 prompt tokens" when a long-context tier priced it
    cache_read_at_input_price: bool  # cache reads billed at the input price: the catalog lists none
    cache_write_at_input_price: bool
    fit: FitResult | None  # the same request against the window; None when the window is unknown
    freshness: Freshness  # how old the prices are (the offer's as_of), and whether it is retiring
    prices_on: date | None = None  # the day whose prices were asked for (--as-of); None: the current ones
    notes: list[Note] = []  # planner.advice.notes.cost_notes: sentences to show beside the cost
    image_refusal: str | None = None  # the input has images and the model takes none: show this, not a cost


def advise_cost(
    offer: ModelOffer,
    count: TokenCount,
    output_tokens: int = 0,
    *,
    reasoning_tokens: int = 0,
    cached_tokens: int = 0,
    cache_write_tokens: int = 0,
    batch: bool = False,
    cache_ttl: CacheTtl = "5m",
    service_tier: ServiceTier = "standard",
    requests: int = 1,
    requests_per_day: int | None = None,
    days_per_month: int = 30,
    prices_on: date | None = None,
    images: int = 0,
    find_vision: str = FIND_VISION_MODELS,
    drop_batch: str = DROP_BATCH,
) -> CostAdvice:
    """The cost of one request of ``count`` input tokens (central count) and of a volume of them.

    The reserve check is the fit's: output + reasoning above the model's max output is a LimitError.
    ``prices_on``: ``offer`` carries the prices in force on that day (``ledger.offer_as_of``); their age is
    counted up to it. ``images``, ``find_vision``: as for ``advise_fit``. ``drop_batch``: how this presenter
    turns batch pricing off, for the note of a missing batch price."""
    check_reserves(offer, output_tokens, reasoning_tokens)
    bill = request_cost(
        offer,
        count.tokens,
        output_tokens,
        cached_tokens=cached_tokens,
        cache_write_tokens=cache_write_tokens,
        reasoning_tokens=reasoning_tokens,
        batch=batch,
        cache_ttl=cache_ttl,
        service_tier=service_tier,
    )
    applied = applied_prices_per_million(offer.pricing, bill.input_tokens, batch, cache_ttl, service_tier)
    volume = volume_cost(
        bill.total_cost, requests, requests_per_day=requests_per_day, days_per_month=days_per_month
    )
    fit = check_fit(offer, count, output_tokens, reasoning_tokens) if offer.context_window else None
    price_tier = tier_label(bill.tier_above_tokens)
    return CostAdvice(
        tokenizer=family_for(offer),
        method=count.method,
        count=count,
        cost=bill,
        volume=volume,
        lines=_cost_lines(bill, applied),
        prices_per_million=applied,
        base_prices_per_million=prices_per_million(offer.pricing),
        price_tier=price_tier,
        cache_read_at_input_price=bill.cache_read_at_input_price,
        cache_write_at_input_price=bill.cache_write_at_input_price,
        fit=fit,
        freshness=offer_freshness(offer, priced_on=prices_on),
        prices_on=prices_on,
        notes=cost_notes(offer, bill, price_tier, fit, drop_batch),
        image_refusal=images_refused(offer, images, find_vision),
    )


def _cost_lines(bill: RequestCost, applied: dict[str, Decimal | None]) -> list[CostLine]:
    parts: Iterable[tuple[CostPart, int, Decimal | None]] = (
        ("input", bill.plain_input_tokens, bill.input_cost),
        ("cache_read", bill.cached_tokens, bill.cached_cost),
        ("cache_write", bill.cache_write_tokens, bill.cache_write_cost),
        ("output", bill.output_tokens, bill.output_cost),
        ("reasoning", bill.reasoning_tokens, bill.reasoning_cost),
    )
    lines = [
        CostLine(part=part, tokens=tokens, price_per_million=applied.get(part), cost=cost)
        for part, tokens, cost in parts
        if tokens or part in ("input", "output")
    ]
    if bill.request_fee:
        lines.append(CostLine(part="request_fee", tokens=None, price_per_million=None, cost=bill.request_fee))
    return lines
