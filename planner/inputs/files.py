"""Counting one file: stat it, read its bytes, turn them into the text a model would be sent, count that.

Used in-process for small inputs and inside pool workers for large ones; everything here is picklable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from planner.errors import SkipFile
from planner.inputs.documents import decode_html, docx_text, pdf_text
from planner.inputs.pictures import IMAGE_EXTENSIONS, ImageInfo, image_file, is_image_data
from planner.inputs.readers import (
    SNIFF_BYTES,
    Decoded,
    decode_bytes,
    detect_stream_codec,
    extension_of,
    invalid_utf8_warning,
    kind_of,
    os_error_reason,
    read_bytes,
    stat_regular,
)
from planner.inputs.streaming import Tally, count_byte_range, count_text
from planner.tokens.counts import TokenCount, classify_text

# Plain-text files above this size are counted in a stream (bounded memory) instead of being read whole.
STREAM_MIN_BYTES = 16 * 1024 * 1024
STREAMABLE_KINDS = frozenset({"text", "markdown", "code", "json", "csv"})


@dataclass
class Outcome:
    """What became of one input: its tally, or the reason it was skipped."""

    path: str
    kind: str
    extension: str
    size: int = 0
    encoding: str | None = None
    tally: Tally | None = None
    skipped: str | None = None
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, TokenCount] | None = None  # counts made otherwise (chat messages), else from the tally
    tool_counts: dict[str, TokenCount] | None = None  # tool definitions of a request body, per family
    images: list[ImageInfo] = field(default_factory=list)  # image files, image parts of messages
    max_tokens: int | None = None  # a request body's max_tokens / max_completion_tokens / max_output_tokens


def decode_document(data: bytes, kind: str, raw_markup: bool) -> Decoded:
    """The text of a file's bytes according to its kind (raises SkipFile)."""
    if kind == "pdf":
        return pdf_text(data)
    if data.startswith(b"%PDF-"):  # a PDF without its extension, or a text that begins with these bytes
        try:
            return pdf_text(data)
        except SkipFile:
            return decode_bytes(data)
    if kind == "docx":
        return docx_text(data)
    if kind == "html":
        return decode_html(data, raw_markup)
    return decode_bytes(data)


def count_file(path: str, families: Sequence[str], raw_markup: bool = False) -> Outcome:
    """Count one file; any problem becomes ``Outcome.skipped`` (never an exception)."""
    kind = kind_of(path)
    outcome = Outcome(path=path, kind=kind, extension=extension_of(path))
    try:
        size = stat_regular(path).st_size
        outcome.size = size
        if size == 0:  # an empty __init__.py or py.typed: 0 tokens, not a problem
            outcome.tally = count_text("", families)
            return outcome
        if outcome.extension in IMAGE_EXTENSIONS:
            return image_outcome(outcome)
        if size > STREAM_MIN_BYTES and kind in STREAMABLE_KINDS:
            return count_big_file(outcome, families)
        data = read_bytes(path)
        if is_image_data(data[:16]):
            return image_outcome(outcome)
        decoded = decode_document(data, kind, raw_markup)
    except SkipFile as skip:
        outcome.skipped = skip.reason
        return outcome
    outcome.encoding = decoded.encoding
    if decoded.encoding == "pdf":
        outcome.kind = "pdf"  # found by its magic number, whatever the name
    outcome.warnings = list(decoded.warnings)
    outcome.tally = count_text(decoded.text, families)
    return outcome


def image_outcome(outcome: Outcome) -> Outcome:
    """An image file: no text; its size, counted later by each family's image rule
    (planner.tokens.image_rules)."""
    info = image_file(outcome.path)
    outcome.kind = "image"
    if info.skipped is not None:
        outcome.skipped = info.skipped
        return outcome
    outcome.images = [info]
    outcome.tally = Tally()
    return outcome


def stream_codec(path: str) -> tuple[str, int, list[str]]:
    """Codec and BOM length of a big file, from its first bytes (raises SkipFile)."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES * 8)
    return detect_stream_codec(head)


def count_big_file(outcome: Outcome, families: Sequence[str]) -> Outcome:
    """Stream a file too big to read whole, in this process."""
    try:
        codec, bom, warnings = stream_codec(outcome.path)
        tally = count_byte_range(outcome.path, bom, None, codec, families)
    except OSError as error:
        outcome.skipped = os_error_reason(error)
        return outcome
    except SkipFile as skip:
        outcome.skipped = skip.reason
        return outcome
    return finish_streamed(outcome, codec, tally, warnings)


def finish_streamed(outcome: Outcome, codec: str, tally: Tally, warnings: list[str]) -> Outcome:
    """Attach a streamed tally to its outcome, turning NUL bytes into a skip as for small files."""
    outcome.encoding = codec.replace("_", "-").removesuffix("-le").removesuffix("-be")  # as decode_bytes
    if tally.nul_chars:
        outcome.skipped = f"NUL bytes in text ({tally.nul_chars})"
        return outcome
    outcome.warnings = list(warnings)
    if tally.invalid_bytes:
        outcome.warnings.append(invalid_utf8_warning(tally.invalid_bytes))
    if tally.forced_cuts:
        outcome.warnings.append(
            f"{tally.forced_cuts} cut(s) without a safe split point (a line over 32 MB): "
            "the count may differ from the whole-text count by a few tokens"
        )
    outcome.tally = tally
    return outcome


def count_files(
    paths: Sequence[str], families: Sequence[str], raw_markup: bool, classify: bool = False
) -> list[Outcome]:
    """A batch of files (one pool task). The text samples are not sent back: only their kind when an
    estimate needs it (``classify``)."""
    outcomes = [count_file(path, families, raw_markup) for path in paths]
    for outcome in outcomes:
        if outcome.tally is not None:
            outcome.tally.kind = (
                classify_text(outcome.tally.sample) if classify and outcome.tally.chars else None
            )
            outcome.tally.sample = ""
    return outcomes
