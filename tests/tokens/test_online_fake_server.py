"""Each vendor's count endpoint against a 127.0.0.1 fake that follows its documented shapes
(tests/online_fakes.py): success, 429 then success, 401, a timeout, an oversized answer, a malformed answer.
The sleep between retries is injected (nothing sleeps); the timeout is a server that never answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from online_fakes import FRAMING, IMAGE_TOKENS, FakeVendors, fake_vendors

from planner.errors import OnlineCountError
from planner.tokens.online import anthropic, gemini, openai, xai
from planner.tokens.online.counting import OnlineSettings, count_online
from planner.tokens.online.request import CountRequest, InlineImage, ToolSpec, Turn
from planner.tokens.online.vendor import Vendor

TEXTS = ["one two three", "four five"]  # 5 words: the fake's count of the texts
BODY = CountRequest(
    turns=(
        Turn("user", ("what is this",), (InlineImage("image/png", "iVBORw0KGgo="),)),
        Turn("assistant", ("a cat",)),
    ),
    system="be brief",
    tools=(ToolSpec("lookup", "find a word", {"type": "object"}),),
)
# hand count of BODY for the fake: "what is this" 3 + "a cat" 2 + "be brief" 2 + "lookup" 1 + "find a word" 3
# + '{"type": "object"}' 2 = 13 words, one image
BODY_WORDS = 13
CASES = [
    (anthropic.VENDOR, "anthropic", "claude-sonnet-4-5"),
    (gemini.VENDOR, "gemini", "gemini-3.1-pro-preview"),
    (openai.VENDOR, "openai", "gpt-4o"),
    (xai.VENDOR, "xai", "grok-4"),
]
IDS = [case[1] for case in CASES]


@pytest.fixture
def fake() -> Iterator[FakeVendors]:
    with fake_vendors() as running:
        yield running


def settings(fake: FakeVendors, waits: list[float], **changes) -> OnlineSettings:
    return OnlineSettings(env=fake.env(), sleep=waits.append, today=date(2026, 12, 7), **changes)


@pytest.mark.parametrize(("vendor", "name", "model"), CASES, ids=IDS)
def test_success(fake: FakeVendors, vendor: Vendor, name: str, model: str) -> None:
    counted = count_online(vendor, model, CountRequest.of_texts(TEXTS), settings(fake, []))
    assert counted.tokens == 5 + FRAMING[name]
    assert counted.model == model and vendor.endpoint in counted.basis
    assert len(fake.requests) == (2 if vendor.plain_text_only else 1)


@pytest.mark.parametrize(("vendor", "name", "model"), CASES[:3], ids=IDS[:3])
def test_a_whole_request_body(fake: FakeVendors, vendor: Vendor, name: str, model: str) -> None:
    counted = count_online(vendor, model, BODY, settings(fake, []))
    assert counted.tokens == BODY_WORDS + IMAGE_TOKENS + FRAMING[name]


@pytest.mark.parametrize(("vendor", "name", "model"), CASES, ids=IDS)
def test_429_then_success(fake: FakeVendors, vendor: Vendor, name: str, model: str) -> None:
    fake.script("429")
    waits: list[float] = []
    counted = count_online(
        vendor, model, CountRequest.of_texts(["one two"]), settings(fake, waits, backoff=0.25)
    )
    assert counted.tokens == 2 + FRAMING[name]
    assert waits == [0.25] and len(fake.requests) == 2


@pytest.mark.parametrize(("vendor", "name", "model"), CASES, ids=IDS)
def test_401(fake: FakeVendors, vendor: Vendor, name: str, model: str) -> None:
    fake.script("401")
    waits: list[float] = []
    with pytest.raises(
        OnlineCountError, match=re.escape(f"{vendor.name} refused the key in {vendor.key_vars[0]}")
    ):
        count_online(vendor, model, CountRequest.of_texts(["one"]), settings(fake, waits))
    assert waits == [] and len(fake.requests) == 1


@pytest.mark.parametrize(("vendor", "name", "model"), CASES, ids=IDS)
def test_a_wrong_key_is_refused_by_the_fake_as_by_the_vendor(
    fake: FakeVendors, vendor: Vendor, name: str, model: str
) -> None:
    env = {**fake.env(), **dict.fromkeys(vendor.key_vars, "wrong")}
    with pytest.raises(OnlineCountError, match=r"HTTP (401|400)"):
        count_online(
            vendor, model, CountRequest.of_texts(["one"]), OnlineSettings(env=env, sleep=lambda _: None)
        )


@pytest.mark.parametrize(("vendor", "name", "model"), CASES, ids=IDS)
def test_a_timeout(fake: FakeVendors, vendor: Vendor, name: str, model: str) -> None:
    fake.script("hang")  # the server never answers this request (until the test ends)
    with pytest.raises(OnlineCountError, match=r"timed out \(over 0.3 s\) after 1 attempts"):
        count_online(
            vendor, model, CountRequest.of_texts(["one"]), settings(fake, [], timeout=0.3, retries=0)
        )


def test_a_server_dripping_its_headers_is_cut_off_by_the_whole_attempt_timeout(fake: FakeVendors) -> None:
    # each header line comes within the per-read timeout; only the bound on the whole attempt stops it
    # (planner.tokens.online.network.Watchdog); without it the fake drips for 30 s and the answer is broken
    fake.script("drip")
    with pytest.raises(OnlineCountError, match=r"timed out \(over 0.5 s\) after 1 attempts"):
        count_online(
            anthropic.VENDOR,
            "claude-sonnet-4-5",
            CountRequest.of_texts(["one"]),
            settings(fake, [], timeout=0.5, retries=0),
        )


@pytest.mark.parametrize(("vendor", "name", "model"), CASES, ids=IDS)
def test_an_oversized_answer(fake: FakeVendors, vendor: Vendor, name: str, model: str) -> None:
    fake.script("huge")  # 2 MB: above 1 KB (64 KB for xAI, whose answers list every token)
    with pytest.raises(OnlineCountError, match="sent more than"):
        count_online(vendor, model, CountRequest.of_texts(["one"]), settings(fake, [], max_answer_bytes=1024))


@pytest.mark.parametrize(("vendor", "name", "model"), CASES, ids=IDS)
@pytest.mark.parametrize("mode", ["malformed", "nocount"])
def test_a_malformed_answer(fake: FakeVendors, vendor: Vendor, name: str, model: str, mode: str) -> None:
    fake.script(mode)
    with pytest.raises(OnlineCountError, match="not JSON|without a count"):
        count_online(vendor, model, CountRequest.of_texts(["one"]), settings(fake, []))


def test_the_fake_refuses_a_body_that_breaks_the_documented_shape(fake: FakeVendors) -> None:
    """The fake checks shapes (so the tests above mean something): Gemini's contents and
    generateContentRequest together are refused, as documented."""
    import httpx

    answer = httpx.post(
        fake.base + "/v1beta/models/gemini-3.1-pro-preview:countTokens",
        headers={"x-goog-api-key": fake.env()["GOOGLE_API_KEY"]},
        json={"contents": [], "generateContentRequest": {"contents": []}},
    )
    assert answer.status_code == 400 and "mutually exclusive" in answer.text
