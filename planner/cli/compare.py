"""`planner compare`: every catalog model (or a filtered set) against the same input.

Gathers input and presents planner.advice.compare's rows; no rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from planner import DEFAULT_MODEL
from planner.cli import render
from planner.cli._app import app, emit_json
from planner.cli.options import (
    BatchOpt,
    CachedTokensOpt,
    ExcludeOpt,
    IncludeOpt,
    InputTokensOpt,
    JsonOpt,
    MessagesOpt,
    OutputTokensOpt,
    PathsArg,
    ReasoningOpt,
    TextOpt,
    answer_reserve,
    count_option,
    request_setup,
    tokens_option,
)
from planner.errors import UsageError
from planner.tokens.families import families_of
from planner.tokens.quantities import parse_setting
from planner.wording import UNKNOWN, count_of, usd

if TYPE_CHECKING:
    from planner.advice.compare import Comparison
    from planner.cli.documents import CompareDocument
    from planner.cli.options import Request

# planner.advice.compare.SORT_KEYS, here without importing planner.advice.compare (a test keeps the two the
# same)
SORT_KEYS: tuple[str, ...] = ("cost", "window", "headroom", "name")
MAX_TABLE_ROWS = 1_000_000  # --limit: far above the catalog's size; a larger number is a typo

COMPARE_HELP = """Every catalog model (or a filtered set) against the same input: fits, cost, window.

The input is counted once per tokenizer family, then each model takes its family's count. Costs are per
request; --sort cost lists the models the input fits first (cheapest first), then the rest; an unknown
price shows as unknown and sorts last among its group. context_vs_default_pct compares each window with
the --model's: (window / default - 1) * 100 rounded toward zero (-2.3 is -2, as "2 % smaller" on the
model page). The table shows --limit rows; --json lists every model.

\b
Examples:
  planner compare report.pdf
  planner compare --input-tokens 150k --output-tokens 4k --sort cost --fits-only
  planner compare src/ --provider openrouter --capability tool_use --sort window
  planner compare notes.md --max-input-price 1 --min-context 200000 --limit 10
  planner compare --input-tokens 1M --json | jq '.models[] | select(.fits) | .id'
"""


@app.command(help=COMPARE_HELP)
def compare(
    paths: PathsArg = None,
    model: Annotated[
        str, typer.Option("--model", "-m", metavar="ID", help="The default model to compare windows with.")
    ] = (DEFAULT_MODEL),
    input_tokens: InputTokensOpt = None,
    text: TextOpt = None,
    output_tokens: OutputTokensOpt = None,
    reasoning_tokens: ReasoningOpt = "0",
    cached_tokens: CachedTokensOpt = "0",
    sort: Annotated[
        str, typer.Option("--sort", metavar="KEY", help=f"Order: {', '.join(SORT_KEYS)}.")
    ] = "cost",
    provider: Annotated[
        str | None, typer.Option("--provider", metavar="HOST", help="Only this host.")
    ] = None,
    creator: Annotated[
        str | None, typer.Option("--creator", metavar="NAME", help="Only models by this maker.")
    ] = None,
    capability: Annotated[
        list[str] | None,
        typer.Option(
            "--capability", metavar="NAME", help="Only models with it (repeatable): tool_use, vision..."
        ),
    ] = None,
    modality: Annotated[
        str | None, typer.Option("--modality", metavar="NAME", help="Only models with it: text, image...")
    ] = None,
    mode: Annotated[
        str | None, typer.Option("--mode", metavar="MODE", help="chat, completion or responses.")
    ] = None,
    min_context: Annotated[
        str | None, typer.Option("--min-context", metavar="N", help="Smallest window, in tokens.")
    ] = None,
    max_input_price: Annotated[
        str | None,
        typer.Option("--max-input-price", metavar="USD", help="US dollars per million input tokens."),
    ] = None,
    max_output_price: Annotated[
        str | None,
        typer.Option("--max-output-price", metavar="USD", help="US dollars per million output tokens."),
    ] = None,
    fits_only: Annotated[bool, typer.Option("--fits-only", help="Only the models it fits.")] = False,
    include_free: Annotated[
        bool,
        typer.Option(
            "--include-free", help="List free tiers and previews too (left out by default, as in the app)."
        ),
    ] = False,
    hide_free: Annotated[
        bool,
        typer.Option("--hide-free", hidden=True, help="The default: free tiers and previews left out."),
    ] = False,
    batch: BatchOpt = False,
    limit: Annotated[
        str, typer.Option("--limit", metavar="N", help="Table rows (0: all); --json lists every model.")
    ] = "25",
    messages: MessagesOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    as_json: JsonOpt = False,
) -> int:
    rows = int(parse_setting(limit, "--limit", 0, MAX_TABLE_ROWS))
    hidden = None if not (include_free or hide_free) else not include_free or hide_free
    options = compare_options(output_tokens, cached_tokens, sort, fits_only, hidden, batch)
    filters = CompareFilters(
        provider, creator, capability, modality, mode, min_context, max_input_price, max_output_price
    )
    asked = request_setup(
        paths,
        input_tokens,
        output_tokens,
        reasoning_tokens,
        model,
        None,
        messages=messages,
        include=include,
        exclude=exclude,
        text=text,
    )
    comparison, document = compare_answer(asked, filters, options)
    if as_json:
        emit_json(document.json_document())
    else:
        _print_compare(comparison, rows)
        missing = document.images_not_counted
        if missing:
            left_out = ", ".join(f"{family} {n:,}" for family, n in missing.items())
            render.console().print(f"Images in the messages not counted, by tokenizer: {left_out}")
        if document.free_left_out:
            left = count_of(document.free_left_out, "free or preview offer")
            render.console().print(f"{left} left out: --include-free lists them.")
        render.warnings(comparison.price_warnings)
    return 0


@dataclass(frozen=True)
class CompareFilters:
    """Which catalog offers to compare, as typed (parsed with the catalog's own filter rules)."""

    provider: str | None = None
    creator: str | None = None
    capability: list[str] | None = None
    modality: str | None = None
    mode: str | None = None
    min_context: str | None = None
    max_input_price: str | None = None  # US dollars per million tokens
    max_output_price: str | None = None


@dataclass(frozen=True)
class CompareOptions:
    output_tokens: str | None = None  # as typed: a request body's max_tokens stands in when not given
    cached_tokens: int = 0
    sort: str = "cost"
    fits_only: bool = False
    hide_free: bool = True  # planner.advice.policy.FREE_IN_COMPARISONS (compare_options reads it)
    batch: bool = False


def compare_options(
    output_tokens: str | None,
    cached_tokens: str = "0",
    sort: str = "cost",
    fits_only: bool = False,
    hide_free: bool | None = None,
    batch: bool = False,
) -> CompareOptions:
    """The compare options as typed, parsed (UsageError before the catalog loads); ``hide_free`` None
    follows the policy (planner.advice.policy.FREE_IN_COMPARISONS: free and preview offers left out)."""
    if sort not in SORT_KEYS:
        raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, got {sort!r}")
    cached = count_option(cached_tokens, "--cached-tokens")
    if hide_free is None:
        from planner.advice.policy import FREE_IN_COMPARISONS

        hide_free = not FREE_IN_COMPARISONS
    return CompareOptions(output_tokens, cached, sort, fits_only, hide_free, batch)


def compare_answer(
    asked: Request, filters: CompareFilters, options: CompareOptions, limit: int | None = None
) -> tuple[Comparison, CompareDocument]:
    """`planner compare`'s answer and its --json document (``asked.offer`` is the model windows are compared
    with); ``limit`` keeps the first rows only (the CLI's --json lists every model)."""
    from planner.advice.compare import compare_models, select
    from planner.catalog.display import per_token_from_per_million
    from planner.cli.documents import CompareDocument

    spec, catalog, default = asked.spec, asked.catalog, asked.offer
    offers = catalog.filter(
        provider=filters.provider,
        creator=filters.creator,
        capability=filters.capability,
        modality=filters.modality,
        min_context=tokens_option(filters.min_context, "--min-context"),
        max_input_price=per_token_from_per_million(filters.max_input_price, "--max-input-price"),
        max_output_price=per_token_from_per_million(filters.max_output_price, "--max-output-price"),
        mode=filters.mode,
    )
    if not offers:
        raise UsageError("no catalog model matches these filters; loosen them (`planner compare --help`)")
    gathered = spec.count(families_of(offers))
    out, _ = answer_reserve(options.output_tokens, gathered)
    comparison = compare_models(
        offers,
        gathered.counts,
        default=default,
        output_tokens=out,
        reasoning_tokens=asked.reasoning_tokens,
        cached_tokens=options.cached_tokens,
        batch=options.batch,
        sort_by=options.sort,  # type: ignore[arg-type]
    )
    # as the app: models that answer in text only, unless a --modality filter asks for others
    shown = select(
        comparison,
        fits_only=options.fits_only,
        hide_free=options.hide_free,
        text_only=filters.modality is None,
    )
    comparison, free_left_out = shown.comparison, shown.free_left_out
    if limit is not None and limit > 0:
        comparison = comparison.model_copy(update={"models": comparison.models[:limit]})
    document = CompareDocument(**{name: getattr(comparison, name) for name in type(comparison).model_fields})
    document.free_left_out = free_left_out
    missing = {family: n for family, n in gathered.images_not_counted.items() if n}
    if missing:
        document.images_not_counted = missing  # family -> images its count leaves out
    return comparison, document


def _print_compare(comparison: Comparison, limit: int) -> None:
    console = render.console()
    counts = {
        family: f"{count.tokens:,}"
        + ("" if count.method == "exact" else f" (~, up to {count.tokens_high:,})")
        for family, count in comparison.input_counts.items()
    }
    if len(set(counts.values())) == 1 and len(counts) > 1:  # --input-tokens: the same number for every one
        console.print(f"Input tokens: {next(iter(counts.values()))} (every tokenizer)")
    else:
        console.print(f"Input tokens by tokenizer: {', '.join(f'{f} {text}' for f, text in counts.items())}")
    table = render.table(title=f"{count_of(len(comparison.models), 'model')}, by {comparison.sort_by}")
    for name in ("model", "provider", "window", "vs default", "fits", "headroom", "cost / request"):
        table.add_column(name, justify="left" if name in ("model", "provider", "fits") else "right")
    shown = comparison.models if limit <= 0 else comparison.models[:limit]
    for row in shown:
        table.add_row(
            row.id,
            row.provider,
            f"{row.context_window:,}" if row.context_window else UNKNOWN,
            f"{row.context_vs_default_pct:+d} %" if row.context_vs_default_pct is not None else "",
            render.verdict(row.verdict),
            row.headroom_text,
            usd(row.total_cost),
        )
    console.print(table)
    if len(shown) < len(comparison.models):
        console.print(
            f"... {len(comparison.models) - len(shown):,} more: --limit 0 shows all, --json lists all."
        )
