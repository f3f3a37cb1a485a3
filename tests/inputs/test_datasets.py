"""Dataset rows (JSONL, CSV, Parquet): per-row counts against the reference encoder, percentiles and histogram
bins worked out by hand, parts counted apart merging to the whole file's answer."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from planner.cli._app import run_app
from planner.inputs.datasets import RowCounter, count_dataset, count_part, merge_parts, parts_of
from planner.inputs.row_stats import histogram, nearest_rank
from planner.tokens.encoders import get_encoding

TEXTS = [f"Row {i}: " + "the quick brown fox jumps over the lazy dog " * (i % 7) for i in range(40)]


def n(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def by_hand(values: list[int], percent: int) -> int:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent * len(ordered) / 100)) - 1]


@pytest.mark.parametrize(
    ("values", "p50", "p95"),
    [([1, 2, 3, 4], 2, 4), (list(range(1, 21)), 10, 19), ([7], 7, 7), ([5, 1, 5, 1, 9], 5, 9)],
)
def test_nearest_rank_percentiles(values: list[int], p50: int, p95: int) -> None:
    assert nearest_rank(Counter(values), 50) == p50
    assert nearest_rank(Counter(values), 95) == p95
    assert nearest_rank(Counter(), 50) == 0


def test_histogram_power_of_two_bins() -> None:
    bins = histogram(Counter([0, 1, 2, 3, 4, 7, 8, 100]))
    assert [(item.low, item.high, item.rows) for item in bins] == [
        (0, 0, 1),
        (1, 1, 1),
        (2, 3, 2),
        (4, 7, 2),
        (8, 15, 1),
        (16, 31, 0),
        (32, 63, 0),
        (64, 127, 1),
    ]


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows))
    return path


def test_jsonl_rows_match_the_reference_encoder(tmp_path) -> None:
    rows: list[object] = [{"text": text, "id": i} for i, text in enumerate(TEXTS)]
    rows[5:5] = ["", "{not json", {"id": "no text"}, {"text": 12}, {"text": None}]
    path = write_jsonl(tmp_path / "data.jsonl", rows)
    report = count_dataset([str(path)], "text", RowCounter("o200k_base", None, limit=30))
    expected = [n(text) for text in TEXTS]
    assert report.rows == 40 and report.tokens == sum(expected)
    assert report.words == sum(len(text.split()) for text in TEXTS)
    assert report.per_row.p50 == by_hand(expected, 50) and report.per_row.p95 == by_hand(expected, 95)
    assert report.per_row.max == max(expected)
    assert report.per_row.mean == round(sum(expected) / 40, 2)
    assert report.rows_over_limit == sum(1 for value in expected if value > 30)
    assert sum(item.rows for item in report.histogram) == 40
    skipped = report.files[0].skipped_rows
    assert [(item.row, item.reason.split(" (")[0]) for item in skipped] == [
        (7, "invalid JSON"),
        (8, "no field 'text'"),
        (9, "'text' is int, not text or a list of messages"),
        (10, "no value in 'text'"),
    ]
    assert report.has_problems


def test_message_rows_use_the_chat_template(tmp_path) -> None:
    chat = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello there"}]
    path = write_jsonl(tmp_path / "chats.jsonl", [{"messages": chat}, {"messages": chat[1:]}])
    report = count_dataset([str(path)], "messages", RowCounter("o200k_base", "openai"))
    # OpenAI cookbook: 3 per message + each value, +3 to prime the reply
    first = 3 + (3 + n("system") + n("Be brief.")) + (3 + n("user") + n("Hello there"))
    second = 3 + 3 + n("user") + n("Hello there")
    assert report.tokens == first + second and report.per_row.max == first


def test_csv_with_quoted_newlines_and_tsv(tmp_path) -> None:
    csv_path = tmp_path / "t.csv"
    csv_path.write_text('id,body\n1,"line one\nline two"\n2,plain text\n3\n')
    report = count_dataset([str(csv_path)], "body", RowCounter("o200k_base"))
    assert report.rows == 2 and report.tokens == n("line one\nline two") + n("plain text")
    assert report.files[0].skipped_rows[0].row == 3
    tsv_path = tmp_path / "t.tsv"
    tsv_path.write_text("body\tid\nhello world\t1\n")
    assert count_dataset([str(tsv_path)], "body", RowCounter("o200k_base")).tokens == n("hello world")


def test_missing_column_skips_the_file_not_the_others(tmp_path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [{"text": "hello"}])
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    report = count_dataset([str(bad), str(good)], "text", RowCounter("o200k_base"))
    assert report.files[0].skipped == "no column 'text' (columns: a, b)"
    assert report.tokens == n("hello") and report.has_problems


def parquet_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.parquet"
    texts = [*TEXTS, None]
    pq.write_table(pa.table({"text": texts, "n": list(range(len(texts)))}), path, row_group_size=7)
    return path


def test_parquet_column_in_row_groups(tmp_path) -> None:
    path = parquet_file(tmp_path)
    report = count_dataset([str(path)], "text", RowCounter("o200k_base"))
    assert report.rows == 40 and report.tokens == sum(n(text) for text in TEXTS)
    assert [(item.row, item.reason) for item in report.files[0].skipped_rows] == [(41, "no value in 'text'")]
    wrong = count_dataset([str(path)], "n", RowCounter("o200k_base"))
    assert wrong.rows == 0 and wrong.skipped_row_count == 41


@pytest.mark.parametrize("pieces", [2, 3, 7, 50])
def test_parts_merge_to_the_whole_file(tmp_path, pieces: int) -> None:
    rows: list[object] = [{"text": text} for text in TEXTS]
    rows[20:20] = ["{broken", ""]
    jsonl = write_jsonl(tmp_path / "data.jsonl", rows)
    counter = RowCounter("o200k_base", limit=20)
    for path, format in ((str(jsonl), "jsonl"), (str(parquet_file(tmp_path)), "parquet")):
        whole = count_part(parts_of(path, format, "text")[0], counter)  # type: ignore[arg-type]
        parts = parts_of(path, format, "text", pieces)  # type: ignore[arg-type]
        assert len(parts) > 1
        assert merge_parts([count_part(part, counter) for part in parts]) == whole


def test_cli_dataset_json_keys_and_exit_statuses(tmp_path, capsys) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": text} for text in TEXTS])
    argv = ["count", str(path), "--field", "text", "-m", "gpt-4o", "--json", "--max-tokens-per-row", "25"]
    assert run_app(argv) == 0
    document = json.loads(capsys.readouterr().out)
    for key in ("model", "tokenizer", "method", "tokens", "tokens_low", "tokens_high", "words", "chars"):
        assert key in document
    assert {"rows", "per_row", "rows_over_limit", "histogram", "files"} <= set(document)
    assert set(document["per_row"]) == {"mean", "p50", "p95", "max"}
    assert document["tokens"] == sum(n(text) for text in TEXTS)
    assert document["files"][0]["path"] == str(path) and document["files"][0]["skipped"] is None
    assert run_app(["count", str(path), "--column", "text", "-m", "gpt-4o"]) == 0
    assert "tokens per row" in capsys.readouterr().out
    assert run_app(["count", str(path), "--max-tokens-per-row", "5"]) == 2
    assert run_app(["count", str(tmp_path / "none.jsonl"), "--field", "text"]) == 3
    (tmp_path / "notes.txt").write_text("x")
    assert run_app(["count", str(tmp_path / "notes.txt"), "--field", "text"]) == 2
    assert run_app(["count", str(path), "--field", "nope"]) == 5
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize("filler", [b"\xff", b"\x00"])
def test_parquet_with_valid_magic_and_broken_metadata_is_a_skip(tmp_path, filler: bytes, capsys) -> None:
    # The footer's length and both PAR1 marks are right, the thrift metadata is garbage: pyarrow raises
    # OSError (not an ArrowException), which crashed count --column with a traceback.
    good = parquet_file(tmp_path).read_bytes()
    length = int.from_bytes(good[-8:-4], "little")
    start = len(good) - 8 - length
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(good[:start] + good[start : start + 4] + filler * (length - 4) + good[-8:])
    report = count_dataset([str(broken)], "text", RowCounter("o200k_base"))
    assert report.files[0].skipped is not None and report.files[0].skipped.startswith("not a Parquet file")
    assert run_app(["count", str(broken), "--column", "text"]) == 5
    assert "Traceback" not in capsys.readouterr().err
