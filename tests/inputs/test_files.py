"""Files: every encoding decoded to the right text, every kind of bad input skipped with its own reason."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from planner.inputs import count_inputs
from planner.inputs.readers import decode_bytes
from planner.tokens.encoders import get_encoding

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "inputs"))
from builders import make_docx, make_encrypted_pdf, make_pdf, make_zip_bomb_docx  # noqa: E402

PROSE = "Grüße aus Köln! Déjà vu, naïve café.\r\nSecond line with ünïcödé.\n"


def tokens(text: str, family: str = "llama3") -> int:
    return len(get_encoding(family).encode_ordinary(text))


def only_file(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    report = count_inputs([path], ["llama3"])
    assert len(report.files) == 1
    return report, report.files[0]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PROSE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + PROSE.encode("utf-8"), "utf-8"),
        (PROSE.encode("utf-16"), "utf-16"),  # with BOM (native order)
        (b"\xfe\xff" + PROSE.encode("utf-16-be"), "utf-16"),
        (b"\xff\xfe\x00\x00" + PROSE.encode("utf-32-le"), "utf-32"),
    ],
)
def test_unicode_encodings_decode_to_the_same_text(tmp_path, data: bytes, encoding: str) -> None:
    report, row = only_file(tmp_path, "prose.txt", data)
    assert row.skipped is None and row.warnings == []
    assert row.encoding == encoding
    assert row.tokens["llama3"] == tokens(PROSE)
    assert (row.words, row.chars, row.lines) == (len(PROSE.split()), len(PROSE), 2)
    assert report.bytes == len(PROSE.encode("utf-8"))


def test_crlf_is_kept_not_translated(tmp_path) -> None:
    _, row = only_file(tmp_path, "crlf.txt", b"one\r\ntwo\r\n")
    assert row.chars == len("one\r\ntwo\r\n")
    assert row.tokens["llama3"] == tokens("one\r\ntwo\r\n")


def test_legacy_single_byte_encoding_is_detected() -> None:
    text = (
        "Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter en canoë au delà des îles, "
        "près du mälström où brûlent les novæ. Où êtes-vous, élève âgé?\n"
    ) * 4
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.warnings == []
    assert decoded.encoding != "utf-8"


def test_invalid_utf8_is_replaced_flagged_and_still_counted(tmp_path) -> None:
    data = "naïve text ".encode() + b"\xff\xfe and more"
    report, row = only_file(tmp_path, "bad.txt", data)
    expected = "naïve text \ufffd\ufffd and more"
    assert row.skipped is None
    assert row.warnings == ["invalid UTF-8: 2 bytes replaced with U+FFFD"]
    assert row.tokens["llama3"] == tokens(expected)
    assert report.warning_count == 1 and report.has_problems


def test_html_counts_visible_text_or_raw_markup(tmp_path) -> None:
    html = (
        "<html><head><title>Page</title><style>p {color: red}</style><script>var x = 1;</script></head>"
        "<body><h1>Heading</h1><p>Hello <b>bold</b>\n   world.</p><!-- hidden -->"
        "<ul><li>one<br>two</li></ul></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    visible = count_inputs([path], ["llama3"])
    raw = count_inputs([path], ["llama3"], raw_markup=True)
    assert visible.files[0].kind == "html"
    assert visible.counts["llama3"].tokens == tokens("Page\nHeading\nHello bold world.\none\ntwo")
    assert raw.counts["llama3"].tokens == tokens(html)


def test_pdf_text_layer(tmp_path) -> None:
    _, row = only_file(tmp_path, "doc.pdf", make_pdf(["Hello PDF world.", "Second line here."]))
    assert row.kind == "pdf" and row.skipped is None
    assert row.tokens["llama3"] == tokens("Hello PDF world.\nSecond line here.")
    assert row.words == 6


def test_docx_paragraphs_and_tables(tmp_path) -> None:
    _, row = only_file(tmp_path, "doc.docx", make_docx(["First paragraph.", "Second one."], [["a", "b"]]))
    assert row.kind == "docx" and row.skipped is None
    assert row.tokens["llama3"] == tokens("First paragraph.\nSecond one.\na\tb")


def _all_bad_inputs(folder: Path) -> dict[str, str]:
    """Create one file per bad input; returns name -> expected start of the skip reason."""
    (folder / "binary.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "random.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "nul.txt").write_bytes(b"plain text with one\x00 NUL byte in it\n" * 10)
    (folder / "locked.pdf").write_bytes(make_encrypted_pdf(["secret text"]))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    (folder / "notzip.docx").write_bytes(b"this is not a zip archive")
    (folder / "bomb.docx").write_bytes(make_zip_bomb_docx(24 << 20))
    os.mkfifo(folder / "pipe.fifo")
    return {
        "binary.png": "not an image Pillow can read",  # a corrupt image: one clear reason
        "random.bin": "binary file",
        "nul.txt": "NUL bytes in text",
        "locked.pdf": "encrypted PDF",
        "broken.pdf": "corrupt PDF",
        "notzip.docx": "not a DOCX",
        "bomb.docx": "DOCX expands to",
        "pipe.fifo": "FIFO",
    }


def test_every_bad_input_is_skipped_with_its_reason_and_the_rest_counted(tmp_path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    expected = _all_bad_inputs(folder)
    (folder / "good.txt").write_text("Good text.\n")
    (folder / "empty.txt").write_bytes(b"")  # not a bad input: 0 tokens
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(folder / "server.sock"))
    expected["server.sock"] = "socket"
    try:
        report = count_inputs([folder], ["llama3"])
    finally:
        sock.close()
    reasons = {Path(row.path).name: row.skipped for row in report.files}
    for name, start in expected.items():
        assert reasons[name] is not None and reasons[name].startswith(start), (name, reasons[name])
    assert reasons["good.txt"] is None and reasons["empty.txt"] is None
    assert report.counts["llama3"].tokens == tokens("Good text.\n")
    assert report.skipped_count == len(expected)
    assert report.has_problems


def test_device_file_is_skipped(tmp_path) -> None:
    report = count_inputs(["/dev/null"], ["llama3"])
    assert report.files[0].skipped == "character device, not a regular file"


def test_permission_denied_is_skipped(tmp_path, monkeypatch) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("classified\n")
    (tmp_path / "open.txt").write_text("public\n")
    real_open = open

    def deny(path, *args, **kwargs):  # tests run as root, where chmod 000 does not stop reading
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    report = count_inputs([tmp_path], ["llama3"])
    reasons = {Path(row.path).name: row.skipped for row in report.files}
    assert reasons == {"secret.txt": "permission denied", "open.txt": None}
    assert report.counts["llama3"].tokens == tokens("public\n")


def test_vanished_file_is_skipped(tmp_path, monkeypatch) -> None:
    gone = tmp_path / "gone.txt"
    gone.write_text("here for now\n")
    from planner.inputs import files

    real_stat_regular = files.stat_regular

    def delete_then_stat(path):  # the file disappears between the listing and the reading
        os.remove(path)
        return real_stat_regular(path)

    monkeypatch.setattr(files, "stat_regular", delete_then_stat)
    report = count_inputs([tmp_path], ["llama3"])
    assert [(Path(row.path).name, row.skipped) for row in report.files] == [
        ("gone.txt", "vanished: the file no longer exists")
    ]


def test_missing_path_is_an_input_error(tmp_path) -> None:
    from planner.errors import InputError

    with pytest.raises(InputError, match="no such file or folder"):
        count_inputs([tmp_path / "missing.txt"], ["llama3"])


def test_stdin_and_dash(tmp_path) -> None:
    import io

    report = count_inputs(["-"], ["llama3", "o200k_base"], stdin=io.BytesIO(PROSE.encode()))
    assert report.files[0].path == "<stdin>"
    assert report.counts["llama3"].tokens == tokens(PROSE)
    assert report.counts["o200k_base"].tokens == tokens(PROSE, "o200k_base")
    empty = count_inputs([], ["llama3"], stdin=io.BytesIO(b""))
    assert empty.counts["llama3"].tokens == 0 and empty.is_empty and empty.has_problems  # exit 5: nothing


def test_big_stdin_is_streamed_exactly(monkeypatch) -> None:
    import io

    from planner.inputs import count_run as counter

    monkeypatch.setattr(counter, "STREAM_MIN_BYTES", 1000)
    monkeypatch.setattr(counter, "READ_SIZE", 333)
    text = PROSE * 200
    report = count_inputs([], ["llama3"], stdin=io.BytesIO(text.encode()))
    assert report.counts["llama3"].tokens == tokens(text)
    assert (report.words, report.chars, report.lines) == (len(text.split()), len(text), text.count("\n"))


def test_big_file_is_streamed_exactly_in_process(tmp_path, monkeypatch) -> None:
    from planner.inputs import files, streaming

    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 1000)
    monkeypatch.setattr(streaming, "READ_SIZE", 257)
    text = PROSE * 100 + "tail without newline"
    path = tmp_path / "big.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    report = count_inputs([path], ["llama3", "claude"])
    assert report.counts["llama3"].tokens == tokens(text)
    assert report.lines == text.count("\n") + 1
    assert report.counts["claude"].method == "estimate"
    whole = count_inputs([], ["claude"], stdin=__import__("io").BytesIO(text.encode()))
    assert report.counts["claude"] == whole.counts["claude"]


def test_families_counted_once_and_estimates_have_bands(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(PROSE)
    report = count_inputs([path], ["llama3", "llama3", "claude", "gemini"])
    assert list(report.counts) == ["llama3", "claude", "gemini"]
    claude = report.counts["claude"]
    assert claude.tokens_low <= claude.tokens <= claude.tokens_high
    assert claude.tokens_low < claude.tokens_high
    assert report.files[0].tokens["claude"] == claude.tokens


def test_count_text_input_matches_text_stats() -> None:
    from planner.inputs import count_text_input
    from planner.tokens.counts import text_stats

    text = "Pasted text, 日本語も。\nAnd an <|eot_id|> that is only text.\n\n"
    report = count_text_input(text, ["llama3", "claude"], name="pasted")
    stats = text_stats(text)
    assert (report.words, report.chars, report.bytes, report.lines) == (
        stats.words,
        stats.chars,
        stats.bytes,
        stats.lines,
    )
    assert report.counts["llama3"].tokens == tokens(text)
    assert report.files[0].path == "pasted" and not report.has_problems


def test_each_file_is_classified_once_however_many_families_are_estimated(tmp_path, monkeypatch) -> None:
    from planner.inputs import count_run as counter

    calls: list[str] = []
    real = counter.classify_text
    monkeypatch.setattr(counter, "classify_text", lambda sample: calls.append(sample) or real(sample))
    for index in range(3):
        (tmp_path / f"{index}.txt").write_text(PROSE * (index + 1))
    estimated = ["claude", "gemini", "qwen3_7", "grok", "cohere"]
    report = count_inputs([tmp_path], ["llama3", *estimated])
    assert len(calls) == 3  # one per file, not one per file and estimated family (15)
    alone = count_inputs([tmp_path / "0.txt"], ["gemini"])
    assert report.files[0].tokens["gemini"] == alone.counts["gemini"].tokens
