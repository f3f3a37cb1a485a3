"""`planner hosts MODEL`: the same weights on every host, cheapest first, with the fit and cost of the input.

Gathers input and presents planner.advice.hosts' answer; no rule of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from planner.cli import render
from planner.cli._app import app, emit_json
from planner.cli.options import (
    CachedTokensOpt,
    ExcludeOpt,
    IncludeOpt,
    InputTokensOpt,
    JsonOpt,
    MessagesOpt,
    OutputTokensOpt,
    PathsArg,
    ProviderOpt,
    ReasoningOpt,
    TextOpt,
    answer_reserve,
    count_option,
    request_setup,
)
from planner.wording import UNKNOWN, usd, usd_per_million, yes_no

if TYPE_CHECKING:
    from planner.advice.hosts import HostRow, HostsAnswer
    from planner.catalog.schema import ModelOffer
    from planner.tokens.counts import TokenCount

TIER_MARK = "*"  # the cost of a host that lists no long-context tier while another host does

HOSTS_HELP = """The same weights on every host that serves them, cheapest first: window, max output, prices
(US dollars per million tokens), batch and cache, and the fit and cost of your input on each (the numbers
`planner fit` and `planner cost` give for that host).

Without PATHs or --input-tokens the input is 0 tokens and hosts sort by their input plus output price.
Hosts are grouped by the model's ids, Hugging Face id and OpenRouter's canonical slug, compared without host
prefixes, variant suffixes (:free, :thinking) or version suffixes; dated snapshots stay apart.

\b
Examples:
  planner hosts nousresearch/hermes-4-405b
  planner hosts hermes-4-405b --input-tokens 100k -o 2k
  planner hosts gpt-4o report.pdf --json | jq '.[0].provider'
"""


@app.command(help=HOSTS_HELP)
def hosts(
    model_id: Annotated[str, typer.Argument(metavar="MODEL", help="Model id or name.")],
    paths: PathsArg = None,
    provider: ProviderOpt = None,
    input_tokens: InputTokensOpt = None,
    text: TextOpt = None,
    output_tokens: OutputTokensOpt = None,
    reasoning_tokens: ReasoningOpt = "0",
    cached_tokens: CachedTokensOpt = "0",
    messages: MessagesOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    as_json: JsonOpt = False,
) -> int:
    from planner.advice.hosts import host_families, hosts_of

    cached = count_option(cached_tokens, "--cached-tokens")
    asked = request_setup(
        paths,
        input_tokens,
        output_tokens,
        reasoning_tokens,
        model_id,
        provider,
        messages=messages,
        include=include,
        exclude=exclude,
        text=text,
    )
    spec, catalog, offer = asked.spec, asked.catalog, asked.offer
    out, reasoning = asked.output_tokens, asked.reasoning_tokens
    families = host_families(catalog, offer)
    counts: dict[str, int | TokenCount]
    if spec.given:
        gathered = spec.count(families)
        counts = dict(gathered.counts)
        out, _ = answer_reserve(output_tokens, gathered)
    else:
        counts = dict.fromkeys(families, 0)  # no input: the prices alone
    answer = hosts_of(
        catalog, offer, counts, output_tokens=out, reasoning_tokens=reasoning, cached_tokens=cached
    )
    if as_json:
        emit_json(hosts_document(answer))
    else:
        _print_hosts(answer)
        render.warnings(answer.price_warnings + answer.retirement_warnings)
    return 0


def hosts_document(answer: HostsAnswer) -> list[dict[str, Any]]:
    """The JSON document of `planner hosts --json`: one model record per host, cheapest first, plus its fit
    and cost for the input (``fits``, ``verdict``, ``total_cost``, ``batch_total_cost``) and price age; each
    row through planner.cli.documents.HostDocument (`planner schema hosts`)."""
    from planner.catalog.freshness import freshness_keys
    from planner.cli.documents import HostDocument

    rows = [
        {
            **row.offer.model_dump(mode="json"),
            "tokenizer": row.tokenizer,
            "input_tokens": answer.input_tokens.get(row.tokenizer),
            "output_tokens": answer.output_tokens,
            "fits": row.fits,
            "verdict": row.verdict,
            "headroom_tokens": row.fit.headroom_tokens if row.fit else None,
            "total_cost": render.money(row.total_cost),
            "batch_total_cost": render.money(row.batch_cost.total_cost if row.batch_cost else None),
            "batch": row.batch,
            "cache": row.cache,
            "note": row.note,
            "prices_per_million": {
                name: render.money(price) for name, price in row.prices_per_million.items()
            },
            "price_tier": row.price_tier,
            "tier_missing": row.tier_missing,
            **freshness_keys(row.freshness),
        }
        for row in answer.hosts
    ]
    return [HostDocument.from_keys(row).json_document() for row in rows]


def _print_hosts(answer: HostsAnswer) -> None:
    from planner.catalog.display import context_text
    from planner.catalog.outliers import OUTLIER_MARK, outlier_note

    console = render.console()
    tokens = ", ".join(f"{family} {count:,}" for family, count in answer.input_tokens.items())
    console.print(
        f"Hosts of {answer.model}: input {tokens} tokens, output {answer.output_tokens:,} "
        "(prices per million tokens; cost per request)"
    )
    table = render.table()
    columns: tuple[str, ...] = (
        "host",
        "id",
        "window",
        "max out",
        "input",
        "output",
        "batch",
        "cache",
        "fits",
    )
    columns += ("cost", "as of")
    for name in columns:
        table.add_column(name, justify="left" if name in ("host", "id", "fits", "as of") else "right")
    for row in answer.hosts:
        offer = row.offer
        table.add_row(
            offer.provider,
            offer.id,
            context_text(offer) + _mark(offer, "context_window"),
            (f"{offer.max_output_tokens:,}" if offer.max_output_tokens else UNKNOWN)
            + _mark(offer, "max_output_tokens"),
            usd_per_million(row.prices_per_million["input"]) + _mark(offer, "pricing.input"),
            usd_per_million(row.prices_per_million["output"]) + _mark(offer, "pricing.output"),
            _batch_text(row),
            yes_no(row.cache),
            render.verdict(row.verdict),
            _cost_text(row),
            offer.as_of.isoformat(),
        )
    console.print(table)
    for label in sorted({row.price_tier for row in answer.hosts if row.price_tier}):
        tiered = sorted({row.offer.provider for row in answer.hosts if row.price_tier == label})
        console.print(f"{', '.join(tiered)}: priced at their long-context tier ({label})")
    if answer.tier_note:
        from planner.advice.hosts import TIER_MISSING

        console.print(f"{TIER_MARK} {TIER_MISSING}: {answer.tier_note}")
    for row in answer.hosts:
        if row.note:
            console.print(f"{row.offer.provider}: {row.note}")
    for row in answer.hosts:
        note = outlier_note(row.offer)
        if note:
            console.print(f"{OUTLIER_MARK} {note}")


def _mark(offer: ModelOffer, field: str) -> str:
    """The outlier mark after a cell whose value most hosts of the same weights contradict."""
    from planner.catalog.outliers import outlier_mark

    return outlier_mark(offer, field)


def _cost_text(row: HostRow) -> str:
    flagged = row.tier_missing and row.total_cost is not None
    return usd(row.total_cost) + (TIER_MARK if flagged else "")


def _batch_text(row: HostRow) -> str:
    if row.batch_cost is not None and row.batch_cost.total_cost is not None:
        return usd(row.batch_cost.total_cost)
    return yes_no(row.batch)
