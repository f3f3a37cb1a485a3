"""Commands: fit, cost, compare, model, conversation (see planner.cli).

This module only gathers input and presents results; the arithmetic lives in planner.plans, planner.costs,
planner.compare, planner.model_pages and planner.conversation. Those modules and rich are imported when a
command runs: every command (`planner count` too) imports this module to register these ones.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planner.cli._app import DEFAULT_MODEL, app, emit_json
from planner.cli.count import parts_document, pdf_mode
from planner.errors import EXIT_DOES_NOT_FIT, LimitError, UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from planner.catalog.schema import ModelOffer
    from planner.compare import Comparison, ComparisonRow
    from planner.conversation import ConversationPlan
    from planner.counting import TokenCount
    from planner.model_pages import ModelPage
    from planner.plans import FitResult

# planner.compare.SORT_KEYS, here without importing planner.compare (a test keeps the two the same)
SORT_KEYS: tuple[str, ...] = ("cost", "window", "headroom", "name")

# ---------------------------------------------------------------- shared options

PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files or folders to count; '-' or nothing reads standard input.", show_default=False
    ),
]
ModelOpt = Annotated[
    str, typer.Option("--model", "-m", metavar="ID", help="Model id or name (see `planner models`).")
]
ProviderOpt = Annotated[
    str | None,
    typer.Option(
        "--provider", metavar="HOST", help="Host of the model when several offer it (e.g. openrouter)."
    ),
]
InputTokensOpt = Annotated[
    str | None,
    typer.Option(
        "--input-tokens",
        "-i",
        metavar="N",
        help="Input tokens, given directly instead of PATHs (100000, 100k).",
    ),
]
OutputTokensOpt = Annotated[
    str,
    typer.Option("--output-tokens", "-o", metavar="N", help="Tokens reserved for (or billed as) the answer."),
]
ReasoningOpt = Annotated[
    str, typer.Option("--reasoning-tokens", "-r", metavar="N", help="Tokens reserved for thinking.")
]
PdfAsOpt = Annotated[
    str, typer.Option("--pdf-as", metavar="text|images", help="PDFs as text, or text + an image per page.")
]
EffortOpt = Annotated[
    str | None,
    typer.Option(
        "--reasoning-effort",
        metavar="LEVEL",
        help="low, medium or high: reserve the model's documented thinking budget (-r N wins).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (money as decimal strings).")]
MessagesOpt = Annotated[
    bool,
    typer.Option("--messages", help="The input is a chat transcript (JSON messages): add chat overhead."),
]
IncludeOpt = Annotated[
    list[str] | None, typer.Option("--include", metavar="GLOB", help="Glob of folder files to count.")
]
ExcludeOpt = Annotated[
    list[str] | None, typer.Option("--exclude", metavar="GLOB", help="Glob of folder files to skip.")
]
CachedTokensOpt = Annotated[
    str, typer.Option("--cached-tokens", metavar="N", help="Input tokens read from cache.")
]
BatchOpt = Annotated[bool, typer.Option("--batch", help="Use the batch API prices.")]


@dataclass
class Gathered:
    counts: dict[str, TokenCount]
    files: list[Any]  # planner.inputs FileReport records ([] for --input-tokens)
    words: int | None
    skipped: int
    images_not_counted: int = 0
    parts: dict[str, Any] | None = None  # family -> RequestParts (text / images / tools)
    image_count: int = 0  # image parts and image files met, counted or not


def _count(value: str, option: str) -> int:
    from planner.plans import parse_token_count

    return parse_token_count(value, option)


def _tokens(value: str | None, option: str) -> int | None:
    return None if value is None else _count(value, option)


def _reserves(output_tokens: str, reasoning_tokens: str) -> tuple[int, int]:
    """The --output-tokens and --reasoning-tokens reserves as whole numbers."""
    return _count(output_tokens, "--output-tokens"), _count(reasoning_tokens, "--reasoning-tokens")


def _effort_reserve(
    offer: ModelOffer, reasoning: int, typed: str, effort: str | None
) -> tuple[int, str | None]:
    """The thinking reserve: --reasoning-tokens when given, else the --reasoning-effort budget
    (planner.reasoning), else none; with the basis of an effort budget."""
    if effort is None or typed.strip() != "0":
        return reasoning, None
    from planner.plans import family_of
    from planner.reasoning import parse_effort, reasoning_reserve

    reserve = reasoning_reserve(offer, family_of(offer), parse_effort(effort))
    return reserve.tokens, reserve.basis


def _effort_document(effort: str | None, basis: str | None) -> dict[str, Any]:
    return {"reasoning_effort": effort, "reasoning_basis": basis} if basis is not None else {}


def _catalog():
    from planner.catalog import load_catalog

    return load_catalog()


def _offer(catalog: Any, model: str, provider: str | None) -> ModelOffer:
    return catalog.get(model, provider)


@dataclass
class InputSpec:
    """What the user gave as input; ``count`` may run more than once (standard input is kept)."""

    paths: list[str] | None
    input_tokens: int | None
    messages: bool = False
    include: list[str] | None = None
    exclude: list[str] | None = None
    stdin_data: bytes | None = None
    pdf_as_images: bool = False

    @classmethod
    def from_options(
        cls,
        paths: list[str] | None,
        input_tokens: str | None,
        messages: bool = False,
        include: list[str] | None = None,
        exclude: list[str] | None = None,
    ) -> InputSpec:
        """The input options of a command, with --input-tokens parsed."""
        return cls(paths, _tokens(input_tokens, "--input-tokens"), messages, include, exclude)

    @property
    def given(self) -> bool:
        return self.input_tokens is not None or bool(self.paths)

    def count_for(self, offer: ModelOffer) -> tuple[str, Gathered]:
        """The tokenizer family of ``offer`` and the input counted with it."""
        from planner.images import accepts_images, image_refusal
        from planner.plans import family_of

        family = family_of(offer)
        gathered = self.count([family], offer.id)
        vision = accepts_images(offer.capabilities.vision, offer.input_modalities)
        if gathered.image_count and vision is False:
            raise LimitError(image_refusal(offer.id, gathered.image_count))
        return family, gathered

    def count(self, families: list[str], model_id: str | None = None) -> Gathered:
        """Counts for each family: from --input-tokens, else PATHs (or standard input), once per family."""
        if self.input_tokens is not None:
            if self.paths:
                raise UsageError("give PATHs or --input-tokens, not both")
            from planner.counting import typed_counts

            return Gathered(counts=typed_counts(self.input_tokens, families), files=[], words=None, skipped=0)
        sources = list(self.paths or ["-"])
        if "-" in sources and self.stdin_data is None:
            if sys.stdin.isatty():
                raise UsageError("no input: give PATHs, pipe text in, or use --input-tokens N")
            self.stdin_data = sys.stdin.buffer.read()
        from planner.images import rule_for
        from planner.inputs import count_inputs

        report = count_inputs(
            sources,
            families,
            include=tuple(self.include or ()),
            exclude=tuple(self.exclude or ()),
            messages=self.messages,
            stdin=io.BytesIO(self.stdin_data) if self.stdin_data is not None else None,
            chat_template=self._template(families, model_id),
            image_rules={family: rule_for(family, model_id or "") for family in families},
            pdf_as_images=self.pdf_as_images,
        )
        if report.skipped_count:
            sys.stderr.write(
                f"warning: {report.skipped_count} file(s) skipped; `planner count --json` says why\n"
            )
        return Gathered(
            counts=dict(report.counts),
            files=list(report.files),
            words=report.words,
            skipped=report.skipped_count,
            images_not_counted=report.images_not_counted,
            parts=dict(report.parts),
            image_count=len(report.images),
        )

    def _template(self, families: list[str], model_id: str | None) -> str | None:
        if not self.messages or model_id is None or len(families) != 1:
            return None
        from planner.inputs.messages import template_for_model

        return template_for_model(model_id, families[0])


def _console() -> Console:
    from rich.console import Console

    # Wide when piped, so that ids are not cut; a terminal keeps its own width.
    return Console(soft_wrap=False, highlight=False, width=None if sys.stdout.isatty() else 160)


def _table(**options: Any) -> Table:
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE, **options)


def _money(amount: Decimal | None) -> str | None:
    from planner.costs import decimal_str

    return decimal_str(amount)


def _usd(amount: Decimal | None, places: int = 6) -> str:
    """Money the one way the CLI shows it (planner.costs.format_usd): 6 places per request, 2 for totals."""
    from planner.costs import format_usd

    return format_usd(amount, places)


def _per_million(amount: Decimal | None) -> str:
    """A price per million tokens, 2 to 6 places as it needs (planner.costs.format_usd_per_million)."""
    from planner.costs import format_usd_per_million

    return format_usd_per_million(amount)


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def _headroom_fraction(text: str) -> Decimal:
    cleaned = text.strip().rstrip("%")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise UsageError(f"--headroom must be a fraction (0.1) or a percentage (10%), got {text!r}") from None
    if text.strip().endswith("%") or value >= 1:
        value /= 100
    if not 0 <= value < 1:
        raise UsageError(f"--headroom must be from 0 up to 100 %, got {text!r}")
    return value


# ---------------------------------------------------------------- fit

FIT_HELP = """Does the input fit the model's window with room for the answer (and any thinking)?

Prints the verdict (fits, tight or does_not_fit), the headroom in tokens and words and the share of the
window used. When it does not fit: how many chunks it needs, which files to leave out, and the
smallest-window and cheapest catalog models that fit it.

--headroom H raises the bar: an input that fits but leaves less than H of the window is "tight", not
"fits" (the default bar is 5 %), and the suggested models must leave H too.

Exit status: 0 fits, or tight without --headroom and --strict; 1 does not fit, and with --headroom or
--strict anything short of "fits" (tight too), so scripts can gate on it;
2 bad option, 3 unreadable input, 4 unknown model, 6 no window in the catalog, 8 output reserve above the
model's max output.

\b
Examples:
  planner fit report.pdf
  planner fit src/ --output-tokens 4000
  cat notes.md | planner fit --model gpt-4o -o 2000
  planner fit --input-tokens 131072 --output-tokens 1          # does not fit: exit 1
  planner fit book.txt --overlap 500 --json | jq .chunks_needed
  planner fit repo/ --priority src/core --priority README.md    # what to leave out, keeping these
  planner fit big.txt --headroom 20% && echo "safe to send"
"""


@app.command(help=FIT_HELP)
def fit(
    paths: PathsArg = None,
    model: ModelOpt = DEFAULT_MODEL,
    provider: ProviderOpt = None,
    input_tokens: InputTokensOpt = None,
    output_tokens: OutputTokensOpt = "0",
    reasoning_tokens: ReasoningOpt = "0",
    reasoning_effort: EffortOpt = None,
    pdf_as: PdfAsOpt = "text",
    overlap: Annotated[
        str, typer.Option("--overlap", metavar="N", help="Tokens repeated between chunks.")
    ] = "0",
    headroom: Annotated[
        str | None,
        typer.Option(
            "--headroom",
            metavar="FRACTION",
            help="Share of the window that must stay free for 'fits' (0.1 or 10%); exit 1 short of it.",
        ),
    ] = None,
    priority: Annotated[
        list[str] | None,
        typer.Option("--priority", metavar="PATH", help="Files or folders to keep, most important first."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 for 'tight' too.")] = False,
    suggest: Annotated[
        bool,
        typer.Option("--suggest/--no-suggest", help="Look for catalog models that fit when it does not."),
    ] = True,
    messages: MessagesOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    as_json: JsonOpt = False,
) -> int:
    spec = InputSpec.from_options(paths, input_tokens, messages, include, exclude)
    spec.pdf_as_images = pdf_mode(pdf_as) == "images"
    out, reasoning = _reserves(output_tokens, reasoning_tokens)
    overlap_tokens = _count(overlap, "--overlap")
    fraction = _headroom_fraction(headroom or "0")
    catalog = _catalog()
    offer = _offer(catalog, model, provider)
    reasoning, reasoning_basis = _effort_reserve(offer, reasoning, reasoning_tokens, reasoning_effort)
    family, gathered = spec.count_for(offer)
    from planner.plans import check_fit

    result = check_fit(
        offer,
        gathered.counts[family],
        out,
        reasoning,
        overlap_tokens=overlap_tokens,
        headroom_fraction=fraction if headroom is not None else None,
    )
    doc: dict[str, Any] = {"tokenizer": family, **result.model_dump(mode="json")}
    doc.update(_effort_document(reasoning_effort, reasoning_basis))
    if gathered.words is not None:
        doc["words"] = gathered.words
    if gathered.images_not_counted:
        doc["images_not_counted"] = gathered.images_not_counted
    if gathered.parts:
        doc.update(parts_document(gathered.parts[family]))
    if result.verdict == "does_not_fit":
        doc["drop_plan"] = _drop_plan(gathered, family, result, priority)
        if suggest:
            doc["alternatives"] = _alternatives(catalog, spec, offer, out, reasoning, fraction)
    if as_json:
        emit_json(doc)
    else:
        _print_fit(result, doc)
    failed = result.verdict == "does_not_fit" or (
        (strict or headroom is not None) and result.verdict == "tight"
    )
    return EXIT_DOES_NOT_FIT if failed else 0


def _drop_plan(gathered: Gathered, family: str, result: FitResult, priority: list[str] | None) -> Any:
    from planner.plans import FileTokens, suggest_file_drops

    files = [
        FileTokens(path=item.path, tokens=item.tokens[family])
        for item in gathered.files
        if item.skipped is None and family in item.tokens
    ]
    total = gathered.counts[family].tokens
    plan = suggest_file_drops(files, result.input_limit, total_tokens=total, priority=priority)
    return None if plan is None else plan.model_dump(mode="json")


def _alternatives(
    catalog: Any, spec: InputSpec, offer: ModelOffer, out: int, reasoning: int, fraction: Decimal
) -> dict[str, Any]:
    """The smallest-window and cheapest catalog models that fit (the input counted once per family)."""
    from planner.compare import families_of, models_that_fit

    offers = catalog.offers
    gathered = spec.count(families_of(offers))
    found = models_that_fit(
        offers,
        gathered.counts,
        default=offer,
        output_tokens=out,
        reasoning_tokens=reasoning,
        headroom_fraction=fraction,
    )
    return {
        "headroom_fraction": str(found.headroom_fraction),
        "smallest_window": _row_doc(found.smallest_window),
        "cheapest": _row_doc(found.cheapest),
    }


def _row_doc(row: ComparisonRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return row.model_dump(mode="json", include={"id", "name", "provider", "context_window", "total_cost"})


def _print_fit(result: FitResult, doc: dict[str, Any]) -> None:
    console = _console()
    label = {"fits": "[green]fits[/]", "tight": "[yellow]tight[/]", "does_not_fit": "[red]does not fit[/]"}
    table = _table(show_header=False, title=f"{result.model}: {label[result.verdict]}")
    table.add_column("what")
    table.add_column("value", justify="right")
    band = f" (estimate, up to {result.input_tokens_high:,})" if result.method == "estimate" else " (exact)"
    table.add_row("context window", f"{result.context_window:,} tokens ({result.context_window_kind})")
    table.add_row("input", f"{result.input_tokens:,} tokens{band}")
    table.add_row("output reserved", f"{result.output_tokens:,}")
    table.add_row("reasoning reserved", f"{result.reasoning_tokens:,}")
    table.add_row("total", f"{result.total_tokens:,}")
    table.add_row("headroom", f"{result.headroom_tokens:,} tokens (~{result.headroom_words:,} words)")
    table.add_row("window used", result.used_percent)
    console.print(table)
    console.print(
        f"{result.reason}. Words at {result.words_per_token} per token ({result.words_per_token_basis})."
    )
    if doc.get("images_not_counted"):
        console.print(f"{doc['images_not_counted']} image(s) in the messages were not counted")
    if doc.get("reasoning_basis"):
        console.print(f"reasoning reserve ({doc['reasoning_effort']}): {doc['reasoning_basis']}")
    if doc.get("image_tokens") or doc.get("tool_tokens"):
        split = f"text {doc['text_tokens']:,} + images {doc['image_tokens']:,} + tools {doc['tool_tokens']:,}"
        console.print(f"input: {split}")
    if result.verdict != "does_not_fit":
        return
    console.print(
        f"Split it into {result.chunks_needed} chunks of at most {result.input_limit:,} input tokens."
    )
    drops = doc.get("drop_plan")
    if drops and drops["drop"]:
        names = ", ".join(f"{item['path']} ({item['tokens']:,})" for item in drops["drop"])
        console.print(f"Or leave out {len(drops['drop'])} file(s): {names}.")
    found = doc.get("alternatives") or {}
    for key, text in (
        ("smallest_window", "Smallest window that fits"),
        ("cheapest", "Cheapest model that fits"),
    ):
        row = found.get(key)
        if row:
            cost = _usd(Decimal(row["total_cost"])) if row["total_cost"] is not None else "unknown"
            console.print(
                f"{text}: {row['id']} ({row['provider']}), {row['context_window']:,} tokens, {cost}"
            )


# ---------------------------------------------------------------- cost

COST_HELP = """What one request costs, and N requests, a day or a month of them (exact decimal dollars).

Input tokens come from PATHs (counted with the model's tokenizer) or --input-tokens. Cached tokens are the
part of the input read from the prompt cache, cache-write tokens the part written to it. Long-context tiers
price the whole request once the prompt passes them. A price the catalog does not have is never taken as
$0: the command stops with exit status 7.

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
    output_tokens: OutputTokensOpt = "0",
    reasoning_tokens: ReasoningOpt = "0",
    reasoning_effort: EffortOpt = None,
    pdf_as: PdfAsOpt = "text",
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
    messages: MessagesOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    as_json: JsonOpt = False,
) -> int:
    spec = InputSpec.from_options(paths, input_tokens, messages, include, exclude)
    spec.pdf_as_images = pdf_mode(pdf_as) == "images"
    out, reasoning = _reserves(output_tokens, reasoning_tokens)
    cached = _count(cached_tokens, "--cached-tokens")
    writes = _count(cache_write_tokens, "--cache-write-tokens")
    count = _count(requests, "--requests")
    daily = _tokens(per_day, "--per-day")
    if daily is not None and count != 1:
        raise UsageError("give --requests or --per-day (a month of requests), not both")
    month_days = _count(days, "--days")
    offer = _offer(_catalog(), model, provider)
    reasoning, reasoning_basis = _effort_reserve(offer, reasoning, reasoning_tokens, reasoning_effort)
    from planner.plans import check_reserves

    check_reserves(offer, out, reasoning)  # the output limit fit applies: exit 8 above it
    family, gathered = spec.count_for(offer)
    tokens = gathered.counts[family]
    from planner.costs import (
        CURRENCY,
        applied_prices_per_million,
        prices_per_million,
        request_cost,
        require_total,
        tier_label,
        volume_cost,
    )

    bill = request_cost(
        offer,
        tokens.tokens,
        out,
        cached_tokens=cached,
        cache_write_tokens=writes,
        reasoning_tokens=reasoning,
        batch=batch,
    )
    per_request = require_total(bill, offer)
    applied = applied_prices_per_million(offer.pricing, bill.input_tokens, batch)
    volume = volume_cost(per_request, count, requests_per_day=daily, days_per_month=month_days)
    doc = {
        **bill.model_dump(mode="json"),
        "tokenizer": family,
        **_effort_document(reasoning_effort, reasoning_basis),
        "method": tokens.method,
        "requests": volume.requests,
        "total_for_requests": _money(volume.total_for_requests),
        "requests_per_day": volume.requests_per_day,
        "days_per_month": volume.days_per_month,
        "per_day": _money(volume.per_day),
        "per_month": _money(volume.per_month),
        "currency": CURRENCY,
        "prices_per_million": {key: _money(value) for key, value in applied.items()},
        "price_tier": tier_label(bill.tier_above_tokens),
        "base_prices_per_million": {
            key: _money(value) for key, value in prices_per_million(offer.pricing).items()
        },
    }
    if as_json:
        emit_json(doc)
    else:
        _print_cost(offer, bill, volume, tokens, applied)
    return 0


def _print_cost(
    offer: ModelOffer, bill: Any, volume: Any, tokens: TokenCount, per_million: dict[str, Decimal | None]
) -> None:
    from planner.costs import tier_label

    console = _console()
    title = f"{offer.id} ({offer.provider})" + (" - batch" if bill.batch else "")
    table = _table(title=title)
    for name in ("part", "tokens", "per million", "cost"):
        table.add_column(name, justify="left" if name == "part" else "right")
    rows = [
        ("input", bill.plain_input_tokens, "input", bill.input_cost),
        ("cache reads", bill.cached_tokens, "cache_read", bill.cached_cost),
        ("cache writes", bill.cache_write_tokens, "cache_write", bill.cache_write_cost),
        ("output", bill.output_tokens, "output", bill.output_cost),
        ("reasoning", bill.reasoning_tokens, "reasoning", bill.reasoning_cost),
    ]
    for part, count, price_name, amount in rows:
        if count or part in ("input", "output"):
            price = per_million.get(price_name)
            table.add_row(part, f"{count:,}", _per_million(price) if price is not None else "-", _usd(amount))
    if bill.request_fee:
        table.add_row("request fee", "", "", _usd(bill.request_fee))
    table.add_row("[bold]per request[/]", "", "", f"[bold]{_usd(bill.total_cost)}[/]")
    console.print(table)
    if bill.tier_above_tokens:
        console.print(
            f"Long-context tier ({tier_label(bill.tier_above_tokens)}): the whole request is at the tier's "
            "prices, shown per million."
        )
    if tokens.method == "estimate":
        console.print(
            f"Input tokens are an estimate ({tokens.basis}), "
            f"band {tokens.tokens_low:,}-{tokens.tokens_high:,}."
        )
    if volume.requests_per_day is not None:
        console.print(f"Per day ({volume.requests_per_day:,} requests): {_usd(volume.per_day, 2)}")
        console.print(f"Per month ({volume.days_per_month} days): {_usd(volume.per_month, 2)}")
    elif volume.requests != 1:
        console.print(f"{volume.requests:,} requests: {_usd(volume.total_for_requests, 2)}")


# ---------------------------------------------------------------- compare

COMPARE_HELP = """Every catalog model (or a filtered set) against the same input: fits, cost, window.

The input is counted once per tokenizer family, then each model takes its family's count. Costs are per
request; an unknown price shows as unknown and sorts last. context_vs_default_pct compares each window with
the --model's: floor((window / default - 1) * 100). The table shows --limit rows; --json lists every model.

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
    output_tokens: OutputTokensOpt = "0",
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
    batch: BatchOpt = False,
    limit: Annotated[
        int, typer.Option("--limit", help="Table rows (0: all); --json lists every model.")
    ] = 25,
    messages: MessagesOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    as_json: JsonOpt = False,
) -> int:
    if sort not in SORT_KEYS:
        raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, got {sort!r}")
    from planner.catalog.display import per_token_from_per_million
    from planner.compare import compare_models, families_of, select_rows

    spec = InputSpec.from_options(paths, input_tokens, messages, include, exclude)
    out, reasoning = _reserves(output_tokens, reasoning_tokens)
    cached = _count(cached_tokens, "--cached-tokens")
    catalog = _catalog()
    default = _offer(catalog, model, None)
    offers = catalog.filter(
        provider=provider,
        creator=creator,
        capability=capability,
        modality=modality,
        min_context=_tokens(min_context, "--min-context"),
        max_input_price=per_token_from_per_million(max_input_price, "--max-input-price"),
        max_output_price=per_token_from_per_million(max_output_price, "--max-output-price"),
        mode=mode,
    )
    gathered = spec.count(families_of(offers))
    comparison = compare_models(
        offers,
        gathered.counts,
        default=default,
        output_tokens=out,
        reasoning_tokens=reasoning,
        cached_tokens=cached,
        batch=batch,
        sort_by=sort,  # type: ignore[arg-type]
    )
    comparison = select_rows(comparison, fits_only=fits_only)
    if as_json:
        emit_json(comparison.model_dump(mode="json"))
    else:
        _print_compare(comparison, limit)
    return 0


def _print_compare(comparison: Comparison, limit: int) -> None:
    console = _console()
    counts = ", ".join(
        f"{family} {count.tokens:,}"
        + ("" if count.method == "exact" else f" (~, up to {count.tokens_high:,})")
        for family, count in comparison.input_counts.items()
    )
    console.print(f"Input tokens by tokenizer: {counts}")
    table = _table(title=f"{len(comparison.models):,} models, by {comparison.sort_by}")
    for name in ("model", "provider", "window", "vs default", "fits", "headroom", "cost / request"):
        table.add_column(name, justify="left" if name in ("model", "provider", "fits") else "right")
    shown = comparison.models if limit <= 0 else comparison.models[:limit]
    for row in shown:
        verdict = {"fits": "[green]yes[/]", "tight": "[yellow]tight[/]", "does_not_fit": "[red]no[/]"}
        table.add_row(
            row.id,
            row.provider,
            f"{row.context_window:,}" if row.context_window else "unknown",
            f"{row.context_vs_default_pct:+d} %" if row.context_vs_default_pct is not None else "",
            verdict.get(row.verdict, "unknown"),
            f"{row.headroom_tokens:,}" if row.headroom_tokens is not None else "",
            _usd(row.total_cost),
        )
    console.print(table)
    if len(shown) < len(comparison.models):
        console.print(
            f"... {len(comparison.models) - len(shown):,} more: --limit 0 shows all, --json lists all."
        )


# ---------------------------------------------------------------- model

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
    catalog = _catalog()
    offer = _offer(catalog, model_id, provider)
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
    return 0


def _print_model(page: ModelPage) -> None:
    from planner.costs import price_per_million

    console = _console()
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
        fits = _table(title="What fits in one request")
        for name in ("document", "words", "tokens", "fits"):
            fits.add_column(name, justify="left" if name in ("document", "fits") else "right")
        for row in page.what_fits:
            mark = {"fits": "[green]fits[/]", "tight": "[yellow]just fits[/]"}.get(
                row.verdict, "[red]won't fit[/]"
            )
            fits.add_row(row.name, f"~{row.words:,}", f"{row.tokens:,}", mark)
        console.print(fits)
    specs = _table(title="Specifications", show_header=False)
    specs.add_column("field")
    specs.add_column("value")
    for field, value in _spec_rows(page):
        specs.add_row(field, value)
    console.print(specs)
    caps = _table(title="Capabilities", show_header=False)
    caps.add_column("capability")
    caps.add_column("value")
    for name, value in offer.capabilities.model_dump().items():
        caps.add_row(name.replace("_", " "), _yes_no(value))
    console.print(caps)
    prices = _table(title="Prices (US dollars per million tokens)", show_header=False)
    prices.add_column("price")
    prices.add_column("value", justify="right")
    for name, value in page.prices_per_million.items():
        if name == "per_request":
            prices.add_row("per request fee", _usd(value) if value is not None else "none listed")
        else:
            prices.add_row(name.replace("_", " "), _per_million(value) if value is not None else "unknown")
    for tier in offer.pricing.tiers:
        tier_in = _per_million(price_per_million(tier.input)) if tier.input is not None else "base"
        tier_out = _per_million(price_per_million(tier.output)) if tier.output is not None else "base"
        prices.add_row(f"prompt above {tier.above_tokens:,}", f"input {tier_in}, output {tier_out}")
    console.print(prices)
    if page.comparisons:
        console.print("[bold]Context window compared[/]")
        for row in page.comparisons:
            if row.percent_larger >= 0:
                relation = f"{row.percent_larger} % larger than"
            else:
                relation = f"{row.percent_smaller} % smaller than"
            console.print(f"  {relation} {row.name} ({row.provider}, {row.context_window:,} tokens)")
    console.print(f"Source: {offer.source}, as of {offer.as_of.isoformat()}")


def _spec_rows(page: ModelPage) -> list[tuple[str, str]]:
    offer = page.model

    def text(value: object) -> str:
        return "unknown" if value in (None, "", []) else str(value)

    return [
        ("max output tokens", f"{offer.max_output_tokens:,}" if offer.max_output_tokens else "unknown"),
        ("max input tokens", f"{offer.max_input_tokens:,}" if offer.max_input_tokens else "unknown"),
        ("tokenizer", page.tokenizer),
        ("input", text(", ".join(offer.input_modalities))),
        ("output", text(", ".join(offer.output_modalities))),
        ("mode", text(offer.mode)),
        ("released", text(offer.release_date)),
        ("knowledge cutoff", text(offer.knowledge_cutoff)),
        ("Hugging Face", text(offer.hf_id)),
    ]


# ---------------------------------------------------------------- conversation

CONVERSATION_HELP = """When does a chat overflow the window; what do N turns cost, with and without caching?

Each of --system, --user and --answer is a token count (1500, 2k), a file to count, or the text itself.
A value is a file when one exists there. A value that looks like a file name - no spaces and a / or an
extension at the end (prompt.md, notes.txt, docs/system), or a / and an extension - must be a readable
file (exit 3 if not, and for a folder). Anything else is text: "You are terse." is counted as text.
Every turn resends the whole history; with caching, each turn reads the previous prompt from the cache and
writes the new part (a model without cache prices pays its input price for both, so the totals match).

\b
Examples:
  planner conversation --system 1500 --user 200 --answer 600
  planner conversation --system prompt.md --user 300 --answer 800 --turns 50
  planner conversation --system "You are terse." --user 100 --answer 400 --model anthropic/claude-sonnet-4
  planner conversation --system 2k --user 500 --answer 1k --turns 100 --json | jq .overflow_turn
"""


@app.command(help=CONVERSATION_HELP)
def conversation(
    system: Annotated[
        str,
        typer.Option(
            "--system", "-s", metavar="TOKENS|FILE|TEXT", help="System prompt: tokens, a file or text."
        ),
    ] = "0",
    user: Annotated[
        str,
        typer.Option(
            "--user", "-u", metavar="TOKENS|FILE|TEXT", help="Typical user message: tokens, file or text."
        ),
    ] = ("200"),
    answer: Annotated[
        str,
        typer.Option(
            "--answer", "-a", metavar="TOKENS|FILE|TEXT", help="Typical answer: tokens, a file or text."
        ),
    ] = ("500"),
    turns: Annotated[str, typer.Option("--turns", "-t", metavar="N", help="Turns to cost.")] = "20",
    reasoning_tokens: ReasoningOpt = "0",
    model: ModelOpt = DEFAULT_MODEL,
    provider: ProviderOpt = None,
    as_json: JsonOpt = False,
) -> int:
    from planner.conversation import check_turns, plan_conversation
    from planner.plans import family_of

    turn_count = _count(turns, "--turns")
    check_turns(turn_count, "--turns")
    offer = _offer(_catalog(), model, provider)
    family = family_of(offer)
    plan = plan_conversation(
        offer,
        _part_tokens(system, "--system", family),
        _part_tokens(user, "--user", family),
        _part_tokens(answer, "--answer", family),
        turn_count,
        reasoning_tokens=_count(reasoning_tokens, "--reasoning-tokens"),
    )
    if as_json:
        emit_json(plan.model_dump(mode="json"))
    else:
        _print_conversation(plan)
    return 0


def _part_tokens(value: str, option: str, family: str) -> int:
    """A token count, else a file's tokens, else the text's own tokens (central count)."""
    from planner.conversation import part_text_or_tokens
    from planner.counting import count_tokens

    part = part_text_or_tokens(value, option)
    return part if isinstance(part, int) else count_tokens(part, family).tokens


def _print_conversation(plan: ConversationPlan) -> None:
    console = _console()
    console.print(
        f"{plan.model}: system {plan.system_tokens:,}, user {plan.user_tokens:,}, "
        f"answer {plan.answer_tokens:,} tokens per turn; window {plan.context_window:,}"
    )
    if plan.overflow_turn is None:
        console.print("The history never overflows the window.")
    elif plan.last_turn_that_fits == 0:
        console.print("[red]Not even the first turn fits the window.[/]")
    else:
        console.print(
            f"The history overflows at turn [bold]{plan.overflow_turn:,}[/] "
            f"(turn {plan.last_turn_that_fits:,} is the last that fits)."
        )
    if plan.turns_costed < plan.turns_requested:
        console.print(f"Only the {plan.turns_costed:,} turns that fit are costed.")
    table = _table(title=f"Cumulative cost over {plan.turns_costed:,} turns")
    for name in ("turn", "input tokens", "this turn", "total", "this turn, cached", "total, cached"):
        table.add_column(name, justify="right")
    for row in _sample_turns(plan):
        table.add_row(
            f"{row.turn:,}",
            f"{row.input_tokens:,}",
            _usd(row.cost_without_caching),
            _usd(row.cumulative_without_caching),
            _usd(row.cost_with_caching),
            _usd(row.cumulative_with_caching),
        )
    console.print(table)
    console.print(
        f"Total without caching {_usd(plan.total_without_caching)}, with caching "
        f"{_usd(plan.total_with_caching)} ({_saving(plan.savings_with_caching)}); "
        f"prompt caching supported: {_yes_no(plan.caching_supported)}."
    )


def _saving(amount: Decimal | None) -> str:
    if amount == 0:
        return "no saving: the catalog lists no cache discount for this model"
    return f"saves {_usd(amount)}"


def _sample_turns(plan: ConversationPlan, rows: int = 12) -> list[Any]:
    if len(plan.turns) <= rows:
        return plan.turns
    step = len(plan.turns) / (rows - 1)
    picked = sorted({min(len(plan.turns) - 1, round(index * step)) for index in range(rows)})
    return [plan.turns[index] for index in picked]
