"""planner compare follows the app's default policy (planner.advice.policy): free and preview offers are left
out unless --include-free, and said; a typed --input-tokens is one input line, not one per tokenizer."""

from __future__ import annotations

import json

import pytest

from planner.cli import run_app


def _compare(capsys, *argv: str) -> tuple[int, str, str]:
    code = run_app(["compare", "-i", "100", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
def test_free_and_preview_offers_are_left_out_by_default_and_counted(capsys) -> None:
    code, out, _ = _compare(capsys, "--json")
    default = json.loads(out)
    code_all, out_all, _ = _compare(capsys, "--json", "--include-free")
    every = json.loads(out_all)
    assert code == code_all == 0
    assert [row for row in default["models"] if row["offer_class"] == "free"] == []
    free = [row for row in every["models"] if row["offer_class"] == "free"]
    assert len(free) > 20  # the catalog lists hundreds of free tiers and previews
    assert default["free_left_out"] == len(free) and every["free_left_out"] == 0
    assert len(every["models"]) == len(default["models"]) + len(free)


def test_the_table_starts_with_a_paid_offer_and_says_what_it_left_out(capsys) -> None:
    code, out, _ = _compare(capsys, "--limit", "5")
    assert code == 0
    assert "$0.000000 " not in out  # was ~25 free offers at $0.000000 first
    assert "free or preview offers left out: --include-free lists them." in out


def test_typed_input_tokens_are_one_line_not_one_per_tokenizer(capsys) -> None:
    code, out, _ = _compare(capsys, "--limit", "1")
    assert code == 0
    assert out.count("Input tokens") == 1 and "Input tokens: 100 (every tokenizer)" in out
