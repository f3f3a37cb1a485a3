"""Wording a QA pass found wrong: the --turns limit in turns, singular nouns for 1, no negative headroom,
a conversation with no turn that fits answered as such, and what to drop when a price mode has no prices."""

from __future__ import annotations

import json

import pytest

from planner.cli import run_app
from planner.tokens.encoders import get_encoding


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = run_app(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_turns_over_any_number_is_worded_in_turns(capsys) -> None:
    code, out, err = run(capsys, "conversation", "--turns", "99999999999999999999")
    assert (code, out) == (2, "")
    assert (
        err
        == "error: --turns must be a whole number of turns from 1 to 100,000, got '99999999999999999999'\n"
    )
    code, _, err = run(capsys, "conversation", "--turns", "abc")
    assert code == 2 and "tokens" not in err


@pytest.mark.slow
def test_one_token_over_and_no_negative_headroom(capsys) -> None:
    # gpt-4o: a 128,000 window; 1,000 reserved leaves 127,000 for input
    code, out, _ = run(capsys, "fit", "-i", "127001", "-o", "1000", "-m", "gpt-4o", "--no-suggest")
    assert code == 1
    assert "the input is 1 token over the 127,000 input tokens the reserves leave." in out
    headroom = next(line for line in out.splitlines() if "headroom" in line)
    assert headroom.split() == ["headroom", "1", "token", "over"]
    code, out, _ = run(capsys, "fit", "-i", "126999", "-o", "1000", "-m", "gpt-4o")
    assert code == 0 and "fits with 1 token to spare" in out


def test_a_conversation_whose_first_turn_does_not_fit_is_a_does_not_fit(capsys) -> None:
    code, out, _ = run(capsys, "conversation", "--system", "200000")
    assert code == 1  # as fit's does-not-fit
    assert "Only the 0 turns" not in out and "Cumulative cost" not in out
    assert out.splitlines()[1] == (
        "Not even the first turn fits the window: its 200,200 input tokens and the 500 reserved for the "
        "answer are over the 131,072 window. Nothing is costed."
    )
    code, out, _ = run(capsys, "conversation", "--system", "130000", "--turns", "3")
    assert code == 0 and "Only the 1 turn that fits is costed." in out


@pytest.mark.parametrize(
    ("mode", "advice"),
    [
        (["--batch"], "drop --batch (to price it at list prices) or pick another model"),
        (
            ["--service-tier", "flex"],
            "drop --service-tier flex (to price it at standard prices) or pick another model",
        ),
    ],
)
def test_a_price_mode_without_prices_says_to_drop_it(capsys, mode, advice) -> None:
    code, out, err = run(capsys, "cost", "-i", "1k", "-m", "claude-sonnet-4", *mode)
    assert (code, out) == (7, "")
    assert err.startswith("error: the catalog has no ") and err.endswith(f"the cost is unknown - {advice}\n")


def test_count_bytes_are_labelled_as_utf8_text_bytes(tmp_path, capsys) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("hello world\n".encode("utf-16"))  # 26 bytes on disk: a BOM and 2 bytes a character
    assert path.stat().st_size == 26
    code, out, _ = run(capsys, "count", str(path))
    assert code == 0
    utf8 = len(b"hello world\n")  # 12
    assert out.splitlines()[1] == f"2 words, 12 characters, {utf8} bytes of text (UTF-8), 1 line"
    code, out, _ = run(capsys, "count", str(path), "--json")
    assert json.loads(out)["bytes"] == utf8


@pytest.mark.slow
def test_dataset_rows_say_nothing_was_counted_when_every_row_was_skipped(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\n')
    done = subprocess.run(
        [sys.executable, "-m", "planner", "count", str(path), "--field", "text"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 5
    assert done.stderr.splitlines()[-1] == "2 rows skipped; nothing was counted"
    path.write_text('{"text": "hi"}\n{"a": 2}\n')
    done = subprocess.run(
        [sys.executable, "-m", "planner", "count", str(path), "--field", "text"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 5
    lines = done.stdout.splitlines()
    hi = len(get_encoding("llama3").encode_ordinary("hi"))  # 1
    assert lines[0].startswith(f"{hi} token  (llama3") and lines[1] == "1 row of 'text', 1 word, 2 characters"
    assert done.stderr.splitlines()[-1] == "1 row skipped; every other row was counted"
