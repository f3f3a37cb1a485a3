"""The presentation vocabulary, in one place for the CLI, the app and messages: words around numbers,
verdict labels and their one "unknown" text, yes / no / unknown, and money.

Money rules (every presenter, every table):

- An amount of money is US dollars with 6 places (``$0.106000``, a request) or 2 (``$3,180.00``, a total
  over many requests); ``unknown`` when a price is missing (never ``$0``).
- Tiny money: a non-zero amount that those places would show as zero gets two significant digits, trailing
  zeros dropped (``$0.00000043``, ``$0.0000004``, ``$0.004`` at 2 places): never ``$0.00``, never a figure
  50 % off by rounding to one digit.
- A price per million tokens has the places it needs from 2 up to 6 (``$1.25``, ``$10.00``, ``$0.0145``,
  ``$0.283333`` of $0.000000283333 per token): catalog prices are per token with up to 12 decimals, so 6
  places per million show them exactly, and a cost column can be checked against the price beside it.
  Tiny per-million prices follow the tiny-money rule.

A leaf module: it imports nothing from planner, so every layer may use it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

PER_MILLION = Decimal(1_000_000)  # catalog prices are per token; people read them per million tokens
UNKNOWN = "unknown"  # a value the catalog does not have (a price, a window, a capability)
HEADROOM_UNKNOWN = "window not known"  # the fit of a model whose window the catalog lacks
RESERVE_TOO_LARGE = "reserve too large"  # the reserves alone are above what the model allows

# The verdict of a fit ("fits", "tight", "does_not_fit") in words; a model with no known window has none.
VERDICT_LABELS: dict[str, str] = {"fits": "fits", "tight": "tight", "does_not_fit": "does not fit"}
VERDICT_UNKNOWN = HEADROOM_UNKNOWN


def verdict_label(verdict: str | None) -> str:
    """ "fits", "tight", "does not fit"; "window not known" for no verdict (None or "unknown")."""
    return VERDICT_LABELS.get(verdict or "", VERDICT_UNKNOWN)


def yes_no(value: bool | None) -> str:
    """A capability or a catalog flag: "yes", "no", or "unknown" when the catalog does not say."""
    return UNKNOWN if value is None else "yes" if value else "no"


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` with thousands separators and ``noun`` in the singular for exactly 1, else the plural
    (``plural``, default ``noun + "s"``): "1 word", "0 words", "1,234 lines", "2 entries"."""
    word = noun if number == 1 else (plural or f"{noun}s")
    return f"{number:,} {word}"


def images_not_counted_text(number: int) -> str:
    """'1 image in the messages was not counted', '2 images in the messages were not counted'."""
    return f"{count_of(number, 'image')} in the messages {'was' if number == 1 else 'were'} not counted"


FILES_NAMED = 5  # the files to leave out a human answer names (the largest first); --json lists all


def first_few(items: list[str], shown: int = FILES_NAMED) -> str:
    """The first ``shown`` items, comma-separated, then "and N more" for the rest: "a, b, c and 12 more"."""
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[:shown])} and {len(items) - shown:,} more"


def headroom_text(amount: int, prefix: str = "") -> str:
    """Headroom as every presenter shows it: "87,356" when there is room, "1,902 over" when the input is
    over the limit the reserves leave (never a bare negative number)."""
    return f"{prefix}{amount:,}" if amount >= 0 else f"{prefix}{-amount:,} over"


def usd(amount: Decimal | None, places: int = 6) -> str:
    """Money (see the module doc): ``$0.106000``; ``$3,180.00`` with ``places=2``; ``$0.00000043`` for a
    tiny amount; ``unknown`` for None."""
    if amount is None:
        return UNKNOWN
    return _usd(amount, places)


def signed_usd(amount: Decimal | None, places: int = 6) -> str:
    """A difference of money: ``+$0.465000``, ``-$0.001000``, ``$0.000000`` (``usd``'s places and tiny-money
    rule); ``unknown`` for None."""
    if amount is None:
        return UNKNOWN
    sign = "+" if amount > 0 else "-" if amount < 0 else ""
    return sign + usd(abs(amount), places)


def usd_per_million(amount: Decimal | None) -> str:
    """A price already in US dollars per million tokens, 2 to 6 places as it needs (see the module doc):
    ``$1.25``, ``$0.0145``, ``$0.283333``, ``$10.00``; ``unknown`` for None."""
    if amount is None:
        return UNKNOWN
    exponent = amount.normalize().as_tuple().exponent
    needed = -exponent if isinstance(exponent, int) else 2
    return _usd(amount, min(6, max(2, needed)))


def per_million_text(price: Decimal | None) -> str:
    """A catalog price (US dollars per token) shown per million tokens: ``usd_per_million`` of it."""
    return usd_per_million(None if price is None else price * PER_MILLION)


def _usd(amount: Decimal, places: int) -> str:
    with localcontext() as context:
        context.prec = 80  # wide enough that no catalog amount is rounded before it is quantized
        if amount and abs(amount) < Decimal(1).scaleb(-places):  # tiny: two significant digits
            digits = amount.quantize(Decimal(1).scaleb(amount.adjusted() - 1), rounding=ROUND_HALF_UP)
            shown = format(digits.normalize(), "f")
            whole, _, fraction = shown.partition(".")
            return f"{'-' if whole.startswith('-') else ''}${whole.lstrip('-')}.{fraction.ljust(places, '0')}"
        rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"${rounded:,.{places}f}"


# The name of the cap that binds a fit when it is not the window (planner.advice.fit_rule.LimitedBy).
LIMIT_LABELS = {"input_limit": "input limit", "budget": "input budget"}


# Characters a terminal acts on instead of showing: C0 and C1 controls, DEL, and the line and paragraph
# separators; a file name holding one ("\x1b]0;title\x07", a newline) would retitle the terminal, recolour
# the output or break a table.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` (a file name, say) safe to print in human output: each control character as its escape
    (``\\n``, ``\\x1b``, ``\\u2028``). JSON output keeps the name as it is."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
