"""SECURITY.md names the tests that hold each defence and the limits as the code enforces them."""

from __future__ import annotations

import re
from pathlib import Path

from planner.catalog.schema import MAX_PRICE
from planner.cli.catalog import MAX_RETRIES, MAX_TIMEOUT_SECONDS
from planner.cli.compare import MAX_TABLE_ROWS
from planner.cli.count import MAX_WORKERS
from planner.inputs.folders import MAX_PATTERN_CHARS
from planner.tokens.quantities import MAX_TOKEN_COUNT

ROOT = Path(__file__).resolve().parents[1]
SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")


def test_every_test_file_named_exists() -> None:
    named = set(re.findall(r"`((?:tests|scripts)/[\w/]+\.py)`", SECURITY))
    assert len(named) >= 15
    assert [path for path in sorted(named) if not (ROOT / path).is_file()] == []


def test_the_limits_said_are_the_limits_enforced() -> None:
    flat = " ".join(SECURITY.split())
    assert MAX_TOKEN_COUNT == 10**12 and "`--days` at most 10^12" in flat
    assert f"at most ${MAX_PRICE} per token (${MAX_PRICE * 1_000_000:,} per million" in flat
    assert f"`compare --limit` at most {MAX_TABLE_ROWS:,} rows" in flat
    assert f"`count --workers` 1 to {MAX_WORKERS}" in flat
    assert f"`--timeout` 0.1 to {MAX_TIMEOUT_SECONDS:,} seconds and `--retries` at most {MAX_RETRIES}" in flat
    assert f"a line over {MAX_PATTERN_CHARS:,} characters is refused" in " ".join(flat.split())
