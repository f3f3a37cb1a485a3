"""When every input given is skipped, a command that answers on the input says so and exits 5 (as `count`
does for skipped files), instead of answering on 0 tokens; input only partly skipped is still answered."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from planner.cli import run_app
from planner.errors import EXIT_SOME_SKIPPED
from planner.tokens.encoders import get_encoding

BLOB = bytes(range(256)) * 4  # NUL bytes and control characters: "binary file"


def llama3(text: str) -> int:
    return len(get_encoding("llama3").encode_ordinary(text))


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "fake.pdf").write_text("hello, not a PDF\n")
    (tmp_path / "bad.json").write_text('[{"role":\n')
    (tmp_path / "onlybin").mkdir()
    (tmp_path / "onlybin" / "x.bin").write_bytes(BLOB)
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "a.bin").write_bytes(BLOB)
    (tmp_path / "two" / "b.bin").write_bytes(BLOB)
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["fit", "{d}/fake.pdf"], "{d}/fake.pdf: corrupt PDF"),
        (["fit", "--messages", "{d}/bad.json"], "{d}/bad.json: not chat messages: invalid JSON"),
        (["fit", "{d}/onlybin"], "{d}/onlybin/x.bin: binary file)"),
        (["cost", "--messages", "{d}/bad.json"], "{d}/bad.json: not chat messages: invalid JSON"),
        (["compare", "{d}/onlybin"], "{d}/onlybin/x.bin: binary file)"),
        (["hosts", "gpt-4o", "{d}/onlybin"], "{d}/onlybin/x.bin: binary file)"),
        (["model", "gpt-4o", "{d}/onlybin"], "{d}/onlybin/x.bin: binary file)"),
    ],
)
def test_every_input_skipped_is_one_error_and_exit_5(inputs, capsys, argv, reason) -> None:
    code = run_app([arg.format(d=inputs) for arg in argv])
    captured = capsys.readouterr()
    assert code == EXIT_SOME_SKIPPED == 5
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: nothing was counted: 1 file skipped (")
    assert reason.format(d=inputs) in lines[0]


def test_the_error_counts_every_skip_and_names_the_first(inputs, capsys) -> None:
    code = run_app(["fit", str(inputs / "two")])
    err = capsys.readouterr().err
    assert code == 5
    assert err == (
        f"error: nothing was counted: 2 files skipped (the first, {inputs / 'two' / 'a.bin'}: binary file); "
        "`planner count` lists every reason\n"
    )


def test_partly_skipped_input_is_answered_on_the_rest_with_a_warning(inputs, capsys) -> None:
    (inputs / "two" / "c.txt").write_text("hello world\n")
    code = run_app(["fit", str(inputs / "two"), "--json"])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["input_tokens"] == llama3("hello world\n")
    assert captured.err == "warning: 2 files skipped; `planner count --json` says why\n"


@pytest.mark.slow
def test_count_says_nothing_was_counted_when_nothing_was(inputs) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "count", str(inputs / "onlybin")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 5
    assert done.stderr.splitlines() == [
        f"skipped: {inputs / 'onlybin' / 'x.bin'}: binary file",
        "1 file skipped; nothing was counted",
    ]


def test_conversation_file_that_count_would_skip_exits_5(inputs, capsys) -> None:
    blob = inputs / "onlybin" / "x.bin"
    code = run_app(["conversation", "--system", str(blob)])
    assert code == 5
    assert capsys.readouterr().err == f"error: cannot read --system {blob}: binary file\n"
