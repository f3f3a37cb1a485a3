"""Commands: `planner models` (the catalog, filtered) and `planner catalog info|refresh`.

The catalog, its schema and rich are imported when a command runs, not when the CLI starts: every command
(`planner count` too) imports this module to register it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli._app import app, emit_json
from planner.cli.options import tokens_option
from planner.tokens.quantities import parse_setting
from planner.wording import count_of

if TYPE_CHECKING:
    from planner.catalog.ledger import LedgerEntry
    from planner.catalog.refresh import RefreshResult
    from planner.catalog.schema import ModelOffer
    from planner.catalog.store import Catalog

catalog_app = typer.Typer(
    name="catalog",
    help="Where the model catalog came from, and refreshing it over HTTP.",
    no_args_is_help=True,
)
app.add_typer(catalog_app, name="catalog")

DEFAULT_ROWS = 25
PIPED_WIDTH = 1_000  # characters: no table row is this wide, and rich pads no line to it
NAME_MIN_WIDTH = 12
MODEL_COLUMNS = ("id", "name", "provider", "context", "input $/M", "output $/M")
MAX_TIMEOUT_SECONDS = 3_600  # catalog refresh --timeout: an hour per request is already no limit
MAX_RETRIES = 10  # catalog refresh --retries: each one backs off, so more would be unbounded waiting


@app.command("models")
def models_command(
    search: Annotated[str | None, typer.Option("--search", "-s", help="Words that must all appear.")] = None,
    provider: Annotated[str | None, typer.Option(help="Host, e.g. openrouter, openai.")] = None,
    creator: Annotated[str | None, typer.Option(help='Maker, e.g. "Nous Research".')] = None,
    capability: Annotated[
        list[str] | None,
        typer.Option(help="Required capability (repeatable): vision, tool_use, reasoning, ..."),
    ] = None,
    modality: Annotated[str | None, typer.Option(help="Input or output modality, e.g. image.")] = None,
    min_context: Annotated[
        str | None, typer.Option(metavar="N", help="Minimum context window in tokens.")
    ] = None,
    max_input_price: Annotated[str | None, typer.Option(help="Maximum input price, USD per million.")] = None,
    max_output_price: Annotated[
        str | None, typer.Option(help="Maximum output price, USD per million.")
    ] = None,
    mode: Annotated[str | None, typer.Option(help="chat, completion or responses.")] = None,
    models_file: Annotated[Path | None, typer.Option(help="Custom models file (TOML, YAML or JSON).")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every row, not the first 25.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list of model records.")] = False,
) -> None:
    """List catalog models, filtered. Prices are US dollars per million tokens; a window marked "input" is
    an input limit whose total is unknown.

    \b
    Examples:
      planner models --search "hermes 405"
      planner models --search hermes4 --provider openrouter
      planner models --provider openrouter --capability tool_use --min-context 200000
      planner models --max-input-price 0.5 --json | jq '.[].id'
      planner models --all | grep -i claude
    """
    from planner.catalog.display import per_token_from_per_million
    from planner.catalog.store import load_catalog

    catalog = load_catalog(custom_file=models_file) if models_file else load_catalog()
    offers = catalog.search(search) if search else catalog.offers
    offers = catalog.filter(
        provider=provider,
        creator=creator,
        capability=capability,
        modality=modality,
        min_context=tokens_option(min_context, "--min-context"),
        max_input_price=per_token_from_per_million(max_input_price, "--max-input-price")
        if max_input_price
        else None,
        max_output_price=per_token_from_per_million(max_output_price, "--max-output-price")
        if max_output_price
        else None,
        mode=mode,
        offers=offers,
    )
    if as_json:
        emit_json([offer.model_dump(mode="json") for offer in offers])
        return
    if not offers:
        asked = f"--search {search!r}" if search else "these filters"
        sys.stderr.write(
            f"note: no catalog model matches {asked}; use fewer words or loosen the filters "
            "(`planner models --all` lists every model)\n"
        )
        return
    _print_models(offers, catalog, DEFAULT_ROWS if not show_all else None)


def _print_models(offers: list[ModelOffer], catalog: Catalog, limit: int | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from planner.catalog.display import context_text
    from planner.wording import per_million_text

    shown = offers if limit is None else offers[:limit]
    rows = [
        (
            offer.id,
            offer.name,
            offer.provider,
            context_text(offer),
            per_million_text(offer.pricing.input),
            per_million_text(offer.pricing.output),
        )
        for offer in shown
    ]
    console = Console()
    # Only the name may wrap: an id, host, window or price split over lines cannot be copied or read. Piped,
    # rich would assume 80 columns; on a narrow terminal it would cut every column. So the console is made at
    # least as wide as the unwrapped columns (the terminal then wraps whole lines, the ids stay intact).
    width = (
        PIPED_WIDTH if not console.is_terminal else max(console.width, _unwrapped_width(MODEL_COLUMNS, rows))
    )
    console = Console(width=width)
    table = Table(title=f"{count_of(len(offers), 'model')} (catalog as of {catalog.info.as_of})")
    for column in MODEL_COLUMNS:
        right = "$" in column or column == "context"
        wraps = column == "name"
        table.add_column(column, justify="right" if right else "left", no_wrap=not wraps, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    if len(shown) < len(offers):
        console.print(f"{len(offers) - len(shown):,} more (use --all, narrow with --search, or --json)")


def _unwrapped_width(columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> int:
    """Characters a table needs with every column but the name (kept at NAME_MIN_WIDTH) on one line."""
    widths = [
        NAME_MIN_WIDTH if column == "name" else max(len(column), *(len(row[i]) for row in rows))
        for i, column in enumerate(columns)
    ]
    return sum(widths) + 3 * len(columns) + 1  # a space either side of each cell, and the borders


@catalog_app.command("info")
def info_command(
    as_json: Annotated[bool, typer.Option("--json", help="as_of, sources and model_count as JSON.")] = False,
) -> None:
    """Show the as-of date, the sources and the number of models of the catalog in use (the refreshed copy
    in the user cache if there is a valid one, else the shipped snapshot; plus a custom models file).

    \b
    Examples:
      planner catalog info
      planner catalog info --json | jq .as_of
      PLANNER_MODELS_FILE=my-models.toml planner catalog info
    """
    from rich.console import Console
    from rich.table import Table

    from planner.catalog.store import load_catalog

    info = load_catalog().info
    if as_json:
        from planner.cli.documents import CatalogInfoDocument

        emit_json(CatalogInfoDocument.from_keys(info.to_json()).json_document())
        return
    console = Console()
    console.print(f"catalog: {info.origin} snapshot {info.path}")
    if info.custom_file:
        console.print(f"custom models: {info.custom_file}")
    console.print(f"as of: {info.as_of}   models: {info.model_count:,}")
    table = Table()
    for column in ("source", "file or URL", "as of", "models"):
        table.add_column(column)
    for source in info.sources:
        table.add_row(source.name, source.file, source.as_of.isoformat(), f"{source.model_count:,}")
    console.print(table)


@catalog_app.command("refresh")
def refresh_command(
    openrouter_url: Annotated[str | None, typer.Option(help="OpenRouter models endpoint.")] = None,
    models_dev_url: Annotated[str | None, typer.Option(help="models.dev api.json URL.")] = None,
    litellm_url: Annotated[str | None, typer.Option(help="LiteLLM model map URL.")] = None,
    timeout: Annotated[
        str, typer.Option(metavar="SECONDS", help="Seconds per request in all (connecting and reading).")
    ] = "30",
    retries: Annotated[str, typer.Option(metavar="N", help="Further attempts after a failure.")] = "2",
    as_json: Annotated[bool, typer.Option("--json", help="The result as JSON.")] = False,
) -> None:
    """Fetch the sources, validate, and keep the new catalog in the user cache (never over data/).

    Nothing is kept if a source fails or sends more than 64 MB, the data (or one source) loses more than
    half the models, or a price moves by more than 100x, against the catalog in use or the shipped one; the
    catalog in use stays as it was.

    \b
    Examples:
      planner catalog refresh
      planner catalog refresh --timeout 10 --retries 0
      planner catalog refresh --json | jq '.price_changes | length'
      planner catalog refresh --litellm-url http://127.0.0.1:8000/model_prices.json
    """
    from planner.catalog.refresh import refresh_catalog

    seconds = float(parse_setting(timeout, "--timeout", Decimal("0.1"), MAX_TIMEOUT_SECONDS, whole=False))
    attempts = int(parse_setting(retries, "--retries", 0, MAX_RETRIES))
    urls = {"openrouter": openrouter_url, "models.dev": models_dev_url, "litellm": litellm_url}
    result = refresh_catalog(
        urls={name: url for name, url in urls.items() if url}, timeout=seconds, retries=attempts
    )
    if as_json:
        emit_json(
            {
                **result.info.to_json(),
                "added": result.added,
                "removed": result.removed,
                "price_changes": [
                    {
                        "provider": c.provider,
                        "id": c.id,
                        "field": c.field,
                        "old": str(c.old),
                        "new": None if c.new is None else str(c.new),
                    }
                    for c in result.price_changes
                ],
                "skipped": result.skipped,
            }
        )
        return
    _print_refresh(result)


def _print_refresh(result: RefreshResult) -> None:
    from rich.console import Console

    from planner.wording import per_million_text

    console = Console(highlight=False, soft_wrap=True)  # a cache path or model id is never broken over lines
    console.print(
        f"kept {count_of(result.info.model_count, 'model')} as of {result.info.as_of} in {result.path}"
    )
    console.print(f"new: {len(result.added):,}   removed: {len(result.removed):,}")
    for label, names in (("new", result.added), ("removed", result.removed)):
        for name in names[:20]:
            console.print(f"  {label}: {name}")
        if len(names) > 20:
            console.print(f"  ... {len(names) - 20:,} more {label}")
    console.print(f"price changes: {len(result.price_changes):,}")
    for change in result.price_changes[:20]:
        console.print(
            f"  {change.provider} {change.id} {change.field}: "
            f"{per_million_text(change.old)}/M -> {per_million_text(change.new)}/M"
        )
    for problem in result.skipped[:20]:
        console.print(f"skipped: {problem}")


@catalog_app.command("history")
def history_command(
    model: Annotated[str, typer.Argument(help="Model id or name, e.g. nousresearch/hermes-4-405b.")],
    provider: Annotated[str | None, typer.Option(help="Host of the offer, e.g. nebius.")] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="One JSON list of as_of, field, old, new, source, hours."),
    ] = False,
) -> None:
    """Show the dated price changes of one offer: its prices in the shipped snapshot (dated by their pinned
    source), then every change an accepted `planner catalog refresh` recorded in the user cache's ledger.
    Prices are US dollars per million tokens (per request for per_request); JSON money is per token.

    \b
    Examples:
      planner catalog history nousresearch/hermes-4-405b
      planner catalog history hermes-4-405b --provider nebius
      planner catalog history gpt-4o --json | jq '.[] | select(.field == "input")'
    """
    from planner.catalog.ledger import offer_history, offer_hours
    from planner.catalog.store import load_catalog

    catalog = load_catalog()
    offer = catalog.get(model, provider)
    problems: list[str] = []
    entries = [*offer_history(catalog, offer, problems=problems), *offer_hours(catalog, offer)]
    for problem in problems:
        sys.stderr.write(f"warning: {problem}\n")
    if as_json:
        emit_json([entry.model_dump(mode="json") for entry in entries])
        return
    _print_history(offer, entries)


def _print_history(offer: ModelOffer, entries: list[LedgerEntry]) -> None:
    from rich.console import Console
    from rich.table import Table

    from planner.catalog.display import price_field_text, undated_text

    console = Console(highlight=False, soft_wrap=True)
    table = Table(title=f"price history of {offer.id} ({offer.provider}), US dollars per million tokens")
    for column in ("as of", "field", "old", "new", "source"):
        table.add_column(column, justify="right" if column in ("old", "new") else "left", no_wrap=True)
    dated = [entry for entry in entries if entry.hours is None]
    for entry in dated:
        old, new = (price_field_text(entry.field, value) for value in (entry.old, entry.new))
        table.add_row(undated_text(entry.as_of, dated), entry.field, old, new, entry.source)
    console.print(table)
    if not entries:
        console.print("no prices are known for it")
    hours = [entry for entry in entries if entry.hours is not None]
    if hours:
        daily = Table(title="time-of-day prices (each day, not a change), US dollars per million tokens")
        for column in ("hours", "field", "price", "source"):
            daily.add_column(column, justify="right" if column == "price" else "left", no_wrap=True)
        for entry in hours:
            daily.add_row(entry.hours, entry.field, price_field_text(entry.field, entry.new), entry.source)
        console.print(daily)
