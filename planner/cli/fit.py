"""`planner fit`: does the input fit the model's window with room for the answer, and what then.

Gathers input and presents planner.advice.answers.advise_fit's answer; no rule of its own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from planner import DEFAULT_MODEL
from planner.cli import _app, render
from planner.cli._app import app, emit_json
from planner.cli.count import parts_document
from planner.cli.options import (
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
    count_option,
    effort_document,
    effort_reserve,
    headroom_fraction,
    offline_estimate_document,
    online_lines,
    refuse,
    request_setup,
    tokens_option,
)
from planner.errors import EXIT_DOES_NOT_FIT
from planner.wording import LIMIT_LABELS, count_of, first_few, images_not_counted_text, printable, usd

if TYPE_CHECKING:
    from planner.advice.answers import FitAdvice
    from planner.advice.compare import ComparisonRow
    from planner.advice.suggestions import Alternatives
    from planner.cli.fit_document import FitDocument
    from planner.cli.options import InputSpec, Request
    from planner.inputs.sample_counter import SampleCounter
    from planner.tokens.counts import TokenCount

FIT_HELP = """Does the input fit the model's window with room for the answer (and any thinking)?

Prints the verdict (fits, tight or does_not_fit), the headroom in tokens and words and the share of the
window used. When it does not fit: how many chunks it needs, which files to leave out, and the
smallest-window and cheapest catalog models that fit it.

--headroom H raises the bar: an input that fits but leaves less than H of the window is "tight", not
"fits" (the default bar is 5 %). Suggested models answer in text, have known prices and leave 10 % of
their window free (or H, when larger); free and preview offers are listed apart (--include-free mixes
them in).

Exit status: 0 fits, or tight without --headroom and --strict; 1 does not fit, and with --headroom or
--strict anything short of "fits" (tight too), so scripts can gate on it;
2 bad option, 3 unreadable input, 4 unknown model, 5 every input was skipped (nothing counted; input
partly skipped is a warning and the answer is on the rest), 6 no window in the catalog, 8 output reserve
above the model's max output.

\b
Examples:
  planner fit report.pdf
  planner fit src/ --output-tokens 4000
  cat notes.md | planner fit --model gpt-4o -o 2000
  planner fit --input-tokens 131072 --output-tokens 1          # does not fit: exit 1
  planner fit book.txt --overlap 500 --json | jq .chunks_needed
  planner fit repo/ --priority src/core --priority README.md    # what to leave out, keeping these
  planner fit big.txt --headroom 20% && echo "safe to send"
  planner fit --input-tokens 2M --include-free                 # free and preview offers too
  planner fit prompts/ --max-input-tokens 8000                 # a budget too: exit 1 over 8,000
"""


@app.command(help=FIT_HELP)
def fit(
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
    max_input_tokens: Annotated[
        str | None,
        typer.Option(
            "--max-input-tokens",
            metavar="N",
            help="A budget: the input must also stay within N tokens (exit 1 over it), e.g. a CI gate.",
        ),
    ] = None,
    suggest: Annotated[
        bool,
        typer.Option("--suggest/--no-suggest", help="Look for catalog models that fit when it does not."),
    ] = True,
    include_free: Annotated[
        bool,
        typer.Option("--include-free", help="Suggest free and preview offers along with the paid ones."),
    ] = False,
    messages: MessagesOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    online: OnlineOpt = False,
    as_json: JsonOpt = False,
) -> int:
    options = FitOptions(
        output_tokens=output_tokens,
        reasoning_tokens=reasoning_tokens,
        reasoning_effort=reasoning_effort,
        overlap_tokens=count_option(overlap, "--overlap"),
        headroom=headroom_fraction(headroom) if headroom is not None else None,
        priority=priority,
        strict=strict,
        suggest=suggest,
        include_free=include_free,
        input_budget=tokens_option(max_input_tokens, "--max-input-tokens"),
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
    advice, document, count, offline = fit_answer(asked, options, one_shot=_app.ONE_SHOT)
    doc = document.json_document()
    if as_json:
        emit_json(doc)
    else:
        _print_fit(advice, doc)
        sys.stdout.write(online_lines(count, offline))
        render.warnings(advice.freshness.warnings if advice.freshness else [])
    return 0 if advice.gate_passed else EXIT_DOES_NOT_FIT


@dataclass(frozen=True)
class FitOptions:
    """What a fit is asked for, parsed (the reserves as typed: a request body's max_tokens stands in for
    an answer reserve not given, an effort budget for a thinking reserve of 0)."""

    output_tokens: str | None = None
    reasoning_tokens: str = "0"
    reasoning_effort: str | None = None
    overlap_tokens: int = 0
    headroom: Decimal | None = None
    priority: list[str] | None = None
    strict: bool = False
    suggest: bool = True
    include_free: bool = False
    input_budget: int | None = None  # --max-input-tokens


class FitAnswer(NamedTuple):
    advice: FitAdvice
    document: FitDocument  # what --json prints (and `planner mcp`'s check_fit returns)
    input_count: TokenCount  # the input's count for the model's family (`count` would hide tuple.count)
    offline_estimate: TokenCount | None  # --online: the offline count beside the vendor's


def fit_answer(asked: Request, options: FitOptions, one_shot: bool = False) -> FitAnswer:
    """`planner fit`'s answer and its --json document, for the input and offer ``asked`` sets up.
    ``one_shot``: the process ends after this answer (planner.cli._app.ONE_SHOT), so the model's encoder is
    released once the input is counted, and the suggestions' sample is counted in another encoding by a
    process forked before the count (planner.inputs.sample_counter): time and peak memory."""
    counter = _sample_counter(asked, options) if one_shot else None
    try:
        return _fit_answer(asked, options, one_shot, counter)
    finally:
        if counter is not None:
            counter.close()


def _sample_counter(asked: Request, options: FitOptions) -> SampleCounter | None:
    """A process forked now, before the count, to count the suggestions' sample in the base family
    (planner.inputs.sample_counter), when the input is files or folders counted in another family, or one
    big file, whose sample is pieces (counted in the model's family too, and read while the file is)."""
    from planner.inputs.count_run import is_named_stream
    from planner.inputs.parallel import can_fork
    from planner.inputs.sampled_counts import expected_pieces
    from planner.tokens.counts import estimate_base_family
    from planner.tokens.families import family_for

    spec = asked.spec
    if not options.suggest or not spec.paths or _counted_again(spec) or not can_fork():
        return None
    if any(path == "-" or is_named_stream(path) for path in spec.paths):  # read once, never again
        return None
    family = family_for(asked.offer)
    pieces = expected_pieces(spec.paths)
    if family == estimate_base_family() and not pieces:
        return None
    from planner.inputs.sample_counter import SampleCounter

    return SampleCounter(family if pieces else None, pieces)


def _counted_again(spec: InputSpec) -> bool:
    """Whether the other families' counts are counted again exactly rather than scaled from a sample
    (planner.inputs.sampled_counts: ``exact_only``), whatever the count finds."""
    return spec.messages or spec.pdf_as_images or spec.online


def _fit_answer(
    asked: Request, options: FitOptions, one_shot: bool, counter: SampleCounter | None
) -> FitAnswer:
    from planner.advice.answers import advise_fit
    from planner.advice.fit_rule import file_tokens
    from planner.advice.pool_index import pools_for
    from planner.cli.fit_document import FitDocument
    from planner.inputs.sampled_counts import counts_in_families

    spec, offer = asked.spec, asked.offer
    reasoning, reasoning_basis = effort_reserve(
        offer, asked.reasoning_tokens, options.reasoning_tokens, options.reasoning_effort
    )
    family, gathered = spec.count_for(offer)
    if one_shot:
        from planner.tokens.encoders import release_encoders

        release_encoders()
    out, out_from = answer_reserve(options.output_tokens, gathered)
    advice = advise_fit(
        offer,
        gathered.counts[family],
        out,
        reasoning,
        overlap_tokens=options.overlap_tokens,
        headroom_fraction=options.headroom,
        strict=options.strict,
        files=file_tokens(gathered.files, family),
        priority=options.priority,
        pools=pools_for(lambda: asked.catalog) if options.suggest else None,
        counts_for=lambda families: counts_in_families(
            family,
            gathered,
            families,
            lambda names: spec.count(names).counts,
            exact_only=_counted_again(spec) or gathered.image_count > 0,
            read=counter.read_sample if counter is not None else None,
        ),
        include_free=options.include_free,
        images=gathered.image_count,
        input_budget=options.input_budget,
    )
    refuse(advice.image_refusal)
    doc = fit_document(advice)
    doc["output_tokens_from"] = out_from
    doc.update(effort_document(options.reasoning_effort, reasoning_basis))
    if gathered.words is not None:
        doc["words"] = gathered.words
    if gathered.images_not_counted.get(family):
        doc["images_not_counted"] = gathered.images_not_counted[family]
    if gathered.images_left_out:
        doc["images_left_out"] = gathered.images_left_out
    if gathered.parts:
        doc.update(parts_document(gathered.parts[family]))
    doc.update(offline_estimate_document(gathered.offline_estimate))
    document = FitDocument.from_keys(doc)
    return FitAnswer(advice, document, gathered.counts[family], gathered.offline_estimate)


def fit_document(advice: FitAdvice) -> dict[str, Any]:
    """The JSON document of `planner fit --json`."""
    from planner.catalog.freshness import freshness_keys

    doc: dict[str, Any] = {
        "tokenizer": advice.tokenizer,
        **advice.fit.model_dump(mode="json"),
        **freshness_keys(advice.freshness),
    }
    if advice.fit.verdict != "does_not_fit":
        return doc
    doc["drop_plan"] = advice.drop_plan.model_dump(mode="json") if advice.drop_plan else None
    found = advice.suggestions
    if found is not None:
        doc["alternatives"] = {"headroom_fraction": str(found.headroom_fraction), **_pair(found.paid)}
        doc["free_alternatives"] = _pair(found.free)
        doc["include_free"] = found.include_free
    return doc


def _pair(found: Alternatives) -> dict[str, Any]:
    return {"smallest_window": _row_doc(found.smallest_window), "cheapest": _row_doc(found.cheapest)}


def _row_doc(row: ComparisonRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    fields = {"id", "name", "provider", "context_window", "total_cost", "offer_class"}
    return row.model_dump(mode="json", include=fields)


def _print_fit(advice: FitAdvice, doc: dict[str, Any]) -> None:
    result = advice.fit
    console = render.console()
    table = render.table(show_header=False, title=f"{result.model}: {render.verdict(result.verdict)}")
    table.add_column("what")
    table.add_column("value", justify="right")
    band = f" (estimate, up to {result.input_tokens_high:,})" if result.method == "estimate" else " (exact)"
    table.add_row("context window", f"{result.context_window:,} tokens ({result.context_window_kind})")
    cap = LIMIT_LABELS.get(result.limited_by)
    if cap is not None:
        table.add_row(cap, f"{result.input_limit:,} tokens ({result.input_limit_used_percent} used)")
    table.add_row("input", f"{result.input_tokens:,} tokens{band}")
    table.add_row(
        "output reserved", f"{result.output_tokens:,}{render.reserve_origin(doc['output_tokens_from'])}"
    )
    table.add_row("reasoning reserved", f"{result.reasoning_tokens:,}")
    table.add_row("total", f"{result.total_tokens:,}")
    table.add_row("headroom", _headroom(result.headroom_tokens, result.headroom_words))
    table.add_row("window used", f"{result.used_percent} (the {cap} binds)" if cap else result.used_percent)
    console.print(table)
    console.print(
        f"{result.reason}. Words at {result.words_per_token} per token ({result.words_per_token_basis})."
    )
    if doc.get("images_not_counted"):
        console.print(images_not_counted_text(doc["images_not_counted"]))
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
    drops = advice.drop_plan
    if drops is not None and drops.drop:
        from rich.markup import escape

        names = first_few([f"{escape(printable(item.path))} ({item.tokens:,})" for item in drops.drop])
        console.print(f"Or leave out {count_of(len(drops.drop), 'file')}, largest first: {names}.")
    _print_suggestions(console, advice)


def _headroom(tokens: int, words: int) -> str:
    """'87,356 tokens (~65,517 words)' when there is room; '1 token over' when the input is over the limit."""
    if tokens < 0:
        return f"{count_of(-tokens, 'token')} over"
    return f"{count_of(tokens, 'token')} (~{count_of(words, 'word')})"


def _print_suggestions(console: Any, advice: FitAdvice) -> None:
    found = advice.suggestions
    if found is None:
        return
    room = f"{found.headroom_fraction:.0%}"
    if found.none_found:
        console.print(f"No catalog model takes it whole with {room} of its window to spare: split it.")
    for label, row in (
        ("Smallest window that fits", found.paid.smallest_window),
        ("Cheapest model that fits", found.paid.cheapest),
        ("Free or preview, smallest window", None if found.include_free else found.free.smallest_window),
    ):
        if row is not None:
            console.print(
                f"{label} ({room} to spare): {row.id} ({row.provider}), {row.context_window:,} tokens, "
                f"{usd(row.total_cost)} per request"
            )
