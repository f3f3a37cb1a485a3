"""Words around numbers, in one place for the CLI, the app and messages: "1 model", "2 models"."""

from __future__ import annotations


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` with thousands separators and ``noun`` in the singular for exactly 1, else the plural
    (``plural``, default ``noun + "s"``): "1 word", "0 words", "1,234 lines", "2 entries"."""
    word = noun if number == 1 else (plural or f"{noun}s")
    return f"{number:,} {word}"


def images_not_counted_text(number: int) -> str:
    """'1 image in the messages was not counted', '2 images in the messages were not counted'."""
    return f"{count_of(number, 'image')} in the messages {'was' if number == 1 else 'were'} not counted"


HEADROOM_UNKNOWN = "window not known"  # a headroom cell of a model whose window the catalog lacks
RESERVE_TOO_LARGE = "reserve too large"  # the reserves alone are above what the model allows


def headroom_text(amount: int, prefix: str = "") -> str:
    """Headroom as every presenter shows it: "87,356" when there is room, "1,902 over" when the input is
    over the limit the reserves leave (never a bare negative number)."""
    return f"{prefix}{amount:,}" if amount >= 0 else f"{prefix}{-amount:,} over"
