"""Token quantities typed by a user ("100000", "100,000", "100k", "1.5M"), read the same way everywhere."""

from __future__ import annotations

import re
from decimal import Decimal

from planner.errors import UsageError

MAX_TOKEN_COUNT = 10**12  # far above any window or bill; a larger count is a typo, not a plan
# Digits with "_" between them, or commas only as thousands separators ("1,0,0" is not 100).
_COUNT_PATTERN = re.compile(r"^\s*((?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)(?:\.\d+)?)\s*([kKmM]?)\s*$")


def parse_token_count(value: str | int, option: str = "token count") -> int:
    """A whole number of tokens from user text: ``100000``, ``100,000``, ``100_000``, ``100k``, ``1.5M``;
    from 0 to ``MAX_TOKEN_COUNT``. A comma only separates thousands: ``1,0,0`` and ``1,5k`` are refused."""
    if isinstance(value, int):
        if value < 0:
            raise UsageError(f"{option} must be 0 or more, got {value}")
        return _within_maximum(value, option)
    text = str(value)
    match = _COUNT_PATTERN.match(text)
    if not match:
        negative = _COUNT_PATTERN.match(text.strip()[1:]) if text.strip().startswith("-") else None
        if negative and Decimal(negative.group(1).replace(",", "").replace("_", "")) == 0:
            return 0  # "-0" is zero, whatever the sign says
        if text.strip().startswith("-"):
            raise UsageError(f"{option} must be 0 or more, got {text.strip()}")
        raise UsageError(
            f"{option} must be a whole number of tokens such as 100000, 100k or 1.5M; got {text!r}"
        )
    number = Decimal(match.group(1).replace(",", "").replace("_", ""))
    number *= {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    if number != number.to_integral_value():
        raise UsageError(f"{option} must be a whole number of tokens, got {text!r}")
    return _within_maximum(int(number), option)


def _within_maximum(count: int, option: str) -> int:
    if count > MAX_TOKEN_COUNT:
        raise UsageError(f"{option} must be at most {MAX_TOKEN_COUNT:,} (10^12) tokens, got {count:,}")
    return count
