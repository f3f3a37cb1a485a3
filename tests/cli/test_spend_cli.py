"""`planner spend`: the JSON contract (money as decimal strings), the human summary, and one error line for
each bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import run_app
from planner.errors import EXIT_INPUT, EXIT_SOME_SKIPPED, EXIT_UNKNOWN_MODEL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "usage"


@pytest.fixture(autouse=True)
def _cache(isolated_cache):
    """The shipped catalog and no user ledger."""


def test_json_keys_and_money_as_decimal_strings(capsys) -> None:
    code = run_app(
        ["spend", str(FIXTURES / "otel_genai_spans.json"), "--as", "gpt-4o", "--provider", "openai", "--json"]
    )
    assert code == EXIT_SOME_SKIPPED  # one span has no output tokens: listed, the rest priced
    document = json.loads(capsys.readouterr().out)
    assert document["total_cost"] == "0.04011"
    assert [(item["id"], item["total_cost"]) for item in document["by_model"]] == [
        ("gpt-4.1-mini", "0.0332"),
        ("claude-haiku-4-5-20251001", "0.00655"),
        ("gpt-4o-mini-2024-07-18", "0.00036"),
    ]
    assert [(item["day"], item["total_cost"]) for item in document["by_day"]] == [
        ("2026-11-26", "0.03356"),
        ("2026-11-27", "0.00655"),
    ]
    (as_if,) = document["as_if"]
    assert (as_if["id"], as_if["total_cost"], as_if["difference"], as_if["requests_over_window"]) == (
        "gpt-4o",
        "0.29275",
        "0.25264",
        1,
    )
    assert [item["reason"] for item in document["skipped"]] == ["no gen_ai.usage.output_tokens"]


def test_human_summary_and_skipped_rows_on_stderr(capsys) -> None:
    assert run_app(["spend", str(FIXTURES / "litellm_spend_logs.json")]) == EXIT_SOME_SKIPPED
    captured = capsys.readouterr()
    assert captured.out.startswith("3 rows priced, 3 requests: $0.015100 as billed")
    assert "claude-haiku-4-5-20251001 (anthropic)" in captured.out and "-$0.001000" in captured.out
    assert "skipped: " in captured.err and "prompt_tokens must be a whole number" in captured.err


def test_every_row_priced_exits_zero(tmp_path, capsys) -> None:
    rows = json.loads((FIXTURES / "litellm_spend_logs.json").read_text())[:3]
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(rows))
    assert run_app(["spend", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["skipped"] == []


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["spend", "absent.json"], EXIT_INPUT, "error: no such file: absent.json"),
        (["spend", str(FIXTURES / "README.md")], EXIT_INPUT, "is not JSON"),
        pytest.param(
            ["spend", str(FIXTURES / "otel_genai_spans.json"), "--as", "no-such-model-xyz"],
            EXIT_UNKNOWN_MODEL,
            "no-such-model-xyz",
            marks=pytest.mark.slow,  # the catalog's suggestions for an unknown id
        ),
    ],
)
@pytest.mark.slow
def test_bad_input_is_one_error_line(capsys, arguments, code, message) -> None:
    assert run_app(arguments) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0]


def test_every_row_skipped_is_an_error(tmp_path, capsys) -> None:
    rows = json.loads((FIXTURES / "litellm_spend_logs.json").read_text())[3:]
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(rows))
    assert run_app(["spend", str(path)]) == EXIT_SOME_SKIPPED
    err = capsys.readouterr().err
    assert err.startswith("error: nothing was priced: 1 row of")
