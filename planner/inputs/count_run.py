"""The public entry points: count files, folders, standard input, pasted text or chat messages.

Each distinct tokenizer family is counted once per input and the text is read once: estimated families share
one exact count of the estimate's base family (o200k_base) and differ only by their factors.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from planner.errors import InputError, SkipFile, UsageError
from planner.inputs.files import STREAM_MIN_BYTES, Outcome, count_file, decode_document, extension_of
from planner.inputs.folders import Filters, walk_folder
from planner.inputs.messages import messages_outcomes
from planner.inputs.pictures import IMAGE_EXTENSIONS, ImageTally, pdf_page_images
from planner.inputs.progress import ScanProgress
from planner.inputs.readers import detect_stream_codec, display_path, os_error_reason, read_bytes
from planner.inputs.report import (
    DuplicateInput,
    ExtensionTotals,
    FileReport,
    InputReport,
    LeftOutFolder,
    RequestParts,
    images_left_out_text,
    left_out_text,
)
from planner.inputs.streaming import FORCED_CUT_TOKENS, READ_SIZE, Tally, count_stream, count_text
from planner.tokens.counts import (
    Method,
    TokenCount,
    classify_text,
    estimate_base_family,
    estimate_from_base,
    zero_count,
)
from planner.tokens.families import counted_apart, expect_text, family_names, is_exact
from planner.tokens.image_rules import ImageRule

if TYPE_CHECKING:
    from concurrent.futures import Executor

STDIN_NAME = "<stdin>"


def check_families(families: Sequence[str]) -> list[str]:
    """Distinct families in the order given; an unknown name is a usage error."""
    if isinstance(families, str):
        families = [families]
    distinct = list(dict.fromkeys(families))
    if not distinct:
        raise UsageError("no tokenizer family given")
    known = family_names()
    for family in distinct:
        if family not in known:
            raise UsageError(f"unknown tokenizer family '{family}'; known: {', '.join(known)}")
    return distinct


def exact_families_needed(families: Sequence[str]) -> list[str]:
    """The exact encoders to run: the exact families asked for, plus the estimate base if any is estimated."""
    needed = [family for family in families if is_exact(family)]
    if any(not is_exact(family) for family in families) and estimate_base_family() not in needed:
        needed.append(estimate_base_family())
    return needed


def family_count(tally: Tally, family: str) -> TokenCount:
    if not tally.chars:
        return zero_count(family)
    if is_exact(family) and tally.forced_cuts:
        return _forced_cut_estimate(family, tally.tokens[family], tally.forced_cuts)
    if is_exact(family):
        return TokenCount.exact(family, tally.tokens[family])
    if tally.kind is None:
        tally.kind = classify_text(tally.sample)  # once per input, not once per estimated family
    return estimate_from_base(tally.tokens[estimate_base_family()], family, tally.kind)  # type: ignore[arg-type]


def _forced_cut_estimate(family: str, tokens: int, cuts: int) -> TokenCount:
    """An exact encoder's count of a text cut where no safe point was (planner.inputs.streaming): not proved
    exact, so an estimate with FORCED_CUT_TOKENS either way per cut."""
    band = cuts * FORCED_CUT_TOKENS
    return TokenCount(
        tokenizer=family,
        method="estimate",
        tokens=tokens,
        tokens_low=max(tokens - band, 0),
        tokens_high=tokens + band,
        basis=f"{family}, cut {cuts} time(s) inside a line with no safe split point (+/- {band} tokens)",
    )


def _sum_counts(counts: Sequence[TokenCount], family: str) -> TokenCount:
    """One total per family, built once (adding 10,000 pydantic records one by one is slow)."""
    counted = [count for count in counts if count.basis != "empty"]
    if not counted:
        return zero_count(family)
    bases = {count.basis for count in counted}
    method: Method = "exact" if all(count.method == "exact" for count in counted) else "estimate"
    return TokenCount(
        tokenizer=family,
        method=method,
        tokens=sum(count.tokens for count in counted),
        tokens_low=sum(count.tokens_low for count in counted),
        tokens_high=sum(count.tokens_high for count in counted),
        basis=bases.pop() if len(bases) == 1 else f"sum of {method} counts ({family})",
    )


def build_report(
    outcomes: Iterable[Outcome],
    families: Sequence[str],
    *,
    is_messages: bool = False,
    image_rules: Mapping[str, ImageRule] | None = None,
) -> InputReport:
    """Totals, per-file rows and per-extension totals from the outcomes of counting.

    Images (image files, image parts of chat messages) are counted with ``image_rules[family]`` (default: the
    family's rule, planner.tokens.image_rules.rule_for); tool definitions come counted in
    ``Outcome.tool_counts``. The totals in ``counts`` are text + images + tools; the parts are kept apart in
    ``parts``.
    """
    per_family: dict[str, list[TokenCount]] = {family: [] for family in families}
    pictures = ImageTally(families, image_rules or {})
    tools: dict[str, list[TokenCount]] = {family: [] for family in families}
    exact_sums = Tally()  # exact counts of plain files: summed as integers, one TokenCount at the end
    files: list[FileReport] = []
    by_extension: dict[str, ExtensionTotals] = {}
    totals = Tally()
    asked: list[int] = []  # max_tokens of request bodies
    for outcome in outcomes:
        if outcome.max_tokens is not None:
            asked.append(outcome.max_tokens)
        tally = outcome.tally if outcome.skipped is None else None
        tokens: dict[str, int] = {}
        if tally is not None:
            for family in families:
                if not outcome.counts and is_exact(family):
                    tokens[family] = tally.tokens.get(family, 0) if tally.chars else 0
                    exact_sums.tokens[family] = exact_sums.tokens.get(family, 0) + tokens[family]
                    continue
                count = outcome.counts[family] if outcome.counts else family_count(tally, family)
                per_family[family].append(count)
                tokens[family] = count.tokens
            totals.words += tally.words
            totals.chars += tally.chars
            totals.bytes += tally.bytes
            totals.newlines += tally.lines  # lines of separate files add up
            for family, count in (outcome.tool_counts or {}).items():
                tools[family].append(count)
                tokens[family] = tokens.get(family, 0) + count.tokens
        if outcome.skipped is None:
            for family, image_count in pictures.add(outcome.images).items():
                tokens[family] = tokens.get(family, 0) + image_count
        row = _file_row(outcome, tokens, tally)
        files.append(row)
        if tally is not None:
            _add_extension(by_extension, row)
    for family, tokens_sum in exact_sums.tokens.items():
        if tokens_sum:
            per_family[family].append(family_count(Tally(tokens={family: tokens_sum}, chars=1), family))
    parts = {
        family: RequestParts(
            text=_sum_counts(per_family[family], family),
            images=pictures.total(family),
            tools=_sum_counts(tools[family], family) if tools[family] else None,
        )
        for family in families
    }
    return InputReport(
        counts={family: part.total for family, part in parts.items()},
        parts=parts,
        images=pictures.rows,
        max_tokens=max(asked, default=None),
        words=totals.words,
        chars=totals.chars,
        bytes=totals.bytes,
        lines=totals.newlines,
        files=files,
        by_extension=by_extension,
        skipped_count=sum(1 for row in files if row.skipped is not None),
        warning_count=sum(1 for row in files if row.skipped is None and row.warnings),
        is_messages=is_messages,
        images_not_counted=sum(1 for row in pictures.rows if row.skipped is not None),
    )


def _file_row(outcome: Outcome, tokens: dict[str, int], tally: Tally | None) -> FileReport:
    # model_construct: every field is built here from checked values; validating 10,000 rows costs seconds
    return FileReport.model_construct(
        path=display_path(outcome.path),
        kind=outcome.kind,
        extension=outcome.extension,
        size=outcome.size,
        encoding=outcome.encoding,
        tokens=tokens,
        words=tally.words if tally else 0,
        chars=tally.chars if tally else 0,
        bytes=tally.bytes if tally else 0,
        lines=tally.lines if tally else 0,
        skipped=outcome.skipped,
        warnings=list(outcome.warnings),
    )


def _add_extension(by_extension: dict[str, ExtensionTotals], row: FileReport) -> None:
    key = row.extension or (f"({row.kind})" if row.kind in ("stdin", "stream") else "(none)")
    totals = by_extension.get(key)
    if totals is None:
        totals = by_extension[key] = ExtensionTotals()
    # plain attribute arithmetic through __dict__: pydantic's __setattr__ costs ~3 us a call, 10,000 files
    values = totals.__dict__
    values["files"] += 1
    values["words"] += row.words
    values["bytes"] += row.bytes
    for family, tokens in row.tokens.items():
        totals.tokens[family] = totals.tokens.get(family, 0) + tokens


def count_text_input(text: str, families: Sequence[str], *, name: str = "<text>") -> InputReport:
    """Count pasted text (the Streamlit app's text box): tokens per family, words, chars, bytes, lines."""
    families = check_families(families)
    exact = exact_families_needed(families)
    tally = _count_text_anywhere(text, exact)
    outcome = Outcome(path=name, kind="text", extension="", size=tally.bytes, encoding="utf-8", tally=tally)
    return build_report([outcome], families)


def _count_text_anywhere(text: str, exact: Sequence[str]) -> Tally:
    from planner.inputs.parallel import PARALLEL_MIN_BYTES, count_text_parallel, worker_count

    for family in counted_apart(exact, text):  # a twin's encoder is not even built (Tally counts it once)
        expect_text(family, len(text))
    workers = worker_count()
    if workers > 1 and len(text) >= PARALLEL_MIN_BYTES:
        return count_text_parallel(text, exact, workers)
    return count_text(text, exact)


def count_inputs(
    paths: Sequence[str | Path],
    families: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    messages: bool = False,
    raw_markup: bool = False,
    progress: bool = False,
    stdin: BinaryIO | None = None,
    chat_template: str | None = None,
    image_rules: Mapping[str, ImageRule] | None = None,
    follow_links: bool = False,
    pdf_as_images: bool = False,
    executor: Executor | None = None,
    executor_workers: int = 1,
    folder_images: bool = True,
    named_images: bool = True,
    streams: Mapping[str, bytes] | None = None,
) -> InputReport:
    """Count files, folders and standard input ("-" or no paths) for each family.

    ``streams``: the bytes of pipes named as paths (``is_named_stream``) already read, by path: a pipe can be
    read once only, so a caller that counts the same input again keeps them (as it keeps standard input).

    ``folder_images`` False: image files found in a folder (by extension) are left out, listed in
    ``InputReport.images_left_out`` (planner.advice.notes.folder_images says when: a model without vision);
    an image named as a path is read unless ``named_images`` is False too (`planner count` for a model that
    takes no images: a count never adds image tokens such a model cannot be sent).
    A missing path raises InputError (exit status 3); every other problem skips just that file, with a reason.
    ``follow_links``: follow symbolic links that lead out of a folder walked (see planner.inputs.folders).
    ``messages``: the input is a JSON list of chat messages, counted with each family's chat template
    (``chat_template`` overrides the template; see planner.inputs.messages). Images count by
    ``image_rules[family]`` (planner.tokens.image_rules.rule_for of the model), else by the family's default
    rule. ``pdf_as_images``: a PDF is its text layer plus one image per page, as vision models are sent PDFs.
    ``executor`` (with its ``executor_workers``): count the files there, whatever their size
    (planner.inputs.dask_runner passes a Dask cluster's); the report is the same as counting them here.
    """
    families = check_families(families)
    if isinstance(paths, str | Path):
        paths = [paths]  # one path given bare, not a list of characters
    if messages:
        outcomes = messages_outcomes(paths, families, stdin=stdin, chat_template=chat_template)
        return build_report(outcomes, families, is_messages=True, image_rules=image_rules)
    exact = exact_families_needed(families)
    sources = [str(path) for path in paths] or ["-"]
    _check_paths_exist(sources)
    filters = Filters(include, exclude)
    slots: list[Outcome | int] = []  # an outcome known already, or an index into `found`
    found: list[tuple[str, int]] = []
    counted_as: dict[tuple[int, int], str] = {}  # (device, inode) -> the path the file is counted under
    duplicates: list[DuplicateInput] = []
    left_out: list[LeftOutFolder] = []
    notes: list[str] = []
    images_left_out: list[str] = []

    def add_file(path: str, size: int, identity: tuple[int, int] | None) -> None:
        if identity is not None:
            if identity in counted_as:
                duplicates.append(
                    DuplicateInput(path=display_path(path), same_as=display_path(counted_as[identity]))
                )
                return
            counted_as[identity] = path
        slots.append(len(found))
        found.append((path, size))

    for source in sources:
        if source == "-":
            slots.append(count_stdin(stdin or sys.stdin.buffer, exact))
        elif os.path.isdir(source):
            for item in walk_folder(
                source, filters, follow_links=follow_links, left_out=left_out, notes=notes
            ):
                if item.skipped is not None:
                    slots.append(Outcome(item.path, "other", extension_of(item.path), skipped=item.skipped))
                elif not folder_images and extension_of(item.path) in IMAGE_EXTENSIONS:
                    images_left_out.append(display_path(item.path))
                else:
                    add_file(item.path, item.size, item.identity)
        elif is_named_stream(source):
            slots.append(count_named_stream(source, exact, (streams or {}).get(source)))
        elif not named_images and extension_of(source) in IMAGE_EXTENSIONS:
            images_left_out.append(display_path(source))
        else:
            add_file(source, *_size_and_identity(source))
    if not slots:
        raise nothing_matched(sources, include, exclude, left_out, images_left_out)
    classify = any(not is_exact(family) for family in families)
    with ScanProgress(progress, sum(size for _, size in found)) as bar:
        counted = _count_found(found, exact, raw_markup, bar, classify, executor, executor_workers)
        # slots index `found` in increasing order: the report is built while the pool still counts
        ordered: Iterator[Outcome] = (next(counted) if isinstance(slot, int) else slot for slot in slots)
        if pdf_as_images:
            ordered = (with_page_images(outcome) for outcome in ordered)
        report = build_report(ordered, families, image_rules=image_rules)
    report.duplicates = duplicates
    report.left_out = left_out
    report.notes = notes
    report.images_left_out = images_left_out
    return report


def with_page_images(outcome: Outcome) -> Outcome:
    """A counted PDF gets one image per page (sizes from the page boxes, read here: nothing is rendered)."""
    if outcome.kind != "pdf" or outcome.skipped is not None:
        return outcome
    try:
        outcome.images = pdf_page_images(outcome.path, read_bytes(outcome.path))
    except SkipFile as skip:
        outcome.warnings.append(f"pages not counted as images: {skip.reason}")
    return outcome


def _check_paths_exist(sources: Sequence[str]) -> None:
    for source in sources:
        if source != "-" and not os.path.exists(source):
            raise InputError(f"no such file or folder: {source}")


def nothing_matched(
    sources: Sequence[str],
    include: Sequence[str],
    exclude: Sequence[str],
    left_out: Sequence[LeftOutFolder] = (),
    images_left_out: Sequence[str] = (),
) -> InputError:
    """The error for inputs that hold no file at all: a silent "0 tokens" would look like an answer."""
    globs = [*(f"--include '{glob}'" for glob in include), *(f"--exclude '{glob}'" for glob in exclude)]
    why = f"with {' '.join(globs)}" if globs else "(empty, or only files that .gitignore or the walk skips)"
    if left_out:
        why += f"; {left_out_text(left_out)}"
    if images_left_out:
        why += f"; {images_left_out_text(len(images_left_out))}"
    return InputError(f"nothing to count: no file matched in {', '.join(sources)} {why}")


def is_named_stream(path: str) -> bool:
    """A pipe named as a path (``<(cmd)`` gives /dev/fd/63, ``mkfifo``): read once as a stream, like stdin.

    Only for paths given on the command line: a FIFO found while walking a folder is skipped (it may block).
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if stat.S_ISFIFO(mode):
        return True
    in_fd_folder = path.startswith(("/dev/fd/", "/proc/")) and "/fd/" in path
    return in_fd_folder and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


READ_ONCE_KINDS = ("stdin", "stream")  # inputs that cannot be read again from their path


def count_named_stream(path: str, exact: Sequence[str], data: bytes | None = None) -> Outcome:
    """A pipe named as a path, read now, or its bytes read before (``data``)."""
    if data is not None:
        return count_stdin(io.BytesIO(data), exact, name=path, kind="stream")
    try:
        with open(path, "rb") as handle:
            return count_stdin(handle, exact, name=path, kind="stream")
    except OSError as error:
        return Outcome(path=path, kind="stream", extension="", skipped=os_error_reason(error))


def _size_and_identity(path: str) -> tuple[int, tuple[int, int] | None]:
    try:
        info = os.stat(path)
    except OSError:
        return 0, None
    return info.st_size, (info.st_dev, info.st_ino)


def _count_found(
    found: Sequence[tuple[str, int]],
    exact: Sequence[str],
    raw_markup: bool,
    bar: ScanProgress,
    classify: bool,
    executor: Executor | None = None,
    executor_workers: int = 1,
) -> Iterator[Outcome]:
    """Outcomes of ``found``, in order: on ``executor``, else on every core for large inputs, else in this
    process."""
    from planner.inputs.parallel import PARALLEL_MIN_BYTES, count_files_parallel, worker_count

    if executor is not None:
        if found:
            yield from count_files_parallel(
                found, exact, raw_markup, executor_workers, bar.advance, classify, executor=executor
            )
        return
    workers = worker_count()
    if workers > 1 and bar.total_bytes >= PARALLEL_MIN_BYTES:
        yield from count_files_parallel(found, exact, raw_markup, workers, bar.advance, classify)
        return
    for family in exact:
        expect_text(family, bar.total_bytes)  # a bulk engine that pays is loaded once, up front
    for path, size in found:
        yield count_file(path, exact, raw_markup)
        bar.advance(size)


def _read_blocks(stream: BinaryIO) -> Iterable[bytes]:
    while block := stream.read(READ_SIZE):
        yield block


def count_stdin(
    stream: BinaryIO, exact: Sequence[str], *, name: str = STDIN_NAME, kind: str = "stdin"
) -> Outcome:
    """Standard input or a named pipe: decoded whole when small, else counted in a stream (bounded memory)."""
    outcome = Outcome(path=name, kind=kind, extension="")
    head = _read_up_to(stream, STREAM_MIN_BYTES + 1)
    outcome.size = len(head)
    try:
        if len(head) <= STREAM_MIN_BYTES:
            decoded = decode_document(head, "text", raw_markup=False) if head else None
            outcome.encoding = decoded.encoding if decoded else "utf-8"
            outcome.warnings = list(decoded.warnings) if decoded else []
            outcome.tally = count_text(decoded.text if decoded else "", exact)
            return outcome
        codec, bom, warnings = detect_stream_codec(head[: 1 << 16])
    except SkipFile as skip:
        outcome.skipped = skip.reason
        return outcome
    from planner.inputs.files import finish_streamed

    def blocks() -> Iterable[bytes]:
        yield head[bom:]
        for block in _read_blocks(stream):
            outcome.size += len(block)
            yield block

    return finish_streamed(outcome, codec, count_stream(blocks(), codec, exact), warnings)


def _read_up_to(stream: BinaryIO, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while size < limit:
        block = stream.read(min(READ_SIZE, limit - size))
        if not block:
            break
        parts.append(block)
        size += len(block)
    return b"".join(parts)
