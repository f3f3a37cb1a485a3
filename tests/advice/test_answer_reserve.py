"""A request body's max_tokens is the answer reserve of fit, cost, compare and hosts unless --output-tokens
is given (planner.advice.fit_rule.answer_reserve): the API may write that many tokens, so they must fit and
are billed.

Expected values are worked out by hand from the default model's card: Hermes 4 405B, 131,072-token window,
$3 per million completion tokens."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from planner.cli import run_app

HERMES = "nousresearch/hermes-4-405b"
MESSAGES = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "Summarise the French revolution in three lines."},
]


def body_file(tmp_path: Path, **extra: object) -> str:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"model": HERMES, "messages": MESSAGES, **extra}), encoding="utf-8")
    return str(path)


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = run_app([*args, "--json"])
    return code, json.loads(capsys.readouterr().out, parse_float=Decimal)


@pytest.mark.parametrize("key", ["max_tokens", "max_completion_tokens", "max_output_tokens"])
@pytest.mark.slow
def test_fit_reserves_the_request_max_tokens(tmp_path, capsys, key) -> None:
    _, without = run_json(capsys, "fit", "--messages", body_file(tmp_path))
    code, asked = run_json(capsys, "fit", "--messages", body_file(tmp_path, **{key: 3000}))
    assert code == 0
    assert (without["output_tokens"], without["output_tokens_from"]) == (0, None)
    assert (asked["output_tokens"], asked["output_tokens_from"]) == (3000, "max_tokens")
    assert asked["input_tokens"] == without["input_tokens"]
    assert asked["headroom_tokens"] == without["headroom_tokens"] - 3000
    assert asked["headroom_tokens"] == 131_072 - asked["input_tokens"] - 3000


def test_output_tokens_overrides_the_body(tmp_path, capsys) -> None:
    _, doc = run_json(capsys, "fit", "--messages", body_file(tmp_path, max_tokens=3000), "-o", "10")
    assert (doc["output_tokens"], doc["output_tokens_from"]) == (10, "--output-tokens")
    _, zero = run_json(capsys, "fit", "--messages", body_file(tmp_path, max_tokens=3000), "-o", "0")
    assert (zero["output_tokens"], zero["output_tokens_from"]) == (0, "--output-tokens")


def test_cost_bills_the_request_max_tokens(tmp_path, capsys) -> None:
    _, without = run_json(capsys, "cost", "--messages", body_file(tmp_path))
    _, asked = run_json(capsys, "cost", "--messages", body_file(tmp_path, max_tokens=3000))
    assert asked["output_tokens_from"] == "max_tokens"
    # 3,000 completion tokens at $3 per million
    assert Decimal(asked["total_cost"]) - Decimal(without["total_cost"]) == Decimal("0.009")


def test_cost_prints_where_the_reserve_came_from(tmp_path, capsys) -> None:
    assert run_app(["cost", "--messages", body_file(tmp_path, max_tokens=3000)]) == 0
    assert "output (the request's max_tokens)" in capsys.readouterr().out


@pytest.mark.slow
def test_a_body_asking_more_than_the_window_does_not_fit(tmp_path, capsys) -> None:
    code, doc = run_json(capsys, "fit", "--messages", body_file(tmp_path, max_tokens=131_060))
    assert doc["input_tokens"] > 12  # the two messages alone are more than the 12 tokens left
    assert (code, doc["verdict"], doc["output_tokens"]) == (1, "does_not_fit", 131_060)


@pytest.mark.slow
def test_compare_rows_reserve_the_body_max_tokens(tmp_path, capsys) -> None:
    args = ["compare", "--messages", body_file(tmp_path, max_tokens=3000), "--creator", "nousresearch"]
    _, asked = run_json(capsys, *args)
    _, typed = run_json(capsys, *args, "-o", "3000")
    _, none = run_json(capsys, *args[:2], body_file(tmp_path), *args[3:])
    assert asked["models"] == typed["models"]
    hermes = {row["id"]: row for row in asked["models"]}[HERMES]
    hermes_none = {row["id"]: row for row in none["models"]}[HERMES]
    assert hermes["headroom_tokens"] == hermes_none["headroom_tokens"] - 3000
