"""How current an offer's record is: the age of its prices, and whether its host is retiring it.

Rules (the only place they live; the CLI and the app render ``Freshness``):
- A price's date is its record's ``as_of`` (the date of the source it came from: a pinned file's date in
  ``data/SOURCES.md``, or the day of a ``planner catalog refresh``). ``price_age_days`` is today minus that.
- Prices older than ``max_price_age_days`` (``DEFAULT_MAX_PRICE_AGE_DAYS`` = 90, else the
  ``PLANNER_MAX_PRICE_AGE_DAYS`` environment variable, else a caller's value) are stale: the answer warns
  and suggests ``planner catalog refresh``. Prices asked for a past day (``planner cost --as-of``) are aged
  up to that day, and the warning names it.
- An answer warns of the prices it used, once each: ``fit`` shows no price of its own model, so it warns
  only of the suggested models' prices it shows (``used_price_warnings``).
- Retirement: the earlier of the host's ``deprecation_date`` (LiteLLM) and ``expiration_date`` (OpenRouter).
  A date already past, or within ``RETIREMENT_NOTICE_DAYS`` (30) days, warns; so does a source's ``status``
  of "deprecated" without a date.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, Field

from planner.catalog.schema import ModelOffer
from planner.errors import UsageError

DEFAULT_MAX_PRICE_AGE_DAYS = 90
MAX_PRICE_AGE_ENV = "PLANNER_MAX_PRICE_AGE_DAYS"
RETIREMENT_NOTICE_DAYS = 30
REFRESH_HINT = "run `planner catalog refresh` for current prices"


class PriceAge(BaseModel):
    """How old a set of prices is (``as_of`` is the oldest date among them)."""

    as_of: date
    price_age_days: int
    max_price_age_days: int
    stale: bool


class Freshness(PriceAge):
    """One offer: its price age, its retirement date if any, and the warnings an answer shows for it."""

    model: str
    provider: str
    retires_on: date | None = None
    days_until_retirement: int | None = None  # negative once past
    retirement_warning: str | None = None  # the retirement warning alone (also in ``warnings``)
    warnings: list[str] = Field(default_factory=list)


def today_utc() -> date:
    return datetime.now(UTC).date()


def max_price_age_days(value: int | None = None) -> int:
    """The staleness limit in days: ``value``, else $PLANNER_MAX_PRICE_AGE_DAYS, else 90."""
    if value is None:
        configured = os.environ.get(MAX_PRICE_AGE_ENV, "").strip()
        if not configured:
            return DEFAULT_MAX_PRICE_AGE_DAYS
        try:
            value = int(configured)
        except ValueError:
            problem = f"{MAX_PRICE_AGE_ENV} must be a whole number of days, got {configured!r}"
            raise UsageError(problem) from None
    if value < 0:
        raise UsageError(f"the maximum price age must be 0 days or more, got {value}")
    return value


def price_age(as_of: date, *, today: date | None = None, max_age_days: int | None = None) -> PriceAge:
    limit = max_price_age_days(max_age_days)
    age = ((today or today_utc()) - as_of).days
    return PriceAge(as_of=as_of, price_age_days=age, max_price_age_days=limit, stale=age > limit)


def oldest_price_age(
    offers: Iterable[ModelOffer], *, today: date | None = None, max_age_days: int | None = None
) -> PriceAge | None:
    """The age of the oldest prices among ``offers`` (an answer over many offers is as old as its oldest)."""
    dates = [offer.as_of for offer in offers]
    return price_age(min(dates), today=today, max_age_days=max_age_days) if dates else None


def stale_warning(offer: ModelOffer, age: PriceAge, priced_on: date | None = None) -> str:
    """The warning of stale prices; ``priced_on``: the day asked for (``--as-of``), which the age is of."""
    return _stale_text(offer.id, offer.provider, age, priced_on)


def used_price_warnings(
    freshness: Freshness,
    used: Iterable[tuple[str, str, date]],
    *,
    today: date | None = None,
    max_age_days: int | None = None,
) -> list[str]:
    """The warnings of an answer that showed the prices of ``used`` (id, host, as of: e.g. the models a fit
    suggests) and none of its own offer's: each stale one once, then the offer's retirement warning."""
    warnings: list[str] = []
    for model_id, provider, as_of in used:
        age = price_age(as_of, today=today, max_age_days=max_age_days)
        text = _stale_text(model_id, provider, age)
        if age.stale and text not in warnings:
            warnings.append(text)
    return [*warnings, *([freshness.retirement_warning] if freshness.retirement_warning else [])]


def _stale_text(model_id: str, provider: str, age: PriceAge, priced_on: date | None = None) -> str:
    label = f"prices for {model_id} ({provider})"
    if priced_on is not None:
        return (
            f"{label} in force on {priced_on.isoformat()} were {age.price_age_days:,} days old that day "
            f"(as of {age.as_of.isoformat()}, over the {age.max_price_age_days}-day limit): the price "
            "history has nothing newer for that date"
        )
    return (
        f"{label} are {age.price_age_days:,} days old (as of "
        f"{age.as_of.isoformat()}, over the {age.max_price_age_days}-day limit); {REFRESH_HINT}"
    )


def stale_summary(
    stale: int, total: int, oldest: date, oldest_age_days: int, noun: str = "models", limit: int | None = None
) -> str:
    """The one warning of an answer over many offers (``noun``: "models" of a comparison, "hosts" of one
    model), some of whose prices are stale; ``limit``: the staleness limit the rows were judged by."""
    return (
        f"prices of {stale:,} of {total:,} {noun} are over {max_price_age_days(limit)} days old (the oldest "
        f"as of {oldest.isoformat()}, {oldest_age_days:,} days); {REFRESH_HINT}"
    )


def retirement_date(offer: ModelOffer) -> date | None:
    dates = [day for day in (offer.deprecation_date, offer.expiration_date) if day is not None]
    return min(dates) if dates else None


def _retirement_warning(offer: ModelOffer, retires_on: date | None, days_left: int | None) -> str | None:
    label = f"{offer.id} ({offer.provider})"
    if retires_on is not None and days_left is not None:
        if days_left < 0:
            return f"{label} was retired by its host on {retires_on.isoformat()}; choose another model"
        if days_left <= RETIREMENT_NOTICE_DAYS:
            return (
                f"{label} is retired by its host on {retires_on.isoformat()} (in {days_left} days); "
                "plan a move to another model or host"
            )
        return None
    if (offer.status or "").lower() == "deprecated":
        return f"{label} is marked deprecated by {offer.source}; choose another model or host"
    return None


def offer_freshness(
    offer: ModelOffer,
    *,
    today: date | None = None,
    max_age_days: int | None = None,
    priced_on: date | None = None,
) -> Freshness:
    """The freshness of one offer's record (rules in the module docstring). ``priced_on``: the prices are
    the ones in force on that day (``planner cost --as-of``), so their age is counted up to that day, not
    today; retirement is still judged on today."""
    day = today or today_utc()
    age = price_age(offer.as_of, today=priced_on or day, max_age_days=max_age_days)
    retires_on = retirement_date(offer)
    days_left = (retires_on - day).days if retires_on is not None else None
    warnings = [stale_warning(offer, age, priced_on)] if age.stale else []
    retirement = _retirement_warning(offer, retires_on, days_left)
    if retirement:
        warnings.append(retirement)
    return Freshness(
        **age.model_dump(),
        model=offer.id,
        provider=offer.provider,
        retires_on=retires_on,
        days_until_retirement=days_left,
        retirement_warning=retirement,
        warnings=warnings,
    )


def freshness_keys(freshness: Freshness | None) -> dict[str, Any]:
    """The keys every JSON answer that uses prices adds: ``as_of``, ``price_age_days``,
    ``max_price_age_days``, ``price_warnings`` and ``retires_on`` (empty without a freshness)."""
    if freshness is None:
        return {}
    return {
        "as_of": freshness.as_of.isoformat(),
        "price_age_days": freshness.price_age_days,
        "max_price_age_days": freshness.max_price_age_days,
        "price_warnings": list(freshness.warnings),
        "retires_on": freshness.retires_on.isoformat() if freshness.retires_on else None,
    }
