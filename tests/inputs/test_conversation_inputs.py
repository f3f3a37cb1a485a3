"""`planner conversation --system FILE` reads the file with the input readers of `planner count` (issue 12,
item 13): a PDF's text layer, a DOCX's text, an HTML page's visible text, an image's tokens; not raw bytes."""

from __future__ import annotations

import json
import struct
import sys
import zlib
from pathlib import Path

import pytest

from planner.cli import run_app
from planner.tokens.encoders import get_encoding

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "inputs"))
from builders import make_docx, make_pdf  # noqa: E402

PROMPT = "You are terse."


def tokens(text: str) -> int:
    return len(get_encoding("llama3").encode_ordinary(text))


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = run_app([*args, "--json"])
    captured = capsys.readouterr()
    assert captured.err == "", captured.err
    return code, json.loads(captured.out)


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * (width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "prompt.html",
            f"<html><head><style>p {{}}</style></head><body><p>{PROMPT}</p></body></html>".encode(),
        ),
        ("prompt.pdf", make_pdf([PROMPT])),
        ("prompt.docx", make_docx([PROMPT])),
        ("prompt.txt", PROMPT.encode("utf-16")),
    ],
    ids=["html", "pdf", "docx", "utf16-text"],
)
def test_system_file_counts_its_text_not_its_bytes(capsys, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    code, plan = run_json(capsys, "conversation", "--system", str(path), "--user", "10", "--answer", "10")
    assert code == 0
    assert plan["system_tokens"] == tokens(PROMPT)  # 4 tokens, as the words typed as text
    _, counted = run_json(capsys, "count", str(path))
    assert plan["system_tokens"] == counted["tokens"]


def test_system_image_counts_like_count(capsys, tmp_path):
    path = tmp_path / "diagram.png"
    path.write_bytes(png(64, 64))
    # a vision model: `planner count` adds no image tokens for a model that takes no images
    vision = ["-m", "openai/gpt-4o"]
    code, plan = run_json(
        capsys, "conversation", "--system", str(path), "--user", "10", "--answer", "10", *vision
    )
    _, counted = run_json(capsys, "count", str(path), *vision)
    assert code == 0 and plan["system_tokens"] == counted["tokens"]
    assert plan["system_tokens"] != tokens(path.read_bytes().decode("utf-8", errors="replace"))


def test_system_file_that_count_would_skip_is_one_error(capsys, tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 8)
    code = run_app(["conversation", "--system", str(path)])
    err = capsys.readouterr().err
    assert code == 5  # as fit, cost and count exit when every input was skipped
    assert err == f"error: cannot read --system {path}: binary file\n"
