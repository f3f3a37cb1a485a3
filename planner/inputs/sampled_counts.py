"""An input's counts in other tokenizer families, for judging which other models it fits, without a recount.

`planner fit` suggests catalog models that take an input whole; each model needs the input counted in its
own family (about twenty families). Counting a folder again in every family costs about twenty times the
count itself (and ~270 MB of vocabularies), so a folder is not counted again:

- a family on the same encoding as the counted one shares its exact count (phi4 and cl100k_base);
- every other family is scaled from the counted family's total by a ratio measured on a sample of the
  folder's files (all of them when the text is at most ``SAMPLE_BYTES``, else files spread over the folder in
  path order): on the sample, the family's estimate (the exact ``o200k_base`` count times the family's
  measured factors for each file's kind of text, planner.tokens.counts; an exact family's own factor row, as
  "pretend it is unknown" does) over the counted family's per-file counts. The band carries the factors' band
  and, for a sample, the spread of the ratio over ``GROUPS`` groups of sampled files. Suggestions judge an
  estimate on its upper band, so they stay on the safe side.

Chat messages, standard input, images and counts from a vendor's endpoint are counted again exactly, as
before (``exact_only``).

Reading the sampled files again (``read_sample_files``) builds the base family's encoder: a one-shot `planner
fit` has a process forked before its count do it (planner.inputs.sample_counter), passed as ``read_files``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from planner.inputs.files import decode_document
from planner.inputs.readers import SkipFile, kind_of, read_bytes
from planner.tokens.counts import (
    TextKind,
    TokenCount,
    classify_text,
    estimate_base_family,
    estimate_factors,
    exact_token_count,
)
from planner.tokens.families import get_family

SAMPLE_BYTES = 256 * 1024  # text read for the sample (about), when the input is larger
SAMPLE_POINTS = 64  # evenly spaced byte offsets of the input whose files make the sample
GROUPS = 8  # groups of sampled files whose ratios give the sampling spread


class Counted(Protocol):
    """What a count gives back: totals per family and the files counted (planner.inputs FileReport)."""

    @property
    def counts(self) -> Mapping[str, TokenCount]: ...

    @property
    def files(self) -> Sequence[Any]: ...


Recount = Callable[[list[str]], Mapping[str, TokenCount]]  # the whole input counted again in these families
FileSample = tuple[int, TextKind]  # a sampled file's exact base-family tokens and kind of text
# sampled files (paths) read again: a FileSample each, None for a file that cannot be read now
ReadFiles = Callable[[Sequence[str]], Sequence[FileSample | None]]


@dataclass(frozen=True)
class SampledFile:
    tokens: int  # in the counted family
    base: int  # exact o200k_base tokens
    kind: TextKind


def counts_in_families(
    family: str,
    counted: Counted,
    families: Sequence[str],
    recount: Recount,
    *,
    exact_only: bool = False,
    read_files: ReadFiles | None = None,
) -> dict[str, TokenCount]:
    """The input's count in each of ``families``: ``family``'s own, a shared encoding's, or a scaled estimate.

    ``counted``: the input counted in ``family``, file by file; ``recount(families)`` counts it again (only
    with ``exact_only``, or when no file of it could be read for the sample). ``read_files``: what reads the
    sampled files again (``read_sample_files`` in this process when None)."""
    own = counted.counts[family]
    found = {family: own, **_same_encoding(family, own, families)}
    wanted = [name for name in families if name not in found]
    if not wanted:
        return found
    rows = [row for row in counted.files if row.skipped is None and row.tokens.get(family, 0) > 0]
    sample = [] if exact_only or own.tokens <= 0 else _read_sample(rows, family, read_files)
    if not sample:
        return {**recount(wanted), **found}
    sampled_all = len(sample) == len(rows)
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


def sample_rows(rows: Sequence[Any]) -> list[Any]:
    """All rows when their text is at most SAMPLE_BYTES, else the rows (in path order) holding SAMPLE_POINTS
    evenly spaced byte offsets of the text, while their bytes stay within SAMPLE_BYTES."""
    ordered = sorted(rows, key=lambda row: row.path)
    total = sum(row.bytes for row in ordered)
    if total <= SAMPLE_BYTES:
        return ordered
    picked: dict[int, Any] = {}
    budget, position, index = SAMPLE_BYTES, 0, 0
    for point in range(SAMPLE_POINTS):
        offset = (point + 0.5) * total / SAMPLE_POINTS
        while index < len(ordered) - 1 and position + ordered[index].bytes <= offset:
            position += ordered[index].bytes
            index += 1
        if index not in picked and ordered[index].bytes <= budget:
            picked[index] = ordered[index]
            budget -= ordered[index].bytes
    return [picked[index] for index in sorted(picked)]


def _read_sample(rows: Sequence[Any], family: str, read_files: ReadFiles | None) -> list[SampledFile]:
    """The sampled files read again: their exact base-family counts and kinds of text (a file that cannot
    be read now is left out of the sample). The counted family's own counts serve when it is the base."""
    picked = sample_rows(rows)
    base_family = estimate_base_family()
    if family == base_family:
        kinds = [_kind_of_file(row.path) for row in picked]
        return [
            SampledFile(row.tokens[family], row.tokens[family], kind)
            for row, kind in zip(picked, kinds, strict=True)
            if kind is not None
        ]
    found = (read_files or read_sample_files)([row.path for row in picked])
    return [
        SampledFile(row.tokens[family], read[0], read[1])
        for row, read in zip(picked, found, strict=True)
        if read is not None
    ]


def read_sample_files(paths: Sequence[str]) -> list[FileSample | None]:
    """Each file read again: its exact base-family tokens and its kind of text; None if it cannot be read."""
    base_family = estimate_base_family()
    found: list[FileSample | None] = []
    for path in paths:
        text = _text_of_file(path)
        found.append(None if text is None else (exact_token_count(text, base_family), classify_text(text)))
    return found


def _kind_of_file(path: str) -> TextKind | None:
    text = _text_of_file(path)
    return None if text is None else classify_text(text)


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
        f"{'all' if whole else len(sample)} files)",
    )


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
