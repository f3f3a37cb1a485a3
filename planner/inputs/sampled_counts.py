"""An input's counts in other tokenizer families, for judging which other models it fits, without a recount.

`planner fit` suggests catalog models that take an input whole; each model needs the input counted in its
own family (about twenty families). Counting a folder again in every family costs about twenty times the
count itself (and ~270 MB of vocabularies), so a folder is not counted again:

- a family on the same encoding as the counted one shares its exact count (phi4 and cl100k_base);
- every other family is scaled from the counted family's total by a ratio measured on a sample of the
  input (``sample_items``): all its files when the text is at most ``SAMPLE_BYTES``, else the files holding
  ``SAMPLE_POINTS`` offsets spread over the input in path order, whole while they fit in what is left of
  ``SAMPLE_BYTES``; then each offset left in a plain-text UTF-8 file gives a piece of that file around it,
  the offsets sharing what is left of the budget (``PIECE_BYTES`` at most: a single big file gives
  ``SAMPLE_POINTS`` pieces spread over it). On the sample, the family's estimate (the exact ``o200k_base``
  count times the family's measured factors for each item's kind of text, planner.tokens.counts; an exact
  family's own factor row, as "pretend it is unknown" does) over the counted family's counts: a file's from
  the count, a piece's counted when it is read. The band carries the factors' band and, for a sample, the
  spread of the ratio over ``GROUPS`` groups of sampled items.
  Suggestions judge an estimate on its upper band, so they stay on the safe side.

A piece begins and ends at safe cuts (planner.inputs.streaming.safe_byte_offset: just after a newline, so
whole characters, counted alone as inside the whole text) found within ``PIECE_WINDOW`` bytes; where there is
none (a line longer than that) the offset gives no piece. A big file of another kind (HTML, PDF, DOCX) or
encoding (UTF-16, a legacy code page) gives no piece either: with nothing sampled, the input is counted again
in the other families (``recount``), as it always was.

Chat messages, standard input, images and counts from a vendor's endpoint are counted again exactly, as
before (``exact_only``).

Reading the sample (``read_sample``) builds the base family's encoder (and, for pieces, the counted family's):
a one-shot `planner fit` has a process forked before its count do it (planner.inputs.sample_counter), passed
as ``read``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple, Protocol

from planner.inputs.bulk_files import whole_segment
from planner.inputs.count_run import READ_ONCE_KINDS
from planner.inputs.files import STREAMABLE_KINDS, decode_document
from planner.inputs.readers import SkipFile, kind_of, read_bytes
from planner.inputs.streaming import safe_byte_offset
from planner.tokens.counts import (
    TextKind,
    TokenCount,
    classify_text,
    estimate_base_family,
    estimate_factors,
    estimate_from_base,
    exact_token_count,
)
from planner.tokens.families import count_key, encoder_for, get_family, is_exact
from planner.wording import count_of

SAMPLE_BYTES = 256 * 1024  # text read for the sample (about), when the input is larger
SAMPLE_POINTS = 64  # evenly spaced byte offsets of the input whose files (or pieces) make the sample
GROUPS = 8  # groups of sampled items whose ratios give the sampling spread
PIECE_BYTES = SAMPLE_BYTES // SAMPLE_POINTS  # a piece of a big file, around one offset (before its cuts)
MIN_PIECE_BYTES = PIECE_BYTES // 2  # less budget left per offset without a file: no pieces (a line or two)
PIECE_WINDOW = 64 * 1024  # bytes searched for each of a piece's safe cuts


class Counted(Protocol):
    """What a count gives back: totals per family and the files counted (planner.inputs FileReport)."""

    @property
    def counts(self) -> Mapping[str, TokenCount]: ...

    @property
    def files(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class Piece:
    """About ``size`` bytes of a plain-text UTF-8 file from byte ``offset`` on, to be cut at safe points."""

    path: str
    offset: int
    size: int


SampleItem = str | Piece  # a whole file (its path) or a piece of a big one


class ItemSample(NamedTuple):
    """A sampled item read again."""

    tokens: int | None  # a piece's tokens in the counted family (None: a whole file's are the count's own)
    base: int | None  # exact base-family tokens (None: a whole file counted in the base family itself)
    kind: TextKind


Recount = Callable[[list[str]], Mapping[str, TokenCount]]  # the whole input counted again in these families
# the counted family and the sampled items: an ItemSample each, None for one that cannot be read now
ReadSample = Callable[[str, Sequence[SampleItem]], Sequence[ItemSample | None]]


@dataclass(frozen=True)
class SampledFile:
    tokens: int  # in the counted family
    base: int  # exact o200k_base tokens
    kind: TextKind
    piece: bool = False  # a piece of a file, not the whole file


def counts_in_families(
    family: str,
    counted: Counted,
    families: Sequence[str],
    recount: Recount,
    *,
    exact_only: bool = False,
    read: ReadSample | None = None,
) -> dict[str, TokenCount]:
    """The input's count in each of ``families``: ``family``'s own, a shared encoding's, or a scaled estimate.

    ``counted``: the input counted in ``family``, file by file; ``recount(families)`` counts it again (only
    with ``exact_only``, or when nothing of it could be read for the sample). ``read``: what reads the
    sample again (``read_sample`` in this process when None)."""
    own = counted.counts[family]
    found = {family: own, **_same_encoding(family, own, families)}
    wanted = [name for name in families if name not in found]
    if not wanted:
        return found
    rows = [row for row in counted.files if row.skipped is None and row.tokens.get(family, 0) > 0]
    again = [row for row in rows if getattr(row, "kind", None) not in READ_ONCE_KINDS]  # a pipe is gone
    sample = [] if exact_only or own.tokens <= 0 else _read_sample(again, family, read)
    if not sample:
        return {**recount(wanted), **found}
    sampled_all = len(sample) == len(rows) and not any(item.piece for item in sample)
    for name in wanted:
        found[name] = _scaled(own, family, name, sample, sampled_all)
    return found


def _same_encoding(family: str, own: TokenCount, families: Sequence[str]) -> dict[str, TokenCount]:
    """Families that run the same exact encoding as ``family`` (phi4 and cl100k_base): the same count."""
    encoding = get_family(family).encoding
    if own.method != "exact" or encoding is None:
        return {}
    return {
        name: TokenCount.exact(name, own.tokens, f"exact {name} ({encoding}, as {family})")
        for name in families
        if name != family and get_family(name).encoding == encoding
    }


def sample_items(rows: Sequence[Any]) -> list[tuple[Any, SampleItem]]:
    """The sample, each item with its row: all files when their text is at most SAMPLE_BYTES; else, for
    SAMPLE_POINTS evenly spaced byte offsets of the text (files in path order), the file holding the offset
    while its bytes stay within what is left of SAMPLE_BYTES; then, for each offset left whose file is plain
    text read as UTF-8 (``pieceable``), a piece of it around the offset, the offsets sharing what is left of
    the budget (PIECE_BYTES each at most; none below MIN_PIECE_BYTES). Files and pieces in text order."""
    ordered = sorted(rows, key=lambda row: row.path)
    total = sum(row.bytes for row in ordered)
    if total <= SAMPLE_BYTES:
        return [(row, row.path) for row in ordered]
    picked: dict[tuple[int, int], tuple[Any, SampleItem]] = {}  # (file index, point; -1 for the whole file)
    left: list[tuple[int, int, float]] = []  # (point, file index, offset in the file) for a piece
    budget = SAMPLE_BYTES
    for point, (index, within) in enumerate(_holders(ordered, total)):
        row = ordered[index]
        if (index, -1) not in picked and row.bytes <= budget:
            picked[(index, -1)] = (row, row.path)
            budget -= row.bytes
        elif (index, -1) not in picked and pieceable(row):
            left.append((point, index, within))
    size = min(PIECE_BYTES, budget // len(left)) if left else 0
    if size >= MIN_PIECE_BYTES:
        for point, index, within in left:
            picked[(index, point)] = (ordered[index], _piece_around(ordered[index], within, size))
    return [picked[key] for key in sorted(picked)]


def _holders(ordered: Sequence[Any], total: int) -> list[tuple[int, float]]:
    """For each of SAMPLE_POINTS evenly spaced byte offsets of the text: the file holding it (its index) and
    the offset within that file's text."""
    holders = []
    position, index = 0, 0
    for point in range(SAMPLE_POINTS):
        offset = (point + 0.5) * total / SAMPLE_POINTS
        while index < len(ordered) - 1 and position + ordered[index].bytes <= offset:
            position += ordered[index].bytes
            index += 1
        holders.append((index, offset - position))
    return holders


def expected_pieces(paths: Sequence[str]) -> list[Piece]:
    """The pieces ``sample_items`` will give for ``paths`` when they name one plain-text file (by its name)
    over SAMPLE_BYTES, from its size alone (for one file the offsets depend on nothing else), so that they
    can be read while the file is counted; none for any other input, or when the count finds it is no
    UTF-8 text (then ``sample_items`` gives others, read when asked)."""
    if len(paths) != 1 or kind_of(paths[0]) not in STREAMABLE_KINDS:
        return []
    try:
        size = os.stat(paths[0]).st_size
    except OSError:
        return []
    if size <= SAMPLE_BYTES:
        return []
    named = SimpleNamespace(path=paths[0], size=size, bytes=size, kind=kind_of(paths[0]), encoding="utf-8")
    return [item for _, item in sample_items([named]) if isinstance(item, Piece)]


def pieceable(row: Any) -> bool:
    """Whether pieces of a file's bytes are its text: plain text read as UTF-8 (no markup to take out)."""
    return row.kind in STREAMABLE_KINDS and row.encoding == "utf-8"


def _piece_around(row: Any, within: float, size: int) -> Piece:
    """The piece centred on ``within`` bytes into a file's text (its bytes on disk, scaled)."""
    at = within * row.size / row.bytes if row.bytes else 0.0
    offset = min(max(0, round(at - size / 2)), max(0, row.size - size))
    return Piece(row.path, offset, size)


def _read_sample(rows: Sequence[Any], family: str, read: ReadSample | None) -> list[SampledFile]:
    """The sample read again: exact base-family counts and kinds of text, and a piece's count in ``family``
    (an item that cannot be read now is left out). A whole file's ``family`` count is the count's own."""
    chosen = sample_items(rows)
    found = (read or read_sample)(family, [item for _, item in chosen])
    sampled = []
    for (row, item), again in zip(chosen, found, strict=True):
        if again is not None:
            tokens = again.tokens if again.tokens is not None else row.tokens[family]
            base = again.base if again.base is not None else row.tokens[family]
            sampled.append(SampledFile(tokens, base, again.kind, isinstance(item, Piece)))
    return sampled


def read_sample(
    family: str, items: Sequence[SampleItem], between: Callable[[], None] | None = None
) -> list[ItemSample | None]:
    """Each sampled item read again (None if it cannot be): a whole file's exact base-family tokens (none
    when ``family`` is the base family: the count's own) and kind of text; a piece's the same and its exact
    tokens in ``family`` (on the family's encoder as built: a few KB never load a bulk engine), or for an
    estimated family its estimate from the base count. The pieces are counted in ``family`` first, then
    everything in the base family; ``between`` runs in between (the forked counter lets go of ``family``'s
    encoder there, so that it never holds both: ~30 MB of peak memory for llama3)."""
    texts = [piece_text(item) if isinstance(item, Piece) else _text_of_file(item) for item in items]
    own = [
        _own_tokens(family, text) if isinstance(item, Piece) and text is not None else None
        for item, text in zip(items, texts, strict=True)
    ]
    if between is not None:
        between()
    return [
        None if text is None else _sampled(family, item, text, tokens)
        for item, text, tokens in zip(items, texts, own, strict=True)
    ]


def _own_tokens(family: str, text: str) -> int | None:
    """A piece's exact tokens in ``family``, unless the base family's count is its count (the same
    encoding) or gives its estimate (an estimated family)."""
    if not is_exact(family) or count_key(family, text) == count_key(estimate_base_family(), text):
        return None
    return encoder_for(family).count(text, continuation=True)  # a piece begins at a cut of the text


def _sampled(family: str, item: SampleItem, text: str, own: int | None) -> ItemSample:
    base_family = estimate_base_family()
    kind = classify_text(text)
    if not isinstance(item, Piece):
        return ItemSample(None, None if family == base_family else exact_token_count(text, base_family), kind)
    base = encoder_for(base_family).count(text, continuation=True)
    if own is not None:
        return ItemSample(own, base, kind)
    if is_exact(family):
        return ItemSample(base, base, kind)
    return ItemSample(estimate_from_base(base, family, kind).tokens, base, kind)


def piece_text(piece: Piece) -> str | None:
    """The text of a piece: from the first safe cut at or after its offset to the first at or after its size
    further on, or to the end of the file (None: no cut found, or the file cannot be read now)."""
    try:
        end = os.path.getsize(piece.path)
        start = safe_byte_offset(piece.path, piece.offset, end, PIECE_WINDOW)
        if start is None:
            return None
        stop = end
        if start + piece.size < end:
            stop = safe_byte_offset(piece.path, start + piece.size, end, PIECE_WINDOW) or end
            if stop == end and end - start - piece.size > PIECE_WINDOW:  # a line longer than the window
                return None
        data = whole_segment(piece.path, start, stop)
    except OSError:
        return None
    return None if data is None else data.decode("utf-8", "replace")


def _text_of_file(path: str) -> str | None:
    try:
        return decode_document(read_bytes(path), kind_of(path), False).text
    except (SkipFile, OSError):
        return None


def _scaled(own: TokenCount, family: str, name: str, sample: list[SampledFile], whole: bool) -> TokenCount:
    """``own`` times the sample's ratio of ``name``'s estimate to ``family``'s count, with the band of the
    estimate and (unless the sample is the whole input) the spread of the ratio over groups of files."""
    mid, low, high = _sums(sample, name)
    counted = sum(item.tokens for item in sample)
    ratio = mid / counted
    spread_low, spread_high = (1.0, 1.0) if whole else _spread(sample, name, ratio)
    low_ratio, high_ratio = low / counted * spread_low, high / counted * spread_high
    tokens = round(own.tokens * ratio)
    return TokenCount(
        tokenizer=name,
        method="estimate",
        tokens=tokens,
        tokens_low=min(tokens, math.floor(own.tokens_low * low_ratio)),
        tokens_high=max(tokens, math.ceil(own.tokens_high * high_ratio)),
        basis=f"{family} x {ratio:.3f} [{low_ratio:.3f}-{high_ratio:.3f}] ({name} estimated on "
        f"{_sample_size(sample, whole)})",
    )


def _sample_size(sample: Sequence[SampledFile], whole: bool) -> str:
    """'all files', '12 files', '64 pieces' or '3 files and 40 pieces'."""
    if whole:
        return "all files"
    pieces = sum(item.piece for item in sample)
    files = len(sample) - pieces
    said = [count_of(files, "file")] if files else []
    return " and ".join([*said, count_of(pieces, "piece")] if pieces else said)


def _sums(sample: Sequence[SampledFile], name: str) -> tuple[float, float, float]:
    """(mid, low, high) of ``name``'s estimate summed over ``sample``: an exact base count for the base
    family, else the base count times the family's factors for each file's kind of text."""
    if name == estimate_base_family() and get_family(name).exact:
        total = float(sum(item.base for item in sample))
        return total, total, total
    mid = low = high = 0.0
    for item in sample:
        factor_low, factor_mid, factor_high = estimate_factors(name, item.kind)
        mid += item.base * factor_mid
        low += item.base * factor_low
        high += item.base * factor_high
    return mid, low, high


def _spread(sample: Sequence[SampledFile], name: str, ratio: float) -> tuple[float, float]:
    """The lowest and highest ratio of GROUPS groups of the sample, relative to the whole sample's."""
    ratios = []
    for group in range(GROUPS):
        items = sample[group::GROUPS]
        counted = sum(item.tokens for item in items)
        if counted > 0:
            ratios.append(_sums(items, name)[0] / counted / ratio)
    return min(ratios, default=1.0), max(ratios, default=1.0)
