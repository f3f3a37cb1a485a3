"""How the CLI lays text out: the console, tables, JSON money, coloured verdicts. Formatting only; the words
themselves (labels, money, yes / no) are planner.wording's."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from planner.wording import verdict_label

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

VERDICT_COLOURS = {"fits": "green", "tight": "yellow", "does_not_fit": "red"}


def verdict(name: str | None) -> str:
    """The verdict's label (planner.wording.verdict_label) in its colour; no verdict is not coloured."""
    label = verdict_label(name)
    colour = VERDICT_COLOURS.get(name or "")
    return f"[{colour}]{label}[/]" if colour else label


def console() -> Console:
    from rich.console import Console

    # Wide when piped, so that ids are not cut; a terminal keeps its own width.
    return Console(soft_wrap=False, highlight=False, width=None if sys.stdout.isatty() else 160)


def table(**options: Any) -> Table:
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE, **options)


def money(amount: Decimal | None) -> str | None:
    """Money for JSON: a plain decimal string (planner.advice.prices.decimal_str), None stays None."""
    from planner.advice.prices import decimal_str

    return decimal_str(amount)


def reserve_origin(origin: str | None) -> str:
    """A note after an answer reserve that a request body's max_tokens set
    (planner.advice.fit_rule.answer_reserve)."""
    return " (the request's max_tokens)" if origin == "max_tokens" else ""


def warnings(lines: list[str]) -> None:
    """Warnings of an answer (stale prices, a retiring model) on stderr, one ``warning:`` line each."""
    for line in lines:
        sys.stderr.write(f"warning: {line}\n")
