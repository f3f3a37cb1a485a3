"""`planner model ID`: the model page (window in tokens and words, what fits, specs, prices, comparisons).

Gathers input and presents planner.model_pages' rows; no rule of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli import render
from planner.cli._app import app, emit_json
from planner.cli.options import (
    InputSpec,
    InputTokensOpt,
    JsonOpt,
    MessagesOpt,
    PathsArg,
    ProviderOpt,
    load_catalog,
    offer_for,
)

if TYPE_CHECKING:
    from rich.console import Console

    from planner.counting import TokenCount
    from planner.model_pages import ModelPage

MODEL_HELP = """The model page: window in tokens and words, what fits in one request, specs, capabilities,
prices per million tokens and how its window compares with well-known models.

Give PATHs or --input-tokens to see whether your own input fits too.

\b
Examples:
  planner model nousresearch/hermes-4-405b
  planner model "hermes 405"                     # names and partial names work
  planner model gpt-4o --provider openai --json
  planner model claude-sonnet-4 --input-tokens 250k
  planner model hermes-4-405b thesis.pdf
"""


@app.command(help=MODEL_HELP)
def model(
    model_id: Annotated[str, typer.Argument(metavar="ID", help="Model id or name.")],
    paths: PathsArg = None,
    provider: ProviderOpt = None,
    input_tokens: InputTokensOpt = None,
    messages: MessagesOpt = False,
    as_json: JsonOpt = False,
) -> int:
    from planner.model_pages import model_page

    spec = InputSpec.from_options(paths, input_tokens, messages)
    catalog = load_catalog()
    offer = offer_for(catalog, model_id, provider)
    user_tokens: TokenCount | None = None
    user_words = None
    if spec.given:
        family, gathered = spec.count_for(offer)
        user_tokens, user_words = gathered.counts[family], gathered.words
    page = model_page(offer, catalog, user_tokens=user_tokens, user_words=user_words)
    if as_json:
        emit_json(page.record())
    else:
        _print_model(page)
        render.warnings(page.freshness.warnings if page.freshness else [])
    return 0


def _print_model(page: ModelPage) -> None:
    from planner.model_pages import capability_rows, price_rows, specification_rows

    console = render.console()
    offer = page.model
    console.print(
        f"[bold]{offer.name}[/]  {offer.id}  (host: {offer.provider}, maker: {offer.creator or 'unknown'})"
    )
    if offer.context_window:
        console.print(
            f"Context window: {offer.context_window:,} tokens ({offer.context_window_kind or 'total'}), "
            f"{page.words_label} at {page.words_per_token} words per token ({page.words_per_token_basis})"
        )
    else:
        console.print("Context window: unknown")
    if page.what_fits:
        fits = render.table(title="What fits in one request")
        for name in ("document", "words", "tokens", "fits"):
            fits.add_column(name, justify="left" if name in ("document", "fits") else "right")
        for row in page.what_fits:
            fits.add_row(row.name, f"~{row.words:,}", f"{row.tokens:,}", WHAT_FITS_MARKS[row.verdict])
        console.print(fits)
    _print_rows(console, "Specifications", [(row.label, row.value) for row in specification_rows(page)])
    capabilities = [(row.label, render.yes_no(row.supported)) for row in capability_rows(offer)]
    _print_rows(console, "Capabilities", capabilities)
    prices = [(row.label, row.value) for row in price_rows(page)]
    _print_rows(console, "Prices (US dollars per million tokens)", prices)
    if page.comparisons:
        console.print("[bold]Context window compared[/]")
        for row in page.comparisons:
            console.print(f"  {row.summary} ({row.provider}, {row.context_window:,} tokens)")
    console.print(f"Source: {offer.source}, as of {offer.as_of.isoformat()}")


WHAT_FITS_MARKS = {"fits": "[green]fits[/]", "tight": "[yellow]tight[/]", "does_not_fit": "[red]won't fit[/]"}


def _print_rows(console: Console, title: str, rows: list[tuple[str, str]]) -> None:
    table = render.table(title=title, show_header=False)
    table.add_column("field")
    table.add_column("value")
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
