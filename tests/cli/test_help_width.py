"""Every `--help` example stays whole at 80 columns: a command wrapped mid-line cannot be copied and run."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

COMMANDS = ["count", "fit", "cost", "batch", "compare", "model", "hosts", "conversation", "models"]
EXAMPLE = re.compile(r"^\s+((?:planner|cat|echo) .*)$")


def _help(command: str) -> str:
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-m", "planner", command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_example_is_one_line_at_80_columns(command: str) -> None:
    lines = _help(command).splitlines()
    examples = [match.group(1) for line in lines if (match := EXAMPLE.match(line))]
    assert examples, f"planner {command} --help shows no example"
    for index, line in enumerate(lines):
        if EXAMPLE.match(line) and not line.endswith("\\"):  # "\\": continued on the next line, on purpose
            following = lines[index + 1] if index + 1 < len(lines) else ""
            # the next line is blank, another example or a comment: never the rest of this one
            assert not following.strip() or EXAMPLE.match(following) or following.strip().startswith("#"), (
                f"{command}: example wrapped at 80 columns: {line.strip()!r} / {following.strip()!r}"
            )
