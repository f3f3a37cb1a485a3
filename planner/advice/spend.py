"""Spend from real traffic: usage exports priced as billed, and the same traffic re-priced on other offers.

Rules:

- **As billed.** Each row is priced on its own model at its own host (the host the export names; LiteLLM's
  provider names mapped as the catalog maps LiteLLM's, ``naming.HOST_ALIASES``) with the prices in force on
  the row's day (``planner.catalog.ledger``: the shipped snapshot, then each refresh's changes). A model the
  catalog does not list under that exact id on that host is looked up by the catalog's id rules
  (``Catalog.resolve``: aliases, names, the same id on another host), and the match is shown. A row dated
  before its offer's price history is priced at the earliest prices known, and the answer says so.
- **What the row says** prices it (``planner.advice.prices.usage_cost``): cache reads, 5-minute and 1-hour
  cache writes, batch, the service tier, and the long-context tier: a request's own prompt picks the tier;
  a summed row (a day of requests) never reaches a tier by its summed tokens, only when the export says its
  prompts were above 200,000 tokens (Anthropic's ``200k-1M``), at the tier a ``LONG_CONTEXT_PROMPT``-token
  prompt reaches.
- **Left out, never guessed.** The export's bad rows, rows whose model the catalog does not know and rows
  that need a price the catalog lacks are listed in ``skipped`` with their place and left out of every total.
- **Totals** by model (offer), by day and overall. Where the export carries its own cost (LiteLLM's
  ``spend``) each model shows it and the difference (ours minus the export's) over the rows that carry it.
- **As if** (``as_if``): the priced rows on another offer at its current catalog prices, with the same input,
  cached, cache-write and output tokens. Batch rows use its batch prices when it lists both, else its list
  prices (noted); flex or priority rows its standard prices (noted). The input is recounted only when the
  offer's tokenizer family differs from the row's model's and the row carries its request text (counted as
  ``planner batch`` counts a request: chat template included); otherwise the count stays the source family's
  and the answer gives the band the estimate rules' factors imply (target over source, across kinds of text).
  A per-request export also says how many requests would not fit the offer (``fit_rule``); a summed export
  cannot tell (None).
- **Cheapest** (``cheapest``): the paid offers (``policy.offer_class``) that take every request, priced on
  the source counts, the ``policy.CHEAPEST_OFFERS`` cheapest first. An offer takes the traffic when the
  largest prompt, the largest answer and the largest request each fit it; for a summed row its average
  request (tokens / requests) stands in (its largest request is at least that large), and the window must
  be above 200,000 tokens where the export says prompts were.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer

from planner.advice.batch import BadLine, BatchRequest, request_tokens
from planner.advice.fit_rule import UnknownWindowError, fit_verdict
from planner.advice.policy import CHEAPEST_OFFERS, offer_class
from planner.advice.prices import (
    CURRENCY,
    ServiceTier,
    UsageCost,
    exact_money,
    has_batch_prices,
    usage_cost,
)
from planner.catalog import naming
from planner.catalog.ledger import offer_as_of, offer_history
from planner.catalog.schema import ModelOffer, Money, decimal_text
from planner.catalog.store import Catalog
from planner.errors import LimitError, NothingCountedError, PriceUnknownError, UnknownModelError, UsageError
from planner.inputs.usage_exports import UsageExport, UsageRow, read_usage_export
from planner.tokens.counts import TextKind, estimate_factors
from planner.tokens.families import family_for, get_family, is_exact
from planner.wording import count_of

# a prompt "above 200,000 tokens" (Anthropic's 200k-1M class), for the long-context tier rule
LONG_CONTEXT_PROMPT = 200_001
TEXT_KINDS: tuple[TextKind, ...] = ("prose", "non_english_prose", "code", "json", "cjk")
# A signed amount of US dollars (a difference), serialised as a decimal string like Money.
SignedMoney = Annotated[Decimal, PlainSerializer(decimal_text, return_type=str, when_used="always")]


class SkippedRow(BaseModel):
    place: str
    reason: str


class ModelMatch(BaseModel):
    """An export's model name and the catalog offer its rows were priced on."""

    export_model: str
    export_host: str | None
    id: str
    provider: str
    matched_by: str  # the catalog's id rule ("id", "host/id", "name", "words") or "other host"


class ModelSpend(BaseModel):
    id: str
    provider: str
    tokenizer: str
    rows: int = 0
    requests: int | None = 0  # None: the export does not count requests
    input_tokens: int = 0
    cached_tokens: int = 0
    cache_write_tokens: int = 0
    output_tokens: int = 0
    total_cost: Money = Decimal(0)
    reported_cost: Money | None = None  # the export's own cost (LiteLLM's spend) of the rows that carry it
    reported_difference: SignedMoney | None = None  # ours minus the export's, over the same rows
    price_dates: list[date] = Field(default_factory=list)  # the price records used (planner catalog history)


class DayModelSpend(BaseModel):
    id: str
    provider: str
    total_cost: Money


class DaySpend(BaseModel):
    day: date
    rows: int
    total_cost: Money
    by_model: list[DayModelSpend] = Field(default_factory=list)  # the day's cost per model, largest first


class AsIf(BaseModel):
    """The same traffic priced on another offer."""

    id: str
    provider: str
    tokenizer: str
    total_cost: Money | None  # None: a price it needs is unknown (missing_prices)
    difference: SignedMoney | None  # total_cost minus the traffic's cost as billed
    requests_over_window: int | None  # None: a summed export (or no window) cannot tell
    input_tokens: int
    input_tokens_low: int
    input_tokens_high: int
    recounted_requests: int = 0
    count_note: str | None = None
    missing_prices: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class CheapOffer(BaseModel):
    id: str
    provider: str
    context_window: int | None
    total_cost: Money
    difference: SignedMoney


class ExportSummary(BaseModel):
    path: str
    format: str
    label: str
    rows: int
    bad_rows: int


class SpendReport(BaseModel):
    """The answer of ``planner spend``."""

    currency: str = CURRENCY
    exports: list[ExportSummary]
    rows: int  # rows priced
    requests: int | None  # None: some export does not count requests
    total_cost: Money
    by_model: list[ModelSpend]
    by_day: list[DaySpend]
    as_if: list[AsIf] = Field(default_factory=list)
    cheapest: list[CheapOffer] | None = None
    per_request: bool  # every row is one request (so fit per request is known)
    matches: list[ModelMatch] = Field(default_factory=list)
    skipped: list[SkippedRow] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


@dataclass
class _Priced:
    """A row priced as billed."""

    row: UsageRow
    offer: ModelOffer  # the catalog's offer (today's record)
    cost: Decimal
    family: str


@dataclass
class _Pricer:
    """Looks up offers and dated prices once per model and day."""

    catalog: Catalog
    ledger: Path | None
    offers: dict[tuple[str, str | None], tuple[ModelOffer, ModelMatch | None]] = field(default_factory=dict)
    dated: dict[tuple[str, str, date], ModelOffer] = field(default_factory=dict)
    early: dict[str, date] = field(default_factory=dict)  # offer -> first day of its history, when used early

    def offer(self, row: UsageRow) -> tuple[ModelOffer, ModelMatch | None]:
        host = catalog_host(row.host)
        key = (row.model, host)
        if key not in self.offers:
            self.offers[key] = self._resolve(row.model, host, row.host)
        return self.offers[key]

    def _resolve(
        self, model: str, host: str | None, export_host: str | None
    ) -> tuple[ModelOffer, ModelMatch | None]:
        name = model  # LiteLLM's "vertex_ai/gemini-2.5-pro" names the host twice: read it once
        for prefix in (export_host, host):
            if prefix and name.lower().startswith(f"{prefix.lower()}/"):
                name = name[len(prefix) + 1 :]
        try:
            found = self.catalog.resolve(name, host)
            kind: str = found.matched_by
        except UnknownModelError:
            if host is None:
                raise
            found = self.catalog.resolve(name)  # UnknownModelError: the model is unknown on every host
            kind = "other host"
        offer = found.offer
        exact = kind == "id" and offer.id.lower() == model.lower()
        if exact and (host is None or offer.provider.lower() == host.lower()):
            return offer, None
        return offer, ModelMatch(
            export_model=model, export_host=host, id=offer.id, provider=offer.provider, matched_by=kind
        )

    def on_day(self, offer: ModelOffer, day: date) -> ModelOffer:
        key = (offer.provider, offer.id, day)
        if key not in self.dated:
            try:
                self.dated[key] = offer_as_of(self.catalog, offer, day, self.ledger)
            except PriceUnknownError:
                first = min(entry.as_of for entry in offer_history(self.catalog, offer, self.ledger))
                self.early[f"{offer.id} ({offer.provider})"] = first
                self.dated[key] = offer_as_of(self.catalog, offer, first, self.ledger)
        return self.dated[key]


def catalog_host(host: str | None) -> str | None:
    """An export's host name in the catalog's spelling (LiteLLM's provider names mapped as the catalog maps
    them when it reads LiteLLM's price list)."""
    if not host:
        return None
    return naming.HOST_ALIASES.get(host, host.replace("_", "-"))


def tier_prompt(row: UsageRow) -> int | None:
    """The prompt size that picks a long-context tier for the row (module doc); None: the row's own input."""
    if row.per_request:
        return None
    return LONG_CONTEXT_PROMPT if row.long_context else 0


def read_exports(paths: Sequence[str | Path]) -> list[UsageExport]:
    if not paths:
        raise UsageError("give one or more usage export files")
    return [read_usage_export(path) for path in paths]


@exact_money
def plan_spend(
    exports: Sequence[UsageExport],
    catalog: Catalog,
    *,
    as_offers: Sequence[ModelOffer] = (),
    cheapest: bool = False,
    provider: str | None = None,
    ledger: Path | None = None,
) -> SpendReport:
    """Price the exports' rows as billed, then on each of ``as_offers`` and, with ``cheapest``, on the
    cheapest offers that take every request (rules in the module doc); ``ledger``: the price ledger to read
    (default: the user's)."""
    pricer = _Pricer(catalog, ledger)
    skipped = [
        SkippedRow(place=bad.place, reason=bad.reason) for export in exports for bad in export.bad_rows
    ]
    priced: list[_Priced] = []
    for row in (row for export in exports for row in export.rows):
        try:
            priced.append(_price_row(pricer, row))
        except _Skip as skip:
            skipped.append(SkippedRow(place=row.place, reason=str(skip)))
    if not priced:
        _nothing_priced(exports, skipped)
    billed = sum((item.cost for item in priced), Decimal(0))
    report = SpendReport(
        exports=[_summary(export) for export in exports],
        rows=len(priced),
        requests=None if any(item.row.requests is None for item in priced) else _requests(priced),
        total_cost=billed,
        by_model=_by_model(priced, pricer),
        by_day=_by_day(priced),
        per_request=all(item.row.per_request for item in priced),
        matches=_matches(pricer),
        skipped=skipped,
        notes=_notes(exports, pricer),
    )
    report.as_if = [as_if(priced, offer, billed) for offer in as_offers]
    if cheapest:
        report.cheapest = cheapest_offers(priced, catalog, billed, provider)
    return report


class _Skip(Exception):
    """A row that cannot be priced as billed; the reason goes into ``skipped``."""


def _price_row(pricer: _Pricer, row: UsageRow) -> _Priced:
    try:
        offer, _match = pricer.offer(row)
    except UnknownModelError as error:
        raise _Skip(error.message) from None
    dated = pricer.on_day(offer, row.day)
    tier: ServiceTier = row.service_tier  # type: ignore[assignment]  # the reader keeps SERVICE_TIERS only
    try:
        cost = _cost(dated, row, row.input_tokens, batch=row.batch, service_tier=tier)
    except UsageError as error:  # a count above the exact-money bound (10^18)
        raise _Skip(error.message) from None
    if cost.total_cost is None:
        names = ", ".join(cost.missing_prices)
        raise _Skip(
            f"no {names} price for {offer.id} ({offer.provider}) on {row.day.isoformat()}: not priced"
        )
    return _Priced(row, offer, cost.total_cost, family_for(offer))


def _cost(
    offer: ModelOffer,
    row: UsageRow,
    input_tokens: int,
    *,
    batch: bool,
    service_tier: ServiceTier = "standard",
) -> UsageCost:
    """``usage_cost`` of the row on ``offer`` with ``input_tokens`` as its prompt (cache parts capped)."""
    cached = min(row.cached_tokens, input_tokens)
    five = min(row.cache_write_tokens, input_tokens - cached)
    hour = min(row.cache_write_1h_tokens, input_tokens - cached - five)
    return usage_cost(
        offer,
        input_tokens,
        row.output_tokens,
        cached_tokens=cached,
        cache_write_tokens=five,
        cache_write_1h_tokens=hour,
        requests=row.requests,
        tier_prompt_tokens=tier_prompt(row),
        batch=batch,
        service_tier=service_tier,
    )


def _nothing_priced(exports: Sequence[UsageExport], skipped: list[SkippedRow]) -> None:
    names = ", ".join(export.path for export in exports)
    if not skipped:
        raise NothingCountedError(f"no usage rows in {names}")
    first = skipped[0]
    raise NothingCountedError(
        f"nothing was priced: {count_of(len(skipped), 'row')} of {names} skipped "
        f"(the first, {first.place}: {first.reason})"
    )


def _summary(export: UsageExport) -> ExportSummary:
    return ExportSummary(
        path=export.path,
        format=export.format,
        label=export.label,
        rows=len(export.rows),
        bad_rows=len(export.bad_rows),
    )


def _requests(priced: Iterable[_Priced]) -> int:
    return sum(item.row.requests or 0 for item in priced)


def _by_model(priced: list[_Priced], pricer: _Pricer) -> list[ModelSpend]:
    models: dict[tuple[str, str], ModelSpend] = {}
    ours_reported: dict[tuple[str, str], Decimal] = {}
    for item in priced:
        key = (item.offer.provider, item.offer.id)
        spend = models.setdefault(
            key, ModelSpend(id=item.offer.id, provider=item.offer.provider, tokenizer=item.family)
        )
        row = item.row
        spend.rows += 1
        spend.requests = _add_requests(spend.requests, row.requests)
        spend.input_tokens += row.input_tokens
        spend.cached_tokens += row.cached_tokens
        spend.cache_write_tokens += row.cache_write_tokens + row.cache_write_1h_tokens
        spend.output_tokens += row.output_tokens
        spend.total_cost += item.cost
        dated = pricer.on_day(item.offer, row.day).as_of
        if dated not in spend.price_dates:
            spend.price_dates.append(dated)
        if row.reported_cost is not None:
            spend.reported_cost = (spend.reported_cost or Decimal(0)) + row.reported_cost
            ours_reported[key] = ours_reported.get(key, Decimal(0)) + item.cost
    for key, spend in models.items():
        spend.price_dates.sort()
        if spend.reported_cost is not None:
            spend.reported_difference = ours_reported[key] - spend.reported_cost
    return sorted(models.values(), key=lambda spend: (-spend.total_cost, spend.provider, spend.id))


def _add_requests(total: int | None, more: int | None) -> int | None:
    """Requests summed; None once a row does not count them."""
    return None if total is None or more is None else total + more


def _by_day(priced: list[_Priced]) -> list[DaySpend]:
    days: dict[date, DaySpend] = {}
    models: dict[tuple[date, str, str], DayModelSpend] = {}
    for item in priced:
        spend = days.setdefault(item.row.day, DaySpend(day=item.row.day, rows=0, total_cost=Decimal(0)))
        spend.rows += 1
        spend.total_cost += item.cost
        key = (item.row.day, item.offer.provider, item.offer.id)
        if key not in models:
            models[key] = DayModelSpend(id=item.offer.id, provider=item.offer.provider, total_cost=Decimal(0))
            spend.by_model.append(models[key])
        models[key].total_cost += item.cost
    for spend in days.values():
        spend.by_model.sort(key=lambda model: (-model.total_cost, model.provider, model.id))
    return [days[day] for day in sorted(days)]


def _matches(pricer: _Pricer) -> list[ModelMatch]:
    return [match for _offer, match in pricer.offers.values() if match is not None]


def _notes(exports: Sequence[UsageExport], pricer: _Pricer) -> list[str]:
    notes = [note for export in exports for note in export.notes]
    notes += [
        f"{name}: rows dated before {first.isoformat()} (where its price history starts) are priced at its "
        "earliest known prices"
        for name, first in sorted(pricer.early.items())
    ]
    return notes


# ---------------------------------------------------------------- as if


@dataclass
class _AsIfTally:
    total: Decimal | None = Decimal(0)
    missing: list[str] = field(default_factory=list)
    tokens: int = 0
    low: int = 0
    high: int = 0
    recounted: int = 0
    over: int = 0
    fit_known: bool = True
    list_priced_batch: int = 0
    standard_for_tier: int = 0
    bands: set[tuple[str, str]] = field(default_factory=set)


def as_if(priced: Sequence[_Priced], target: ModelOffer, billed: Decimal) -> AsIf:
    """The priced rows on ``target`` (module doc)."""
    family = family_for(target)
    tally = _AsIfTally()
    batch_prices = has_batch_prices(target.pricing)
    for item in priced:
        tokens = _target_input(item, target, family, tally)
        row = item.row
        tally.list_priced_batch += row.batch and not batch_prices
        tally.standard_for_tier += row.service_tier != "standard"
        cost = _cost(target, row, tokens, batch=row.batch and batch_prices)
        if cost.total_cost is None:
            tally.missing += [name for name in cost.missing_prices if name not in tally.missing]
            tally.total = None
        elif tally.total is not None:
            tally.total += cost.total_cost
        _check_fit(target, row, tokens, tally)
    return AsIf(
        id=target.id,
        provider=target.provider,
        tokenizer=family,
        total_cost=tally.total,
        difference=None if tally.total is None else tally.total - billed,
        requests_over_window=tally.over if tally.fit_known else None,
        input_tokens=tally.tokens,
        input_tokens_low=tally.low,
        input_tokens_high=tally.high,
        recounted_requests=tally.recounted,
        count_note=_count_note(tally, family),
        missing_prices=tally.missing,
        notes=_as_if_notes(target, tally),
    )


def _target_input(item: _Priced, target: ModelOffer, family: str, tally: _AsIfTally) -> int:
    """The row's prompt on ``target``: recounted from its text when the families differ, else the source's."""
    row = item.row
    if family != item.family and row.messages and row.per_request:
        request = BatchRequest(0, row.place, row.model, {"messages": row.messages}, None)
        try:
            count, _warnings, _images = request_tokens(request, target, family)
        except BadLine:
            count = None
        if count is not None:
            tally.recounted += 1
            tally.tokens += count.tokens
            tally.low += count.tokens_low
            tally.high += count.tokens_high
            return count.tokens
    tally.tokens += row.input_tokens
    if family == item.family:
        tally.low += row.input_tokens
        tally.high += row.input_tokens
    else:
        low, high = family_band(item.family, family)
        tally.low += math.floor(row.input_tokens * low)
        tally.high += math.ceil(row.input_tokens * high)
        tally.bands.add((item.family, family))
    return row.input_tokens


def _check_fit(target: ModelOffer, row: UsageRow, tokens: int, tally: _AsIfTally) -> None:
    if not row.per_request:
        tally.fit_known = False
        return
    try:
        verdict, _limit, _headroom = fit_verdict(target, tokens, row.output_tokens)
    except UnknownWindowError:
        tally.fit_known = False
        return
    except LimitError:  # the answer is longer than the offer's max output
        verdict = "does_not_fit"
    tally.over += verdict == "does_not_fit"


def _factor(family: str, kind: TextKind) -> float:
    """The estimate rules' central factor of ``family`` over the base family (an exact family without
    measured factors counts as the base family)."""
    if is_exact(family) and get_family(family).factors == "unknown":
        return 1.0
    return estimate_factors(family, kind)[1]


def family_band(source: str, target: str) -> tuple[float, float]:
    """How many tokens ``target`` counts for each ``source`` token, lowest and highest over the kinds of
    text (the estimate rules' central factors, target over source)."""
    ratios = [_factor(target, kind) / _factor(source, kind) for kind in TEXT_KINDS]
    return min(ratios), max(ratios)


def _count_note(tally: _AsIfTally, family: str) -> str | None:
    parts = []
    if tally.recounted:
        parts.append(f"{count_of(tally.recounted, 'request')} recounted with {family} from their text")
    for source, target in sorted(tally.bands):
        low, high = family_band(source, target)
        parts.append(
            f"input counted by {source} (no request text to recount): {target} may count "
            f"{low:.2f}-{high:.2f}x as many (the estimate rules' factors)"
        )
    return "; ".join(parts) or None


def _as_if_notes(target: ModelOffer, tally: _AsIfTally) -> list[str]:
    name = f"{target.id} ({target.provider})"
    notes = []
    if tally.list_priced_batch:
        notes.append(
            f"{count_of(tally.list_priced_batch, 'batch row')} priced at {name}'s list prices "
            "(no batch prices)"
        )
    if tally.standard_for_tier:
        notes.append(f"{count_of(tally.standard_for_tier, 'flex or priority row')} priced at standard prices")
    if tally.total is None:
        notes.append(f"{name} has no {', '.join(tally.missing)} price: the total is unknown")
    return notes


# ---------------------------------------------------------------- cheapest


@dataclass
class _Sums:
    input: int = 0
    cached: int = 0
    five: int = 0
    hour: int = 0
    output: int = 0
    requests: int | None = 0


def _grouped(priced: Sequence[_Priced], thresholds: tuple[int, ...]) -> dict[tuple[bool, int], _Sums]:
    """Token sums by (batch, the prompt size that picks the same long-context tier): for an offer whose
    tiers start above ``thresholds``, a prompt prices like ``threshold + 1`` of the highest threshold it
    passes, or like 0 below them all (no thresholds: one group per batch flag)."""
    groups: dict[tuple[bool, int], _Sums] = {}
    for item in priced:
        row = item.row
        prompt = row.input_tokens if row.per_request else tier_prompt(row) or 0
        passed = max((limit + 1 for limit in thresholds if prompt > limit), default=0)
        sums = groups.setdefault((row.batch, passed), _Sums())
        sums.input += row.input_tokens
        sums.cached += row.cached_tokens
        sums.five += row.cache_write_tokens
        sums.hour += row.cache_write_1h_tokens
        sums.output += row.output_tokens
        sums.requests = _add_requests(sums.requests, row.requests)
    return groups


def _group_total(offer: ModelOffer, groups: dict[tuple[bool, int], _Sums]) -> Decimal | None:
    total = Decimal(0)
    batch_prices = has_batch_prices(offer.pricing)
    for (batch, prompt), sums in groups.items():
        cost = usage_cost(
            offer,
            sums.input,
            sums.output,
            cached_tokens=sums.cached,
            cache_write_tokens=sums.five,
            cache_write_1h_tokens=sums.hour,
            requests=sums.requests,
            tier_prompt_tokens=prompt,
            batch=batch and batch_prices,
        )
        if cost.total_cost is None:
            return None
        total += cost.total_cost
    return total


def _takes_every_request(offer: ModelOffer, largest: list[UsageRow], long_context: bool) -> bool:
    if not offer.context_window:
        return False
    if long_context and offer.context_window <= LONG_CONTEXT_PROMPT - 1:
        return False
    for row in largest:
        try:
            verdict, _limit, _headroom = fit_verdict(offer, row.input_tokens, row.output_tokens)
        except (LimitError, UnknownWindowError):
            return False
        if verdict == "does_not_fit":
            return False
    return True


def _average(row: UsageRow) -> UsageRow | None:
    """A summed row's average request (tokens / requests, rounded up): its largest request is at least
    this large, so an offer that cannot take it cannot take every request. None without a request count."""
    if not row.requests:
        return None
    return replace(
        row,
        input_tokens=-(-row.input_tokens // row.requests),
        output_tokens=-(-row.output_tokens // row.requests),
        requests=1,
        per_request=True,
    )


def cheapest_offers(
    priced: Sequence[_Priced], catalog: Catalog, billed: Decimal, provider: str | None = None
) -> list[CheapOffer]:
    """The ``CHEAPEST_OFFERS`` cheapest paid offers that take every request (module doc)."""
    requests = [item.row if item.row.per_request else _average(item.row) for item in priced]
    known = [row for row in requests if row is not None]
    largest = (
        [
            max(known, key=lambda row: row.input_tokens),
            max(known, key=lambda row: row.output_tokens),
            max(known, key=lambda row: row.input_tokens + row.output_tokens),
        ]
        if known
        else []
    )
    long_context = any(item.row.long_context for item in priced)
    groupings: dict[tuple[int, ...], dict[tuple[bool, int], _Sums]] = {}  # one per set of tier thresholds
    found: list[tuple[Decimal, ModelOffer]] = []
    seen: set[tuple[str, str, Decimal]] = set()
    for offer in catalog.offers:
        if offer_class(offer) != "paid" or (provider and offer.provider.lower() != provider.lower()):
            continue
        if not _takes_every_request(offer, largest, long_context):
            continue
        thresholds = tuple(sorted({tier.above_tokens for tier in offer.pricing.tiers}))
        if thresholds not in groupings:
            groupings[thresholds] = _grouped(priced, thresholds)
        total = _group_total(offer, groupings[thresholds])
        if total is None or (offer.name, offer.provider, total) in seen:
            continue
        seen.add((offer.name, offer.provider, total))
        found.append((total, offer))
    found.sort(key=lambda pair: (pair[0], pair[1].provider, pair[1].id))
    return [
        CheapOffer(
            id=offer.id,
            provider=offer.provider,
            context_window=offer.context_window,
            total_cost=total,
            difference=total - billed,
        )
        for total, offer in found[:CHEAPEST_OFFERS]
    ]
