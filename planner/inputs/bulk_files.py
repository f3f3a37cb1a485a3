"""Big UTF-8 files on a bulk engine: their figures read while the engine loads, their tokens counted after.

Loading gigatoken takes one core ~0.3-0.6 s (llama3's json, o200k's ranks), as long as counting 100 MB on it.
Words, lines, characters and the check that the bytes are UTF-8 (planner.inputs.utf8_stats) need no
tokenizer, so one process forked before the load reads them (``FiguresRun``) on the other core; the pool,
forked after the load, then only tokenizes the bytes as they are (``segment_tokens``). A segment whose figures
could not be read that way (not valid UTF-8, a line longer than MAX_CARRY_CHARS, a read error) or whose
tokens the bulk engine could not count is counted again the usual way (``count_byte_range``).

A segment of up to WHOLE_SEGMENT_BYTES (its ends are safe cuts) is read in one call and counted in one piece:
reading it in 1 MB blocks re-cut at safe points copied every byte three times (~60 ms of CPU per 100 MB in
each process, against ~210 for gigatoken's count of them).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.inputs.forked import ForkedHelper
from planner.inputs.streaming import (
    MAX_CARRY_CHARS,
    Tally,
    after_newline,
    iter_safe_byte_pieces,
    read_range,
    thread_encoder,
)
from planner.inputs.utf8_stats import utf8_stats
from planner.tokens.encoders import count_utf8

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


WHOLE_SEGMENT_BYTES = 16 * 1024 * 1024


def whole_segment(path: str, start: int, end: int) -> bytes | None:
    """Bytes [start, end) of a file read in one call when at most WHOLE_SEGMENT_BYTES, else None."""
    if end - start > WHOLE_SEGMENT_BYTES:
        return None
    with open(path, "rb", buffering=0) as handle:
        return os.pread(handle.fileno(), end - start, start)


@dataclass(frozen=True)
class Segment:
    path: str
    start: int
    end: int


def segment_figures(path: str, start: int, end: int) -> Tally | None:
    """Words, characters, bytes, lines and NULs of bytes [start, end) of a UTF-8 file, read in blocks cut
    after a newline (no word or character spans two); None when they are not all valid UTF-8, a line is
    longer than MAX_CARRY_CHARS, or the file cannot be read."""
    try:
        tally = Tally(continues=after_newline(path, start))
        data = whole_segment(path, start, end)
        if data is not None:
            tally.add_stats(data, utf8_stats(data))
            return tally
        carry = b""
        for block in read_range(path, start, end):
            data = carry + block if carry else block
            cut = data.rfind(b"\n") + 1
            if not cut:
                if len(data) > MAX_CARRY_CHARS:
                    return None
                carry = data
                continue
            piece, carry = (data, b"") if cut == len(data) else (data[:cut], data[cut:])
            tally.add_stats(piece, utf8_stats(piece))
        if carry:
            tally.add_stats(carry, utf8_stats(carry))
    except (OSError, UnicodeDecodeError):
        return None
    return tally


def segment_tokens(
    path: str, start: int, end: int, families: Sequence[str]
) -> tuple[dict[str, int], int] | None:
    """Tokens per family of bytes [start, end) of a UTF-8 file on this process's bulk engines, as bytes
    (valid or not: ``segment_figures`` says), and the forced cuts made; None when an engine takes no bytes."""
    encoders = [(family, thread_encoder(family)) for family in families]
    tokens = dict.fromkeys(families, 0)
    forced_cuts = 0
    whole = whole_segment(path, start, end)
    pieces = [(whole, False)] if whole is not None else iter_safe_byte_pieces(read_range(path, start, end))
    for data, forced in pieces:
        forced_cuts += forced
        for family, encoder in encoders:
            counted = count_utf8(encoder, data)
            if counted is None:
                return None
            tokens[family] += counted
    return tokens, forced_cuts


def joined(figures: Tally | None, tokens: tuple[dict[str, int], int] | None) -> Tally | None:
    """A segment's tally from its figures and its tokens; None when either is missing (count it again)."""
    if figures is None or tokens is None:
        return None
    figures.tokens, figures.forced_cuts = tokens
    return figures


class FiguresRun(ForkedHelper):
    """A forked process that reads the figures of segments, in order, while this one goes on (it loads the
    bulk engine). Forked only from a single-threaded process (planner.inputs.parallel.can_fork)."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        super().__init__(_read_figures, (segments,), duplex=False)
        self._left = len(segments)

    def next(self) -> Tally | None:
        """The figures of the next segment (None: read them again the usual way)."""
        if not self._left:
            raise IndexError("no segment left")
        self._left -= 1
        try:
            figures: Tally | None = self._connection.recv()
        except EOFError:  # the process died: every segment left is counted the usual way
            return None
        return figures


def _read_figures(send: Connection, segments: Sequence[Segment]) -> None:
    for segment in segments:
        send.send(segment_figures(segment.path, segment.start, segment.end))
    send.close()
