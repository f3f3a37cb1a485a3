"""Vendor count endpoints without a network: httpx.MockTransport answers, the request shapes each vendor
documents, the network rules (retries with an injected sleep, caps, refusals) and the cache."""

from __future__ import annotations

import json
import time
from datetime import date
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest

from planner.errors import EXIT_ONLINE, OnlineCountError
from planner.tokens.online import anthropic, gemini, openai, xai
from planner.tokens.online.counting import OnlineSettings, count_online
from planner.tokens.online.request import CountRequest, InlineImage, ToolSpec, Turn
from planner.tokens.online.switch import online_wanted
from planner.tokens.online.vendors import vendor_for

DAY = date(2026, 12, 7)
ENV = {
    "ANTHROPIC_API_KEY": "ak",
    "GOOGLE_API_KEY": "gk",
    "OPENAI_API_KEY": "ok",
    "XAI_API_KEY": "xk",
}
REQUEST = CountRequest.of_texts(["Hallo Welt", "zweite Datei"])


class Recorder:
    """A MockTransport handler answering from a list (the last answer repeats), recording each request."""

    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def body(self, index: int = 0) -> dict:
        return json.loads(self.seen[index].content)


def settings(
    recorder: Recorder, tmp_path: Path | None = None, **changes
) -> tuple[OnlineSettings, list[float]]:
    waits: list[float] = []
    made = OnlineSettings(
        env=ENV,
        transport=httpx.MockTransport(recorder),
        sleep=waits.append,
        cache_dir=tmp_path,
        today=DAY,
        **changes,
    )
    return made, waits


# --- the documented shapes, one vendor at a time


def test_anthropic_request_and_answer() -> None:
    recorder = Recorder(httpx.Response(200, json={"input_tokens": 14}))
    made, _ = settings(recorder)
    counted = count_online(anthropic.VENDOR, "anthropic/claude-sonnet-4.5", REQUEST, made)
    assert counted.tokens == 14
    sent = recorder.seen[0]
    assert str(sent.url) == "https://api.anthropic.com/v1/messages/count_tokens"
    assert sent.headers["x-api-key"] == "ak" and sent.headers["anthropic-version"] == "2023-06-01"
    assert recorder.body() == {
        "model": "claude-sonnet-4-5",
        "messages": [
            {
                "role": "user",
                "content": [{"type": "text", "text": "Hallo Welt"}, {"type": "text", "text": "zweite Datei"}],
            }
        ],
    }
    assert counted.basis == "exact, Anthropic POST /v1/messages/count_tokens (claude-sonnet-4-5), 2026-12-07"


def test_anthropic_whole_request_with_system_tools_and_image() -> None:
    request = CountRequest(
        turns=(
            Turn("user", ("look",), (InlineImage("image/png", "iVBORw0K"),)),
            Turn("assistant", ("a cat",)),
            Turn("user", ("sure?",)),
        ),
        system="Be brief.",
        tools=(ToolSpec("get_weather", "Weather of a city", {"type": "object", "properties": {}}),),
    )
    body = anthropic.bodies("claude-opus-4-7", request)[0][1]
    assert body["system"] == "Be brief."
    assert body["messages"][0]["content"][1] == {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0K"},
    }
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["tools"] == [
        {
            "name": "get_weather",
            "description": "Weather of a city",
            "input_schema": {"type": "object", "properties": {}},
        }
    ]


@pytest.mark.parametrize(
    ("catalog_id", "vendor_id"),
    [
        ("claude-sonnet-4-5", "claude-sonnet-4-5"),
        ("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet-20240620"),
        ("us.anthropic.claude-opus-4-1-20250805-v1:0", "claude-opus-4-1-20250805"),
        ("claude-3-5-sonnet-v2@20241022", "claude-3-5-sonnet-v2"),
    ],
)
def test_anthropic_model_names(catalog_id: str, vendor_id: str) -> None:
    assert anthropic.model_name(catalog_id) == vendor_id


def test_gemini_contents_then_generate_content_request() -> None:
    recorder = Recorder(httpx.Response(200, json={"totalTokens": 9, "promptTokensDetails": []}))
    made, _ = settings(recorder)
    assert count_online(gemini.VENDOR, "google/gemini-3.1-pro-preview", REQUEST, made).tokens == 9
    sent = recorder.seen[0]
    assert str(sent.url) == (
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-3.1-pro-preview:countTokens"
    )
    assert sent.headers["x-goog-api-key"] == "gk"
    assert recorder.body() == {
        "contents": [{"role": "user", "parts": [{"text": "Hallo Welt"}, {"text": "zweite Datei"}]}]
    }
    whole = gemini.bodies(
        "gemini-3.1-pro-preview",
        CountRequest((Turn("user", ("hi",)), Turn("assistant", ("yo",))), system="S", tools=(ToolSpec("f"),)),
    )[0][1]
    assert set(whole) == {"generateContentRequest"}  # never both, as documented
    assert whole["generateContentRequest"] == {
        "model": "models/gemini-3.1-pro-preview",
        "contents": [
            {"role": "user", "parts": [{"text": "hi"}]},
            {"role": "model", "parts": [{"text": "yo"}]},
        ],
        "systemInstruction": {"parts": [{"text": "S"}]},
        "tools": [{"functionDeclarations": [{"name": "f", "description": ""}]}],
    }


def test_gemini_key_order_is_the_sdks() -> None:
    assert gemini.VENDOR.key({"GEMINI_API_KEY": "g2"}) == ("GEMINI_API_KEY", "g2")
    assert gemini.VENDOR.key({"GEMINI_API_KEY": "g2", "GOOGLE_API_KEY": "g1"}) == ("GOOGLE_API_KEY", "g1")


def test_openai_request_body_and_answer() -> None:
    recorder = Recorder(httpx.Response(200, json={"object": "response.input_tokens", "input_tokens": 31}))
    made, _ = settings(recorder)
    request = CountRequest(
        (Turn("user", ("hi",), (InlineImage("image/jpeg", "AAAA"),)),),
        system="Be brief.",
        tools=(ToolSpec("f", "d", {"type": "object"}),),
    )
    assert count_online(openai.VENDOR, "openai/gpt-4o", request, made).tokens == 31
    sent = recorder.seen[0]
    assert str(sent.url) == "https://api.openai.com/v1/responses/input_tokens"
    assert sent.headers["authorization"] == "Bearer ok"
    assert recorder.body() == {
        "model": "gpt-4o",
        "input": [
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "hi"},
                    {"type": "input_image", "image_url": "data:image/jpeg;base64,AAAA"},
                ],
            }
        ],
        "instructions": "Be brief.",
        "tools": [{"type": "function", "name": "f", "description": "d", "parameters": {"type": "object"}}],
    }


def test_xai_one_request_per_text_summed() -> None:
    def tokens(n: int) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "token_ids": [{"token_id": i, "string_token": "x", "token_bytes": [120]} for i in range(n)]
            },
        )

    recorder = Recorder(tokens(3), tokens(4))
    made, _ = settings(recorder)
    counted = count_online(xai.VENDOR, "x-ai/grok-4", REQUEST, made)
    assert counted.tokens == 7 and counted.requests == 2
    assert [json.loads(r.content) for r in recorder.seen] == [
        {"text": "Hallo Welt", "model": "grok-4"},
        {"text": "zweite Datei", "model": "grok-4"},
    ]
    assert str(recorder.seen[0].url) == "https://api.x.ai/v1/tokenize-text"
    assert "2 requests summed" in counted.basis
    assert xai.model_name("us.xai.grok-4.6") == "grok-4.6"


# --- which vendor, and when none is asked


def test_vendor_for_each_family() -> None:
    assert vendor_for("claude", REQUEST)[0] is anthropic.VENDOR
    assert vendor_for("claude_4_7", REQUEST)[0] is anthropic.VENDOR
    assert vendor_for("gemini", REQUEST)[0] is gemini.VENDOR
    assert vendor_for("grok", REQUEST)[0] is xai.VENDOR
    body = CountRequest((Turn("user", ("hi",)),), system="S")
    assert vendor_for("o200k_base", body)[0] is openai.VENDOR
    none, why = vendor_for("o200k_base", REQUEST)
    assert none is None and "counted exactly offline" in (why or "")
    none, why = vendor_for("cohere", REQUEST)
    assert none is None and "no vendor count endpoint" in (why or "")
    none, why = vendor_for("grok", body)
    assert none is None and "plain text only" in (why or "")


def test_an_input_larger_than_one_request_is_not_split() -> None:
    big = CountRequest.of_texts(["a" * (anthropic.VENDOR.max_request_bytes + 1)])
    vendor, why = vendor_for("claude", big)
    assert vendor is None and "a split would not be exact" in (why or "")


def test_online_wanted_by_flag_or_variable() -> None:
    assert online_wanted(True, {}) and not online_wanted(False, {})
    assert online_wanted(False, {"PLANNER_ONLINE": "1"}) and online_wanted(False, {"PLANNER_ONLINE": "yes"})
    assert not online_wanted(False, {"PLANNER_ONLINE": "0"})


def test_base_urls_move() -> None:
    assert anthropic.VENDOR.base_url({"ANTHROPIC_BASE_URL": "http://a/"}) == "http://a"
    assert anthropic.VENDOR.base_url(
        {"PLANNER_ANTHROPIC_URL": "http://p", "ANTHROPIC_BASE_URL": "http://a"}
    ) == ("http://p")
    assert openai.VENDOR.base_url({"OPENAI_BASE_URL": "http://o/v1"}) == "http://o/v1"
    assert gemini.VENDOR.base_url({"PLANNER_GEMINI_URL": "http://g"}) == "http://g"
    assert xai.VENDOR.base_url({"PLANNER_XAI_URL": "http://x/v1"}) == "http://x/v1"


# --- network discipline


@pytest.mark.parametrize(
    ("vendor", "variable"),
    [
        (anthropic.VENDOR, "ANTHROPIC_API_KEY"),
        (gemini.VENDOR, "GOOGLE_API_KEY or GEMINI_API_KEY"),
        (openai.VENDOR, "OPENAI_API_KEY"),
        (xai.VENDOR, "XAI_API_KEY"),
    ],
)
def test_no_key_is_one_line_naming_the_variable(vendor, variable: str) -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    made, _ = settings(recorder)
    made.env = {}
    with pytest.raises(OnlineCountError) as raised:
        count_online(vendor, "m", REQUEST, made)
    assert f"set {variable}" in raised.value.message and "\n" not in raised.value.message
    assert raised.value.exit_code == EXIT_ONLINE
    assert recorder.seen == []


def test_429_then_success_waits_by_retry_after_and_backoff() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "7"}, json={"error": {"message": "slow down"}}),
        httpx.Response(503, json={}),
        httpx.Response(200, json={"input_tokens": 5}),
    )
    made, waits = settings(recorder, backoff=0.5)
    assert count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made).tokens == 5
    assert waits == [7.0, 1.0]  # max(0.5 * 2**0, Retry-After 7); then 0.5 * 2**1
    assert len(recorder.seen) == 3


def test_retries_are_bounded() -> None:
    recorder = Recorder(httpx.Response(500, json={}))
    made, waits = settings(recorder, retries=2, backoff=1.0)
    with pytest.raises(OnlineCountError, match=r"failed \(HTTP 500\) after 3 attempts"):
        count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    assert waits == [1.0, 2.0] and len(recorder.seen) == 3


def test_retry_after_is_capped() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200, json={"input_tokens": 1})
    )
    made, waits = settings(recorder, max_retry_after=30.0)
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    assert waits == [30.0]


def test_retry_after_as_an_http_date_is_honoured() -> None:
    # RFC 9110 allows an HTTP date; the catalog refresh honoured it and the online counts now do too
    # (one rule: planner.tokens.online.network)
    later = formatdate(time.time() + 20, usegmt=True)
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": later}), httpx.Response(200, json={"input_tokens": 1})
    )
    made, waits = settings(recorder, backoff=0.5, max_retry_after=30.0)
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    assert len(waits) == 1 and 18.0 < waits[0] <= 20.0  # the date has whole seconds


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            401,
            "Anthropic refused the key in ANTHROPIC_API_KEY (HTTP 401: invalid x-api-key); check or replace",
        ),
        (403, "Anthropic denied the key in ANTHROPIC_API_KEY access (HTTP 403: invalid x-api-key)"),
        (404, "Anthropic does not know model 'claude-sonnet-4-5'"),
        (400, "rejected the request for claude-sonnet-4-5 (HTTP 400: invalid x-api-key)"),
    ],
)
def test_refusals_are_one_line_and_not_retried(status: int, expected: str) -> None:
    answer = {"type": "error", "error": {"type": "x", "message": "invalid x-api-key"}}
    recorder = Recorder(httpx.Response(status, json=answer))
    made, waits = settings(recorder)
    with pytest.raises(OnlineCountError) as raised:
        count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    assert expected in raised.value.message and "\n" not in raised.value.message
    assert waits == [] and len(recorder.seen) == 1


def test_a_timeout_is_retried_then_said() -> None:
    def hangs(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    waits: list[float] = []
    made = OnlineSettings(
        env=ENV, transport=httpx.MockTransport(hangs), sleep=waits.append, retries=1, timeout=2
    )
    with pytest.raises(OnlineCountError, match=r"timed out \(over 2 s\) after 2 attempts"):
        count_online(gemini.VENDOR, "gemini-3.1-pro-preview", REQUEST, made)
    assert waits == [1.0]


def test_an_oversized_answer_is_refused_declared_or_streamed() -> None:
    declared = Recorder(httpx.Response(200, headers={"Content-Length": str(10**9)}, content=b"{}"))
    made, _ = settings(declared, max_answer_bytes=1000)
    with pytest.raises(OnlineCountError, match="sent more than 1,000 bytes"):
        count_online(openai.VENDOR, "gpt-4o", CountRequest((Turn("user", ("hi",)),), system="S"), made)

    def chunks():
        for _ in range(100):
            yield b" " * 100

    streamed = Recorder(httpx.Response(200, content=chunks()))  # no Content-Length: read and cut at the cap
    made, _ = settings(streamed, max_answer_bytes=1000)
    with pytest.raises(OnlineCountError, match="sent more than 1,000 bytes"):
        count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)


def test_xai_answers_may_be_larger_as_they_list_every_token() -> None:
    big = {"token_ids": [{"token_id": i, "string_token": "w", "token_bytes": [119]} for i in range(100)]}
    recorder = Recorder(httpx.Response(200, json=big))
    made, _ = settings(recorder, max_answer_bytes=1000)  # ~5 KB answer: within 64 x 1,000
    assert count_online(xai.VENDOR, "grok-4", CountRequest.of_texts(["w " * 100]), made).tokens == 100


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"input_tokens": 12', "not JSON"),
        (b'{"usage": {}}', "without a count"),
        (b'{"input_tokens": -3}', "without a count"),
        (b'{"input_tokens": "12"}', "without a count"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    ],
)
def test_a_malformed_answer_is_an_error(content: bytes, expected: str) -> None:
    recorder = Recorder(httpx.Response(200, content=content))
    made, _ = settings(recorder)
    with pytest.raises(OnlineCountError, match=expected):
        count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)


# --- the cache


def test_the_cache_answers_the_same_request_and_stores_no_text(tmp_path: Path) -> None:
    recorder = Recorder(httpx.Response(200, json={"input_tokens": 14}))
    made, _ = settings(recorder, tmp_path)
    first = count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    second = count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    assert (first.tokens, second.tokens) == (14, 14)
    assert len(recorder.seen) == 1 and second.cached and not first.cached
    assert second.basis.endswith("2026-12-07 (cached)")
    stored = list((tmp_path / "vendor-counts").glob("*.json"))
    assert len(stored) == 1 and len(stored[0].stem) == 64
    text = stored[0].read_text()
    assert "Hallo" not in text and "Welt" not in text and json.loads(text)["tokens"] == 14
    other = CountRequest.of_texts(["Hallo Welt", "andere Datei"])  # another request: another entry
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", other, made)
    assert len(recorder.seen) == 2


def test_an_old_or_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    recorder = Recorder(httpx.Response(200, json={"input_tokens": 14}))
    made, _ = settings(recorder, tmp_path)
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    (entry,) = (tmp_path / "vendor-counts").glob("*.json")
    made.today = date(2027, 3, 1)  # 84 days later: older than 30 days
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    assert len(recorder.seen) == 2
    entry.write_text("{not json")
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    assert len(recorder.seen) == 3


def test_one_client_serves_every_request_of_the_settings() -> None:
    recorder = Recorder(httpx.Response(200, json={"input_tokens": 3}))
    made, _ = settings(recorder)
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    first = made.client()
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", CountRequest.of_texts(["other"]), made)
    assert made.client() is first and len(recorder.seen) == 2
    made.close()
    assert first.is_closed and made.client() is not first
    made.close()


def test_bodies_are_utf8_json_and_a_lone_surrogate_is_sent_as_the_replacement_character() -> None:
    recorder = Recorder(httpx.Response(200, json={"input_tokens": 4}))
    made, _ = settings(recorder)
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", CountRequest.of_texts(["grüße 東京"]), made)
    assert "grüße 東京".encode() in recorder.seen[0].content  # UTF-8, not \\u escapes
    assert recorder.seen[0].headers["content-type"] == "application/json"
    count_online(anthropic.VENDOR, "claude-sonnet-4-5", CountRequest.of_texts(["bad \ud800 half"]), made)
    sent = json.loads(recorder.seen[1].content)  # as the offline count counts it: U+FFFD
    assert sent["messages"][0]["content"][0]["text"] == "bad \ufffd half"


def test_a_redirect_is_not_followed_with_the_key() -> None:
    recorder = Recorder(httpx.Response(307, headers={"Location": "https://elsewhere.example/v1/x"}))
    made, _ = settings(recorder)
    with pytest.raises(OnlineCountError) as raised:
        count_online(anthropic.VENDOR, "claude-sonnet-4-5", REQUEST, made)
    assert "HTTP 307" in raised.value.message and "https://elsewhere.example/v1/x" in raised.value.message
    assert "set PLANNER_ANTHROPIC_URL" in raised.value.message and len(recorder.seen) == 1
