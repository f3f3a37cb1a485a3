"""The README's quick start and .ci/run must not drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", section, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_quick_start_has_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    # the first installs the app extra (the light install has no Streamlit) and starts the app
    assert '".[app]"' in commands[0] and commands[0].endswith(("planner app", "streamlit run app.py"))
    assert '".[test]"' in commands[1] and "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = quick_start_commands()[1]
    ci_lines = [line.strip() for line in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()]
    assert test_command in ci_lines


def test_readme_documents_every_exit_status() -> None:
    from planner import errors

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    statuses = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    for status in statuses:
        assert re.search(rf"^\| `?{status}`? \|", readme, flags=re.M), f"exit status {status} not in README"


def readme_example_output(command: str) -> list[str]:
    """The lines the README shows under ``$ <command>`` (up to the next ``$`` line or the block's end),
    without a ``...`` line that stands for rows left out."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"$ {command}") + 1
    shown = []
    for line in lines[start:]:
        if line.startswith("$ ") or line.startswith("```"):
            break
        if line.strip() and line.strip() != "...":
            shown.append(" ".join(line.split()))
    return shown


@pytest.mark.parametrize(
    "command", ["planner count tests/corpus/", "planner fit tests/corpus/ --output-tokens 4000"]
)
def test_readme_example_output_is_what_the_command_prints(command: str, capsys, monkeypatch) -> None:
    from planner.cli import run_app

    monkeypatch.chdir(ROOT)
    run_app(command.split()[1:])
    printed = {" ".join(line.split()) for line in capsys.readouterr().out.splitlines()}
    shown = readme_example_output(command)
    assert shown and [line for line in shown if line not in printed] == []
