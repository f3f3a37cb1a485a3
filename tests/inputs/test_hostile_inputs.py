"""Hostile files and folders (issue 12, items 3, 4, 11, 12): each is counted right or skipped with its own
reason, never a traceback, and the rest of the scan is still done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.inputs import count_inputs
from planner.inputs.html_text import html_visible_text
from planner.inputs.readers import decode_bytes
from planner.tokens.encoders import get_encoding

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "inputs"))
from builders import make_pdf  # noqa: E402


def tokens(text: str) -> int:
    return len(get_encoding("llama3").encode_ordinary(text))


def planner(*argv: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "planner", *argv],
        capture_output=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


# ---------------------------------------------------------------- item 3: file names that are not UTF-8

BAD_NAME = b"bad\xffname.txt"


@pytest.fixture
def badly_named(tmp_path) -> Path:
    folder = tmp_path / "names"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), BAD_NAME), "wb") as handle:
        handle.write(b"hello there\n")
    (folder / "good.txt").write_text("fine\n")
    return folder


@pytest.mark.parametrize("locale", ["C.UTF-8", "en_US.UTF-8", "C"])
@pytest.mark.slow
def test_a_file_name_with_invalid_utf8_in_json(badly_named, locale):
    result = planner("count", str(badly_named), "--json", env={"LC_ALL": locale, "LANG": locale})
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout.decode("utf-8"))  # strict UTF-8: no raw 0xFF byte
    paths = sorted(Path(row["path"]).name for row in document["files"])
    assert paths == ["bad\\xffname.txt", "good.txt"]
    assert document["tokens"] == tokens("hello there\n") + tokens("fine\n")


@pytest.mark.parametrize("locale", ["C.UTF-8", "en_US.UTF-8"])
@pytest.mark.slow
def test_a_file_name_with_invalid_utf8_in_human_output(badly_named, locale):
    result = planner("count", str(badly_named), env={"LC_ALL": locale, "LANG": locale})
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert "bad\\xffname.txt" in result.stdout.decode("utf-8")


# ---------------------------------------------------------------- item 4: deeply nested HTML


@pytest.mark.slow
def test_deeply_nested_html_gives_its_text(tmp_path):
    depth = 100_000  # was 911 s; a linear reader does it in well under a second
    html = "<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>"
    assert html_visible_text(html) == "deep text"
    path = tmp_path / "nested.html"
    path.write_text(html)
    report = count_inputs([path], ["llama3"])
    assert report.files[0].skipped is None and report.counts["llama3"].tokens == tokens("deep text")


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<title>T</title><p>a <b>b</b></p><p>c</p>", "T\na b\nc"),
        ("<head><title>Same</title><style>x{}</style></head><body><h1>Same</h1>x</body>", "Same\nx"),
        ("<p>one<br>two<br/>three</p><!-- hidden --><script>var s = '<p>';</script>", "one\ntwo\nthree"),
        ("<div>a<noscript>n</noscript><template>t</template> &amp; &lt;b&gt;</div>", "a & <b>"),
        ("x<hr/>y", "x\ny"),
        ("<ul><li>  1 </li><li>2\n\n</li></ul>", "1\n2"),
        ("<p>unclosed <div>inner", "unclosed\ninner"),
    ],
)
def test_visible_text_rules(html, text):
    assert html_visible_text(html) == text


# ---------------------------------------------------------------- item 11: decoding edge cases


def test_tiny_utf8_with_a_nul_is_not_utf16(tmp_path):
    data = "été".encode() + b"\x00"
    path = tmp_path / "tiny.txt"
    path.write_bytes(data)
    [row] = count_inputs([path], ["llama3"]).files
    assert row.skipped == "binary file" and row.encoding is None  # was read as UTF-16: "꧃썴©"


def test_two_characters_of_utf16_are_still_utf16():
    assert decode_bytes("ab".encode("utf-16-le")).text == "ab"


def test_ascii_around_one_high_byte_is_not_ebcdic():
    data = b"A" * 50 + b"\xfc" + b"A" * 50
    decoded = decode_bytes(data)
    assert decoded.text.startswith("A" * 50) and decoded.text.endswith("A" * 50)
    assert decoded.text[50] in ("\u00fc", "\ufffd")  # ü in cp1252 / latin-1, or flagged UTF-8 damage


def test_nul_bytes_after_a_utf8_bom_are_a_skip(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfplain text\x00 with a NUL\n" * 5)
    [row] = count_inputs([path], ["llama3"]).files
    assert row.skipped is not None and row.skipped.startswith("NUL bytes in text (5, first at byte")


def test_nul_characters_after_a_utf16_bom_are_a_skip(tmp_path):
    path = tmp_path / "bom16.txt"
    path.write_bytes(b"\xff\xfe" + "text\x00more\n".encode("utf-16-le"))
    [row] = count_inputs([path], ["llama3"]).files
    assert row.skipped is not None and row.skipped.startswith("NUL characters in text (1")


def test_a_txt_starting_with_pdf_magic_is_text(tmp_path):
    text = "%PDF-1.7 is the version this note is about.\nNothing else.\n"
    path = tmp_path / "notes.txt"
    path.write_text(text)
    [row] = count_inputs([path], ["llama3"]).files
    assert row.skipped is None and row.tokens["llama3"] == tokens(text)


def test_a_real_pdf_without_its_extension_is_still_read_as_pdf(tmp_path):
    path = tmp_path / "report"
    path.write_bytes(make_pdf(["Quarterly numbers"]))
    [row] = count_inputs([path], ["llama3"]).files
    assert row.skipped is None and row.kind == "pdf"


# ---------------------------------------------------------------- item 11: symbolic links out of the folder


@pytest.fixture
def linked_out(tmp_path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret words here\n")
    scanned = tmp_path / "scanned"
    scanned.mkdir()
    (scanned / "own.txt").write_text("own text\n")
    (scanned / "inner").mkdir()
    (scanned / "inner" / "deep.txt").write_text("deep\n")
    os.symlink(outside, scanned / "etc")  # a folder outside the scanned one
    os.symlink(outside / "secret.txt", scanned / "secret-link.txt")  # a file outside
    os.symlink(scanned / "inner", scanned / "inner-alias")  # inside: harmless, counted once
    return scanned


def test_links_out_of_the_folder_are_not_followed_by_default(linked_out):
    report = count_inputs([linked_out], ["llama3"])
    rows = {os.path.relpath(row.path, linked_out): row.skipped for row in report.files}
    reason = "symbolic link out of the folder, not followed (--follow-links follows it)"
    assert rows == {"etc": reason, "inner/deep.txt": None, "own.txt": None, "secret-link.txt": reason}
    assert report.counts["llama3"].tokens == tokens("deep\n") + tokens("own text\n")


@pytest.mark.slow
def test_follow_links_opts_in(linked_out):
    report = count_inputs([linked_out], ["llama3"], follow_links=True)
    names = sorted(os.path.relpath(row.path, linked_out) for row in report.files if row.skipped is None)
    assert names == ["etc/secret.txt", "inner/deep.txt", "own.txt"]  # secret-link.txt: the same file, once
    result = planner("count", str(linked_out), "--follow-links", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["skipped_count"] == 0


@pytest.mark.slow
def test_cli_reports_links_out_as_skipped(linked_out):
    result = planner("count", str(linked_out))
    assert result.returncode == 5
    assert b"not followed (--follow-links follows it)" in result.stderr


# ---------------------------------------------------------------- item 12: empty files count as 0 tokens


@pytest.mark.slow
def test_an_empty_file_counts_as_zero_tokens_and_exit_0(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_bytes(b"")
    (package / "py.typed").write_bytes(b"")
    (package / "core.py").write_text("x = 1\n")
    report = count_inputs([package], ["llama3"])
    assert [(Path(row.path).name, row.skipped, row.tokens["llama3"]) for row in report.files] == [
        ("__init__.py", None, 0),
        ("core.py", None, tokens("x = 1\n")),
        ("py.typed", None, 0),
    ]
    assert not report.has_problems
    assert planner("count", str(package)).returncode == 0


@pytest.mark.slow
def test_a_file_that_cannot_be_read_still_exits_5(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")  # unreadable even for root
    result = planner("count", str(tmp_path))
    assert result.returncode == 5
    assert b"dangling.txt: broken symbolic link" in result.stderr and b"empty.txt" not in result.stderr


@pytest.mark.parametrize("command", ["fit", "cost", "compare"])
@pytest.mark.slow
def test_an_empty_pipe_is_nothing_counted_so_a_gate_does_not_pass(command):
    # `producer | planner fit` when the producer failed: "fits, 0 tokens", exit 0 let the gate pass.
    result = subprocess.run(
        [sys.executable, "-m", "planner", command], stdin=subprocess.DEVNULL, capture_output=True, timeout=120
    )
    assert result.returncode == 5
    assert result.stderr.startswith(b"error: nothing was counted: the input is empty (0 characters)")
    assert result.stderr.count(b"\n") == 1


@pytest.mark.slow
def test_only_empty_files_are_nothing_counted_in_every_command(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    for command in (["count"], ["fit"], ["cost"]):
        result = planner(*command, str(tmp_path / "empty.txt"))
        assert result.returncode == 5, command
        assert b"nothing was counted: the input is empty" in result.stderr


def test_an_empty_text_is_nothing_counted_as_an_empty_pipe_is(capsys):
    # `planner count --text "$PROMPT"` with an unset variable said the empty line and exited 0, while the
    # same empty input piped exits 5, and `planner fit --text ""` exits 5
    from planner.cli import run_app

    for command in (["count"], ["fit"]):
        assert run_app([*command, "--text", ""]) == 5, command
        assert "nothing was counted: the input is empty" in capsys.readouterr().err
    assert run_app(["count", "--text", "", "--json"]) == 5  # as `printf '' | planner count --json`
    captured = capsys.readouterr()
    assert '"tokens": 0' in captured.out
    # the exit status is explained on stderr with --json too, and as an error, as fit and cost say it
    assert captured.err == (
        "error: nothing was counted: the input is empty (0 characters); "
        "check the command or file that feeds it\n"
    )
    assert run_app(["count", "--text", ""]) == 5
    assert "error: nothing was counted: the input is empty" in capsys.readouterr().err
    assert run_app(["count", "--text", " "]) == 0  # a space is text (1 character), not an empty input
