"""`planner count`: tokens and words of files, folders, standard input or chat messages for a model.

Gathers input and presents; the counting is planner.inputs.count_inputs. Imports stay light so that a count of
a one-line file answers in well under a second.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planner import DEFAULT_MODEL
from planner.cli._app import app, emit_json
from planner.cli.options import (
    OnlineOpt,
    apply_online,
    images_mode,
    offline_estimate_document,
    online_lines,
    online_request,
)
from planner.errors import EXIT_SOME_SKIPPED, UsageError
from planner.tokens.families import chat_template_for
from planner.tokens.online.switch import online_wanted
from planner.tokens.quantities import parse_setting, parse_token_count
from planner.wording import count_of, images_not_counted_text, printable

if TYPE_CHECKING:
    from planner.cli.count_document import CountDocument

HELP = f"""Count the tokens and words of files, folders, standard input or chat messages for a model.

Reads standard input when no PATH (or "-") is given. Folders are walked recursively, honouring .gitignore.
Exact for Hermes 4, Llama 3/4, OpenAI, Qwen 2-3, DeepSeek V3/R1 and Mistral models; an estimate with a
low-high band for the others (Claude, Gemini, Grok, ...), or with --online the vendor's own exact count
(sends the input; needs ANTHROPIC_API_KEY, GOOGLE_API_KEY or GEMINI_API_KEY, XAI_API_KEY, OPENAI_API_KEY).

Examples:

  planner count README.md

  cat notes.txt | planner count

  planner count src/ --include '*.py' --exclude 'tests/'

  planner count report.pdf --model openai/gpt-4o --json

  planner count chat.json --messages -m meta-llama/llama-3.3-70b-instruct

  # per-row stats and a histogram (--field messages: rows of chat messages)

  planner count data.jsonl --field text --max-tokens-per-row 8000

  planner count chats.jsonl --field messages

  planner count table.csv --column body

  planner count part-0.parquet --column text

  # image tokens by the vendor's rule; a scan as text + one image per page

  planner count screenshot.png --model openai/gpt-4o

  planner count scan.pdf --pdf-as images -m claude-sonnet-4

  # Anthropic's own count, the estimate beside it

  planner count notes.md -m claude-sonnet-4-5 --online --json

  # on a Dask LocalCluster, or a cluster's scheduler: the same answer

  planner count corpus/ --engine dask --workers 4

  planner count s3://bucket/data.jsonl --field text --engine dask \\
      --scheduler tcp://10.0.0.5:8786

"bytes" (--json key too) is the size of the text counted in UTF-8, not of the files on disk: a UTF-16 file
or a PDF is larger on disk than its text.

Exit status: 0 counted; 3 missing path; 4 unknown model; 5 some or all files were skipped or altered
(each with its reason; whatever could be read is counted). Default model: {DEFAULT_MODEL}.
"""


@dataclass(frozen=True)
class ResolvedModel:
    typed: str  # what the user wrote after --model
    id: str  # the catalog id it resolved to
    provider: str  # the host of that offer
    family: str  # the tokenizer family that counts for it
    accepts_images: bool | None = None  # the catalog's vision capability (None: unknown)

    @property
    def label(self) -> str:
        """The id, with its host when the typed name was not the id itself."""
        return self.id if self.typed == self.id else f"{self.id} on {self.provider}"

    @property
    def note(self) -> str:
        return f"'{self.typed}' is {self.id} ({self.provider}); use the full id to choose another"


def resolve_model(model: str) -> ResolvedModel:
    """The catalog offer meant by ``model`` and its tokenizer family; UnknownModelError with close matches.
    An exact id of the shipped catalog is answered from its model index, without loading the catalog."""
    from planner.catalog.model_index import OfferFacts, shipped_facts
    from planner.tokens.families import family_for_model
    from planner.tokens.image_rules import accepts_images

    facts = shipped_facts(model)
    if facts is None:
        from planner.catalog import load_catalog

        facts = OfferFacts.of(load_catalog().get(model))
    vision = accepts_images(facts.vision, list(facts.input_modalities or []) or None)
    family = family_for_model(facts.id, facts.hf_id, facts.tokenizer)
    return ResolvedModel(model, facts.id, facts.provider, family, vision)


MAX_WORKERS = 256  # --workers: local worker processes; more is a typo on any one machine


@app.command(help=HELP)
def count(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders; '-' or none: standard input.")
    ] = None,
    model: Annotated[
        str, typer.Option("--model", "-m", help="Model id whose tokenizer counts.")
    ] = DEFAULT_MODEL,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    include: Annotated[
        list[str] | None, typer.Option("--include", help="Only files matching this glob (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Skip files or folders matching this glob (repeatable)."),
    ] = None,
    messages: Annotated[
        bool, typer.Option("--messages", help="The input is a JSON list of chat messages (role, content).")
    ] = False,
    raw_markup: Annotated[
        bool, typer.Option("--raw-markup", help="Count HTML as its raw markup instead of its visible text.")
    ] = False,
    text: Annotated[
        str | None,
        typer.Option("--text", metavar="TEXT", help="Count this string instead of files or stdin."),
    ] = None,
    field: Annotated[
        str | None,
        typer.Option("--field", metavar="F", help="Dataset rows: count this JSON field of each JSONL row."),
    ] = None,
    column: Annotated[
        str | None,
        typer.Option("--column", metavar="C", help="Dataset rows: count this CSV / Parquet column."),
    ] = None,
    max_tokens_per_row: Annotated[
        str | None,
        typer.Option("--max-tokens-per-row", metavar="N", help="With --field / --column: count rows over N."),
    ] = None,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links", help="Follow symbolic links that lead out of a folder (off: skipped)."
        ),
    ] = False,
    pdf_as: Annotated[
        str,
        typer.Option(
            "--pdf-as", metavar="text|images", help="PDFs as their text layer, or + one image per page."
        ),
    ] = "text",
    images: Annotated[
        str | None,
        typer.Option(
            "--images",
            metavar="count|skip|refuse",
            help="Images found in folders (a model without vision: always left out, with a note).",
        ),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", metavar="E", help="local (this machine) or dask (a Dask cluster).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="ADDR", help="With --engine dask: tcp://HOST:PORT of a cluster."),
    ] = None,
    workers: Annotated[
        str | None,
        typer.Option("--workers", metavar="N", help="With --engine dask and no --scheduler: local workers."),
    ] = None,
    online: OnlineOpt = False,
) -> None:
    from planner.inputs.dask_runner import engine_client

    paths = paths or []
    rows = field is not None or column is not None
    if max_tokens_per_row is not None:
        parse_token_count(max_tokens_per_row, "--max-tokens-per-row")  # a bad value is refused first
    worker_count = None if workers is None else int(parse_setting(workers, "--workers", 1, MAX_WORKERS))
    if text is not None:
        if paths or rows or messages:
            raise UsageError(
                "--text counts the string it is given: leave out PATH, --field, --column, --messages"
            )
        count_string(text, model, as_json, online_wanted(online))
        return
    if max_tokens_per_row is not None and not rows:
        raise UsageError("--max-tokens-per-row needs --field or --column (dataset rows)")
    if not paths and not rows and sys.stdin.isatty():
        raise UsageError(
            "no input: give a file or folder, or pipe text in (e.g. `cat notes.txt | planner count`)"
        )
    from planner.cli.options import pdf_mode

    pdf_images = pdf_mode(pdf_as) == "images"
    with engine_client(engine, scheduler, worker_count) as client:
        if rows:
            if online_wanted(online):
                sys.stderr.write("note: --online: dataset rows are counted offline\n")
            count_dataset_rows(paths, model, field, column, max_tokens_per_row, as_json, client)
        else:
            files = FileOptions(
                include or [],
                exclude or [],
                messages,
                raw_markup,
                follow_links,
                pdf_images,
                online_wanted(online),
                images_mode(images),
            )
            count_files(paths, model, as_json, files, client)


def count_string(text: str, model: str, as_json: bool, online: bool = False) -> None:
    """`planner count --text TEXT`: the string itself, counted as pasted text is."""
    answer = count_text_answer(text, model, online)
    if answer.resolved.typed != answer.resolved.id and not as_json:
        sys.stderr.write(f"note: {answer.resolved.note}\n")
    show(answer, as_json)
    if answer.report.has_problems:  # an empty string: nothing counted, as an empty pipe (exit 5)
        raise SystemExit(EXIT_SOME_SKIPPED)


@dataclass(frozen=True)
class CountAnswer:
    report: Any  # planner.inputs' InputReport
    resolved: ResolvedModel
    offline_estimate: Any = None  # --online: the offline count beside the vendor's

    @cached_property
    def document(self) -> CountDocument:
        """What --json prints (and `planner mcp`'s count_tokens returns); built on first use, so the human
        output never builds the pydantic models (start-up)."""
        return report_document(self.report, self.resolved, self.resolved.family, self.offline_estimate)


def count_text_answer(text: str, model: str, online: bool = False) -> CountAnswer:
    """A string counted as pasted text is, with its --json document."""
    from planner.inputs import count_text_input

    resolved = resolve_model(model)
    report = count_text_input(text, [resolved.family])
    offline = None
    if online:
        from planner.tokens.online.request import CountRequest

        request = CountRequest.of_texts([text])
        report.counts[resolved.family], offline = apply_online(
            resolved.id, resolved.family, report.counts[resolved.family], request
        )
    return CountAnswer(report, resolved, offline)


def show(answer: CountAnswer, as_json: bool) -> None:
    """The count as JSON or text, with the offline count beside a vendor's (--online)."""
    if as_json:
        emit_json(answer.document.json_document())
    else:
        family = answer.resolved.family
        print_human(answer.report, answer.resolved, family)
        sys.stdout.write(online_lines(answer.report.counts[family], answer.offline_estimate))
    if answer.report.is_empty:  # exit 5 follows: say why on stderr, as an error, in both modes (fit does)
        from planner.inputs.report import EMPTY_INPUT

        sys.stderr.write(f"error: {EMPTY_INPUT}\n")


@dataclass(frozen=True)
class FileOptions:
    include: list[str]
    exclude: list[str]
    messages: bool
    raw_markup: bool
    follow_links: bool
    pdf_as_images: bool
    online: bool = False
    images: str | None = None  # --images as typed


def count_files(paths: list[str], model: str, as_json: bool, files: FileOptions, client: Any) -> None:
    """`planner count PATH ...`: files, folders, standard input or chat messages, here or on Dask."""
    answer = count_files_answer(paths, model, files, client, progress=not as_json)
    if answer.resolved.typed != answer.resolved.id and not as_json:
        sys.stderr.write(f"note: {answer.resolved.note}\n")
    show(answer, as_json)
    if answer.report.has_problems:
        raise SystemExit(EXIT_SOME_SKIPPED)


def _image_options(resolved: ResolvedModel, asked: str | None) -> dict[str, bool]:
    """count_inputs' image switches: a model that takes no images never has image tokens added to its
    count (named or found in a folder: left out, with a note); otherwise ``--images skip`` leaves out the
    images found in folders (planner.advice.image_notes.folder_images_for)."""
    from planner.advice.image_notes import folder_images_for

    if resolved.accepts_images is False:
        return {"folder_images": False, "named_images": False}
    if folder_images_for(resolved.accepts_images, asked) == "skip":
        return {"folder_images": False}
    return {}


def count_files_answer(
    paths: list[str], model: str, files: FileOptions, client: Any = None, progress: bool = False
) -> CountAnswer:
    """The count of files, folders, standard input or chat messages and its --json document (`planner
    mcp`'s count_tokens too); on Dask when ``client`` is a Dask client."""
    from planner.inputs import count_inputs
    from planner.inputs.dask_runner import count_inputs_on
    from planner.tokens.image_rules import rule_for

    resolved = resolve_model(model)
    family = resolved.family
    template = chat_template_for(resolved.id, family) if files.messages else None
    options: dict[str, Any] = {
        "include": files.include,
        "exclude": files.exclude,
        "messages": files.messages,
        "raw_markup": files.raw_markup,
        "progress": progress,
        "chat_template": template,
        "image_rules": {family: rule_for(family, resolved.id)},
        "follow_links": files.follow_links,
        "pdf_as_images": files.pdf_as_images,
        **_image_options(resolved, files.images),
    }
    stdin_data = None
    if files.online and (not paths or "-" in paths):  # read once, for the offline count and the vendor's
        stdin_data = sys.stdin.buffer.read()
        options["stdin"] = io.BytesIO(stdin_data)
    if client is None:
        report = count_inputs(paths, [family], **options)
    else:
        report = count_inputs_on(client, paths, [family], **options)
    offline = None
    if files.online:
        request = online_request(
            paths or ["-"],
            messages=files.messages,
            stdin_data=stdin_data,
            include=files.include,
            exclude=files.exclude,
            raw_markup=files.raw_markup,
            follow_links=files.follow_links,
            pdf_as_images=files.pdf_as_images,
        )
        report.counts[family], offline = apply_online(resolved.id, family, report.counts[family], request)
    return CountAnswer(report, resolved, offline)


def count_dataset_rows(
    paths: list[str],
    model: str,
    field: str | None,
    column: str | None,
    limit: str | None,
    as_json: bool,
    client: Any = None,
) -> None:
    """`planner count FILE --field F`: rows of a dataset column (planner.inputs.datasets), here or on Dask."""
    from planner.cli.datasets import dataset_document, print_dataset
    from planner.inputs.dask_runner import count_dataset_on
    from planner.inputs.datasets import RowCounter, count_dataset
    from planner.tokens.quantities import parse_token_count

    if field is not None and column is not None and field != column:
        raise UsageError("give --field or --column (they name the same thing), not both")
    name = field if field is not None else column
    assert name is not None
    resolved = resolve_model(model)
    if resolved.typed != resolved.id and not as_json:
        sys.stderr.write(f"note: {resolved.note}\n")
    rows_limit = None if limit is None else parse_token_count(limit, "--max-tokens-per-row")
    counter = RowCounter(resolved.family, chat_template_for(resolved.id, resolved.family), rows_limit)
    if client is None:
        report = count_dataset(paths, name, counter)
    else:
        report = count_dataset_on(client, paths, name, counter)
    if as_json:
        emit_json(dataset_document(report, resolved.id, resolved.provider).json_document())
    else:
        print_dataset(report, resolved.label)
    if report.has_problems:
        raise SystemExit(EXIT_SOME_SKIPPED)


def report_document(report: Any, model: ResolvedModel, family: str, offline: Any = None) -> CountDocument:
    """The JSON contract of `planner count` (shared/design.md), plus the host, bytes (the UTF-8 size of the
    text counted, not the files' size on disk), lines, per-extension totals and the inputs given twice
    (counted once)."""
    from planner.cli.count_document import CountDocument

    total = report.counts[family]
    document = {
        "model": model.id,
        "provider": model.provider,
        "tokenizer": family,
        "method": total.method,
        "tokens": total.tokens,
        "tokens_low": total.tokens_low,
        "tokens_high": total.tokens_high,
        "basis": total.basis,
        "words": report.words,
        "chars": report.chars,
        "bytes": report.bytes,
        "lines": report.lines,
        "files": [
            {
                "path": row.path,
                "kind": row.kind,
                "tokens": row.tokens.get(family) if row.skipped is None else None,
                "words": row.words,
                "chars": row.chars,
                "skipped": row.skipped,
                "warnings": row.warnings,
            }
            for row in report.files
        ],
        "by_extension": {
            extension: {
                "files": totals.files,
                "tokens": totals.tokens.get(family, 0),
                "words": totals.words,
                "bytes": totals.bytes,
            }
            for extension, totals in report.by_extension.items()
        },
        "skipped_count": report.skipped_count,
        "warning_count": report.warning_count,
        "is_messages": report.is_messages,
        "images_not_counted": report.images_not_counted_for(family),
        **parts_document(report.parts[family]),
        "accepts_images": model.accepts_images,
        "max_tokens": report.max_tokens,
        "images": [image.model_dump(mode="json") for image in report.images],
        "duplicates": [{"path": item.path, "same_as": item.same_as} for item in report.duplicates],
        "left_out": [folder.model_dump(mode="json") for folder in report.left_out],
        "notes": report.notes,
        "images_left_out": report.images_left_out,
        **offline_estimate_document(offline),
    }
    return CountDocument.from_keys(document)


def parts_document(parts: Any) -> dict[str, Any]:
    """``text_tokens``, ``image_tokens``, ``tool_tokens`` (each with its ``*_basis``; 0 and null basis when
    the input has none of that part): the split of the tokens counted (RequestParts)."""
    doc: dict[str, Any] = {}
    for name, part in (("text", parts.text), ("image", parts.images), ("tool", parts.tools)):
        doc[f"{name}_tokens"] = part.tokens if part is not None else 0
        doc[f"{name}_basis"] = part.basis if part is not None else None
    return doc


def parts_line(report: Any, family: str) -> str | None:
    """'text 12 + images 765 + tools 80' when the input has images or tools, else None."""
    parts = report.parts[family]
    if parts.images is None and parts.tools is None:
        return None
    pieces = [f"text {parts.text.tokens:,}"]
    if parts.images is not None:
        pieces.append(f"images {parts.images.tokens:,}")
    if parts.tools is not None:
        pieces.append(f"tools {parts.tools.tokens:,}")
    return " + ".join(pieces)


def print_human(report: Any, model: ResolvedModel, family: str) -> None:
    total = report.counts[family]
    out = sys.stdout.write
    if total.method == "exact":
        out(f"{total.tokens:,} tokens  ({family}, exact for {model.label})\n")
    else:
        band = f"{total.tokens_low:,}-{total.tokens_high:,}"
        out(f"{total.tokens:,} tokens  (estimate for {model.label}: {band}; {total.basis})\n")
    # report.bytes is the UTF-8 size of the text counted (a UTF-16 or PDF file's size on disk differs)
    text_bytes = f"{count_of(report.bytes, 'byte')} of text (UTF-8)"
    sizes = ", ".join([count_of(report.chars, "character"), text_bytes, count_of(report.lines, "line")])
    out(f"{count_of(report.words, 'word')}, {sizes}\n")
    if report.is_messages:
        out(f"counted as chat messages: {total.basis}\n")
    split = parts_line(report, family)
    if split:
        out(f"{split}\n")
    if report.max_tokens is not None:
        out(f"the request asks for up to {report.max_tokens:,} output tokens (max_tokens)\n")
    from planner.advice.image_notes import refusal_for

    counted = sum(1 for image in report.images if image.skipped is None)
    refusal = refusal_for(model.id, model.accepts_images, counted)
    if refusal is not None:  # a count is not a request: planner.advice.notes' refusal is a warning here
        sys.stderr.write(f"warning: {refusal}\n")
    if report.images_not_counted_for(family):
        out(f"{images_not_counted_text(report.images_not_counted_for(family))}\n")
    for image in report.images:
        if image.skipped is not None:
            sys.stderr.write(f"image not counted: {image.where}: {image.skipped}\n")
    rows = [row for row in report.files if row.skipped is None]
    if len(report.files) > 1:
        out("\n" + _file_table(rows, family))
        if len(report.by_extension) > 1:
            out("\n" + _extension_table(report.by_extension, family))
    for row in report.files:
        if row.skipped is not None:
            sys.stderr.write(f"skipped: {printable(row.path)}: {row.skipped}\n")
        for warning in row.warnings:
            sys.stderr.write(f"warning: {printable(row.path)}: {warning}\n")
    for item in report.duplicates:
        same = printable(item.same_as)
        also = "given more than once" if item.path == item.same_as else f"same file as {same}"
        sys.stderr.write(f"warning: {printable(item.path)}: {also}; counted once\n")
    for note in report.notes:
        sys.stderr.write(f"note: {note}\n")
    if report.images_left_out:
        from planner.inputs.report import images_left_out_text

        sys.stderr.write(f"note: {images_left_out_text(len(report.images_left_out))}\n")
    if report.left_out:
        from planner.inputs.report import left_out_text

        sys.stderr.write(f"note: {left_out_text(report.left_out)}\n")
    if report.skipped_count:
        rest = "nothing was counted" if report.nothing_counted else "everything else was counted"
        sys.stderr.write(f"{count_of(report.skipped_count, 'file')} skipped; {rest}\n")


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = []
    for cells in [header, *rows]:
        first, *rest = cells
        lines.append(
            "  ".join([first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))])
        )
    return "\n".join(lines) + "\n"


MAX_FILE_ROWS = 30


def _file_table(rows: list[Any], family: str) -> str:
    """Every file when there are few; else the largest ones and a line that says how many are left out."""
    shown = rows
    if len(rows) > MAX_FILE_ROWS:
        shown = sorted(rows, key=lambda row: -row.tokens.get(family, 0))[: MAX_FILE_ROWS - 5]
    body = [[printable(row.path), f"{row.tokens.get(family, 0):,}", f"{row.words:,}"] for row in shown]
    table = _table(["file", "tokens", "words"], body)
    if len(shown) < len(rows):
        table += f"... and {len(rows) - len(shown):,} more files (the largest are shown; --json lists all)\n"
    return table


def _extension_table(by_extension: dict[str, Any], family: str) -> str:
    ordered = sorted(by_extension.items(), key=lambda item: -item[1].tokens.get(family, 0))
    body = [[ext, str(t.files), f"{t.tokens.get(family, 0):,}", f"{t.words:,}"] for ext, t in ordered]
    return _table(["extension", "files", "tokens", "words"], body)
