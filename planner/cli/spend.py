"""`planner spend FILE...`: real traffic from usage exports, priced as billed and re-priced on other offers.

Gathers the files and options and presents planner.advice.spend's answer; no rule of its own.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli._app import app, emit_json
from planner.cli.options import JsonOpt, load_catalog, offer_for
from planner.errors import EXIT_SOME_SKIPPED
from planner.wording import count_of, signed_usd, usd

if TYPE_CHECKING:
    from planner.advice.spend import SpendReport

CHEAPEST = "cheapest"

HELP = """What real traffic cost, from usage exports, and what the same traffic would cost on other models.

Reads OpenAI usage API pages (completions), Anthropic usage reports (messages), OpenTelemetry GenAI spans
(OTLP JSON) and LiteLLM spend logs; the format is told from the file's shape. Each row is priced on its own
model and host at the prices in force on its day (`planner catalog history`), with its cache reads and
writes, batch and long-context tier; totals by model and by day. LiteLLM's own spend is compared per model.
A row that cannot be priced (unknown model, bad numbers, a price the catalog lacks) is listed with its
place and left out of the totals.

--as MODEL re-prices the same tokens on another offer (repeat it for more; --provider picks their host);
input is recounted only when the tokenizer family differs and the export keeps the request text.
Per-request exports (spans, spend logs) also say how many requests would not fit. --as cheapest lists the
cheapest paid offers that take every request.

\b
Examples:
  planner spend usage-november.json
  planner spend usage.json --as gpt-4.1-mini --as claude-haiku-4-5
  planner spend spans.jsonl --as gpt-4o --provider openai
  planner spend spend_logs.json --as cheapest --json

Exit status: 0 every row priced; 3 a file is missing or not a usage export; 4 unknown --as model; 5 some
rows were skipped (each listed with its place; the rest are priced), or every row was.
"""


@app.command(help=HELP)
def spend(
    files: Annotated[
        list[str],
        typer.Argument(metavar="FILE", help="Usage export files (.json, .jsonl).", show_default=False),
    ],
    as_models: Annotated[
        list[str] | None,
        typer.Option(
            "--as", metavar="MODEL", help="Re-price the traffic on this model (repeatable), or 'cheapest'."
        ),
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option(
            "--provider", metavar="HOST", help="The host of the --as models (and of the cheapest offers)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> int:
    from planner.advice.spend import plan_spend, read_exports

    catalog = load_catalog()
    wanted = as_models or []
    offers = [offer_for(catalog, name, provider) for name in wanted if name.strip().lower() != CHEAPEST]
    exports = read_exports(files)
    report = plan_spend(
        exports,
        catalog,
        as_offers=offers,
        cheapest=any(name.strip().lower() == CHEAPEST for name in wanted),
        provider=provider,
    )
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        print_report(report)
    return EXIT_SOME_SKIPPED if report.skipped else 0


def _table(header: list[str], rows: list[list[str]]) -> str:
    from planner.cli.count import _table as table

    return table(header, rows)


def print_report(report: SpendReport) -> None:
    out = sys.stdout.write
    requests = "" if report.requests is None else f", {count_of(report.requests, 'request')}"
    out(
        f"{count_of(report.rows, 'row')} priced{requests}: {usd(report.total_cost)} as billed "
        "(each row at the prices in force on its day)\n"
    )
    for export in report.exports:
        bad = f", {count_of(export.bad_rows, 'bad row')}" if export.bad_rows else ""
        out(f"  {export.path}: {export.label}, {count_of(export.rows, 'row')}{bad}\n")
    out("\n" + _table(*_model_rows(report)) + "\n")
    days = [[spend.day.isoformat(), f"{spend.rows:,}", usd(spend.total_cost)] for spend in report.by_day]
    out(_table(["day", "rows", "cost"], days))
    if report.as_if:
        out("\n" + _table(*_as_if_rows(report)))
    if report.cheapest is not None:
        _print_cheapest(report)
    _print_notes(report)


def _model_rows(report: SpendReport) -> tuple[list[str], list[list[str]]]:
    reported = any(spend.reported_cost is not None for spend in report.by_model)
    header = ["model", "rows", "requests", "input", "cached", "cache writes", "output", "cost"]
    header += ["reported", "difference"] if reported else []
    rows = []
    for spend in report.by_model:
        row = [
            f"{spend.id} ({spend.provider})",
            f"{spend.rows:,}",
            "not counted" if spend.requests is None else f"{spend.requests:,}",
            f"{spend.input_tokens:,}",
            f"{spend.cached_tokens:,}",
            f"{spend.cache_write_tokens:,}",
            f"{spend.output_tokens:,}",
            usd(spend.total_cost),
        ]
        if reported:
            none = spend.reported_cost is None
            row += [
                "" if none else usd(spend.reported_cost),
                "" if none else signed_usd(spend.reported_difference),
            ]
        rows.append(row)
    return header, rows


def _as_if_rows(report: SpendReport) -> tuple[list[str], list[list[str]]]:
    header = ["as if on", "input", "cost", "difference", "over window"]
    rows = [
        [
            f"{item.id} ({item.provider})",
            f"{item.input_tokens:,}",
            usd(item.total_cost),
            signed_usd(item.difference),
            "unknown"
            if item.requests_over_window is None
            else count_of(item.requests_over_window, "request"),
        ]
        for item in report.as_if
    ]
    return header, rows


def _print_cheapest(report: SpendReport) -> None:
    out = sys.stdout.write
    offers = report.cheapest or []
    if not offers:
        out("\nno paid offer in the catalog takes every request at known prices\n")
        return
    rows = [
        [
            f"{offer.id} ({offer.provider})",
            f"{offer.context_window or 0:,}",
            usd(offer.total_cost),
            signed_usd(offer.difference),
        ]
        for offer in offers
    ]
    out("\ncheapest paid offers that take every request (source token counts):\n")
    out(_table(["offer", "window", "cost", "difference"], rows))


def _print_notes(report: SpendReport) -> None:
    err = sys.stderr.write
    for match in report.matches:
        host = f" on {match.export_host}" if match.export_host else ""
        err(
            f"matched: '{match.export_model}'{host} is {match.id} ({match.provider}), by {match.matched_by}\n"
        )
    for item in report.as_if:
        for note in [*([item.count_note] if item.count_note else []), *item.notes]:
            err(f"note: {item.id} ({item.provider}): {note}\n")
    if not report.per_request and report.as_if:
        err("note: the exports sum requests, so fit per request is unknown (over window: unknown)\n")
    for note in report.notes:
        err(f"note: {note}\n")
    for skipped in report.skipped:
        err(f"skipped: {skipped.place}: {skipped.reason}\n")
    if report.skipped:
        err(f"{count_of(len(report.skipped), 'row')} skipped; every other row was priced\n")
