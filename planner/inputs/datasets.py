"""Datasets: one column of a JSONL, CSV or Parquet file counted row by row, streamed in bounded memory.

- JSONL (``.jsonl``, ``.ndjson``): one JSON object per line; the row's value is ``object[field]``. Rows are
  numbered by line; blank lines are not rows.
- CSV (``.csv``; ``.tsv`` tab-separated): a header line names the columns; rows are numbered from 1 after it.
- Parquet (``.parquet``, ``.pq``): read a row group at a time with pyarrow, only the one column.

A value that is a string is counted as text (``planner.tokens.counts.count_tokens``); a list is a conversation
of chat messages, counted by ``planner.inputs.messages`` with the model's chat template (``--field
messages``). A row whose value is missing, null or of another type is skipped with its row number and reason;
a file that has no such column is skipped whole. Statistics per row: ``planner.inputs.row_stats``.

A file is split into parts that are counted apart and merged in order to the same answer: a JSONL file at
line starts (a newline always ends a JSON Lines record), a Parquet file at row groups, a CSV file not at all
(a quoted cell may hold newlines). Paths with ``://`` are opened with fsspec (``s3://`` needs s3fs).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any, Literal

from pydantic import BaseModel, Field

from planner.errors import InputError, SkipFile, UsageError, require_module
from planner.inputs.messages import count_conversation, parse_messages
from planner.inputs.row_stats import HistogramBin, PerRow, RowStats, SkippedRow, histogram, per_row
from planner.tokens.counts import count_tokens
from planner.tokens.families import is_exact

Format = Literal["jsonl", "csv", "tsv", "parquet"]
FORMATS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
PARQUET_BATCH_ROWS = 4096


class DatasetError(Exception):
    """A whole file cannot be counted (no such column, not the format it claims): it is skipped."""


@dataclass(frozen=True)
class RowCounter:
    """How one row's value becomes tokens: the family, its chat template (for message lists), the limit."""

    family: str
    template: str | None = None
    limit: int | None = None

    def add(self, stats: RowStats, value: Any, name: str) -> None:
        if isinstance(value, str):
            count = count_tokens(value, self.family)
            stats.add(count.tokens, count.tokens_low, count.tokens_high, value, self.limit)
        elif isinstance(value, list):
            try:
                messages = parse_messages(value)
            except SkipFile as skip:
                stats.skip(skip.reason)
                return
            count = count_conversation(messages, self.family, self.template)
            text = "\n".join(message.text for message in messages)
            stats.add(count.tokens, count.tokens_low, count.tokens_high, text, self.limit)
        elif value is None:
            stats.skip(f"no value in '{name}'")
        else:
            stats.skip(f"'{name}' is {type(value).__name__}, not text or a list of messages")


@dataclass(frozen=True)
class DatasetPart:
    """Rows of one file: a byte range (JSONL, from a line start) or row groups (Parquet); None: to the end."""

    path: str
    format: Format
    field: str
    start: int = 0
    end: int | None = None


def dataset_format(path: str) -> Format | None:
    return FORMATS.get(PurePosixPath(path.split("?", 1)[0]).suffix.lower())


def open_binary(path: str) -> IO[bytes]:
    """A local file, or any fsspec URL (file://, s3://, https://, ...)."""
    if "://" not in path:
        try:
            return open(path, "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError:
            raise InputError(f"no such file: {path}") from None
        except OSError as error:
            raise DatasetError(f"cannot read: {error.strerror}") from None
    fsspec = require_module("fsspec", "reading URLs")
    try:
        return fsspec.open(path, "rb").open()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except (OSError, ValueError, ImportError) as error:
        raise DatasetError(f"cannot open: {error}") from None


def count_part(part: DatasetPart, counter: RowCounter) -> RowStats:
    """The row statistics of one part; DatasetError when the file cannot be read as its format."""
    stats = RowStats()
    with open_binary(part.path) as handle:
        if part.format == "jsonl":
            _jsonl_rows(handle, part, counter, stats)
        elif part.format == "parquet":
            _parquet_rows(handle, part, counter, stats)
        else:
            _csv_rows(handle, part, counter, stats)
    return stats


def _jsonl_rows(handle: IO[bytes], part: DatasetPart, counter: RowCounter, stats: RowStats) -> None:
    handle.seek(part.start)
    position = part.start
    for raw in handle:
        if part.end is not None and position >= part.end:
            break
        position += len(raw)
        if not raw.strip():
            stats.row_numbers += 1  # a blank line: not a row, but it has a line number
            continue
        try:
            record = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else f"invalid JSON ({error.msg})"
            stats.skip(reason)
            continue
        if not isinstance(record, dict):
            stats.skip("not a JSON object")
            continue
        if part.field not in record:
            stats.skip(f"no field '{part.field}'")
            continue
        counter.add(stats, record[part.field], part.field)


def _csv_rows(handle: IO[bytes], part: DatasetPart, counter: RowCounter, stats: RowStats) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(text, delimiter="\t" if part.format == "tsv" else ",")
    csv.field_size_limit(1 << 30)
    header = next(reader, None)
    if header is None or part.field not in header:
        columns = ", ".join(header or []) or "none"
        raise DatasetError(f"no column '{part.field}' (columns: {columns})")
    index = header.index(part.field)
    for row in reader:
        if not row:
            continue
        counter.add(stats, row[index] if index < len(row) else None, part.field)


def _parquet_rows(handle: IO[bytes], part: DatasetPart, counter: RowCounter, stats: RowStats) -> None:
    pa = require_module("pyarrow", "reading Parquet")
    pq = require_module("pyarrow.parquet", "reading Parquet")

    try:
        source = pq.ParquetFile(handle)
    except (pa.ArrowException, OSError) as error:  # broken metadata: pyarrow raises OSError (thrift)
        raise DatasetError(f"not a Parquet file ({_first_line(error)})") from None
    if part.field not in source.schema_arrow.names:
        raise DatasetError(f"no column '{part.field}' (columns: {', '.join(source.schema_arrow.names)})")
    end = source.num_row_groups if part.end is None else part.end
    groups = list(range(part.start, end))
    if not groups:
        return
    try:
        for batch in source.iter_batches(PARQUET_BATCH_ROWS, row_groups=groups, columns=[part.field]):
            for value in batch.column(0).to_pylist():
                counter.add(stats, value, part.field)
    except (pa.ArrowException, OSError) as error:  # a damaged page or row group past valid metadata
        raise DatasetError(f"damaged Parquet data ({_first_line(error)})") from None


def _first_line(error: BaseException) -> str:
    """pyarrow's message without the trailing blank lines and C++ detail it sometimes adds."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def parts_of(path: str, format: Format, field: str, pieces: int = 1) -> list[DatasetPart]:
    """``path`` cut into up to ``pieces`` parts at safe points (see the module docstring)."""
    if pieces <= 1 or format in ("csv", "tsv"):
        return [DatasetPart(path, format, field)]
    if format == "parquet":
        return _parquet_parts(path, field, pieces)
    return _jsonl_parts(path, field, pieces)


def _jsonl_parts(path: str, field: str, pieces: int) -> list[DatasetPart]:
    with open_binary(path) as handle:
        size = handle.seek(0, os.SEEK_END)
        cuts = [0]
        for index in range(1, pieces):
            nominal = size * index // pieces
            if nominal <= cuts[-1]:
                continue
            handle.seek(nominal - 1)
            handle.readline()  # to the start of the next line (nominal - 1: a line may start at nominal)
            cut = handle.tell()
            if cuts[-1] < cut < size:
                cuts.append(cut)
    ends: list[int | None] = [*cuts[1:], None]
    return [DatasetPart(path, "jsonl", field, start, end) for start, end in zip(cuts, ends, strict=True)]


def _parquet_parts(path: str, field: str, pieces: int) -> list[DatasetPart]:
    pa = require_module("pyarrow", "reading Parquet")
    pq = require_module("pyarrow.parquet", "reading Parquet")

    with open_binary(path) as handle:
        try:
            groups = pq.ParquetFile(handle).num_row_groups
        except (pa.ArrowException, OSError) as error:
            raise DatasetError(f"not a Parquet file ({_first_line(error)})") from None
    pieces = max(1, min(pieces, groups))
    bounds = [groups * index // pieces for index in range(pieces + 1)]
    return [DatasetPart(path, "parquet", field, bounds[i], bounds[i + 1]) for i in range(pieces)]


def merge_parts(stats: Sequence[RowStats]) -> RowStats:
    """Stats of consecutive parts of one file, in order, as one."""
    merged = RowStats()
    for item in stats:
        merged.extend(item)
    return merged


class DatasetFile(BaseModel):
    path: str
    format: Format | None
    rows: int = 0
    tokens: int = 0
    words: int = 0
    chars: int = 0
    skipped: str | None = None  # why the whole file was not counted
    skipped_row_count: int = 0
    skipped_rows: list[SkippedRow] = Field(default_factory=list)  # the first ones, with their row numbers


class DatasetReport(BaseModel):
    """Every file's rows of one column: totals, per-row statistics, histogram, what was skipped."""

    field: str
    tokenizer: str
    method: Literal["exact", "estimate"]
    basis: str
    tokens: int
    tokens_low: int
    tokens_high: int
    words: int
    chars: int
    bytes: int
    lines: int
    rows: int
    per_row: PerRow
    max_tokens_per_row: int | None
    rows_over_limit: int
    histogram: list[HistogramBin]
    skipped_row_count: int
    files: list[DatasetFile]

    @property
    def has_problems(self) -> bool:
        return self.skipped_row_count > 0 or any(item.skipped is not None for item in self.files)


def check_dataset_paths(paths: Sequence[str], field: str) -> list[tuple[str, Format]]:
    """Paths with formats; a path of no dataset format is a usage error, a missing one an input error."""
    if not paths:
        raise UsageError(f"--field / --column '{field}' needs dataset files (.jsonl, .csv, .tsv, .parquet)")
    checked = []
    for path in paths:
        format = dataset_format(path)
        if format is None:
            raise UsageError(f"{path}: --field / --column read .jsonl, .ndjson, .csv, .tsv or .parquet")
        if "://" not in path and not os.path.isfile(path):
            raise InputError(f"no such file: {path}" if not os.path.exists(path) else f"{path} is not a file")
        checked.append((path, format))
    return checked


def part_stats(part: DatasetPart, counter: RowCounter) -> RowStats | DatasetError:
    """``count_part``, with a file that cannot be read as its format returned as its error (to report it)."""
    try:
        return count_part(part, counter)
    except DatasetError as error:
        return error


def count_dataset(paths: Sequence[str], field: str, counter: RowCounter) -> DatasetReport:
    """Count ``field`` of every row of every file, in this process (planner.inputs.dask_runner: on Dask)."""
    checked = check_dataset_paths(paths, field)
    results = [part_stats(DatasetPart(path, format, field), counter) for path, format in checked]
    return dataset_report(checked, results, field, counter)


def dataset_report(
    checked: Sequence[tuple[str, Format]],
    results: Sequence[RowStats | DatasetError],
    field: str,
    counter: RowCounter,
) -> DatasetReport:
    """The report from each file's stats (or the reason it was skipped), in the order of the files."""
    total = RowStats()
    files = []
    for (path, format), result in zip(checked, results, strict=True):
        if isinstance(result, DatasetError):
            files.append(DatasetFile(path=path, format=format, skipped=str(result)))
            continue
        files.append(_file_row(path, format, result))
        result_without_rows = RowStats(**{**result.__dict__, "skipped": []})
        total.extend(result_without_rows)
    exact = is_exact(counter.family)
    return DatasetReport(
        field=field,
        tokenizer=counter.family,
        method="exact" if exact else "estimate",
        basis=f"exact {counter.family}, per row" if exact else f"sum of per-row estimates ({counter.family})",
        tokens=total.tokens,
        tokens_low=total.tokens_low,
        tokens_high=total.tokens_high,
        words=total.words,
        chars=total.chars,
        bytes=total.bytes,
        lines=total.lines,
        rows=total.rows,
        per_row=per_row(total),
        max_tokens_per_row=counter.limit,
        rows_over_limit=total.over_limit,
        histogram=histogram(total.distribution),
        skipped_row_count=total.skipped_rows,
        files=files,
    )


def _file_row(path: str, format: Format, stats: RowStats) -> DatasetFile:
    return DatasetFile(
        path=path,
        format=format,
        rows=stats.rows,
        tokens=stats.tokens,
        words=stats.words,
        chars=stats.chars,
        skipped_row_count=stats.skipped_rows,
        skipped_rows=stats.skipped,
    )
