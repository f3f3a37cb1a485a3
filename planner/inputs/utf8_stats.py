"""Words, lines, characters and NUL bytes of UTF-8 bytes, and their validity, without decoding them whole.

A bulk engine counts tokens on the bytes themselves (planner.tokens.encoders.count_utf8), so the rest of a
big file's figures are read off the bytes too, in a few numpy passes (measured on 6 MB pieces of the
benchmark text, CPU ms per 200 MB: these figures ~110; before, 225 with the validity check decoding the lines
around every non-ASCII byte (105) and ``np.flatnonzero`` over every byte (87); a whole ``bytes.decode`` alone
is 355):

- words are ``len(text.split())`` of the decoded text: runs of characters that are not whitespace, where
  whitespace is ``str.isspace``'s: ASCII 9-13 and 28-32, and the non-ASCII ``UNICODE_SPACES``;
- characters are the bytes that do not continue a character (valid UTF-8 only);
- validity is checked by ``bytes.decode`` itself, on the runs of non-ASCII bytes only, each alone: a character
  of two or more bytes has no ASCII byte in it, and an ASCII byte is a whole character, so the bytes are valid
  UTF-8 exactly when every maximal run of bytes >= 0x80 is.
"""

from __future__ import annotations

import codecs
import threading
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# Python's str.split() splits on these; the ASCII ones are bytes 9-13 and 28-32.
# (tests/inputs/test_streaming.py checks this list against str.isspace over all of Unicode)
UNICODE_SPACES = (
    "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_CODES = tuple(int.from_bytes(space.encode("utf-8"), "big") for space in UNICODE_SPACES)
NUMPY_MIN_BYTES = 64 * 1024  # below this, decoding and str.split() cost less than importing numpy
PIECE_BYTES = 1024 * 1024  # text that is not all ASCII is read in pieces of about this (utf8_stats)


class Utf8Stats(NamedTuple):
    words: int
    newlines: int
    nuls: int
    chars: int


def utf8_stats(data: bytes | bytearray, check: bool = True) -> Utf8Stats:
    """Words, newlines, NUL bytes and characters of UTF-8 ``data``; ``check``: raise UnicodeDecodeError
    first if it is not valid UTF-8 (surrogates encoded with "surrogatepass" count as characters that are
    not whitespace: pass ``check=False`` for such text).

    Text that is not all ASCII goes in pieces of about PIECE_BYTES cut after a newline or a space: the
    offsets of its non-ASCII bytes take 8 bytes each, so a 16 MB segment of Japanese held ~400 MB at once.
    A cut after an ASCII whitespace byte splits no character and no word."""
    if len(data) <= 2 * PIECE_BYTES or data.isascii():
        return _piece_stats(data, check)
    words = newlines = nuls = chars = 0
    for start, end in _whitespace_cuts(data):
        piece = _piece_stats(data[start:end], check)
        words, newlines = words + piece.words, newlines + piece.newlines
        nuls, chars = nuls + piece.nuls, chars + piece.chars
    return Utf8Stats(words, newlines, nuls, chars)


def _whitespace_cuts(data: bytes | bytearray) -> list[tuple[int, int]]:
    """[start, end) ranges covering ``data``, each ending after a newline (else a space) found from about
    PIECE_BYTES past its start, or at the end."""
    ranges, start = [], 0
    while len(data) - start > 2 * PIECE_BYTES:
        target = start + PIECE_BYTES
        cut = data.find(b"\n", target, target + PIECE_BYTES)
        if cut < 0:
            cut = data.find(b" ", target, target + PIECE_BYTES)
        if cut < 0:
            cut = data.find(b"\n", target)
        if cut < 0:
            break
        ranges.append((start, cut + 1))
        start = cut + 1
    ranges.append((start, len(data)))
    return ranges


def _piece_stats(data: bytes | bytearray, check: bool) -> Utf8Stats:
    if not data:
        return Utf8Stats(0, 0, 0, 0)
    nuls = data.count(b"\x00") if b"\x00" in data else 0
    if len(data) < NUMPY_MIN_BYTES:  # no numpy import for a short text (start-up matters)
        text = data.decode("utf-8", "strict" if check else "surrogatepass")
        return Utf8Stats(len(text.split()), data.count(b"\n"), nuls, len(text))
    import numpy as np

    values = np.frombuffer(data, dtype=np.uint8)
    # the masks go to two scratch arrays kept by the process: a fresh 1 MB array a pass cost a forked
    # counter ~0.25 s of page faults per 200 MB (its memory was returned and faulted in again)
    solid, mask = _scratch(len(values))
    newlines = int(np.count_nonzero(np.equal(values, 10, out=mask)))  # 4x bytes.count's speed
    high = None if data.isascii() else high_offsets(values, mask)
    if check and high is not None:
        check_utf8(data, high)
    # a byte above 32 is part of a word, except the bytes of non-ASCII spaces; below, bytes 0-8 and 14-27
    # are control characters, which str.split() keeps in words (checked: only newlines are usual there)
    np.greater(values, 32, out=solid)
    if int(np.count_nonzero(np.less(values, 28, out=mask))) != newlines:
        solid |= (values < 9) | ((values - np.uint8(14)) < 14)  # uint8 wraps: 14 <= byte < 28
    chars = len(data)
    if high is not None:
        chars -= int(np.count_nonzero(values[high] < 0xC0))  # continuation bytes
        _mark_unicode_spaces(values, high, solid)
    starts = np.greater(solid[1:], solid[:-1], out=mask[: len(values) - 1])
    words = int(np.count_nonzero(starts)) + int(solid[0])
    return Utf8Stats(words, newlines, nuls, chars)


_local = threading.local()  # threads (the app's pool) each keep their own scratch arrays


def _scratch(size: int) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Two boolean arrays of ``size`` (views of this thread's buffers, grown when too small)."""
    import numpy as np

    local = _local.__dict__
    buffers = local.get("buffers")
    if buffers is None or len(buffers[0]) < size:
        buffers = local["buffers"] = (np.empty(size, dtype=np.bool_), np.empty(size, dtype=np.bool_))
    return buffers[0][:size], buffers[1][:size]


def _mark_unicode_spaces(
    values: npt.NDArray[np.uint8], high: npt.NDArray[np.intp], solid: npt.NDArray[np.bool_]
) -> None:
    """Clear ``solid`` on every byte of a non-ASCII space (``UNICODE_SPACES``: two or three bytes, led by
    0xC2 or 0xE1-0xE3)."""
    import numpy as np

    leads = high[(values[high] == 0xC2) | ((values[high] - np.uint8(0xE1)) < 3)]
    leads = leads[leads + 1 < len(values)]
    if not len(leads):
        return
    two = (values[leads].astype(np.uint32) << 8) | values[leads + 1]
    three = np.zeros(len(leads), dtype=np.uint32)
    inside = leads + 2 < len(values)
    three[inside] = (two[inside] << 8) | values[leads[inside] + 2]
    is_two = np.isin(two, [code for code in _SPACE_CODES if code <= 0xFFFF])
    is_three = inside & np.isin(three, [code for code in _SPACE_CODES if code > 0xFFFF])
    for width, found in ((2, is_two), (3, is_three)):
        for offset in range(width):
            solid[leads[found] + offset] = False


def high_offsets(values: npt.NDArray[np.uint8], mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Offsets of the bytes >= 0x80 in ``values`` (``mask``: scratch of its length). Found eight bytes at a
    time first: ``np.flatnonzero`` over every byte costs twice as much, the text being mostly ASCII."""
    import numpy as np

    np.greater_equal(values, 0x80, out=mask)
    whole = len(mask) // 8 * 8
    words = np.flatnonzero(mask[:whole].view(np.uint64) != 0)  # the 8-byte words holding one at least
    rows, columns = np.nonzero(mask[:whole].reshape(-1, 8)[words])
    offsets: npt.NDArray[np.intp] = words[rows] * 8 + columns
    if whole < len(mask):
        offsets = np.concatenate((offsets, whole + np.flatnonzero(mask[whole:])))
    return offsets


def check_utf8(data: bytes | bytearray, high: npt.NDArray[np.intp] | None = None) -> None:
    """Raise UnicodeDecodeError unless ``data`` is valid UTF-8. Only its runs of non-ASCII bytes (``high``:
    their offsets) are decoded, each after a newline of its own."""
    if high is None:
        if data.isascii():
            return
        import numpy as np

        high = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80)
    import numpy as np

    values = np.frombuffer(data, dtype=np.uint8)
    runs = np.flatnonzero(np.diff(high) != 1) + 1  # where a run starts (but the first)
    codecs.utf_8_decode(np.insert(values[high], runs, 10).tobytes(), "strict", True)
