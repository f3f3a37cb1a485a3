"""Thinking reserves by effort level: each family's documented budget, worked out by hand from its source."""

from __future__ import annotations

import json

import pytest

from planner.advice.reasoning import parse_effort, reasoning_reserve
from planner.catalog import load_catalog
from planner.catalog.schema import Capabilities
from planner.cli import run_app
from planner.errors import LimitError, UsageError
from planner.tokens.families import family_for


def offer(model: str):
    return load_catalog().get(model)


@pytest.mark.parametrize(("effort", "expected"), [("low", 1024), ("medium", 8192), ("high", 24576)])
def test_gemini_budgets(effort, expected):
    assert reasoning_reserve(offer("gemini-2.5-flash"), "gemini", effort).tokens == expected
    # Gemini 2.5 counts with the Gemma 3 vocabulary: its family is gemma3, its thinking budget Gemini's
    assert family_for(offer("gemini-2.5-flash")) == "gemma3"
    assert reasoning_reserve(offer("gemini-2.5-flash"), "gemma3", effort).tokens == expected


def test_openai_reserve_is_the_guide_25000():
    reserve = reasoning_reserve(offer("o3"), "o200k_base", "high")
    assert reserve.tokens == 25_000 and "platform.openai.com/docs/guides/reasoning" in reserve.basis


def test_share_of_max_output_with_bounds():
    sonnet = offer("claude-sonnet-4").model_copy(update={"max_output_tokens": 64_000})
    assert reasoning_reserve(sonnet, "claude", "low").tokens == 12_800  # 20 % of 64,000
    assert reasoning_reserve(sonnet, "claude", "medium").tokens == 32_000  # 50 % = 32,000, the cap
    assert reasoning_reserve(sonnet, "claude", "high").tokens == 32_000  # 80 % = 51,200 -> 32,000
    small = sonnet.model_copy(update={"max_output_tokens": 4_000})
    assert reasoning_reserve(small, "claude", "low").tokens == 1024  # 800 -> the 1,024 floor


def test_not_a_reasoning_model_and_bad_effort():
    plain = offer("gpt-4o").model_copy(update={"capabilities": Capabilities(reasoning=False)})
    with pytest.raises(LimitError):
        reasoning_reserve(plain, "o200k_base", "low")
    with pytest.raises(UsageError):
        parse_effort("extreme")


@pytest.mark.slow
def test_fit_and_cost_use_the_reserve(capsys):
    code = run_app(["fit", "-i", "1000", "-m", "gemini-2.5-flash", "--reasoning-effort", "high", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["reasoning_tokens"] == 24576 and doc["total_tokens"] == 1000 + 24576
    assert "ai.google.dev" in doc["reasoning_basis"]
    run_app(["cost", "-i", "1000", "-m", "gemini-2.5-flash", "--reasoning-effort", "low", "--json"])
    doc = json.loads(capsys.readouterr().out)
    # Gemini 2.5 Flash bills thinking at its reasoning price, $2.50 per million: 1,024 x 0.0000025
    assert doc["reasoning_tokens"] == 1024 and doc["reasoning_cost"] == "0.00256"
    # an explicit --reasoning-tokens wins over the effort level
    run_app(
        ["fit", "-i", "1000", "-m", "gemini-2.5-flash", "-r", "5", "--reasoning-effort", "high", "--json"],
    )
    assert json.loads(capsys.readouterr().out)["reasoning_tokens"] == 5
