"""`planner count`: the JSON contract, human output, exit statuses, with values checked independently."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli._app import run_app
from planner.errors import EXIT_INPUT, EXIT_SOME_SKIPPED, EXIT_UNKNOWN_MODEL, EXIT_USAGE
from planner.tokens.encoders import get_encoding

CONTRACT_KEYS = {
    "model",
    "tokenizer",
    "method",
    "tokens",
    "tokens_low",
    "tokens_high",
    "words",
    "chars",
    "files",
}
EXTRA_KEYS = {"bytes", "lines", "by_extension", "skipped_count"}


class _Stdin:
    def __init__(self, data: bytes, tty: bool = False) -> None:
        self.buffer = io.BytesIO(data)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def run(capsys, monkeypatch, *argv: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", _Stdin(stdin or b"", tty=stdin is None))
    code = run_app(["count", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def llama3(text: str) -> int:
    return len(get_encoding("llama3").encode_ordinary(text))


def test_json_contract_on_a_file(tmp_path, capsys, monkeypatch) -> None:
    text = "Hermes 4 counts with the Llama 3 tokenizer.\nSecond line.\n"
    path = tmp_path / "note.txt"
    path.write_text(text)
    code, out, err = run(capsys, monkeypatch, str(path), "--json")
    document = json.loads(out)
    assert code == 0 and err == ""
    assert set(document) >= CONTRACT_KEYS | EXTRA_KEYS
    assert document["model"] == "nousresearch/hermes-4-405b"
    assert (document["tokenizer"], document["method"]) == ("llama3", "exact")
    assert document["tokens"] == document["tokens_low"] == document["tokens_high"] == llama3(text)
    assert (document["words"], document["chars"], document["bytes"], document["lines"]) == (
        10,
        len(text),
        len(text),
        2,
    )
    assert document["files"] == [
        {
            "path": str(path),
            "kind": "text",
            "tokens": llama3(text),
            "words": 10,
            "chars": len(text),
            "skipped": None,
            "warnings": [],
        }
    ]
    assert document["by_extension"][".txt"]["tokens"] == llama3(text)
    assert document["skipped_count"] == 0


def test_estimate_for_a_claude_model_has_a_band(tmp_path, capsys, monkeypatch) -> None:
    path = tmp_path / "note.txt"
    path.write_text("A short English sentence for an estimate.\n")
    code, out, _ = run(capsys, monkeypatch, str(path), "--json", "--model", "anthropic/claude-sonnet-4")
    document = json.loads(out)
    assert code == 0
    assert (document["tokenizer"], document["method"]) == ("claude", "estimate")
    assert document["tokens_low"] < document["tokens_high"]
    assert document["tokens_low"] <= document["tokens"] <= document["tokens_high"]


def test_folder_with_skipped_file_exits_5_and_counts_the_rest(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "a.py").write_text("print('a')\n")
    (tmp_path / "b.md").write_text("# B\n")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    code, out, err = run(capsys, monkeypatch, str(tmp_path), "--json")
    document = json.loads(out)
    assert code == EXIT_SOME_SKIPPED
    assert document["tokens"] == llama3("print('a')\n") + llama3("# B\n")
    skipped = {Path(row["path"]).name: row["skipped"] for row in document["files"]}
    assert skipped == {"a.py": None, "b.md": None, "blob.bin": "binary file"}
    assert document["skipped_count"] == 1
    assert err == ""  # --json: nothing but the document (no progress bar, no notes)


def test_human_output_summary_table_and_skip_lines(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "a.py").write_text("print('a')\n")
    (tmp_path / "nul.txt").write_bytes(b"text with a NUL\x00 byte in it, " * 20)
    code, out, err = run(capsys, monkeypatch, str(tmp_path))
    assert code == EXIT_SOME_SKIPPED
    expected = llama3("print('a')\n")
    assert out.splitlines()[0] == f"{expected} tokens  (llama3, exact for nousresearch/hermes-4-405b)"
    assert "a.py" in out and "file" in out and "tokens" in out
    assert f"skipped: {tmp_path / 'nul.txt'}: NUL bytes in text (20, first at byte 15)" in err


def test_invalid_utf8_is_counted_flagged_and_exits_5(tmp_path, capsys, monkeypatch) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("café ".encode() + b"\xff" + b" ok\n")
    code, out, err = run(capsys, monkeypatch, str(path))
    assert code == EXIT_SOME_SKIPPED
    expected = llama3("café \ufffd ok\n")
    assert out.startswith(f"{expected} tokens")
    assert "invalid UTF-8: 1 byte replaced with U+FFFD" in err
    assert "Traceback" not in err


def test_stdin_and_dash(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "--json", stdin=b"Piped text.\n")
    assert code == 0 and json.loads(out)["tokens"] == llama3("Piped text.\n")
    code, out, _ = run(capsys, monkeypatch, "-", "--json", stdin=b"Piped text.\n")
    assert json.loads(out)["files"][0]["path"] == "<stdin>"


def test_no_input_on_a_terminal_is_a_usage_error(capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err.startswith("error: no input") and err.count("\n") == 1


def test_missing_path_exits_3_with_one_line(tmp_path, capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, str(tmp_path / "nope.txt"))
    assert code == EXIT_INPUT and out == ""
    assert err == f"error: no such file or folder: {tmp_path / 'nope.txt'}\n"


def test_directory_where_a_file_is_needed_exits_3(tmp_path, capsys, monkeypatch) -> None:
    code, _, err = run(capsys, monkeypatch, str(tmp_path), "--messages")
    assert code == EXIT_INPUT
    assert err.startswith("error: ") and "folder" in err and err.count("\n") == 1


def test_unknown_model_exits_4_with_suggestions(tmp_path, capsys, monkeypatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x\n")
    code, out, err = run(capsys, monkeypatch, str(path), "--model", "zzzz-no-such-model-qqqq")
    assert code == EXIT_UNKNOWN_MODEL and out == ""
    assert err.startswith("error: unknown model 'zzzz-no-such-model-qqqq'") and err.count("\n") == 1


def test_messages_json(tmp_path, capsys, monkeypatch) -> None:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps([{"role": "user", "content": "Hello!"}]))
    code, out, _ = run(capsys, monkeypatch, str(path), "--messages", "--json")
    document = json.loads(out)
    # Hermes 4 (ChatML): <|begin_of_text|><|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n
    assert code == 0 and document["is_messages"] is True
    assert document["tokens"] == 4 + llama3("user\nHello!") + llama3("\n") + llama3("assistant\n")


def test_include_exclude_and_raw_markup(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "keep.html").write_text("<p>Hi <b>there</b></p>")
    (tmp_path / "drop.txt").write_text("dropped\n")
    code, out, _ = run(capsys, monkeypatch, str(tmp_path), "--include", "*.html", "--json")
    assert json.loads(out)["tokens"] == llama3("Hi there")
    code, out, _ = run(capsys, monkeypatch, str(tmp_path), "--exclude", "*.txt", "--raw-markup", "--json")
    assert json.loads(out)["tokens"] == llama3("<p>Hi <b>there</b></p>")


@pytest.mark.slow
def test_console_entry_point_on_a_one_line_file(tmp_path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("One line.\n")
    result = subprocess.run(
        [sys.executable, "-m", "planner", "count", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tokens"] == llama3("One line.\n")


@pytest.mark.parametrize("flag", ["--help"])
def test_help_has_examples(capsys, monkeypatch, flag: str) -> None:
    code, out, _ = run(capsys, monkeypatch, flag)
    assert code == 0 and "planner count README.md" in out and "--messages" in out


def test_human_table_shows_the_largest_files_of_a_big_folder(tmp_path, capsys, monkeypatch) -> None:
    for index in range(40):
        (tmp_path / f"f{index:02}.txt").write_text("word " * (index + 1) + "\n")
    code, out, _ = run(capsys, monkeypatch, str(tmp_path))
    assert code == 0
    assert str(tmp_path / "f39.txt") in out and str(tmp_path / "f00.txt") not in out
    assert "... and 15 more files (the largest are shown; --json lists all)" in out


def test_same_file_given_twice_is_counted_once_with_a_warning(tmp_path, capsys, monkeypatch) -> None:
    text = "Only once.\n"
    (tmp_path / "special.txt").write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, monkeypatch, "special.txt", "./special.txt", str(tmp_path / "special.txt"))
    assert code == 0
    assert out.startswith(f"{llama3(text)} tokens")
    assert err.splitlines() == [
        "warning: ./special.txt: same file as special.txt; counted once",
        f"warning: {tmp_path / 'special.txt'}: same file as special.txt; counted once",
    ]
    code, out, _ = run(capsys, monkeypatch, ".", "special.txt", "--json")
    document = json.loads(out)
    assert document["tokens"] == llama3(text) and len(document["files"]) == 1
    assert document["duplicates"] == [{"path": "special.txt", "same_as": "./special.txt"}]


def test_process_substitution_is_read_as_a_stream(tmp_path) -> None:
    result = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m planner count --json <(echo hello there)"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["tokens"] == llama3("hello there\n")
    assert document["files"][0]["kind"] == "stream" and document["files"][0]["skipped"] is None


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["--include", "*.foo"],
            EXIT_INPUT,
            "error: nothing to count: no file matched in {root} with --include '*.foo'",
        ),
        (["--include", "["], EXIT_USAGE, "error: invalid glob '[': '[' is never closed"),
    ],
)
def test_nothing_matched_and_invalid_globs_are_errors(
    tmp_path, capsys, monkeypatch, argv, code, message
) -> None:
    (tmp_path / "a.txt").write_text("text\n")
    got, out, err = run(capsys, monkeypatch, str(tmp_path), *argv)
    assert got == code and out == ""
    assert err.startswith(message.format(root=tmp_path)) and err.count("\n") == 1


def test_folders_left_out_by_default_are_said(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text("text\n")
    for folder in ("pkg/__pycache__", "lib/__pycache__", ".git"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "x.pyc").write_bytes(b"x")
    code, out, err = run(capsys, monkeypatch, str(tmp_path))
    assert code == 0
    note = "1 .git folder, 2 __pycache__ folders (name a folder as a path to count it)"
    note = f"note: left out by default: {note}"
    assert note in err.splitlines()
    code, out, err = run(capsys, monkeypatch, str(tmp_path), "--json")
    left_out = json.loads(out)["left_out"]
    assert code == 0 and [entry["path"] for entry in left_out] == [
        str(tmp_path / ".git"),
        str(tmp_path / "lib" / "__pycache__"),
        str(tmp_path / "pkg" / "__pycache__"),
    ]
    assert left_out[1]["reason"] == (
        "folder left out by default: __pycache__ (Python bytecode); name it as a path to count it"
    )


@pytest.mark.parametrize("command", ["fit", "cost"])
def test_fit_and_cost_say_the_folders_left_out_too(tmp_path, capsys, monkeypatch, command) -> None:
    (tmp_path / "a.txt").write_text("text\n")
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "pkg" / "__pycache__" / "x.pyc").write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    assert run_app([command, str(tmp_path), "--json"]) == 0
    err = capsys.readouterr().err.splitlines()
    note = "note: left out by default: 1 __pycache__ folder (name a folder as a path to count it)"
    assert err.count(note) == 1


def test_an_empty_folder_is_an_input_error(tmp_path, capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, str(tmp_path))
    assert code == EXIT_INPUT and out == ""
    assert err.startswith(f"error: nothing to count: no file matched in {tmp_path}") and err.count("\n") == 1


@pytest.mark.slow
def test_model_shown_is_the_resolved_catalog_id(tmp_path, capsys, monkeypatch) -> None:
    from planner.catalog import load_catalog

    offer = load_catalog().get("hermes")
    assert offer.id != "hermes"
    path = tmp_path / "note.txt"
    path.write_text("Which Hermes?\n")
    code, out, err = run(capsys, monkeypatch, str(path), "--model", "hermes", "--json")
    document = json.loads(out)
    assert code == 0 and err == ""
    assert (document["model"], document["provider"]) == (offer.id, offer.provider)
    code, out, err = run(capsys, monkeypatch, str(path), "--model", "hermes")
    assert f"exact for {offer.id} on {offer.provider})" in out.splitlines()[0] and "hermes)" not in out
    assert err == f"note: 'hermes' is {offer.id} ({offer.provider}); use the full id to choose another\n"
    code, out, err = run(capsys, monkeypatch, str(path), "--model", offer.id)
    assert out.splitlines()[0].endswith(f"exact for {offer.id})") and err == ""


@pytest.mark.slow
def test_broken_pdf_is_one_skip_line_without_pypdf_log_lines(tmp_path) -> None:
    # a real process: pytest's log capture would hide pypdf's lines from capsys
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n")
    result = subprocess.run(
        [sys.executable, "-m", "planner", "count", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == EXIT_SOME_SKIPPED
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"skipped: {path}: corrupt PDF") and "EOF marker" not in result.stderr
    assert lines[1:] == ["1 file skipped; nothing was counted"]


@pytest.mark.parametrize("text", ["Hermes 4 counts this string.", "hello 世界 <|eot_id|> \ud800", "   \t\n"])
def test_text_option_counts_the_string_given(text, capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "--text", text, "--json")
    document = json.loads(out)
    assert code == 0 and err == ""
    assert set(document) >= CONTRACT_KEYS
    assert (document["method"], document["tokens"]) == ("exact", llama3(text.replace("\ud800", "\ufffd")))
    assert document["chars"] == len(text)
    assert [row["path"] for row in document["files"]] == ["<text>"]


def test_text_option_with_a_path_is_a_usage_error(tmp_path, capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "--text", "hi", str(tmp_path))
    assert code == EXIT_USAGE and out == ""
    assert err.startswith("error: --text counts the string it is given")


def test_file_names_with_control_characters_are_printed_escaped(tmp_path, capsys) -> None:
    # A name with an escape sequence retitled the terminal; a newline broke the table. --json keeps them.
    hostile = ["a\x1b]0;pwned\x07b.txt", "line\nbreak.txt", "c\x9bd\u2028e.txt"]
    for name in hostile:
        (tmp_path / name).write_text("hello\n")
    assert run_app(["count", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for char in "\x1b\x07\x9b\u2028":
        assert char not in out
    assert "a\\x1b]0;pwned\\x07b.txt" in out and "line\\nbreak.txt" in out and "c\\x9bd\\u2028e.txt" in out
    assert len(out.splitlines()) == 3 + 1 + 3  # headline, sizes, blank, header, one line per file
    assert run_app(["count", str(tmp_path), "--json"]) == 0
    paths = [row["path"] for row in json.loads(capsys.readouterr().out)["files"]]
    assert sorted(Path(path).name for path in paths) == sorted(hostile)
