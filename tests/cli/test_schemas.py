"""`planner schema COMMAND` prints a JSON Schema that each command's real `--json` output validates against;
the published copies in docs/schemas are what the command prints today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from planner.cli import run_app
from planner.cli.schema import SCHEMAS, json_schema

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
PUBLISHED = ROOT / "docs" / "schemas"
USAGE = ROOT / "tests" / "fixtures" / "usage"
BATCH = ROOT / "tests" / "fixtures" / "batch" / "openai_20.jsonl"


def run_json(capsys, args: list[str]) -> object:
    code = run_app(args)
    out = capsys.readouterr().out
    assert code in (0, 1, 5), (code, args)  # 1: fit's does not fit; 5: rows skipped (a document all the same)
    return json.loads(out)


def validator(command: str) -> Draft202012Validator:
    schema = json_schema(command)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def write_rows(tmp_path: Path) -> Path:
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "one two three"}\n{"text": "four"}\n{"other": 1}\n', encoding="utf-8")
    return rows


CASES = [
    ("count", [str(CORPUS)]),
    ("count", ["--text", "How many tokens is this?", "-m", "anthropic/claude-sonnet-4"]),
    ("fit", [str(CORPUS), "-o", "4000"]),
    ("fit", ["--input-tokens", "300k", "-o", "1000"]),  # does not fit: drop plan and alternatives
    ("fit", [str(CORPUS), "-m", "gemini-2.5-flash", "--reasoning-effort", "high"]),
    ("cost", ["--input-tokens", "100k", "-o", "2k", "--per-day", "1000"]),
    (
        "cost",
        [
            str(CORPUS / "prose_de.txt"),
            "-m",
            "openai/gpt-4o",
            "--cached-tokens",
            "1000",
            "--provider",
            "openai",
        ],
    ),
    ("compare", ["--input-tokens", "150k", "--provider", "openai"]),
    ("model", ["nousresearch/hermes-4-405b"]),
    ("model", ["hermes-4-405b", "--compare-with", "gpt-4o", "--compare-provider", "openai", "-i", "50k"]),
    ("models", ["--search", "hermes"]),
    ("conversation", ["--system", "2k", "--user", "500", "--answer", "1k", "--turns", "10"]),
    ("spend", [str(USAGE / "otel_genai_spans.json"), "--as", "gpt-4o", "--provider", "openai"]),
    ("hosts", ["nousresearch/hermes-4-405b", "-i", "100k", "-o", "2k"]),
    ("batch", [str(BATCH)]),
    ("batch", [str(BATCH), "--model", "gpt-4o"]),  # with the switch document
    ("catalog-info", []),
    ("catalog-history", ["gpt-4o", "--provider", "openai"]),
]


@pytest.mark.parametrize(("command", "args"), CASES, ids=[f"{c} {' '.join(a)[-40:]}" for c, a in CASES])
@pytest.mark.slow
def test_real_output_validates_against_its_schema(command, args, capsys) -> None:
    document = run_json(capsys, [*command.split("-", 1), *args, "--json"])
    validator(command).validate(document)


def test_dataset_rows_validate_against_the_count_schema(tmp_path, capsys) -> None:
    rows = write_rows(tmp_path)
    document = run_app(["count", str(rows), "--field", "text", "--json"])
    assert document == 5  # the row without the field is skipped, and said
    parsed = json.loads(capsys.readouterr().out)
    assert parsed["rows"] == 2
    validator("count").validate(parsed)


@pytest.mark.slow
def test_the_schema_refuses_a_missing_key_a_stray_key_and_a_float_price(capsys) -> None:
    """The schemas are strict enough to catch drift: each of these mutations of a real document fails."""
    document = run_json(capsys, ["fit", str(CORPUS), "--json"])
    check = validator("fit")
    check.validate(document)
    for broken in (
        {k: v for k, v in document.items() if k != "verdict"},
        {**document, "surprise": 1},
        {**document, "verdict": "maybe"},
    ):
        with pytest.raises(ValidationError):
            check.validate(broken)
    cost = run_json(capsys, ["cost", "-i", "100k", "-o", "2k", "--json"])
    assert cost["total_cost"] == "0.106"  # 100,000 x $1/M + 2,000 x $3/M, by hand
    with pytest.raises(ValidationError):
        validator("cost").validate({**cost, "total_cost": 0.106})  # money is a decimal string, never a float


def test_schema_command_prints_the_schema_and_refuses_an_unknown_command(capsys) -> None:
    assert run_app(["schema", "fit"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_schema("fit")
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"model", "verdict", "fits", "headroom_tokens", "chunks_needed"} <= set(printed["required"])
    assert "alternatives" not in printed["required"]  # present only when the input does not fit
    assert run_app(["schema", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no JSON schema for 'nope'; commands with one: count, fit")


@pytest.mark.parametrize("command", list(SCHEMAS))
def test_published_schema_is_what_the_command_prints(command) -> None:
    """docs/schemas/COMMAND.schema.json (linked from the README) is today's schema; a model that gains a
    key regenerates them all with `python scripts/build_schemas.py`."""
    published = json.loads((PUBLISHED / f"{command}.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(command), f"run python scripts/build_schemas.py ({command})"
