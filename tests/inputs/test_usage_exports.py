"""Usage exports are read by their shape (never their name) into rows with their place; bad rows are kept
apart with a reason, and a file that is no usage export is one error."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.inputs.usage_exports import read_usage_bytes, read_usage_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "usage"


@pytest.mark.parametrize(
    ("name", "kind", "rows", "bad"),
    [
        ("openai_completions_usage.json", "openai_usage", 3, 1),
        ("anthropic_messages_usage.json", "anthropic_usage", 5, 0),
        ("otel_genai_spans.json", "otel_genai", 3, 1),
        ("litellm_spend_logs.json", "litellm_spend_logs", 3, 1),
    ],
)
def test_each_fixture_is_told_by_its_shape(tmp_path, name, kind, rows, bad) -> None:
    misnamed = tmp_path / "export.txt"  # the name says nothing: the shape decides
    shutil.copy(FIXTURES / name, misnamed)
    export = read_usage_export(misnamed)
    assert (export.format, len(export.rows), len(export.bad_rows)) == (kind, rows, bad)


def test_openai_rows_keep_cached_tokens_inside_the_prompt_and_the_batch_flag() -> None:
    export = read_usage_export(FIXTURES / "openai_completions_usage.json")
    first, second, third = export.rows
    assert (first.model, first.day, first.input_tokens, first.cached_tokens) == (
        "gpt-4o-2024-08-06",
        date(2026, 11, 23),
        100_000,
        40_000,
    )
    assert (first.requests, first.per_request, first.host) == (50, False, "openai")
    assert second.batch and not first.batch and not third.batch
    assert third.day == date(2026, 11, 24)
    assert export.bad_rows[0].place.endswith("data[1].results[1]")
    assert export.bad_rows[0].reason == "input_tokens must be 0 or more, got -5"


def test_anthropic_prompt_is_the_sum_of_its_four_input_figures() -> None:
    rows = read_usage_export(FIXTURES / "anthropic_messages_usage.json").rows
    sonnet = rows[0]
    assert sonnet.input_tokens == 100_000 + 500_000 + 20_000 + 10_000
    assert (sonnet.cached_tokens, sonnet.cache_write_tokens, sonnet.cache_write_1h_tokens) == (
        500_000,
        20_000,
        10_000,
    )
    assert sonnet.requests is None  # the report does not count requests
    assert rows[1].batch  # service_tier "batch"
    assert [row.long_context for row in rows[2:4]] == [True, False]


def test_otel_spans_are_requests_and_other_spans_are_not_rows() -> None:
    export = read_usage_export(FIXTURES / "otel_genai_spans.json")
    mini, big, haiku = export.rows
    assert mini.model == "gpt-4o-mini-2024-07-18"  # the response model, not the request's alias
    assert mini.messages == [
        {"role": "system", "content": "You are a terse assistant."},
        {
            "role": "user",
            "content": "Summarise the attached meeting notes in three bullet points: the budget moved to Q3, "
            "the hiring plan is frozen, and the launch date holds.",
        },
    ]
    assert (big.input_tokens, big.cached_tokens, big.day) == (150_000, 100_000, date(2026, 11, 26))
    assert (haiku.host, haiku.cached_tokens, haiku.cache_write_tokens) == ("anthropic", 3_000, 1_000)
    assert [bad.reason for bad in export.bad_rows] == [
        "no gen_ai.usage.output_tokens"
    ]  # the HTTP span: no row


def test_litellm_rows_keep_spend_exact_and_cache_reads_from_the_usage_object() -> None:
    export = read_usage_export(FIXTURES / "litellm_spend_logs.json")
    first, haiku, _third = export.rows
    assert first.reported_cost == Decimal("0.0027")  # read as a decimal, never through a float
    assert (haiku.input_tokens, haiku.cached_tokens, haiku.host) == (20_000, 15_000, "anthropic")
    assert first.messages == [{"role": "user", "content": "Write a haiku about invoices."}]
    assert export.bad_rows[0].place.endswith("[3] (request chatcmpl-a4)")


def test_json_lines_with_a_broken_line_keep_the_rest(tmp_path) -> None:
    document = json.loads((FIXTURES / "otel_genai_spans.json").read_text())
    path = tmp_path / "spans.jsonl"
    path.write_text(json.dumps(document) + "\n{not json\n" + json.dumps(document) + "\n")
    export = read_usage_export(path)
    assert export.format == "otel_genai"
    assert len(export.rows) == 6
    assert any(bad.place == f"{path}: line 2" and "invalid JSON" in bad.reason for bad in export.bad_rows)


def test_a_row_whose_cache_exceeds_its_prompt_is_bad(tmp_path) -> None:
    rows = json.loads((FIXTURES / "litellm_spend_logs.json").read_text())
    rows[0]["metadata"]["usage_object"]["prompt_tokens_details"]["cached_tokens"] = 10_001
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(rows))
    bad = read_usage_export(path).bad_rows[0]
    assert bad.reason == "cache reads and writes (10,001) exceed the prompt (10,000 input tokens)"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"hello": "world"}', "is not a usage export planner reads"),
        ("no json at all", "is not JSON"),
    ],
)
def test_a_file_that_is_no_usage_export_is_one_error(tmp_path, content, message) -> None:
    path = tmp_path / "usage.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        read_usage_export(path)


def test_a_missing_file_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_usage_export(tmp_path / "absent.json")


def _otel(start: str = "1795654800000000000", spans: object = None) -> bytes:
    def attribute(key: str, value: dict) -> dict:
        return {"key": key, "value": value}

    span = {
        "startTimeUnixNano": start,
        "attributes": [
            attribute("gen_ai.request.model", {"stringValue": "gpt-4o"}),
            attribute("gen_ai.usage.input_tokens", {"intValue": "5"}),
            attribute("gen_ai.usage.output_tokens", {"intValue": "5"}),
            attribute("gen_ai.input.messages", {"stringValue": "[" * 100_000}),  # unreadable: ignored
        ],
    }
    scope = {"spans": [span] if spans is None else spans}
    return json.dumps({"resourceSpans": [{"scopeSpans": [scope]}]}).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[" * 100_000, "JSON nested too deeply to read"),
        (b'{"a": ' + b"9" * 5_000 + b"}", "a number in the JSON is too long"),
    ],
)
def test_hostile_json_is_one_input_error(data, message) -> None:
    with pytest.raises(InputError, match=message):
        read_usage_bytes("hostile.json", data)


def test_hostile_rows_are_bad_rows_not_failures() -> None:
    far = read_usage_bytes("far.json", _otel(start="9" * 30))
    assert [bad.reason for bad in far.bad_rows] == [
        "startTimeUnixNano 999999999999999999999 is not a date planner can read (out of range)"
    ]
    odd = read_usage_bytes("odd.json", _otel(spans=5))  # not a list of spans: nothing to read
    assert (odd.rows, odd.bad_rows) == ([], [])
    (row,) = read_usage_bytes("ok.json", _otel()).rows
    assert row.messages is None  # text too deeply nested to read: priced on its counts all the same


def test_litellm_negative_spend_and_numeric_messages(tmp_path) -> None:
    rows = json.loads((FIXTURES / "litellm_spend_logs.json").read_text())[:2]
    rows[0]["spend"] = -1
    rows[1]["messages"] = [{"role": "user", "content": 1.5}]
    export = read_usage_bytes("logs.json", json.dumps(rows).encode())
    assert [bad.reason for bad in export.bad_rows] == [
        "spend must be a number of US dollars from 0 up to 10^15, got -1"
    ]
    assert export.rows[0].messages is None  # a number is not request text


def test_an_export_not_grouped_by_batch_or_tier_says_what_that_prices() -> None:
    page = json.loads((FIXTURES / "openai_completions_usage.json").read_text())
    for bucket in page["data"]:
        for result in bucket["results"]:
            result["batch"] = None  # saved without group_by=batch
    export = read_usage_bytes("usage.json", json.dumps(page).encode())
    assert export.notes == [
        "usage.json is not grouped by batch: batch traffic in it is priced at standard prices"
    ]
    assert not any(row.batch for row in export.rows)
    report = json.loads((FIXTURES / "anthropic_messages_usage.json").read_text())
    report["data"][0]["results"][0]["context_window"] = None
    notes = read_usage_bytes("report.json", json.dumps(report).encode()).notes
    assert notes == [
        "report.json is not grouped by context_window: prompts above 200,000 tokens are priced below "
        "long-context tiers"
    ]
    assert read_usage_export(FIXTURES / "anthropic_messages_usage.json").notes == []
