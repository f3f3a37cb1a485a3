"""Text forms of catalog values for tables (the CLI and app present; the arithmetic lives here)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from planner.catalog.schema import ModelOffer
from planner.errors import UsageError

PER_MILLION = Decimal(1_000_000)


def per_million_text(price: Decimal | None) -> str:
    """US dollars per million tokens, e.g. "$1" or "$0.15"; "unknown" when the catalog has no price."""
    if price is None:
        return "unknown"
    return "$" + format((price * PER_MILLION).normalize(), "f")


def per_token_from_per_million(text: str | None, option: str) -> Decimal | None:
    """A user's "USD per million tokens" value as Decimal USD per token (None when the option is not given);
    UsageError if it is not a number of 0 or more."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        raise UsageError(
            f"{option} expects a number of US dollars per million tokens, got '{text}'"
        ) from None
    if not value.is_finite() or value < 0:
        raise UsageError(f"{option} expects a non-negative number of US dollars per million tokens")
    return value / PER_MILLION


def context_text(offer: ModelOffer) -> str:
    """The window with what it means: "131,072" (total) or "272,000 input" (input-only limit)."""
    if offer.context_window is None:
        return "unknown"
    suffix = " input" if offer.context_window_kind == "input" else ""
    return f"{offer.context_window:,}{suffix}"
