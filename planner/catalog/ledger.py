"""A dated price ledger: what each offer's per-token prices were, and since when.

- The shipped snapshot starts the history. A record's dated prices (``price_history``, from genai-prices'
  start dates) come first, one entry per price that changed from the period before; a first period without
  a start date is dated by the model's release date when that is earlier, else ``UNDATED`` (1970-01-01: "in
  force before the first dated change"). Then the record's own prices, dated by its ``as_of`` (its pinned
  source's date, see ``data/SOURCES.md``), for each price that differs from the last dated one. They are
  read from the package data when asked for, never copied into the user's ledger. Time-of-day prices
  (``time_of_day_prices``: peak hours) are listed after them with ``hours`` set: a daily schedule, never a
  change, and never used by ``prices_on``.
- Each accepted ``planner catalog refresh`` appends one entry per changed price (offer, field, old, new, the
  source of the new record, the refresh date) to ``price-ledger.jsonl`` beside the refreshed snapshot in the
  user cache. The file is append-only and appended in place (one write of whole lines, flushed and synced,
  after a newline if a crash left half a line), under the refresh lock (``planner.catalog.refresh``) that
  also covers the snapshot, so the ledger stays in step with the catalog in use. A line that is not an entry
  (a torn write, an edit) is skipped by readers with one warning, never fatal, and never rewritten.
  A price that appears or disappears (null on one side) is a change too.
- The prices in force on a date (``prices_on``) are, per field, the newest entry dated on or before it; a
  date before the first entry of an offer has no prices. Long-context tiers are not in the ledger: a past
  date keeps the record's current tiers.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ValidationError

from planner.catalog.schema import ModelOffer, Money, Pricing
from planner.catalog.store import SHIPPED_SNAPSHOT, Catalog, read_snapshot, refreshed_snapshot_path
from planner.errors import CatalogError, PriceUnknownError
from planner.wording import count_of

LEDGER_FILE_NAME = "price-ledger.jsonl"
HISTORY_SOURCE = "genai-prices"  # the source of the records' dated and time-of-day prices
UNDATED = date(1970, 1, 1)  # the start of a first price its source does not date
# every price of a Pricing that is US dollars per token, or per request; tiers are not tracked
LEDGER_FIELDS: tuple[str, ...] = tuple(name for name in Pricing.model_fields if name != "tiers")


class LedgerEntry(BaseModel):
    """One dated price of one offer (``old`` null: the first price known, or a price that appeared)."""

    as_of: date
    provider: str
    id: str
    field: str
    old: Money | None = None
    new: Money | None = None
    source: str
    hours: str | None = None  # "01:00-04:00 UTC": a time-of-day price of a daily schedule, not a change

    def offer_key(self) -> tuple[str, str]:
        return self.provider.lower(), self.id.lower()


def offer_identity(offer: ModelOffer) -> tuple[str, str]:
    """An offer's identity across catalogs: host and id, case-insensitive."""
    return offer.provider.lower(), offer.id.lower()


def price_differences(
    old: Iterable[ModelOffer], new: Iterable[ModelOffer], fields: Iterable[str] = LEDGER_FIELDS
) -> Iterator[tuple[ModelOffer, str, Decimal | None, Decimal | None]]:
    """(offer in ``new``, field, old price, new price) for each price that differs, for offers in both."""
    names = tuple(fields)
    before = {offer_identity(offer): offer for offer in old}
    for offer in new:
        previous = before.get(offer_identity(offer))
        if previous is None:
            continue
        for name in names:
            was, now = getattr(previous.pricing, name), getattr(offer.pricing, name)
            if was != now:
                yield offer, name, was, now


def _undated_start(offer: ModelOffer, first_dated: date | None) -> date:
    release = offer.release_date
    if release is not None and (first_dated is None or release < first_dated):
        return release
    return UNDATED


def _periods(offer: ModelOffer) -> list[tuple[date, Pricing, str]]:
    """(start, prices, source) of each dated price period of the record, then its own prices."""
    dated = [period.since for period in offer.price_history if period.since is not None]
    undated = _undated_start(offer, min(dated, default=None))
    periods = [(period.since or undated, period.pricing, HISTORY_SOURCE) for period in offer.price_history]
    periods.append((offer.as_of, offer.pricing, offer.priced_by))
    return sorted(periods, key=lambda period: period[0])


def snapshot_entries(offer: ModelOffer) -> list[LedgerEntry]:
    """The entries an offer's record starts the history with (rules in the module docstring)."""
    entries: list[LedgerEntry] = []
    state: dict[str, Decimal] = {}
    for day, pricing, source in _periods(offer):
        for name in LEDGER_FIELDS:
            new = getattr(pricing, name)
            if new is not None and state.get(name) != new:
                entries.append(
                    LedgerEntry(
                        as_of=day,
                        provider=offer.provider,
                        id=offer.id,
                        field=name,
                        old=state.get(name),
                        new=new,
                        source=source,
                    )
                )
                state[name] = new
    return entries


def hours_entries(offer: ModelOffer) -> list[LedgerEntry]:
    """The record's time-of-day prices, one entry per price with its ``hours`` (never a change)."""
    return [
        LedgerEntry(
            as_of=offer.as_of,
            provider=offer.provider,
            id=offer.id,
            field=name,
            new=getattr(hours.pricing, name),
            source=HISTORY_SOURCE,
            hours=f"{hours.start.strftime('%H:%M')}-{hours.end.strftime('%H:%M')} UTC",
        )
        for hours in offer.time_of_day_prices
        for name in LEDGER_FIELDS
        if getattr(hours.pricing, name) is not None
    ]


def changes(old: Iterable[ModelOffer], new: Iterable[ModelOffer], day: date) -> list[LedgerEntry]:
    """One entry per price that differs between two catalogs, for offers (host and id) in both."""
    return [
        LedgerEntry(
            as_of=day, provider=offer.provider, id=offer.id, field=name, old=was, new=now, source=offer.source
        )
        for offer, name, was, now in price_differences(old, new)
    ]


def record_refresh(folder: Path, old: Iterable[ModelOffer], new: Iterable[ModelOffer], day: date) -> None:
    """Append a kept refresh's price changes (``changes``) to the ledger in ``folder``."""
    append_entries(ledger_path(folder), changes(old, new, day))


def ledger_path(folder: Path | None = None) -> Path:
    """The ledger beside the refreshed snapshot in ``folder`` (default: the user cache folder)."""
    return (folder if folder is not None else refreshed_snapshot_path().parent) / LEDGER_FILE_NAME


def read_ledger(path: Path, problems: list[str] | None = None) -> list[LedgerEntry]:
    """The entries of a ledger file (none if it does not exist). Lines that are not entries are skipped;
    ``problems`` gets one warning naming them. CatalogError only if the file cannot be read at all."""
    try:
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise CatalogError(f"price ledger {path} cannot be read ({error.strerror or error})") from None
    entries, broken = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entries.append(LedgerEntry.model_validate(json.loads(line, parse_float=Decimal)))
        except (ValueError, ValidationError):
            broken.append(number)
    if broken and problems is not None:
        shown = ", ".join(str(number) for number in broken[:5]) + (", ..." if len(broken) > 5 else "")
        problems.append(
            f"price ledger {path}: skipped {count_of(len(broken), 'line')} that "
            f"{'is' if len(broken) == 1 else 'are'} not a ledger entry (line {shown}); the history shown "
            "leaves them out"
        )
    return entries


def append_entries(path: Path, entries: list[LedgerEntry]) -> None:
    """Append ``entries`` in place: one write of whole lines at the end (after a newline if the file ends
    in half a line), flushed and synced. Callers hold the refresh lock."""
    if not entries:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(entry.model_dump_json() + "\n" for entry in entries).encode("utf-8")
    with path.open("a+b") as handle:
        if handle.seek(0, os.SEEK_END) > 0:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                lines = b"\n" + lines
        handle.write(lines)
        handle.flush()
        os.fsync(handle.fileno())


def history(
    offer: ModelOffer, shipped: ModelOffer | None, entries: Iterable[LedgerEntry]
) -> list[LedgerEntry]:
    """The dated prices of ``offer``: its shipped record's entries (if the snapshot has it), then the ledger's
    entries for the same host and id, oldest first (a stable sort: same-day entries keep their order)."""
    start = snapshot_entries(shipped) if shipped is not None else []
    mine = [entry for entry in entries if entry.offer_key() == offer_identity(offer)]
    return sorted([*start, *mine], key=lambda entry: entry.as_of)


def prices_on(offer: ModelOffer, day: date, entries: list[LedgerEntry]) -> Pricing:
    """The prices of ``offer`` in force on ``day`` from its history (``history``); PriceUnknownError (exit 7:
    a price the answer needs is unknown) for a day before it."""
    known = [entry for entry in entries if entry.as_of <= day and entry.hours is None]
    if not known:
        first = min((entry.as_of for entry in entries), default=offer.as_of)
        raise PriceUnknownError(
            f"no prices of {offer.id} ({offer.provider}) are known on {day.isoformat()}; "
            f"its price history starts on {first.isoformat()}"
        )
    values: dict[str, Decimal | None] = dict.fromkeys(LEDGER_FIELDS)
    for entry in known:  # oldest first: the newest entry of each field wins
        values[entry.field] = entry.new
    return Pricing(**values, tiers=offer.pricing.tiers)


@functools.cache
def _shipped_snapshot() -> Catalog:
    """The shipped snapshot, read once per process: package data never changes while it runs, and a
    refreshed catalog asked for the history of a model on each of 30 days read it 60 times (32 s of CPU for
    `planner spend` on a month of logs, 2 s with the shipped catalog in use)."""
    return read_snapshot(SHIPPED_SNAPSHOT, "shipped")


def _shipped_record(catalog: Catalog, offer: ModelOffer) -> ModelOffer | None:
    if offer.source.startswith("custom:"):
        return offer
    shipped = catalog if catalog.info.origin == "shipped" else _shipped_snapshot()
    return shipped.offer_for(offer.provider, offer.id)


def offer_history(
    catalog: Catalog, offer: ModelOffer, path: Path | None = None, problems: list[str] | None = None
) -> list[LedgerEntry]:
    """``history`` of an offer of ``catalog``: started by the shipped snapshot's record (a custom offer by
    its own record), then the user ledger's entries (``path``, default ``ledger_path()``; a warning about
    skipped lines goes to ``problems``)."""
    if offer.source.startswith("custom:"):
        return snapshot_entries(offer)
    entries = read_ledger(path or ledger_path(), problems)
    return history(offer, _shipped_record(catalog, offer), entries)


def offer_hours(catalog: Catalog, offer: ModelOffer) -> list[LedgerEntry]:
    """The time-of-day prices of an offer (``hours_entries`` of its shipped record): a daily schedule kept
    apart from ``offer_history``, so no reader takes them for a change."""
    shipped = _shipped_record(catalog, offer)
    return hours_entries(shipped) if shipped is not None else []


def offer_as_of(
    catalog: Catalog,
    offer: ModelOffer,
    day: date,
    path: Path | None = None,
    problems: list[str] | None = None,
) -> ModelOffer:
    """``offer`` with the prices in force on ``day`` (``prices_on``); PriceUnknownError for a day before its
    history starts. Its ``as_of`` is the last day those prices are known to have been in force: the newest
    entry used, or ``day`` itself when the shipped record (whose source vouches for its whole dated history
    up to its own date) is of that day or later, else that record's date."""
    entries = offer_history(catalog, offer, path, problems)
    pricing = prices_on(offer, day, entries)
    used = max(entry.as_of for entry in entries if entry.as_of <= day and entry.hours is None)
    shipped = _shipped_record(catalog, offer)
    if shipped is not None:
        used = max(used, min(day, shipped.as_of))
    return offer.model_copy(update={"pricing": pricing, "as_of": used})
