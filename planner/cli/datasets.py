"""`planner count FILE --field F` / `--column C`: dataset rows counted (planner.inputs.datasets) and
presented."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from planner.wording import count_of

if TYPE_CHECKING:
    from planner.cli.documents import DatasetCountDocument
    from planner.inputs.datasets import DatasetReport


def dataset_document(report: DatasetReport, model_id: str, provider: str) -> DatasetCountDocument:
    """The `planner count` keys (shared/design.md) plus rows, per_row, rows_over_limit, histogram."""
    from planner.cli.documents import DatasetCountDocument

    document = report.model_dump(mode="json")
    files = document.pop("files")
    return DatasetCountDocument.from_keys(
        {
            "model": model_id,
            "provider": provider,
            **document,
            "files": [{**row, "kind": "dataset", "warnings": []} for row in files],
        }
    )


def print_dataset(report: DatasetReport, label: str) -> None:
    from planner.inputs.row_stats import histogram_chart

    out = sys.stdout.write
    if report.method == "exact":
        out(f"{count_of(report.tokens, 'token')}  ({report.tokenizer}, exact for {label})\n")
    else:
        band = f"{report.tokens_low:,}-{report.tokens_high:,}"
        out(f"{count_of(report.tokens, 'token')}  (estimate for {label}: {band}; {report.basis})\n")
    sizes = f"{count_of(report.words, 'word')}, {count_of(report.chars, 'character')}"
    out(f"{count_of(report.rows, 'row')} of '{report.field}', {sizes}\n")
    stats = report.per_row
    out(f"per row: mean {stats.mean:,}, p50 {stats.p50:,}, p95 {stats.p95:,}, max {stats.max:,} tokens\n")
    if report.max_tokens_per_row is not None:
        out(f"{count_of(report.rows_over_limit, 'row')} over {report.max_tokens_per_row:,} tokens\n")
    if report.histogram:
        out("\ntokens per row\n" + histogram_chart(report.histogram))
    for item in report.files:
        if item.skipped is not None:
            sys.stderr.write(f"skipped: {item.path}: {item.skipped}\n")
        for row in item.skipped_rows:
            sys.stderr.write(f"skipped: {item.path}: row {row.row}: {row.reason}\n")
        if item.skipped_row_count > len(item.skipped_rows):
            sys.stderr.write(f"... {item.skipped_row_count - len(item.skipped_rows):,} more rows skipped\n")
    if report.has_problems:
        skipped = [count_of(report.skipped_row_count, "row")] if report.skipped_row_count else []
        files = sum(1 for item in report.files if item.skipped is not None)
        skipped += [count_of(files, "file")] if files else []
        rest = "nothing was counted" if report.rows == 0 else "every other row was counted"
        sys.stderr.write(f"{' and '.join(skipped)} skipped; {rest}\n")
