"""`planner batch FILE.jsonl`: a batch input file counted, checked and priced (by planner.advice.batch)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planner.cli._app import app, emit_json
from planner.cli.count import _table
from planner.cli.options import OnlineOpt
from planner.errors import EXIT_DOES_NOT_FIT, EXIT_SOME_SKIPPED
from planner.tokens.online.switch import online_wanted
from planner.wording import count_of, usd

if TYPE_CHECKING:
    from planner.advice.batch import BatchPlan

HELP = """Price a batch input file (OpenAI Batch API or Anthropic Message Batches); check each request fits.

Each request is counted with its model's tokenizer and chat template (as `planner count --messages`), its
output budget (max_completion_tokens / max_tokens) is reserved and priced, at the offer's batch prices (list
prices, with a note, where the catalog has none). Output is priced at the budget: an upper bound.
A request that cannot run (over the window, or a budget above the model's max output) is listed as not
fitting and left out of the totals.

\b
Examples:
  planner batch requests.jsonl
  planner batch requests.jsonl --model gpt-4o-mini          # the same file priced on another model
  planner batch requests.jsonl --output-tokens 500 --json   # budget for requests without max_tokens

Exit status: 0 every request fits; 1 some requests do not fit (listed by custom_id); 3 missing file, or
no request in it; 4 unknown --model; 5 some lines were skipped (each with its line number and reason; the
rest are counted), or every line was.
"""


@app.command(help=HELP)
def batch(
    file: Annotated[str, typer.Argument(help="The batch input file (.jsonl).", show_default=False)],
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", metavar="ID", help="Also price every request on this model."),
    ] = None,
    output_tokens: Annotated[
        str | None,
        typer.Option(
            "--output-tokens",
            "-o",
            metavar="N",
            help="Output budget of requests without max_tokens (default: the model's max output).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    online: OnlineOpt = False,
) -> int:
    from planner.advice.batch import plan_batch
    from planner.catalog import load_catalog
    from planner.tokens.quantities import parse_token_count

    catalog = load_catalog()
    default_output = None if output_tokens is None else parse_token_count(output_tokens, "--output-tokens")
    switch_offer = catalog.get(model) if model is not None else None
    vendors = None
    if online_wanted(online):
        from planner.advice.online import default_settings

        vendors = default_settings()
    try:
        plan = plan_batch(file, catalog, default_output_tokens=default_output, online=vendors)
        switch = None
        if switch_offer is not None:
            switch = plan_batch(
                file, catalog, override=switch_offer, default_output_tokens=default_output, online=vendors
            )
    finally:
        if vendors is not None:
            vendors.close()
    if as_json:
        from planner.cli.documents import BatchOutput

        document = {**plan_document(plan), "switch": plan_document(switch) if switch is not None else None}
        emit_json(BatchOutput.from_keys(document).json_document())
    else:
        print_plan(plan, switch)
    if plan.skipped:
        return EXIT_SOME_SKIPPED
    return EXIT_DOES_NOT_FIT if plan.not_fitting else 0


def plan_document(plan: BatchPlan) -> dict[str, Any]:
    """The JSON contract of `planner batch`: ``not_fitting`` lists custom_ids, ``not_fitting_details`` why."""
    document = plan.model_dump(mode="json")
    document["not_fitting_details"] = document["not_fitting"]
    document["not_fitting"] = [item.custom_id for item in plan.not_fitting]
    document["currency"] = "USD"
    return document


def print_plan(plan: BatchPlan, switch: BatchPlan | None) -> None:
    out = sys.stdout.write
    prices = "batch prices" if plan.batch else "list prices where no batch price is known"
    if plan.models:  # chat requests (a file of embeddings requests only has none)
        out(f"{count_of(plan.requests, 'request')} in {plan.path}: {usd(plan.total_cost)} at {prices}\n")
        if plan.not_priced:
            out(f"{_cannot_run(plan.not_priced)} (listed below)\n")
        band = f" (estimate, up to {plan.input_tokens_high:,})" if plan.method == "estimate" else ""
        out(f"input {plan.input_tokens:,} tokens{band}, output budget {plan.output_tokens:,} tokens\n")
        if plan.offline_estimate is not None:
            offline = plan.offline_estimate
            out(f"offline count: {offline.tokens:,} tokens ({offline.low:,}-{offline.high:,})\n")
    out("\n")
    header = ["model", "requests", "input", "output", "cost", "prices"]
    rows = [
        [
            f"{row.id} ({row.provider})",
            f"{row.requests:,}",
            f"{row.input_tokens:,}",
            f"{row.output_tokens:,}",
            usd(row.total_cost),
            "batch" if row.batch else "list",
        ]
        for row in plan.models
    ]
    if rows:
        out(_table(header, rows))
    for item in plan.embeddings:
        where = f"{item.id} ({item.provider})" if item.id is not None else item.model
        out(
            f"embeddings: {where}: {count_of(item.requests, 'request')}, {item.input_tokens:,} input tokens, "
            f"{usd(item.total_cost)}\n"
        )
    if switch is not None:
        out(f"\non {switch.override}: {usd(switch.total_cost)} ({switch.input_tokens:,} input tokens")
        out(f", {'batch' if switch.batch else 'list'} prices)")
        out(f"; {_cannot_run(switch.not_priced)}\n" if switch.not_priced else "\n")
    for misfit in plan.not_fitting:
        out(f"does not fit: {misfit.custom_id} (line {misfit.line}, {misfit.model}): {misfit.reason}\n")
    for note in plan.notes + (switch.notes if switch is not None else []):
        sys.stderr.write(f"note: {note}\n")
    for skipped in plan.skipped:
        sys.stderr.write(f"skipped: line {skipped.line}: {skipped.reason}\n")
    if plan.skipped:
        sys.stderr.write(f"{count_of(len(plan.skipped), 'line')} skipped; every other line was counted\n")


def _cannot_run(number: int) -> str:
    """'1 request that cannot run is not priced', '2 requests that cannot run are not priced'."""
    return f"{count_of(number, 'request')} that cannot run {'is' if number == 1 else 'are'} not priced"
