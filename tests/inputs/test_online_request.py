"""The input as a vendor's count endpoint is sent it (planner.inputs.online_request): the same files the
offline count reads, each once, and a request body's parts; or the reason it is not sent."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

from PIL import Image

from planner.cli.options import online_request
from planner.inputs.online_request import messages_request, texts_request
from planner.tokens.online.request import CountRequest, InlineImage, ToolSpec, Turn


def png(path: Path) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_a_folder_is_its_files_once_each_with_the_offline_counts_rules(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "build").mkdir(parents=True)
    (folder / "a.txt").write_text("first file\n", encoding="utf-8")
    (folder / "b.md").write_text("# second\n", encoding="utf-8")
    (folder / "build" / "out.txt").write_text("ignored\n", encoding="utf-8")
    (folder / ".gitignore").write_text("build/\n", encoding="utf-8")
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 4)  # binary: skipped offline, not sent
    (folder / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # corrupt image: skipped, not sent
    data = png(folder / "red.png")
    request = texts_request([str(folder), str(folder / "a.txt")])  # a.txt named twice: sent once
    assert isinstance(request, CountRequest)
    (turn,) = request.turns
    # the offline count's files in its order: .gitignore (counted too), a.txt, b.md; build/ ignored
    assert turn.texts == ("build/\n", "first file\n", "# second\n")
    assert turn.images == (InlineImage("image/png", base64.b64encode(data).decode()),)


def test_standard_input_needs_its_bytes_kept() -> None:
    assert isinstance(texts_request(["-"]), str)
    request = texts_request(["-"], stdin_data="grüße\n".encode())
    assert isinstance(request, CountRequest) and request.texts == ["grüße\n"] and request.is_plain_text


def test_a_request_body_keeps_system_turns_images_and_tools(tmp_path: Path) -> None:
    png(tmp_path / "local.png")
    body = {
        "model": "claude-sonnet-4-5",
        "system": [{"type": "text", "text": "You are terse."}],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "what is"},
                    {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,AAAA"}},
                ],
            },
            {"role": "assistant", "content": "a square"},
            {"role": "user", "content": [{"type": "image_url", "image_url": "local.png"}]},
        ],
        "tools": [
            {
                "type": "function",
                "function": {"name": "f", "description": "d", "parameters": {"type": "object"}},
            }
        ],
    }
    request = messages_request(json.dumps(body).encode(), tmp_path)
    assert isinstance(request, CountRequest)
    assert request.system == "You are terse."
    assert [turn.role for turn in request.turns] == ["user", "assistant", "user"]
    assert request.turns[0] == Turn("user", ("what is",), (InlineImage("image/jpeg", "AAAA"),))
    assert request.turns[2].images[0].media_type == "image/png"
    assert request.tools == (ToolSpec("f", "d", {"type": "object"}),)
    assert not request.is_plain_text


def test_what_a_request_body_cannot_send_is_said(tmp_path: Path) -> None:
    def why(messages: list) -> str:
        answer = messages_request(json.dumps({"messages": messages}).encode(), tmp_path)
        assert isinstance(answer, str)
        return answer

    remote = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]
    assert "remote image" in why(remote)
    calls = [
        {"role": "assistant", "content": None, "tool_calls": [{"function": {"name": "f", "arguments": "{}"}}]}
    ]
    assert "tool calls" in why(calls)
    assert "tool calls" in why([{"role": "tool", "content": "42"}])
    assert "not chat messages" in messages_request(b"{not json", tmp_path)
    missing = [{"role": "user", "content": [{"type": "image_url", "image_url": "nowhere.png"}]}]
    assert "nowhere.png" in why(missing)


def test_the_cli_gathering_says_why_an_input_is_not_sent(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text('[{"role": "user", "content": "hi"}]', encoding="utf-8")
    assert "PDF pages as images" in online_request(
        [str(one)], messages=False, stdin_data=None, pdf_as_images=True
    )
    two = [str(one), str(one)]
    assert "more than one request body" in online_request(two, messages=True, stdin_data=None)
    request = online_request([str(one)], messages=True, stdin_data=None)
    assert request == CountRequest(turns=(Turn("user", ("hi",)),))


def test_an_empty_input_or_a_pipe_is_not_sent(tmp_path: Path) -> None:
    import os

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert "nothing to send" in texts_request([str(empty)])
    assert "nothing to send" in texts_request(["-"], stdin_data=b"")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "is a pipe" in texts_request([str(fifo)])  # never opened: a pipe would block
