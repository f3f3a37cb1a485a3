"""`planner model ID`: the model page (window in tokens and words, what fits, specs, prices, comparisons).

Gathers input and presents planner.advice.model_page' rows; no rule of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli import render
from planner.cli._app import app, emit_json
from planner.cli.options import (
    InputTokensOpt,
    JsonOpt,
    MessagesOpt,
    OutputTokensOpt,
    PathsArg,
    ProviderOpt,
    ReasoningOpt,
    TextOpt,
    offer_for,
    refuse,
    request_setup,
)
from planner.wording import yes_no

if TYPE_CHECKING:
    from rich.console import Console

    from planner.advice.model_page import ModelPage, SideBySide
    from planner.cli.documents import Document
    from planner.cli.options import Request
    from planner.tokens.counts import TokenCount

MODEL_HELP = """The model page: window in tokens and words, what fits in one request, specs, capabilities,
prices per million tokens and how its window compares with well-known models.

Give PATHs or --input-tokens to see whether your own input fits too; -o / -r keep an answer and a
thinking reserve free in "what fits" (as `planner fit`). --compare-with OTHER puts a second model next to it:
window, prices, capabilities and the fit and cost of your input on both (the app's side-by-side view).

\b
Examples:
  planner model nousresearch/hermes-4-405b
  planner model "hermes 405"                     # names and partial names work
  planner model gpt-4o --provider openai --json
  planner model claude-sonnet-4 --input-tokens 250k
  planner model hermes-4-405b thesis.pdf -o 2k
  planner model hermes-4-405b --compare-with gpt-4o --compare-provider openai -i 50k
"""


@app.command(help=MODEL_HELP)
def model(
    model_id: Annotated[str, typer.Argument(metavar="ID", help="Model id or name.")],
    paths: PathsArg = None,
    provider: ProviderOpt = None,
    input_tokens: InputTokensOpt = None,
    text: TextOpt = None,
    messages: MessagesOpt = False,
    output_tokens: OutputTokensOpt = "0",
    reasoning_tokens: ReasoningOpt = "0",
    compare_with: Annotated[
        str | None,
        typer.Option("--compare-with", metavar="OTHER", help="A second model to show side by side."),
    ] = None,
    compare_provider: Annotated[
        str | None,
        typer.Option("--compare-provider", metavar="HOST", help="Host of the --compare-with model."),
    ] = None,
    as_json: JsonOpt = False,
) -> int:
    asked = request_setup(
        paths,
        input_tokens,
        output_tokens,
        reasoning_tokens,
        model_id,
        provider,
        messages=messages,
        text=text,
    )
    page, pair, document = model_answer(asked, compare_with, compare_provider)
    if as_json:
        emit_json(document.json_document())
    else:
        _print_model(page)
        if pair is not None:
            _print_side_by_side(pair)
        render.warnings(page.freshness.warnings if page.freshness else [])
    return 0


def model_answer(
    asked: Request, compare_with: str | None = None, compare_provider: str | None = None
) -> tuple[ModelPage, SideBySide | None, Document]:
    """`planner model`'s page, its side-by-side pair and its --json document (`planner mcp`'s model_info)."""
    from planner.advice.model_page import model_page, side_by_side
    from planner.advice.notes import images_refused
    from planner.cli.documents import model_document

    spec, catalog, offer = asked.spec, asked.catalog, asked.offer
    out, reasoning = asked.output_tokens, asked.reasoning_tokens
    other = offer_for(catalog, compare_with, compare_provider) if compare_with else None
    user_tokens: TokenCount | None = None
    user_words = None
    counts: dict[str, TokenCount] | None = None
    if spec.given:
        family, gathered = spec.count_for(offer)
        refuse(images_refused(offer, gathered.image_count))
        user_tokens, user_words = gathered.counts[family], gathered.words
        counts = {family: user_tokens}
    page = model_page(offer, catalog, user_tokens, user_words, out, reasoning)
    pair = None
    if other is not None:
        if counts is not None:  # the other model's tokenizer too (its image rule checked as fit does)
            other_family, gathered = spec.count_for(other)
            refuse(images_refused(other, gathered.image_count))
            counts = {other_family: gathered.counts[other_family], **counts}
        pair = side_by_side(offer, other, counts, out, reasoning)
    return page, pair, model_document(page, pair)


def _print_model(page: ModelPage) -> None:
    from planner.advice.model_page import capability_rows, price_rows, specification_rows

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
    console.print(page.headline)
    if page.what_fits:
        fits = render.table(title=f"What fits in one request ({page.reserve_note})")
        for name in ("document", "words", "tokens", "headroom", "fits"):
            fits.add_column(name, justify="left" if name in ("document", "fits") else "right")
        for row in page.what_fits:
            tokens = f"{row.tokens:,}" + (f" (up to {row.tokens_high:,})" if row.method == "estimate" else "")
            fits.add_row(row.name, f"{row.words:,}", tokens, row.headroom_text, render.verdict(row.verdict))
        console.print(fits)
    _print_rows(console, "Specifications", [(row.label, row.value) for row in specification_rows(page)])
    capabilities = [(row.label, yes_no(row.supported)) for row in capability_rows(offer)]
    _print_rows(console, "Capabilities", capabilities)
    prices = [(row.label, row.value) for row in price_rows(page)]
    _print_rows(console, "Prices (US dollars per million tokens)", prices)
    console.print(f"Prices from {page.prices_source}")
    console.print(f"Speed tier: {page.speed_tier_note}")
    if page.comparisons:
        console.print("[bold]Context window compared[/]")
        for compared in page.comparisons:
            console.print(f"  {compared.summary} ({compared.provider}, {compared.context_window:,} tokens)")
    if page.more_from_creator:
        console.print(
            f"[bold]More from {offer.creator}[/] ({page.more_from_creator_total:,} models in the catalog)"
        )
        for item in page.more_from_creator:
            console.print(f"  {item.name}  {item.id} ({item.provider}, {item.window_label})")
    priced_by = f"; prices from {offer.price_source}" if offer.price_source else ""
    console.print(f"Source: {offer.source}{priced_by}, as of {offer.as_of.isoformat()}")
    from planner.catalog.outliers import outlier_note

    note = outlier_note(offer)
    if note:
        console.print(f"[bold]Cross-host outlier:[/] {note}")


def _print_side_by_side(pair: SideBySide) -> None:
    console = render.console()
    table = render.table(title=f"{pair.left_name} next to {pair.right_name}: {pair.summary}")
    table.add_column("")
    table.add_column(f"{pair.left_id} ({pair.left_provider})")
    table.add_column(f"{pair.right_id} ({pair.right_provider})")
    for row in pair.rows:
        table.add_row(row.label, row.left, row.right)
    console.print(table)


def _print_rows(console: Console, title: str, rows: list[tuple[str, str]]) -> None:
    table = render.table(title=title, show_header=False)
    table.add_column("field")
    table.add_column("value")
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
