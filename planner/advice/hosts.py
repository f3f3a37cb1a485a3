"""`planner hosts MODEL`: the same weights on every host that serves them, cheapest first.

Grouping rule (``Catalog.same_weights``): two offers serve the same weights when one of their keys meets.
An offer's keys are ``naming.weights_key`` of its id, its other ids (aliases), its Hugging Face id and
OpenRouter's canonical slug: the last path segment in lower case, host routing prefixes ("us.anthropic."),
variant suffixes (":free", ":thinking") and version suffixes ("-v1:0", "-hf") off, "." and "_" read as "-".
So "nousresearch/hermes-4-405b" (OpenRouter, Hugging Face id NousResearch/Hermes-4-405B),
"NousResearch/Hermes-4-405B" (nebius) and "NousResearch/hermes-4-405b:thinking" (nano-gpt) are one model;
dated snapshots ("gpt-4o-2024-05-13") are not the undated id.

Each host's fit and cost are the ones ``planner fit`` and ``planner cost`` give for the same input on that
offer: ``planner.advice.answers.advise_cost`` (the reserve check, ``costs.request_cost``, and
``plans.check_fit`` of the same request), the input counted with the offer's tokenizer family, fit judged on
the upper band and cost on the central count. A reserve above a host's max output makes that host
"does_not_fit" with no cost (``planner cost`` refuses it too).
Rows sort by total cost per request (unknown last), then by input plus output price per token (so that an
empty input still lists the cheapest first), then by host.

Each row's ``prices_per_million`` are the prices its cost applied (``costs.applied_prices_per_million``: a
long-context tier's above its threshold). A host that lists no long-context tier while another host of the
same weights does is flagged (``tier_missing``, ``tier_note``): its cost above that threshold is its base
price and may be too low (Google bills Gemini 2.5 Pro at $2.50/$15 above 200,000 prompt tokens; a reseller
with only the $1.25/$10 base on record looks cheaper than it may be).
Stale prices: one warning for the answer (``price_warnings``, the wording of
``freshness.stale_summary``), naming how many hosts are stale and the oldest.
Retirement: one warning per host that has retired or is retiring the offer (``retirement_warnings``, each
row's ``freshness.retirement_warning``: the wording and the 30-day notice of ``planner.catalog.freshness``),
in the order of the rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Literal

from pydantic import BaseModel, computed_field

from planner.advice.answers import advise_cost
from planner.advice.fit_rule import FitResult
from planner.advice.prices import (
    RequestCost,
    applied_prices_per_million,
    effective_prices,
    has_batch_prices,
    require_non_negative,
    tier_label,
)
from planner.catalog.freshness import Freshness, PriceAge, offer_freshness, oldest_price_age, stale_summary
from planner.catalog.schema import ModelOffer, Money
from planner.catalog.store import Catalog
from planner.errors import LimitError, UsageError
from planner.tokens.counts import TokenCount
from planner.tokens.families import family_for

GROUPING_RULE = (
    "same weights: an id, alias, Hugging Face id or canonical slug in common, compared as the last path "
    "segment in lower case without host prefixes, variant suffixes (:free, :thinking) or version suffixes, "
    "with . and _ read as -"
)
Verdict = Literal["fits", "tight", "does_not_fit", "unknown"]
TIER_MISSING = "no long-context tier listed"  # the note of a row flagged ``tier_missing``


class HostRow(BaseModel):
    """One host of the weights: its record, and the fit and cost of the current input there."""

    offer: ModelOffer
    tokenizer: str
    fit: FitResult | None  # None when the window is unknown or the reserve is above the max output
    cost: RequestCost | None  # None when the reserve is above the max output (cost refuses it)
    batch_cost: RequestCost | None  # the same request at batch prices, where the host lists them
    fits: bool | None
    verdict: Verdict
    total_cost: Money | None
    batch: bool | None  # a batch API (capability or batch prices)
    cache: bool | None  # prompt caching
    note: str | None = None
    freshness: Freshness
    prices_per_million: dict[str, Money | None]  # the prices the cost applied (a long-context tier's)
    price_tier: str | None = None  # "above 200,000 prompt tokens" when a long-context tier priced it
    tier_missing: bool = False  # no long-context tier listed here while another host of the weights has one


class HostsAnswer(BaseModel):
    model: str
    provider: str
    grouping_rule: str = GROUPING_RULE
    input_tokens: dict[str, int]  # central count per tokenizer family
    output_tokens: int
    reasoning_tokens: int
    cached_tokens: int
    price_age: PriceAge | None  # the oldest prices among the hosts
    hosts: list[HostRow]
    tier_above_tokens: int | None = None  # the lowest long-context threshold any host of the weights lists

    @computed_field  # type: ignore[prop-decorator]
    @property
    def tier_note(self) -> str | None:
        """What a row flagged ``tier_missing`` (noted ``TIER_MISSING``) means."""
        if self.tier_above_tokens is None or not any(row.tier_missing for row in self.hosts):
            return None
        return (
            f"may cost more above {self.tier_above_tokens:,} prompt tokens "
            "(another host of these weights charges more there)"
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def price_warnings(self) -> list[str]:
        """One warning for all the hosts whose prices are stale (compare's wording)."""
        stale = [row.freshness for row in self.hosts if row.freshness.stale]
        if not stale:
            return []
        oldest = max(stale, key=lambda item: item.price_age_days)
        limit = oldest.max_price_age_days
        return [
            stale_summary(len(stale), len(self.hosts), oldest.as_of, oldest.price_age_days, "hosts", limit)
        ]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retirement_warnings(self) -> list[str]:
        """One warning per host that has retired the offer or retires it soon (``planner fit``'s wording)."""
        return [row.freshness.retirement_warning for row in self.hosts if row.freshness.retirement_warning]


def _row(
    offer: ModelOffer,
    count: TokenCount,
    output_tokens: int,
    reasoning_tokens: int,
    cached_tokens: int,
    today: date | None,
    max_age_days: int | None,
) -> HostRow:
    fit = cost = batch_cost = None
    note = None
    options = {"cached_tokens": min(cached_tokens, count.tokens), "reasoning_tokens": reasoning_tokens}
    try:
        advice = advise_cost(offer, count, output_tokens, **options)  # type: ignore[arg-type]
    except LimitError as error:
        note = error.message
        applied = applied_prices_per_million(offer.pricing, count.tokens)  # what the bill would apply
        _prices, active = effective_prices(offer.pricing, count.tokens)
        tier = tier_label(active.above_tokens if active is not None else None)
    else:
        fit, cost = advice.fit, advice.cost
        applied, tier = advice.prices_per_million, advice.price_tier
        if has_batch_prices(offer.pricing):
            batch_cost = advise_cost(offer, count, output_tokens, **options, batch=True).cost  # type: ignore[arg-type]
        if not offer.context_window:
            note = "context window unknown"
    verdict: Verdict = fit.verdict if fit is not None else ("does_not_fit" if cost is None else "unknown")
    return HostRow(
        offer=offer,
        tokenizer=family_for(offer),
        fit=fit,
        cost=cost,
        batch_cost=batch_cost,
        fits=fit.fits if fit is not None else (False if cost is None else None),
        verdict=verdict,
        total_cost=cost.total_cost if cost is not None else None,
        batch=True if has_batch_prices(offer.pricing) else offer.capabilities.batch_api,
        cache=offer.capabilities.prompt_caching,
        note=note,
        freshness=offer_freshness(offer, today=today, max_age_days=max_age_days),
        prices_per_million=applied,
        price_tier=tier,
    )


def _sort_key(row: HostRow) -> tuple[bool, object, bool, object, str, str]:
    prices = (row.offer.pricing.input, row.offer.pricing.output)
    listed = None if None in prices else sum(prices)  # type: ignore[arg-type]
    cost = row.total_cost
    return (cost is None, cost or 0, listed is None, listed or 0, row.offer.provider, row.offer.id)


def host_families(catalog: Catalog, offer: ModelOffer) -> list[str]:
    """The tokenizer families to count the input with for ``hosts_of`` (usually one)."""
    return sorted({family_for(other) for other in catalog.same_weights(offer)})


def hosts_of(
    catalog: Catalog,
    offer: ModelOffer,
    counts: Mapping[str, int | TokenCount],
    *,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
    cached_tokens: int = 0,
    today: date | None = None,
    max_age_days: int | None = None,
) -> HostsAnswer:
    """Every host of ``offer``'s weights with the fit and cost of the input (``counts``: the input's count
    per tokenizer family, see ``host_families``), cheapest first (rules in the module docstring)."""
    require_non_negative(
        output_tokens=output_tokens, reasoning_tokens=reasoning_tokens, cached_tokens=cached_tokens
    )
    full = {
        family: value if isinstance(value, TokenCount) else TokenCount.exact(family, value, "given")
        for family, value in counts.items()
    }
    rows = []
    for host in catalog.same_weights(offer):
        family = family_for(host)
        if family not in full:
            raise UsageError(f"no count for tokenizer {family} (model {host.id}); count with host_families")
        rows.append(
            _row(host, full[family], output_tokens, reasoning_tokens, cached_tokens, today, max_age_days)
        )
    rows.sort(key=_sort_key)
    thresholds = [tier.above_tokens for row in rows for tier in row.offer.pricing.tiers]
    for row in rows:
        row.tier_missing = bool(thresholds) and not row.offer.pricing.tiers
    return HostsAnswer(
        model=offer.id,
        provider=offer.provider,
        input_tokens={family: count.tokens for family, count in sorted(full.items())},
        output_tokens=output_tokens,
        reasoning_tokens=reasoning_tokens,
        cached_tokens=cached_tokens,
        price_age=oldest_price_age([row.offer for row in rows], today=today, max_age_days=max_age_days),
        hosts=rows,
        tier_above_tokens=min(thresholds, default=None),
    )
