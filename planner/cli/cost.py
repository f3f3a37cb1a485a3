"""`planner cost`: what one request costs, and N requests, a day or a month of them.

Gathers input and presents planner.advice.answers.advise_cost's answer; no rule of its own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from planner import DEFAULT_MODEL
from planner.cli import render
from planner.cli._app import app, emit_json
from planner.cli.options import (
    BatchOpt,
    CachedTokensOpt,
    EffortOpt,
    ExcludeOpt,
    ImagesOpt,
    IncludeOpt,
    InputTokensOpt,
    JsonOpt,
    MessagesOpt,
    ModelOpt,
    OnlineOpt,
    OutputTokensOpt,
    PathsArg,
    PdfAsOpt,
    ProviderOpt,
    ReasoningOpt,
    TextOpt,
    answer_reserve,
    choice_option,
    count_option,
    date_option,
    effort_document,
    effort_reserve,
    offline_estimate_document,
    online_lines,
    refuse,
    request_setup,
)
from planner.errors import UsageError
from planner.tokens.quantities import parse_token_count
from planner.wording import usd, usd_per_million

if TYPE_CHECKING:
    from planner.advice.answers import CostAdvice
    from planner.catalog.schema import ModelOffer
    from planner.cli.documents import CostDocument
    from planner.cli.options import Request
    from planner.tokens.counts import TokenCount

COST_HELP = """What one request costs, and N requests, a day or a month of them (exact decimal dollars).

Input tokens come from PATHs (counted with the model's tokenizer) or --input-tokens. Cached tokens are the
part of the input read from the prompt cache, cache-write tokens the part written to it. Long-context tiers
price the whole request once the prompt passes them. A price the catalog does not have is never taken as
$0: the command stops with exit status 7. The reserve check is fit's: --output-tokens plus
--reasoning-tokens above the model's max output stops with exit status 8; a request larger than the
window is priced, with a warning.

\b
Examples:
  planner cost --input-tokens 100000 --output-tokens 2000                   # $0.106000
  planner cost --input-tokens 100k -o 2k --requests 30000                   # $3,180.00
  planner cost -i 100k -o 2k --per-day 1000 --days 30                       # per day and per month
  planner cost prompt.md -o 800 --model anthropic/claude-sonnet-4 --cached-tokens 50000
  planner cost -i 100k -o 2k --model gpt-4o --batch --json
  planner cost -i 20k -o 2k --model gemini-2.5-flash --reasoning-effort high  # + 24,576 thinking
"""


@app.command(help=COST_HELP)
def cost(
    paths: PathsArg = None,
    model: ModelOpt = DEFAULT_MODEL,
    provider: ProviderOpt = None,
    input_tokens: InputTokensOpt = None,
    text: TextOpt = None,
    output_tokens: OutputTokensOpt = None,
    reasoning_tokens: ReasoningOpt = "0",
    reasoning_effort: EffortOpt = None,
    pdf_as: PdfAsOpt = "text",
    images: ImagesOpt = None,
    cached_tokens: CachedTokensOpt = "0",
    cache_write_tokens: Annotated[
        str,
        typer.Option(
            "--cache-write-tokens", metavar="N", help="Input tokens written to the cache (5 minutes)."
        ),
    ] = "0",
    requests: Annotated[
        str, typer.Option("--requests", "-n", metavar="N", help="Number of requests to total.")
    ] = "1",
    per_day: Annotated[
        str | None, typer.Option("--per-day", metavar="N", help="Requests per day (gives a month).")
    ] = None,
    days: Annotated[str, typer.Option("--days", metavar="N", help="Days in a month, with --per-day.")] = "30",
    batch: BatchOpt = False,
    cache_ttl: Annotated[
        str,
        typer.Option(
            "--cache-ttl", metavar="5m|1h", help="Cache-write lifetime: 5m, or 1h (1-hour write prices)."
        ),
    ] = "5m",
    service_tier: Annotated[
        str,
        typer.Option(
            "--service-tier",
            metavar="TIER",
            help="standard, flex or priority (the host's flex / priority prices, where listed).",
        ),
    ] = "standard",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Price with the prices in force on this date (YYYY-MM-DD; see `planner catalog history`).",
        ),
    ] = None,
    messages: MessagesOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    online: OnlineOpt = False,
    as_json: JsonOpt = False,
) -> int:
    options = cost_options(
        output_tokens,
        reasoning_tokens,
        reasoning_effort,
        cached_tokens=cached_tokens,
        cache_write_tokens=cache_write_tokens,
        requests=requests,
        per_day=per_day,
        days=days,
        batch=batch,
        cache_ttl=cache_ttl,
        service_tier=service_tier,
        as_of=as_of,
    )
    asked = request_setup(
        paths,
        input_tokens,
        output_tokens,
        reasoning_tokens,
        model,
        provider,
        messages=messages,
        include=include,
        exclude=exclude,
        pdf_as=pdf_as,
        text=text,
        online=online,
        images=images,
    )
    offer, advice, document, offline = cost_answer(asked, options)
    if as_json:
        emit_json(document.json_document())
    else:
        _print_cost(offer, advice, document.output_tokens_from)
        sys.stdout.write(online_lines(advice.count, offline))
        render.warnings(advice.freshness.warnings)
    return 0


@dataclass(frozen=True)
class CostOptions:
    """What a cost is asked for, parsed (the reserves as typed, as fit's)."""

    output_tokens: str | None = None
    reasoning_tokens: str = "0"
    reasoning_effort: str | None = None
    cached_tokens: int = 0
    cache_write_tokens: int = 0
    requests: int = 1
    per_day: int | None = None
    days: int = 30
    batch: bool = False
    cache_ttl: str = "5m"
    service_tier: str = "standard"
    prices_on: date | None = None  # --as-of
    drop_batch: str | None = None  # how this presenter turns batch pricing off (None: the command line's)


def cost_options(
    output_tokens: str | None,
    reasoning_tokens: str = "0",
    reasoning_effort: str | None = None,
    *,
    cached_tokens: str = "0",
    cache_write_tokens: str = "0",
    requests: str = "1",
    per_day: str | None = None,
    days: str = "30",
    batch: bool = False,
    cache_ttl: str = "5m",
    service_tier: str = "standard",
    as_of: str | None = None,
) -> CostOptions:
    """The cost options as typed, parsed (UsageError before the catalog loads)."""
    count = parse_token_count(requests, "--requests", "requests")
    daily = None if per_day is None else parse_token_count(per_day, "--per-day", "requests")
    if daily is not None and count != 1:
        raise UsageError("give --requests or --per-day (a month of requests), not both")
    return CostOptions(
        output_tokens,
        reasoning_tokens,
        reasoning_effort,
        cached_tokens=count_option(cached_tokens, "--cached-tokens"),
        cache_write_tokens=count_option(cache_write_tokens, "--cache-write-tokens"),
        requests=count,
        per_day=daily,
        days=parse_token_count(days, "--days", "days"),
        batch=batch,
        cache_ttl=cache_ttl,
        service_tier=service_tier,
        prices_on=date_option(as_of, "--as-of") if as_of is not None else None,
    )


class CostAnswer(NamedTuple):
    offer: ModelOffer  # the offer priced (with --as-of, its prices on that day)
    advice: CostAdvice
    document: CostDocument  # what --json prints (and `planner mcp`'s estimate_cost returns)
    offline_estimate: TokenCount | None  # --online: the offline count beside the vendor's


def cost_answer(asked: Request, options: CostOptions) -> CostAnswer:
    """`planner cost`'s answer and its --json document, for the input and offer ``asked`` sets up."""
    from planner.advice.answers import advise_cost
    from planner.advice.fit_rule import check_reserves
    from planner.advice.prices import CACHE_TTLS, DROP_BATCH, SERVICE_TIERS, require_total
    from planner.catalog.ledger import offer_as_of
    from planner.cli.documents import CostDocument

    spec, catalog, offer, out = asked.spec, asked.catalog, asked.offer, asked.output_tokens
    prices_on, drop_batch = options.prices_on, options.drop_batch or DROP_BATCH
    if prices_on is not None:
        problems: list[str] = []
        offer = offer_as_of(catalog, offer, prices_on, problems=problems)
        for problem in problems:
            sys.stderr.write(f"warning: {problem}\n")
    reasoning, reasoning_basis = effort_reserve(
        offer, asked.reasoning_tokens, options.reasoning_tokens, options.reasoning_effort
    )
    check_reserves(offer, out, reasoning)  # before counting: a request the model cannot serve stops early
    family, gathered = spec.count_for(offer)
    out, out_from = answer_reserve(options.output_tokens, gathered)
    advice = advise_cost(
        offer,
        gathered.counts[family],
        out,
        reasoning_tokens=reasoning,
        cached_tokens=options.cached_tokens,
        cache_write_tokens=options.cache_write_tokens,
        batch=options.batch,
        cache_ttl=choice_option(options.cache_ttl, "--cache-ttl", CACHE_TTLS),  # type: ignore[arg-type]
        service_tier=choice_option(options.service_tier, "--service-tier", SERVICE_TIERS),  # type: ignore[arg-type]
        requests=options.requests,
        requests_per_day=options.per_day,
        days_per_month=options.days,
        prices_on=prices_on,
        images=gathered.image_count,
        drop_batch=drop_batch,
    )
    refuse(advice.image_refusal)
    require_total(advice.cost, offer, drop_batch)
    extras = {"output_tokens_from": out_from, **effort_document(options.reasoning_effort, reasoning_basis)}
    extras.update(offline_estimate_document(gathered.offline_estimate))
    if gathered.images_left_out:
        extras["images_left_out"] = gathered.images_left_out
    document = CostDocument.from_keys({**cost_document(advice), **extras})
    return CostAnswer(offer, advice, document, gathered.offline_estimate)


def cost_document(advice: CostAdvice) -> dict[str, Any]:
    """The JSON document of `planner cost --json`."""
    from planner.catalog.freshness import freshness_keys

    volume = advice.volume
    fit = advice.fit
    return {
        **advice.cost.model_dump(mode="json"),
        "tokenizer": advice.tokenizer,
        "method": advice.method,
        "requests": volume.requests,
        "total_for_requests": render.money(volume.total_for_requests),
        "requests_per_day": volume.requests_per_day,
        "days_per_month": volume.days_per_month,
        "per_day": render.money(volume.per_day),
        "per_month": render.money(volume.per_month),
        "prices_per_million": {key: render.money(value) for key, value in advice.prices_per_million.items()},
        "price_tier": advice.price_tier,
        "base_prices_per_million": {
            key: render.money(value) for key, value in advice.base_prices_per_million.items()
        },
        "fits": None if fit is None else fit.fits,
        "verdict": None if fit is None else fit.verdict,
        "prices_as_of_requested": advice.prices_on.isoformat() if advice.prices_on else None,
        **freshness_keys(advice.freshness),
    }


PART_LABELS = {
    "input": "input",
    "cache_read": "cache reads",
    "cache_write": "cache writes",
    "output": "output",
    "reasoning": "reasoning",
    "request_fee": "request fee",
}


def _print_cost(offer: ModelOffer, advice: CostAdvice, output_from: str | None = None) -> None:
    bill, volume, tokens = advice.cost, advice.volume, advice.count
    console = render.console()
    modes = [
        *(["batch"] if bill.batch else []),
        *([f"{bill.service_tier} tier"] if bill.service_tier != "standard" else []),
        *(["1-hour cache writes"] if bill.cache_ttl == "1h" else []),
    ]
    title = f"{offer.id} ({offer.provider})" + "".join(f" - {mode}" for mode in modes)
    table = render.table(title=title)
    for name in ("part", "tokens", "per million", "cost"):
        table.add_column(name, justify="left" if name == "part" else "right")
    for line in advice.lines:
        price = "" if line.part == "request_fee" else usd_per_million(line.price_per_million)
        count = "" if line.tokens is None else f"{line.tokens:,}"
        label = PART_LABELS[line.part] + (render.reserve_origin(output_from) if line.part == "output" else "")
        table.add_row(label, count, price, usd(line.cost))
    table.add_row("[bold]per request[/]", "", "", f"[bold]{usd(bill.total_cost)}[/]")
    console.print(table)
    if advice.prices_on is not None:
        console.print(
            f"Prices in force on {advice.prices_on.isoformat()} "
            f"(the record of {advice.freshness.as_of.isoformat()}, `planner catalog history`)."
        )
    for note in advice.notes:  # planner.advice.notes: worded once for the CLI and the app
        console.print(f"[red]Warning[/]: {note.text}." if note.level == "warning" else f"{note.text}.")
    if tokens.method == "estimate":
        console.print(
            f"Input tokens are an estimate ({tokens.basis}), "
            f"band {tokens.tokens_low:,}-{tokens.tokens_high:,}."
        )
    if volume.requests_per_day is not None:
        console.print(f"Per day ({volume.requests_per_day:,} requests): {usd(volume.per_day, 2)}")
        console.print(f"Per month ({volume.days_per_month} days): {usd(volume.per_month, 2)}")
    elif volume.requests != 1:
        console.print(f"{volume.requests:,} requests: {usd(volume.total_for_requests, 2)}")
