"""Exact counts of texts too big to hold, or worth splitting over cores: cut where the tokenizer cuts anyway.

A cut is made right after a ``"\\n"`` whose following run of spaces and tabs ends in a character that is
neither whitespace nor ``/`` (``SAFE_CUT``). In every exact family's split pattern (o200k_base, cl100k_base,
llama3, llama4; see ``planner.tokens.encoders``) such a newline ends a pre-token: the prefix of a letter
pre-token excludes ``\\r\\n``; punctuation pre-tokens absorb only *trailing* newlines (and, in o200k's
pattern, slashes: ``[\\r\\n/]*``, hence no cut before ``/``); the newline pre-tokens (``\\s*[\\r\\n]+``,
cl100k's ``\\s*[\\r\\n]`` / ``\\s++$``) stop at the last newline of a run, which this rule makes the cut. No
pattern looks behind, so the text after the cut splits exactly as it would inside the whole text. Python's
``\\s`` is a superset of the Rust regex's ``\\s`` (it adds U+001C-U+001F), so ``[^\\s]`` errs on the safe
side. tests/inputs/test_streaming.py proves "sum of the pieces == whole text" with hypothesis for all four
families.

When no safe point turns up within ``MAX_CARRY_CHARS`` (one line over 32 M characters), the piece is cut
anyway and flagged: the total may then differ from the whole-text count at that cut (a single 200 MB line
came out 5 tokens over the whole-text count). Such a count is not proved exact, so it is an estimate with a
band of ``FORCED_CUT_TOKENS`` either way per forced cut (planner.inputs.count_run.family_count).
"""

from __future__ import annotations

import builtins  # Tally.bytes (a count) shadows the type inside the class
import codecs
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planner.inputs.readers import replace_escapes
from planner.inputs.utf8_stats import NUMPY_MIN_BYTES, Utf8Stats, utf8_stats
from planner.tokens.encoders import PIECE_CHARS, SAFE_CUT, SAFE_CUT_BYTES, count_utf8, last_safe_cut
from planner.tokens.families import count_key, encoder_for

if TYPE_CHECKING:
    from planner.tokens.encoders import Encoder

READ_SIZE = 1 << 20  # 1 MiB reads keep a streaming counter's peak memory near 100 MB
MAX_CARRY_CHARS = 32 << 20
# The band of a count per forced cut, either way: a cut inside a pre-token changes the pieces BPE merges on
# both sides of it (measured: +5 tokens over the 6 forced cuts of one 200 MB line).
FORCED_CUT_TOKENS = 16
SAMPLE_CHARS = 20_000  # enough text to judge its kind (prose, code, JSON, CJK) for estimates


_thread_encoders = threading.local()


def use_private_encodings(families: Sequence[str]) -> None:
    """Give the calling thread its own encoder per family: threads sharing one scale poorly."""
    _thread_encoders.by_family = {family: encoder_for(family).private_copy() for family in families}


def thread_encoder(family: str) -> Encoder:
    private = getattr(_thread_encoders, "by_family", None)
    if private and family in private:
        return private[family]
    return encoder_for(family)


def split_safe_bytes(data: bytes, size: int) -> list[bytes]:
    """UTF-8 ``data`` in pieces of about ``size`` bytes, each cut at a safe point (``SAFE_CUT_BYTES``)."""
    pieces: list[bytes] = []
    start = 0
    while len(data) - start > 2 * size:
        cut = SAFE_CUT_BYTES.search(data, start + size)
        if cut is None:
            break
        pieces.append(data[start : cut.end()])
        start = cut.end()
    pieces.append(data[start:])
    return pieces


def text_stats(text: str, data: builtins.bytes) -> Utf8Stats:
    """The figures of a text at hand and its UTF-8 form: from the text while it is short (no numpy, no second
    decode), else off the bytes."""
    if len(data) < NUMPY_MIN_BYTES:
        nuls = text.count("\x00") if "\x00" in text else 0
        return Utf8Stats(len(text.split()), text.count("\n"), nuls, len(text))
    return utf8_stats(data, check=False)


def token_count(text: str, family: str, continuation: bool = False) -> int:
    """Exact tokens of plain text (special-looking text counts as text), with this thread's encoder;
    ``continuation``: the text follows a safe cut of a longer text (SentencePiece adds no prefix there)."""
    return thread_encoder(family).count(text, continuation)


@dataclass
class Tally:
    """Counts of a run of text, possibly pieced together from parts counted apart (in order)."""

    tokens: dict[str, int] = field(default_factory=dict)  # exact family -> tokens
    words: int = 0
    chars: int = 0
    bytes: int = 0
    newlines: int = 0
    ends_with_newline: bool = False
    invalid_bytes: int = 0
    nul_chars: int = 0
    forced_cuts: int = 0
    sample: str = ""
    kind: str | None = None  # the kind of text judged from the sample, when the sample was dropped
    continues: bool = False  # the text starts at a cut (just after a newline) of a longer text

    @property
    def lines(self) -> int:
        return self.newlines + (1 if self.chars and not self.ends_with_newline else 0)

    def add_text(self, text: str, families: Sequence[str]) -> None:
        if text:
            data = text.encode("utf-8", "surrogatepass")
            continuation = self.continues or self.chars > 0
            counted: dict[str, int] = {}  # by count_key: families that count the text alike count it once
            for family in families:
                key = count_key(family, text)
                if key not in counted:
                    counted[key] = token_count(text, family, continuation)
                self._add_tokens(family, counted[key])
            self.add_stats(data, text_stats(text, data), text)

    def add_utf8(self, data: builtins.bytes, families: Sequence[str]) -> None:
        """Count UTF-8 bytes that begin and end at safe cuts; UnicodeDecodeError (before anything is
        counted) if they are not valid. An engine that takes bytes counts them as they are, in one call
        (planner.tokens.encoders.count_utf8); any other gets them decoded in ~64 KB pieces cut at safe points
        (faster than slices of one big string: no slice to copy and narrow)."""
        if not data:
            return
        stats = utf8_stats(data)  # validates first
        continuation = self.continues or self.chars > 0
        texts: list[str] | None = None
        counted: dict[str, int] = {}  # by count_key, as add_text
        for family in families:
            key = count_key(family, data)
            if key in counted:
                self._add_tokens(family, counted[key])
                continue
            encoder = thread_encoder(family)
            tokens = count_utf8(encoder, data)
            if tokens is None:
                if texts is None:
                    texts = [piece.decode("utf-8") for piece in split_safe_bytes(data, PIECE_CHARS)]
                tokens = sum(encoder.count(text, continuation or at > 0) for at, text in enumerate(texts))
            counted[key] = tokens
            self._add_tokens(family, tokens)
        self.add_stats(data, stats, texts[0] if texts else None)

    def _add_tokens(self, family: str, tokens: int) -> None:
        self.tokens[family] = self.tokens.get(family, 0) + tokens

    def add_stats(self, data: builtins.bytes, stats: Utf8Stats, head: str | None = None) -> None:
        """The figures of ``data``, the UTF-8 text that follows; ``head``: its decoded start, if at hand
        (for the sample)."""
        self.words += stats.words
        self.chars += stats.chars
        self.bytes += len(data)
        self.newlines += stats.newlines
        self.ends_with_newline = data.endswith(b"\n")
        self.nul_chars += stats.nuls
        wanted = SAMPLE_CHARS - len(self.sample)
        if wanted > 0:
            if head is None:  # a character is at most 4 bytes; a character cut at the end is dropped
                head = data[: 4 * wanted].decode("utf-8", "ignore")
            self.sample += head[:wanted]

    def extend(self, later: Tally) -> None:
        """Append the tally of the text that follows this one."""
        if not later.chars:
            self.invalid_bytes += later.invalid_bytes
            return
        for family, tokens in later.tokens.items():
            self.tokens[family] = self.tokens.get(family, 0) + tokens
        self.words += later.words
        self.chars += later.chars
        self.bytes += later.bytes
        self.newlines += later.newlines
        self.ends_with_newline = later.ends_with_newline
        self.invalid_bytes += later.invalid_bytes
        self.nul_chars += later.nul_chars
        self.forced_cuts += later.forced_cuts
        if len(self.sample) < SAMPLE_CHARS:
            self.sample += later.sample[: SAMPLE_CHARS - len(self.sample)]


def iter_safe_byte_pieces(
    blocks: Iterable[bytes], max_carry: int = MAX_CARRY_CHARS
) -> Iterator[tuple[bytes, bool]]:
    """``iter_safe_pieces`` on UTF-8 bytes: each piece ends at a safe cut, so it decodes alone exactly as
    inside the whole (a cut follows an ASCII newline). A forced cut (no safe point within ``max_carry``
    bytes) keeps an incomplete character for the next piece."""
    carry = b""
    for block in blocks:
        if not block:
            continue
        carry = carry + block if carry else block
        cut = last_safe_cut(carry)
        if cut is None and len(carry) > max_carry:
            cut = _complete_utf8_end(carry)
            yield carry[:cut], True
            carry = carry[cut:]
        elif cut is not None:
            yield carry[:cut], False
            carry = carry[cut:]
    if carry:
        yield carry, False


def next_safe_cut(text: str, start: int) -> int | None:
    match = SAFE_CUT.search(text, start)
    return match.end() if match else None


def split_at_safe_points(text: str, target_chars: int) -> list[tuple[int, int]]:
    """(start, end) ranges of about ``target_chars`` covering ``text``, each cut at a safe point."""
    ranges: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        cut = next_safe_cut(text, start + target_chars) if start + target_chars < len(text) else None
        end = cut if cut is not None else len(text)
        ranges.append((start, end))
        start = end
    return ranges


def iter_safe_pieces(chunks: Iterable[str], max_carry: int = MAX_CARRY_CHARS) -> Iterator[tuple[str, bool]]:
    """Re-cut a stream of text chunks at safe points; yields (piece, forced) where forced means no safe point
    was found within ``max_carry`` characters and the piece was cut anyway."""
    carry = ""
    for chunk in chunks:
        if not chunk:
            continue
        carry = carry + chunk if carry else chunk
        cut = last_safe_cut(carry)
        if cut is not None:
            yield carry[:cut], False
            carry = carry[cut:]
        elif len(carry) > max_carry:
            yield carry, True
            carry = ""
    if carry:
        yield carry, False


def count_text(text: str, families: Sequence[str], continues: bool = False) -> Tally:
    tally = Tally(continues=continues)
    tally.add_text(text, families)
    return tally


def read_range(path: str, start: int, end: int | None) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        handle.seek(start)
        remaining = None if end is None else end - start
        while remaining is None or remaining > 0:
            size = READ_SIZE if remaining is None else min(READ_SIZE, remaining)
            block = handle.read(size)
            if not block:
                return
            if remaining is not None:
                remaining -= len(block)
            yield block


def decode_stream(blocks: Iterable[bytes], codec: str, tally: Tally) -> Iterator[str]:
    """Decode blocks in order; invalid UTF-8 bytes become U+FFFD and are counted in ``tally``."""
    if codec != "utf-8":
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        for block in blocks:
            yield decoder.decode(block)
        yield decoder.decode(b"", final=True)
        return
    pending = b""
    for block in blocks:
        data = pending + block if pending else block
        cut = _complete_utf8_end(data)
        pending = data[cut:]
        yield _decode_utf8(data[:cut], tally)
    if pending:
        yield _decode_utf8(pending, tally)


def _complete_utf8_end(data: bytes) -> int:
    """Where the last complete UTF-8 character of ``data`` ends (a split one waits for the next block)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return len(data)
        if byte >= 0xC0:  # a lead byte: is its character complete?
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) if back >= needed else len(data) - back
    return len(data)


def _decode_utf8(data: bytes, tally: Tally) -> str:
    try:
        return data.decode("utf-8")  # the fast path: valid UTF-8 needs no search for escapes
    except UnicodeDecodeError:
        text, invalid = replace_escapes(data.decode("utf-8", errors="surrogateescape"))
        tally.invalid_bytes += invalid
        return text


def count_byte_range(
    path: str,
    start: int,
    end: int | None,
    codec: str,
    families: Sequence[str],
    max_carry: int = MAX_CARRY_CHARS,
) -> Tally:
    """Stream bytes [start, end) of a file (``end`` None: to the end), decode and count in bounded memory.
    A range that starts just after a newline continues the text (a safe cut; a byte-order mark is none)."""
    tally = Tally(continues=after_newline(path, start))
    _count_blocks(read_range(path, start, end), codec, families, tally, max_carry)
    return tally


def _count_blocks(
    blocks: Iterable[bytes], codec: str, families: Sequence[str], tally: Tally, max_carry: int
) -> None:
    """Decode and count a stream of blocks into ``tally``: UTF-8 is cut at safe points before decoding
    (one decode a piece, its bytes reused for words, bytes and lines); other codecs after."""
    if codec != "utf-8":
        for piece, forced in iter_safe_pieces(decode_stream(blocks, codec, tally), max_carry):
            tally.add_text(piece, families)
            tally.forced_cuts += forced
        return
    for data, forced in iter_safe_byte_pieces(blocks, max_carry):
        try:
            tally.add_utf8(data, families)
        except UnicodeDecodeError:
            tally.add_text(_decode_utf8(data, tally), families)
        tally.forced_cuts += forced


def after_newline(path: str, offset: int) -> bool:
    if offset == 0:
        return False
    with open(path, "rb") as handle:
        handle.seek(offset - 1)
        return handle.read(1) == b"\n"


def count_stream(blocks: Iterable[bytes], codec: str, families: Sequence[str]) -> Tally:
    """Count a stream of bytes (standard input) in bounded memory."""
    tally = Tally()
    _count_blocks(blocks, codec, families, tally, MAX_CARRY_CHARS)
    return tally


def safe_byte_offset(path: str, nominal: int, end: int, window: int = 1 << 20) -> int | None:
    """The first safe cut (``SAFE_CUT_BYTES``) at or after byte ``nominal`` of a UTF-8 file, searched
    within ``window`` bytes: first in the next 64 KB, where it nearly always is (the plan is made before
    any worker starts)."""
    with open(path, "rb") as handle:
        handle.seek(nominal)
        limit = min(window, max(0, end - nominal))
        block = handle.read(min(limit, 64 * 1024))
        while True:
            cut = SAFE_CUT_BYTES.search(block)
            if cut is not None or len(block) >= limit:
                break
            block += handle.read(limit - len(block))
    if cut is None:
        return None
    offset = nominal + cut.end()
    return offset if offset < end else None


def plan_byte_segments(path: str, start: int, end: int, segments: int) -> list[tuple[int, int]]:
    """Split bytes [start, end) of a UTF-8 file into about ``segments`` ranges, each boundary a safe cut."""
    size = end - start
    bounds = [start]
    for index in range(1, segments):
        nominal = start + size * index // segments
        if nominal <= bounds[-1]:
            continue
        offset = safe_byte_offset(path, nominal, end)
        if offset is not None and offset > bounds[-1]:
            bounds.append(offset)
    bounds.append(end)
    return list(zip(bounds[:-1], bounds[1:], strict=True))
