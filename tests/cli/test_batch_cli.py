"""`planner batch`: a request that cannot run is listed and left out of the totals (as `planner cost` refuses
it); a file without requests is one error line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from planner.cli import run_app
from planner.tokens.encoders import get_encoding

# gpt-4o's batch prices per token in the shipped catalog (half its list prices), and its max output
BATCH_IN, BATCH_OUT = Decimal("0.00000125"), Decimal("0.000005")


def chat(custom_id: str, max_tokens: int) -> str:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": max_tokens}
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body})


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "b.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def cookbook_tokens(text: str) -> int:
    """One user message by the OpenAI cookbook rule: 3 per message + the role + the content, + 3 priming."""
    encode = get_encoding("o200k_base").encode_ordinary
    return 3 + len(encode("user")) + len(encode(text)) + 3


def test_a_request_over_max_output_is_not_priced(tmp_path, capsys) -> None:
    path = write(tmp_path, chat("big", 999_999))
    assert run_app(["batch", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"1 request in {path}: $0.000000 at batch prices"
    assert out[1] == "1 request that cannot run is not priced (listed below)"
    assert out[-1].startswith(
        "does not fit: big (line 1, gpt-4o): gpt-4o writes at most 16,384 output tokens"
    )


def test_only_the_requests_that_can_run_are_in_the_totals(tmp_path, capsys) -> None:
    path = write(tmp_path, chat("big", 999_999), chat("ok", 10), chat("big2", 20_000))
    assert run_app(["batch", str(path), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    tokens = cookbook_tokens("Hi")
    assert (doc["requests"], doc["not_priced"], doc["not_fitting"]) == (3, 2, ["big", "big2"])
    assert (doc["input_tokens"], doc["output_tokens"]) == (tokens, 10)
    assert Decimal(doc["total_cost"]) == tokens * BATCH_IN + 10 * BATCH_OUT
    assert (doc["models"][0]["requests"], doc["models"][0]["not_fitting"]) == (1, 2)
    run_app(["batch", str(path)])
    assert "2 requests that cannot run are not priced (listed below)" in capsys.readouterr().out


def test_an_empty_batch_file_is_one_error_line(tmp_path, capsys) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n")
    assert run_app(["batch", str(path)]) == 3
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"error: no requests in {path}\n")


def test_a_file_whose_every_line_is_skipped_exits_5_with_the_first_reason(tmp_path, capsys) -> None:
    path = write(tmp_path, "nope", "[1]")
    assert run_app(["batch", str(path)]) == 5
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"error: nothing was counted: 2 lines of {path} skipped "
        "(the first, line 1: invalid JSON (Expecting value, column 1))\n"
    )
