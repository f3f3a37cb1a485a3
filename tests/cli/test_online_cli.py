"""`--online` on count, fit and cost against the 127.0.0.1 fake of the vendors (tests/online_fakes.py):
the vendor's count with the offline estimate beside it, nothing sent without the flag, one error line without
a key."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from online_fakes import FRAMING, IMAGE_TOKENS, KEYS, FakeVendors, fake_vendors

from planner.cli._app import run_app
from planner.errors import EXIT_ONLINE

CLAUDE = "claude-sonnet-4-5"  # the catalog's id of Claude Sonnet 4.5 on Anthropic
GERMAN = Path(__file__).resolve().parents[1] / "corpus" / "prose_de.txt"
ENV_NAMES = [
    *KEYS,
    "GEMINI_API_KEY",
    "PLANNER_ANTHROPIC_URL",
    "PLANNER_GEMINI_URL",
    "PLANNER_OPENAI_URL",
    "PLANNER_XAI_URL",
    "ANTHROPIC_BASE_URL",
    "OPENAI_BASE_URL",
    "PLANNER_ONLINE",
]


class _Stdin:
    def __init__(self, data: bytes | None) -> None:
        self.buffer = io.BytesIO(data or b"")
        self._tty = data is None

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture
def fake(tmp_path, monkeypatch) -> Iterator[FakeVendors]:
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    with fake_vendors() as running:
        for name, value in running.env().items():
            monkeypatch.setenv(name, value)
        yield running


def run(capsys, monkeypatch, *argv: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
    code = run_app(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def words(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").split())


def test_count_online_is_the_vendors_count_with_the_offline_estimate_beside_it(
    fake, capsys, monkeypatch
) -> None:
    code, out, err = run(capsys, monkeypatch, "count", str(GERMAN), "-m", CLAUDE, "--json")
    offline = json.loads(out)
    assert code == 0 and offline["method"] == "estimate" and fake.requests == []

    code, out, err = run(capsys, monkeypatch, "count", str(GERMAN), "-m", CLAUDE, "--online", "--json")
    document = json.loads(out)
    assert code == 0, err
    expected = words(GERMAN) + FRAMING["anthropic"]  # the fake counts words (1,470) plus its framing
    assert (document["method"], document["tokens"]) == ("exact", expected)
    assert document["tokens_low"] == document["tokens_high"] == expected
    assert "Anthropic POST /v1/messages/count_tokens (claude-sonnet-4-5)" in document["basis"]
    assert document["offline_estimate"] == {
        "tokens": offline["tokens"],
        "low": offline["tokens_low"],
        "high": offline["tokens_high"],
        "method": "estimate",
        "basis": offline["basis"],
    }
    (sent,) = fake.requests
    assert sent.path == "/v1/messages/count_tokens"
    assert sent.body["model"] == CLAUDE
    assert sent.body["messages"][0]["content"] == [
        {"type": "text", "text": GERMAN.read_text(encoding="utf-8")}
    ]


@pytest.mark.slow
def test_without_online_nothing_leaves_the_machine(fake, capsys, monkeypatch, tmp_path) -> None:
    """The fake and the keys are all set, yet without --online no request is made: not to the fake, and no
    httpx request at all (sending is made to fail)."""

    def refuse(*args, **kwargs):
        raise AssertionError("a request was sent without --online")

    monkeypatch.setattr(httpx.Client, "send", refuse)
    note = tmp_path / "note.txt"
    note.write_text("Guten Tag, wie geht es?\n", encoding="utf-8")
    for command in (["count"], ["fit"], ["cost", "-o", "10"]):
        for model in (CLAUDE, "gemini-3.1-pro-preview", "xai/grok-4"):
            code, out, err = run(capsys, monkeypatch, *command, str(note), "-m", model, "--json")
            assert code == 0, err
            assert "offline_estimate" not in json.loads(out)
    assert fake.requests == []


def test_planner_online_variable_turns_it_on(fake, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PLANNER_ONLINE", "1")
    code, out, err = run(capsys, monkeypatch, "count", "-m", CLAUDE, "--json", stdin=b"eins zwei drei\n")
    assert code == 0, err
    assert json.loads(out)["tokens"] == 3 + FRAMING["anthropic"]
    assert len(fake.requests) == 1


def test_standard_input_is_read_once_and_sent(fake, capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "count", "-m", CLAUDE, "--online", "--json", stdin=b"a b c d\n")
    document = json.loads(out)
    assert code == 0, err
    assert document["tokens"] == 4 + FRAMING["anthropic"] and document["words"] == 4
    assert fake.requests[0].body["messages"][0]["content"][0]["text"] == "a b c d\n"


def test_no_key_is_one_error_line_naming_the_variable(fake, capsys, monkeypatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    code, out, err = run(capsys, monkeypatch, "count", str(GERMAN), "-m", CLAUDE, "--online")
    assert code == EXIT_ONLINE and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "ANTHROPIC_API_KEY" in err
    assert fake.requests == []
    for name in ("GOOGLE_API_KEY", "GEMINI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    code, out, err = run(capsys, monkeypatch, "fit", str(GERMAN), "-m", "gemini-3.1-pro-preview", "--online")
    assert code == EXIT_ONLINE and "set GOOGLE_API_KEY or GEMINI_API_KEY" in err and err.count("\n") == 1


def test_a_refused_key_is_one_line(fake, capsys, monkeypatch) -> None:
    fake.script("401")
    code, out, err = run(capsys, monkeypatch, "cost", str(GERMAN), "-m", CLAUDE, "--online", "-o", "10")
    assert code == EXIT_ONLINE and out == ""
    expected = (
        "Anthropic refused the key in ANTHROPIC_API_KEY (HTTP 401: invalid key); check or replace the key"
    )
    assert err == f"error: {expected}\n"


def test_fit_and_cost_use_the_vendors_count(fake, capsys, monkeypatch) -> None:
    expected = words(GERMAN) + FRAMING["gemini"]
    code, out, err = run(
        capsys, monkeypatch, "fit", str(GERMAN), "-m", "gemini-3.1-pro-preview", "--online", "--json"
    )
    document = json.loads(out)
    assert code == 0, err
    assert document["input_tokens"] == expected and document["offline_estimate"]["method"] == "estimate"
    assert document["total_tokens"] == expected
    code, out, err = run(
        capsys, monkeypatch, "cost", str(GERMAN), "-m", CLAUDE, "--online", "-o", "0", "--json"
    )
    document = json.loads(out)
    assert code == 0, err
    assert document["input_tokens"] == words(GERMAN) + FRAMING["anthropic"]
    # Sonnet 4.5 on Anthropic: $3 per million input tokens; 1,477 tokens -> $0.004431 (by hand)
    assert document["input_cost"] == "0.004431"


def test_grok_counts_each_file_by_xai_tokenize(fake, capsys, monkeypatch, tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("one two three\n", encoding="utf-8")
    (folder / "b.md").write_text("four five\n", encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "count", str(folder), "-m", "xai/grok-4", "--online", "--json")
    document = json.loads(out)
    assert code == 0, err
    assert document["tokens"] == 5 and "2 requests summed" in document["basis"]
    assert sorted(seen.body["text"] for seen in fake.requests) == ["four five\n", "one two three\n"]


def test_an_openai_request_body_goes_to_input_tokens(fake, capsys, monkeypatch, tmp_path) -> None:
    body = {
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "be brief"},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "what is this"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                ],
            },
        ],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "lookup",
                    "description": "find a word",
                    "parameters": {"type": "object"},
                },
            }
        ],
        "max_tokens": 100,
    }
    path = tmp_path / "request.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    code, out, err = run(
        capsys, monkeypatch, "count", str(path), "--messages", "-m", "gpt-4o", "--online", "--json"
    )
    document = json.loads(out)
    assert code == 0, err
    # words: "what is this" 3 + "be brief" 2 + "lookup" 1 + "find a word" 3 + '{"type": "object"}' 2 = 11
    assert document["tokens"] == 11 + IMAGE_TOKENS + FRAMING["openai"]
    assert document["offline_estimate"]["method"] == "exact"  # o200k_base with the cookbook's overhead rule
    (sent,) = fake.requests
    assert sent.path == "/v1/responses/input_tokens" and sent.body["instructions"] == "be brief"


def test_plain_text_for_openai_stays_offline_and_says_so(fake, capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "count", str(GERMAN), "-m", "gpt-4o", "--online", "--json")
    assert code == 0 and fake.requests == []
    assert "offline_estimate" not in json.loads(out)
    assert "note: --online: plain text is counted exactly offline" in err


def test_human_output_names_the_endpoint_and_the_estimate(fake, capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "count", str(GERMAN), "-m", CLAUDE, "--online")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"{words(GERMAN) + FRAMING['anthropic']:,} tokens  (claude, exact for {CLAUDE})"
    assert any(
        line.startswith("counted by the vendor: exact, Anthropic POST /v1/messages/count_tokens")
        for line in lines
    )
    assert any(line.startswith("offline estimate: ") for line in lines)


def test_batch_online_counts_each_request_by_its_vendor(fake, capsys, monkeypatch, tmp_path) -> None:
    lines = [
        {
            "custom_id": "a1",
            "params": {
                "model": CLAUDE,
                "max_tokens": 50,
                "system": "be brief",
                "messages": [{"role": "user", "content": "name three rivers"}],
            },
        },
        {
            "custom_id": "a2",
            "params": {
                "model": CLAUDE,
                "max_tokens": 50,
                "messages": [{"role": "user", "content": "one more"}],
            },
        },
        {
            "custom_id": "o1",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {
                "model": "gpt-4o",
                "max_tokens": 20,
                "messages": [{"role": "system", "content": "terse"}, {"role": "user", "content": "hi there"}],
            },
        },
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "batch", str(path), "--json")
    offline = json.loads(out)
    assert code == 0 and fake.requests == [] and offline["offline_estimate"] is None

    code, out, err = run(capsys, monkeypatch, "batch", str(path), "--online", "--json")
    document = json.loads(out)
    assert code == 0, err
    by_model = {row["id"]: row for row in document["models"]}
    # the fake: words + framing per request. a1: "be brief" 2 + "name three rivers" 3; a2: "one more" 2
    assert by_model[CLAUDE]["input_tokens"] == (5 + FRAMING["anthropic"]) + (2 + FRAMING["anthropic"])
    assert by_model["gpt-4o"]["input_tokens"] == 3 + FRAMING["openai"]  # "terse" 1 + "hi there" 2
    assert by_model[CLAUDE]["method"] == "exact"
    offline_rows = {row["id"]: row for row in offline["models"]}
    assert by_model[CLAUDE]["offline_estimate"]["tokens"] == offline_rows[CLAUDE]["input_tokens"]
    assert by_model[CLAUDE]["offline_estimate"]["high"] == offline_rows[CLAUDE]["input_tokens_high"]
    assert document["offline_estimate"]["tokens"] == offline["input_tokens"]
    assert document["input_tokens"] == 5 + 2 + 2 * FRAMING["anthropic"] + 3 + FRAMING["openai"]
    assert sorted(seen.path for seen in fake.requests) == [
        "/v1/messages/count_tokens",
        "/v1/messages/count_tokens",
        "/v1/responses/input_tokens",
    ]
    system_sent = [seen.body for seen in fake.requests if seen.body.get("system")]
    assert system_sent and system_sent[0]["system"] == "be brief"


def test_an_image_file_is_sent_inline_and_counted_by_the_vendor(fake, capsys, monkeypatch, tmp_path) -> None:
    from PIL import Image

    folder = tmp_path / "shots"
    folder.mkdir()
    Image.new("RGB", (64, 32), "blue").save(folder / "shot.png")
    (folder / "caption.txt").write_text("a blue box\n", encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "count", str(folder), "-m", CLAUDE, "--online", "--json")
    document = json.loads(out)
    assert code == 0, err
    assert document["tokens"] == 3 + IMAGE_TOKENS + FRAMING["anthropic"]
    blocks = fake.requests[0].body["messages"][0]["content"]
    assert [block["type"] for block in blocks] == ["text", "image"]
    assert blocks[1]["source"]["media_type"] == "image/png"


def test_a_model_the_vendor_does_not_know_is_one_line(fake, capsys, monkeypatch) -> None:
    fake.script("404")
    code, out, err = run(
        capsys, monkeypatch, "count", str(GERMAN), "-m", "anthropic/claude-sonnet-4.5", "--online"
    )
    assert code == EXIT_ONLINE and err.count("\n") == 1
    assert "Anthropic does not know model 'claude-sonnet-4-5'" in err and "--model" in err


def test_text_option_and_typed_tokens(fake, capsys, monkeypatch) -> None:
    code, out, err = run(
        capsys, monkeypatch, "count", "--text", "eins zwei", "-m", CLAUDE, "--online", "--json"
    )
    document = json.loads(out)
    assert code == 0, err
    assert (
        document["tokens"] == 2 + FRAMING["anthropic"]
        and document["offline_estimate"]["method"] == "estimate"
    )
    code, out, err = run(capsys, monkeypatch, "fit", "-i", "5000", "-m", CLAUDE, "--online", "--json")
    assert code == 0, err
    assert json.loads(out)["input_tokens"] == 5000 and "offline_estimate" not in json.loads(out)
    assert "note: --online: --input-tokens is a number, there is no text to send" in err
    assert len(fake.requests) == 1
