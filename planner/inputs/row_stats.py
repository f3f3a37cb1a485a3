"""Per-row token statistics of a dataset, kept in bounded memory and mergeable in order (for parts counted
apart, on other cores or machines, to give exactly the whole file's answer).

Rules:

- The distribution is kept exactly as a count of rows per token count (``{tokens: rows}``): its size is the
  number of distinct row lengths, never the number of rows.
- Percentiles use the nearest-rank rule: the p-th percentile of N rows is the smallest row count x such that
  at least ceil(p / 100 * N) rows have x tokens or fewer (the value at 1-based rank ceil(p * N / 100) in
  sorted order; rank 1 at least). p50 of 1, 2, 3, 4 is 2; p95 of 1..20 is 19.
- ``mean`` is tokens / rows, rounded to 2 places (half up).
- The histogram has power-of-two bins: ``0``, ``1``, ``2-3``, ``4-7``, ``8-15``, ... (bin k >= 1 holds
  2^(k-1) to 2^k - 1 tokens); bins from the first to the last non-empty one are listed.
- A row over the limit has strictly more tokens than ``max_tokens_per_row``.
- Skipped rows keep their number (1-based within the file) and reason; only the first ``SKIPPED_KEPT`` are
  listed, all are counted.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel

SKIPPED_KEPT = 100
ADDED = ("rows", "row_numbers", "tokens", "tokens_low", "tokens_high", "words", "chars", "bytes", "lines")


class SkippedRow(BaseModel):
    row: int
    reason: str


class PerRow(BaseModel):
    mean: float
    p50: int
    p95: int
    max: int


class HistogramBin(BaseModel):
    low: int
    high: int
    rows: int


@dataclass
class RowStats:
    """Counts of the rows of one file (or one part of it, rows ``first_row`` onwards)."""

    rows: int = 0  # counted rows
    row_numbers: int = 0  # rows seen, counted or skipped (numbers the next part's rows)
    tokens: int = 0
    tokens_low: int = 0
    tokens_high: int = 0
    words: int = 0
    chars: int = 0
    bytes: int = 0
    lines: int = 0
    over_limit: int = 0
    distribution: Counter[int] = field(default_factory=Counter)
    skipped_rows: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.row_numbers += 1
        self.skipped_rows += 1
        if len(self.skipped) < SKIPPED_KEPT:
            self.skipped.append(SkippedRow(row=self.row_numbers, reason=reason))

    def add(self, tokens: int, low: int, high: int, text: str, limit: int | None) -> None:
        self.row_numbers += 1
        self.rows += 1
        self.tokens += tokens
        self.tokens_low += low
        self.tokens_high += high
        self.words += len(text.split())
        self.chars += len(text)
        self.bytes += len(text.encode("utf-8", "surrogatepass"))
        self.lines += text.count("\n") + (0 if not text or text.endswith("\n") else 1)
        self.distribution[tokens] += 1
        if limit is not None and tokens > limit:
            self.over_limit += 1

    def extend(self, later: RowStats) -> None:
        """Append the stats of the rows that follow these (their row numbers move up)."""
        offset = self.row_numbers
        for name in ADDED:
            setattr(self, name, getattr(self, name) + getattr(later, name))
        self.over_limit += later.over_limit
        self.distribution.update(later.distribution)
        self.skipped_rows += later.skipped_rows
        room = SKIPPED_KEPT - len(self.skipped)
        moved = [SkippedRow(row=item.row + offset, reason=item.reason) for item in later.skipped[:room]]
        self.skipped += moved


def nearest_rank(distribution: Counter[int], percent: int) -> int:
    """The nearest-rank percentile (see the module docstring); 0 for no rows."""
    total = sum(distribution.values())
    if not total:
        return 0
    rank = max(1, math.ceil(percent * total / 100))
    seen = 0
    for value in sorted(distribution):
        seen += distribution[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the ranks add up to the total")


def per_row(stats: RowStats) -> PerRow:
    mean = Decimal(stats.tokens) / stats.rows if stats.rows else Decimal(0)
    return PerRow(
        mean=float(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
        p50=nearest_rank(stats.distribution, 50),
        p95=nearest_rank(stats.distribution, 95),
        max=max(stats.distribution, default=0),
    )


def bin_of(tokens: int) -> int:
    """The histogram bin of a row: 0 for 0 tokens, else k with 2^(k-1) <= tokens < 2^k."""
    return tokens.bit_length()


def bin_range(index: int) -> tuple[int, int]:
    return (0, 0) if index == 0 else (1 << (index - 1), (1 << index) - 1)


def histogram(distribution: Counter[int]) -> list[HistogramBin]:
    bins: Counter[int] = Counter()
    for tokens, rows in distribution.items():
        bins[bin_of(tokens)] += rows
    if not bins:
        return []
    return [
        HistogramBin(low=bin_range(index)[0], high=bin_range(index)[1], rows=bins.get(index, 0))
        for index in range(min(bins), max(bins) + 1)
    ]


def histogram_chart(bins: list[HistogramBin], width: int = 40) -> str:
    """A small text chart: one line per bin, a bar scaled to the fullest bin."""
    if not bins:
        return ""
    most = max(item.rows for item in bins) or 1
    labels = [str(item.low) if item.low == item.high else f"{item.low:,}-{item.high:,}" for item in bins]
    pad = max(len(label) for label in labels)
    lines = []
    for label, item in zip(labels, bins, strict=True):
        bar = "#" * math.ceil(item.rows * width / most) if item.rows else ""
        lines.append(f"  {label.rjust(pad)} tokens  {bar.ljust(width)}  {item.rows:,}")
    return "\n".join(lines) + "\n"
