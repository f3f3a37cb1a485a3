"""How the CLI lays text out: the console, tables, money and verdict labels. Formatting only."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

VERDICT_LABELS = {
    "fits": "[green]fits[/]",
    "tight": "[yellow]tight[/]",
    "does_not_fit": "[red]does not fit[/]",
}


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


def usd(amount: Decimal | None, places: int = 6) -> str:
    """Money the one way the CLI shows it (planner.advice.prices.format_usd): 6 places per request, 2 for
    totals."""
    from planner.advice.prices import format_usd

    return format_usd(amount, places)


def per_million(amount: Decimal | None) -> str:
    """A price per million tokens, 2 to 6 places as it needs
    (planner.advice.prices.format_usd_per_million)."""
    from planner.advice.prices import format_usd_per_million

    return format_usd_per_million(amount)


def warnings(lines: list[str]) -> None:
    """Warnings of an answer (stale prices, a retiring model) on stderr, one ``warning:`` line each."""
    for line in lines:
        sys.stderr.write(f"warning: {line}\n")


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"
