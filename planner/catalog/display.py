"""Text forms of catalog values for tables (the CLI and app present; the arithmetic lives here)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from planner.catalog.schema import MAX_PRICE, ModelOffer
from planner.errors import UsageError
from planner.wording import PER_MILLION, UNKNOWN, per_million_text, usd

_AMOUNT = re.compile(r"\d+(\.\d*)?|\.\d+|\d{1,3}(,\d{3})+(\.\d*)?", re.ASCII)  # not "١٠٠"


def usd_per_million_as_per_token(text: str) -> Decimal:
    """A typed price in US dollars per million tokens ("3", "$0.50", "1,000") as exact US dollars per token;
    ValueError if it is not a plain non-negative number up to the catalog's MAX_PRICE per token (a larger one
    is a typo). A comma is only a thousands separator: "0,5" is refused rather than read as 5."""
    cleaned = text.strip().lstrip("$").strip()
    if not _AMOUNT.fullmatch(cleaned):
        raise ValueError(text)
    price = Decimal(cleaned.replace(",", "")).scaleb(-6)
    if price > MAX_PRICE:
        raise ValueError(text)
    return price


def per_token_from_per_million(text: str | None, option: str) -> Decimal | None:
    """A CLI option given in US dollars per million tokens as Decimal USD per token (None when not given);
    UsageError if it is not a number of 0 or more."""
    if text is None:
        return None
    try:
        return usd_per_million_as_per_token(text)
    except ValueError:
        raise UsageError(
            f"{option} expects a number of US dollars per million tokens, from 0 to "
            f"{MAX_PRICE * PER_MILLION:,}, got '{text}'"
        ) from None


def context_text(offer: ModelOffer) -> str:
    """The window with what it means: "131,072" (total) or "272,000 input" (input-only limit)."""
    if offer.context_window is None:
        return UNKNOWN
    suffix = " input" if offer.context_window_kind == "input" else ""
    return f"{offer.context_window:,}{suffix}"


def price_field_text(field: str, price: Decimal | None) -> str:
    """A price of a ``Pricing`` field for a table: per million tokens, except ``per_request`` (US dollars per
    request, "$0.005000": planner.wording's money rule); "-" when there is none (a price that appeared, or
    went away)."""
    if price is None:
        return "-"
    if field == "per_request":
        return usd(price)
    return per_million_text(price)


def undated_text(day: date, entries: Sequence[Any]) -> str:
    """A history date as text: ``ledger.UNDATED`` (a first price its source does not date) reads "before"
    the first dated entry ("before 2026-08-17")."""
    from planner.catalog.ledger import UNDATED

    if day != UNDATED:
        return day.isoformat()
    later = [entry.as_of for entry in entries if entry.as_of != UNDATED]
    return f"before {min(later).isoformat()}" if later else "undated"
