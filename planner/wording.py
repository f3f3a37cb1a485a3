"""Words around numbers, in one place for the CLI, the app and messages: "1 model", "2 models"."""

from __future__ import annotations


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` with thousands separators and ``noun`` in the singular for exactly 1, else the plural
    (``plural``, default ``noun + "s"``): "1 word", "0 words", "1,234 lines", "2 entries"."""
    word = noun if number == 1 else (plural or f"{noun}s")
    return f"{number:,} {word}"
