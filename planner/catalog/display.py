"""Text forms of catalog values for tables (the CLI and app present; the arithmetic lives here)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal

from planner.catalog.schema import ModelOffer
from planner.errors import UsageError

PER_MILLION = Decimal(1_000_000)


def per_million_text(price: Decimal | None) -> str:
    """US dollars per million tokens with at least 2 decimals and 3 significant digits, so a column reads
    alike and a small price never shows as $0.00: "$1.00", "$0.40", "$0.13", "$0.0145", "$0.283" (of
    0.283333...), "$1,250.00"; "unknown" when the catalog has no price. JSON keeps the exact value."""
    if price is None:
        return "unknown"
    value = price * PER_MILLION
    if value == 0:
        return "$0.00"
    decimals = max(2, 2 - value.adjusted())  # adjusted(): the power of ten of the first significant digit
    text = format(value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN), ",f")
    whole, _, fraction = text.partition(".")
    return f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"


_AMOUNT = re.compile(r"\d+(\.\d*)?|\.\d+|\d{1,3}(,\d{3})+(\.\d*)?")


def usd_per_million_as_per_token(text: str) -> Decimal:
    """A typed price in US dollars per million tokens ("3", "$0.50", "1,000") as exact US dollars per token;
    ValueError if it is not a plain non-negative number. A comma is only a thousands separator: "0,5" is
    refused rather than read as 5."""
    cleaned = text.strip().lstrip("$").strip()
    if not _AMOUNT.fullmatch(cleaned):
        raise ValueError(text)
    return Decimal(cleaned.replace(",", "")).scaleb(-6)


def per_token_from_per_million(text: str | None, option: str) -> Decimal | None:
    """A CLI option given in US dollars per million tokens as Decimal USD per token (None when not given);
    UsageError if it is not a number of 0 or more."""
    if text is None:
        return None
    try:
        return usd_per_million_as_per_token(text)
    except ValueError:
        raise UsageError(
            f"{option} expects a number of US dollars per million tokens (0 or more), got '{text}'"
        ) from None


def context_text(offer: ModelOffer) -> str:
    """The window with what it means: "131,072" (total) or "272,000 input" (input-only limit)."""
    if offer.context_window is None:
        return "unknown"
    suffix = " input" if offer.context_window_kind == "input" else ""
    return f"{offer.context_window:,}{suffix}"


def price_field_text(field: str, price: Decimal | None) -> str:
    """A price of a ``Pricing`` field for a table: per million tokens, except ``per_request`` (US dollars per
    request, "$0.005"); "-" when there is none (a price that appeared, or went away)."""
    if price is None:
        return "-"
    if field == "per_request":
        return f"${format(price.normalize(), ',f')}"
    return per_million_text(price)
