"""Command-line mistakes (unknown option or command, missing value): exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["cost", "--no-such-option", "x"], "No such option: --no-such-option"),
        (["count", "--nope"], "No such option: --nope"),
        (["fit", "--output-tokens"], "requires an argument"),
        (["bogus"], "No such command 'bogus'"),
    ],
)
def test_command_line_mistakes_exit_2_without_traceback(argv: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "planner", *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert done.stdout == ""
