"""`planner fit` as a process of its own (planner.cli.main: ONE_SHOT) releases its model's encoder once the
input is counted, for its peak memory (issue 21: fit within 1.3x of count's): the answer is the same as
the one a program that keeps its encoders gets, and an encoder released is built again on its next use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from planner.cli import _app, run_app
from planner.tokens import encoders
from planner.tokens.counts import exact_token_count


def test_a_released_encoder_is_built_again_and_counts_the_same() -> None:
    text = "The quarterly report lists revenue, costs and the outlook for each region. " * 50
    before = exact_token_count(text, "llama3")
    built = encoders.get_encoder("llama3")
    encoders.release_encoders()
    assert "llama3" not in encoders._encoders
    assert exact_token_count(text, "llama3") == before
    assert encoders.get_encoder("llama3") is not built


def test_fit_in_its_own_process_answers_as_in_a_program(tmp_path, capsys) -> None:
    sentence = "The quarterly report lists revenue, costs and the outlook for each region. "
    for index in range(12):  # ~3,000-7,000 tokens each: far over gpt-4-0613's 8K window, so suggestions
        (tmp_path / f"part_{index:02d}.txt").write_text(sentence * (200 + 25 * index), encoding="utf-8")
    args = ["fit", str(tmp_path), "--model", "gpt-4-0613", "--json"]
    assert _app.ONE_SHOT is False  # in-process: the encoders are kept
    assert run_app(args) == 1
    kept = json.loads(capsys.readouterr().out)
    env = {**os.environ, "PLANNER_CACHE_DIR": str(tmp_path / "cache")}
    child = subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert child.returncode == 1, child.stderr
    assert json.loads(child.stdout) == kept
    assert kept["alternatives"]["smallest_window"] is not None  # the suggestions were looked for
