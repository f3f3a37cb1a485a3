"""Token quantities typed by a user ("100000", "100,000", "100k", "1.5M"), read the same way everywhere."""

from __future__ import annotations

import re
from decimal import Decimal

from planner.errors import UsageError

MAX_TOKEN_COUNT = 10**12  # far above any window or bill; a larger count is a typo, not a plan
# Digits with "_" between them, or commas only as thousands separators ("1,0,0" is not 100).
# ASCII digits only: full-width or Arabic-Indic digits (which int() and Decimal() take) are refused.
_COUNT_PATTERN = re.compile(r"^\s*((?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)(?:\.\d+)?)\s*([kKmM]?)\s*$", re.ASCII)


def parse_token_count(value: str | int, option: str = "token count", noun: str = "tokens") -> int:
    """A whole number of ``noun`` (tokens, requests, days) from user text: ``100000``, ``100,000``,
    ``100_000``, ``100k``, ``1.5M``; from 0 to ``MAX_TOKEN_COUNT``. A comma only separates thousands:
    ``1,0,0`` and ``1,5k`` are refused; only ASCII digits are digits."""
    if isinstance(value, int):
        if value < 0:
            raise UsageError(f"{option} must be 0 or more, got {value}")
        return _within_maximum(value, option, noun, f"{value:,}")
    text = str(value)
    match = _COUNT_PATTERN.match(text)
    if not match:
        negative = _COUNT_PATTERN.match(text.strip()[1:]) if text.strip().startswith("-") else None
        if negative and Decimal(negative.group(1).replace(",", "").replace("_", "")) == 0:
            return 0  # "-0" is zero, whatever the sign says
        if negative:
            raise UsageError(f"{option} must be 0 or more, got {text.strip()}")
        raise UsageError(
            f"{option} must be a whole number of {noun} such as 100000, 100k or 1.5M; got {_shown(text)}"
        )
    number = Decimal(match.group(1).replace(",", "").replace("_", ""))
    number *= {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    if number != number.to_integral_value():
        raise UsageError(f"{option} must be a whole number of {noun}, got {_shown(text)}")
    return _within_maximum(number, option, noun, _shown(text))


def _within_maximum(count: Decimal | int, option: str, noun: str, shown: str) -> int:
    """``count`` as an int; compared as a Decimal first, so a number of thousands of digits is refused
    before Python's int-from-text limit raises."""
    if count > MAX_TOKEN_COUNT:
        raise UsageError(f"{option} must be at most {MAX_TOKEN_COUNT:,} (10^12) {noun}, got {shown}")
    return int(count)


def _shown(text: str, limit: int = 40) -> str:
    """A typed value quoted for an error line, cut short when it is long (a 5,000-digit number)."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,} characters)"


# A share as typed: "0.1", ".25", "10", "10%", "12.5 %": plain ASCII decimals, no exponent, NaN or infinity.
_SHARE_PATTERN = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*$", re.ASCII)


def parse_share(value: str, option: str) -> Decimal:
    """A share of something from user text, as a fraction from 0 up to (not including) 1: ``0.1`` and ``10%``
    are both 0.1; a number of 1 or more without ``%`` is a percentage too (``10`` is 10 %). UsageError for
    anything else (``nan``, ``inf``, ``1e999999999``, ``-5``, ``100%``, other scripts' digits)."""
    match = _SHARE_PATTERN.match(value)
    if not match:
        raise UsageError(f"{option} must be a fraction (0.1) or a percentage (10%), got {value!r}")
    number = Decimal(match.group(1))
    if match.group(2) or number >= 1:
        number /= 100
    if not 0 <= number < 1:
        raise UsageError(f"{option} must be from 0 up to 100 %, got {value!r}")
    return number


# A plain number as typed for a setting that is not a token count (rows, workers, retries, seconds).
_PLAIN_NUMBER = re.compile(r"^\s*(\d{1,18}(?:\.\d{1,9})?)\s*$", re.ASCII)


def parse_setting(
    value: str, option: str, low: Decimal | int, high: Decimal | int, *, whole: bool = True
) -> Decimal:
    """A number from ``low`` to ``high`` from user text (``whole``: no fraction); UsageError naming ``option``
    and the range for anything else (``nan``, ``inf``, ``1e5``, a sign, other scripts' digits)."""
    kind = "a whole number" if whole else "a number"
    match = _PLAIN_NUMBER.match(value)
    number = Decimal(match.group(1)) if match else None
    if number is None or (whole and number != number.to_integral_value()) or not low <= number <= high:
        raise UsageError(f"{option} must be {kind} from {low:,} to {high:,}, got {value!r}")
    return number
