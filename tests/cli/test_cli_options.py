"""Small CLI defects (issue 12, items 11 and 14): each checked in a real process where the shell matters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner import __version__
from planner.cli import run_app
from planner.wording import count_of


def planner(*argv: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", *argv], input=stdin, capture_output=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize("value", ["1,0,0", "1,5k", "10,00"])
def test_commas_are_only_thousands_separators(capsys, value):
    assert run_app(["cost", "-i", value, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: --input-tokens must be a whole number") and value in captured.err


def test_thousands_separators_still_read(capsys):
    assert run_app(["cost", "-i", "100,000", "--json"]) == 0
    assert '"input_tokens": 100000' in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["models"], ["count", "BIG"]], ids=["models", "count-folder"])
@pytest.mark.slow
def test_a_closed_pipe_is_not_an_error(tmp_path, argv):
    for number in range(3000):
        (tmp_path / f"file{number:04d}.txt").write_text(f"line {number}\n")
    argv = [str(tmp_path) if part == "BIG" else part for part in argv]
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()  # like `| head -1`
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert error == b""


def test_version(capsys):
    assert run_app(["--version"]) == 0
    assert capsys.readouterr().out == f"planner {__version__}\n"
    result = planner("--version")
    assert (result.returncode, result.stdout.decode()) == (0, f"planner {__version__}\n")


def test_plural_rule():
    assert [count_of(n, "word") for n in (0, 1, 2, 1234)] == ["0 words", "1 word", "2 words", "1,234 words"]
    assert count_of(1, "entry", "entries") == "1 entry" and count_of(3, "entry", "entries") == "3 entries"


@pytest.mark.slow
def test_one_word_one_line_in_count_output(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("hello\n")
    out = planner("count", str(path)).stdout.decode()
    assert "1 word, " in out and "1 line\n" in out and "1 words" not in out and "1 lines" not in out


def test_one_model_in_the_models_table():
    out = planner("models", "--search", "hermes-4-405b", "--provider", "openrouter").stdout.decode()
    assert "1 model " in out and "1 models" not in out


@pytest.mark.slow
def test_fit_warns_about_skipped_files_once(tmp_path):
    (tmp_path / "a.txt").write_text("some text\n")
    os.symlink(tmp_path / "missing", tmp_path / "dangling.txt")
    result = planner("fit", str(tmp_path), "--output-tokens", "131070")  # does not fit: what then
    assert result.returncode == 1 and result.stderr.decode().count("skipped") == 1, result.stderr.decode()


@pytest.mark.parametrize("typed", ["nous research", "NousResearch", "nousresearch"])
@pytest.mark.slow
def test_creator_takes_the_maker_name_or_its_organisation_id(capsys, typed):
    import json

    def ids(creator: str) -> set[str]:
        assert run_app(["compare", "-i", "1000", "--creator", creator, "--json"]) == 0
        return {row["id"] for row in json.loads(capsys.readouterr().out)["models"]}

    named = ids("Nous Research")  # the catalog's own spelling of the maker
    assert "nousresearch/hermes-4-405b" in named
    assert all("hermes" in model_id.lower() or "nous" in model_id.lower() for model_id in named)
    assert ids(typed) == named


def test_compare_with_no_matching_model_says_so(capsys):
    assert run_app(["compare", "-i", "1000", "--creator", "nobody-at-all"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: no catalog model matches these filters")


def test_models_with_no_match_says_so_instead_of_an_empty_table(capsys):
    # it drew an empty table titled "0 models" with its column heads, and said nothing of what to do
    assert run_app(["models", "--search", "zzzzqqq"]) == 0  # a search with no hits is an answer, not an error
    captured = capsys.readouterr()
    assert "┏" not in captured.out and "id" not in captured.out
    assert captured.err.startswith("note: no catalog model matches --search 'zzzzqqq'")
    assert run_app(["models", "--search", "zzzzqqq", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"


TEXT = "Does this prompt fit the window, and what does it cost?"


def llama3_tokens(text: str) -> int:
    from llama_models.llama3.tokenizer import Tokenizer

    return len(Tokenizer.get_instance().model.encode(text, allowed_special=set(), disallowed_special=()))


def test_text_is_an_input_of_every_command_that_takes_one(capsys):
    # `planner count --text` existed, `planner fit --text` was "No such option"; the MCP tools take text too
    import json
    from decimal import Decimal

    expected = llama3_tokens(TEXT)  # Meta's own Llama 3 tokenizer, not planner's engine
    assert run_app(["fit", "--text", TEXT, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["input_tokens"] == expected
    assert run_app(["cost", "--text", TEXT, "-o", "0", "--json"]) == 0
    cost = json.loads(capsys.readouterr().out)
    assert Decimal(cost["total_cost"]) == expected * Decimal("0.000001")  # Hermes 4 405B: $1 per million
    for command in (["compare", "--limit", "1"], ["hosts", "hermes-4-405b"], ["model", "hermes-4-405b"]):
        assert run_app([*command, "--text", TEXT, "--json"]) == 0, command
        capsys.readouterr()
    assert run_app(["fit", "notes.md", "--text", TEXT]) == 2  # one input: PATHs or --text
    assert "--text" in capsys.readouterr().err
    assert run_app(["cost", "--input-tokens", "5", "--text", TEXT]) == 2


def _text_of_80k_tokens() -> str:
    line = "The quarterly report names the new offices in Lyon, Porto and Osaka, and their costs.\n"
    return line * 4_000  # ~80,000 tokens in cl100k_base


@pytest.mark.slow
def test_fit_on_a_named_pipe_judges_the_suggestions_on_the_piped_text(tmp_path) -> None:
    """A pipe named as a path (a FIFO; `<(cmd)` is /dev/fd/N) is read once: fit's suggestions, which count
    the input in other families, read it again and found it empty (a 256-token model was suggested for
    ~80,000 tokens), and the suggestions' counter blocked opening the FIFO a second time. The answer is
    standard input's for the same text."""
    import json
    import threading

    from planner.tokens.encoders import get_encoding  # tiktoken over the verified rank file

    text = _text_of_80k_tokens()
    fifo = tmp_path / "piped"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w", encoding="utf-8") as handle:
            handle.write(text)

    writer = threading.Thread(target=write)
    writer.start()
    piped = planner("fit", str(fifo), "--model", "gpt-4-0613", "--json")
    writer.join()
    stdin = planner("fit", "-", "--model", "gpt-4-0613", "--json", stdin=text.encode("utf-8"))
    assert piped.returncode == stdin.returncode == 1, piped.stderr  # does not fit gpt-4's 8,192 tokens
    piped_doc, stdin_doc = json.loads(piped.stdout), json.loads(stdin.stdout)
    assert piped_doc["input_tokens"] == len(get_encoding("cl100k_base").encode_ordinary(text))
    assert piped_doc["alternatives"] == stdin_doc["alternatives"]
    smallest = piped_doc["alternatives"]["smallest_window"]
    assert smallest["context_window"] >= 0.75 * piped_doc["input_tokens"]  # no tokenizer needs 25 % fewer
