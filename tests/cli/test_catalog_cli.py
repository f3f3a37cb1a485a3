"""`planner models` and `planner catalog info` on the shipped catalog: JSON contract, money, tables."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from planner.catalog import store
from planner.cli import run_app

REPO = Path(__file__).resolve().parents[2]
HERMES = "nousresearch/hermes-4-405b"
RECORD_KEYS = {
    "id",
    "name",
    "provider",
    "creator",
    "context_window",
    "max_output_tokens",
    "tokenizer",
    "release_date",
    "pricing",
    "capabilities",
    "source",
    "as_of",
}
PRICE_KEYS = {"input", "output", "cache_read", "cache_write", "reasoning", "batch_input", "batch_output"}


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PLANNER_MODELS_FILE", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich tables unwrapped in captured output
    store.clear_catalog_cache()
    yield
    store.clear_catalog_cache()


def run_json(capsys, argv: list[str]):
    code = run_app(argv)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out, parse_float=Decimal)


def _assert_money(value) -> None:
    if value is None:
        return
    assert isinstance(value, str), f"money must be a decimal string, got {value!r}"
    assert str(Decimal(value)) == value or format(Decimal(value), "f") == value


@pytest.mark.slow
def test_models_json_lists_2000_plus_chat_models_with_money_as_strings(capsys):
    records = run_json(capsys, ["models", "--json"])
    chat = [r for r in records if r["mode"] in ("chat", "completion")]
    assert len(chat) >= 2_000
    for record in records:
        assert set(record) >= RECORD_KEYS
        assert set(record["pricing"]) >= PRICE_KEYS
        for key, value in record["pricing"].items():
            if key == "tiers":
                for tier in value:
                    for price in (tier["input"], tier["output"], tier["cache_read"], tier["cache_write"]):
                        _assert_money(price)
            else:
                _assert_money(value)


def test_models_json_hermes_record(capsys):
    records = run_json(capsys, ["models", "--json", "--search", "hermes-4-405b", "--provider", "openrouter"])
    record = records[0]
    assert record["id"] == HERMES and record["name"] == "Nous: Hermes 4 405B"
    assert record["creator"] == "Nous Research" and record["provider"] == "openrouter"
    assert record["context_window"] == 131_072 and record["max_output_tokens"] is None
    assert record["pricing"]["input"] == "0.000001" and record["pricing"]["output"] == "0.000003"
    # genai-prices 0.2.5 (fresher than the OpenRouter file): cache reads at $0.2 per million from 2026-11-03
    assert record["pricing"]["cache_read"] == "0.0000002" and record["as_of"] == "2026-11-19"
    assert record["release_date"] == "2025-08-26" and record["knowledge_cutoff"] == "2024-08-31"
    assert record["capabilities"]["reasoning"] is True and record["capabilities"]["tool_use"] is False
    assert record["tokenizer"] == "llama3"


@pytest.mark.slow
def test_models_filters_on_the_command_line(capsys):
    records = run_json(
        capsys,
        [
            "models",
            "--json",
            "--capability",
            "vision",
            "--capability",
            "tool_use",
            "--min-context",
            "1000000",
        ],
    )
    assert records
    for record in records:
        assert record["capabilities"]["vision"] is True and record["capabilities"]["tool_use"] is True
        assert record["context_window"] >= 1_000_000
    cheap = run_json(capsys, ["models", "--json", "--provider", "openrouter", "--max-input-price", "0.1"])
    assert cheap and all(Decimal(r["pricing"]["input"]) <= Decimal("0.0000001") for r in cheap)


@pytest.mark.slow
def test_models_table_is_limited_with_a_more_line(capsys):
    assert run_app(["models", "--provider", "openrouter"]) == 0
    out = capsys.readouterr().out
    assert "more (use --all" in out
    assert run_app(["models", "--search", "titan text express"]) == 0
    out = capsys.readouterr().out
    assert "Titan Text Express" in out and "42,000 input" in out and "more (use" not in out


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "narrow-terminal"])
@pytest.mark.slow
def test_models_table_never_wraps_ids_and_formats_prices_alike(capsys, monkeypatch, terminal):
    monkeypatch.setenv("COLUMNS", "60")  # narrower than the table
    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")  # rich treats the output as a terminal
    assert run_app(["models", "--search", "hermes 4"]) == 0
    out = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)
    rows: dict[str, str] = {}
    for line in out.splitlines():
        if line.count("│") == 7:
            rows.setdefault(line.split("│")[1].strip(), line)  # the first (canonical) host of an id
    assert HERMES in rows and "NousResearch/hermes-4-405b:thinking" in rows
    cells = [cell.strip() for cell in rows[HERMES].split("│")[3:7]]
    assert cells == ["openrouter", "131,072", "$1.00", "$3.00"]
    assert [c.strip() for c in rows["nousresearch/hermes-4-70b"].split("│")[5:7]] == ["$0.13", "$0.40"]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["models", "--capability", "telepathy"], 2, "unknown capability 'telepathy'"),
        (["compare", "-i", "1k", "--capability", "telepathy"], 2, "unknown capability 'telepathy'"),
        (["models", "--max-input-price", "cheap"], 2, "--max-input-price expects a number"),
        (["models", "--models-file", "/nonexistent/models.toml"], 6, "cannot be read"),
    ],
)
@pytest.mark.slow
def test_models_errors_are_one_line(capsys, argv, code, message):
    assert run_app(argv) == code
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "example"),
    [
        (["models", "--help"], 'planner models --search "hermes 405"'),
        (["catalog", "info", "--help"], "planner catalog info --json | jq .as_of"),
        (["catalog", "refresh", "--help"], "planner catalog refresh --timeout 10 --retries 0"),
    ],
)
def test_help_shows_examples_one_per_line(capsys, argv, example):
    assert run_app(argv) == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    examples = lines[lines.index("Examples:") + 1 :]
    examples = examples[: examples.index("")]
    assert example in examples and len(examples) >= 3
    assert all(line.startswith(("planner ", "PLANNER_")) for line in examples)


@pytest.mark.slow
def test_catalog_info_json_and_table(capsys):
    info = run_json(capsys, ["catalog", "info", "--json"])
    assert info["as_of"] == "2026-11-20" and info["origin"] == "shipped"
    assert {s["name"] for s in info["sources"]} == {"openrouter", "models.dev", "litellm", "genai-prices"}
    # data/SOURCES.md: the wheels' upload dates on PyPI
    pinned = {(s["file"], s["as_of"]) for s in info["sources"]}
    assert {("litellm-1.110.2.json", "2026-11-20"), ("genai-prices-0.2.5.json", "2026-11-19")} <= pinned
    assert info["model_count"] == len(store.load_catalog().offers) > 2_000
    assert run_app(["catalog", "info"]) == 0
    out = capsys.readouterr().out
    assert "as of: 2026-11-20" in out and "openrouter-models-2026-08-19.json" in out


@pytest.mark.slow
def test_models_json_through_a_real_process():
    done = subprocess.run(
        [sys.executable, "-m", "planner", "models", "--json", "--search", "claude instant"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    records = json.loads(done.stdout)
    assert any(r["id"] == "anthropic.claude-instant-v1" and r["context_window"] == 100_000 for r in records)
