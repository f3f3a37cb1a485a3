"""One exact count from a vendor's endpoint, with the same network rules for every vendor.

- Nothing is sent unless a caller asks (``--online``); the key comes from the vendor's usual variable.
- Each attempt is bounded and retried by planner.tokens.online.network, the rules of every request planner
  makes: within ``timeout`` seconds in all (a server dripping its status line, headers or answer is cut off),
  at most ``max_answer_bytes`` of answer (declared or read; in chunks, never whole); 429 and 5xx answers,
  timeouts and connection failures are tried again ``retries`` times, waiting ``backoff * 2**attempt``
  seconds or a 429's ``Retry-After`` (seconds or an HTTP date, up to ``max_retry_after``); the wait is
  ``sleep``, injectable so that tests never sleep.
- 401, 403, 404 and other 4xx answers are not retried: one line says what to do. Redirects are not
  followed (the key would be sent wherever one points): one line names where it points.
- An answer that is not JSON, or has no count where the vendor's documentation puts it, is an error.
- Each request's count is cached by a hash of the request (``planner.tokens.online.cache``).

Every failure is an ``OnlineCountError`` (exit status 9): one line, never a traceback.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from planner.errors import OnlineCountError
from planner.tokens.online import cache
from planner.tokens.online.network import (
    Answer,
    RetriesExhausted,
    Retry,
    RetryPolicy,
    TooLarge,
    bounded_request,
    with_retries,
)
from planner.tokens.online.request import CountRequest
from planner.tokens.online.vendor import Vendor

MAX_ANSWER_BYTES = 1024 * 1024  # a count answer is a few dozen bytes (xAI's token list: see xai.py)
MAX_ERROR_TEXT = 200  # characters of a vendor's error message quoted in a line
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a Python str holds a surrogate only unpaired


@dataclass
class OnlineSettings:
    """How to reach the vendors; the defaults are the CLI's. Tests inject ``transport`` and ``sleep``."""

    env: Mapping[str, str] | None = None  # None: os.environ
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 30.0
    max_answer_bytes: int = MAX_ANSWER_BYTES
    cache_dir: Path | None = None  # None: no cache
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    def client(self) -> httpx.Client:
        """One client for every request made with these settings: making a client loads the TLS
        certificates (~0.2 s here), which would otherwise be paid once per request of a batch."""
        if self._client is None:
            self._client = httpx.Client(transport=self.transport, timeout=self.timeout)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


@dataclass(frozen=True)
class VendorCount:
    tokens: int
    vendor: str
    endpoint: str
    model: str  # the vendor's id the count was asked for
    counted_on: date  # the day the vendor counted (an earlier day when cached)
    requests: int = 1
    cached: bool = False

    @property
    def basis(self) -> str:
        """'exact, Anthropic POST /v1/messages/count_tokens (claude-sonnet-4-5), 2026-12-07'."""
        summed = f", {self.requests:,} requests summed" if self.requests > 1 else ""
        cached = " (cached)" if self.cached else ""
        return (
            f"exact, {self.vendor} {self.endpoint} ({self.model}{summed}), "
            f"{self.counted_on.isoformat()}{cached}"
        )


def refusal(vendor: Vendor, request: CountRequest) -> str | None:
    """Why this request is not sent to this vendor (the offline estimate is kept), or None."""
    if vendor.plain_text_only and not request.is_plain_text:
        return (
            f"{vendor.name}'s {vendor.endpoint} counts plain text only, not a request body with a "
            "system text, turns, tools or images"
        )
    if request.size > vendor.max_request_bytes:
        return (
            f"the input ({request.size:,} bytes) is larger than one {vendor.name} count request takes "
            f"({vendor.max_request_bytes:,} bytes), and a split would not be exact"
        )
    return None


def count_online(
    vendor: Vendor, model_id: str, request: CountRequest, settings: OnlineSettings
) -> VendorCount:
    """The vendor's count of ``request`` for ``model_id`` (a catalog id); OnlineCountError on any failure."""
    var, key = vendor.key(settings.env)
    model = vendor.model_name(model_id)
    base = vendor.base_url(settings.env)
    total, newest, all_cached = 0, date.min, True
    bodies = vendor.bodies(model, request)
    for path, body in bodies:
        url = base + path
        entry = cache.request_key(vendor.name, url, body)
        hit = cache.lookup(settings.cache_dir, entry, settings.today)
        if hit is None:
            tokens = _read(vendor, _post(settings.client(), vendor, url, body, key, var, model, settings))
            cache.store(settings.cache_dir, entry, tokens, settings.today, vendor.endpoint)
            hit, all_cached = (tokens, settings.today), False
        total += hit[0]
        newest = max(newest, hit[1])
    return VendorCount(
        tokens=total,
        vendor=vendor.name,
        endpoint=vendor.endpoint,
        model=model,
        counted_on=newest if bodies else settings.today,
        requests=len(bodies),
        cached=all_cached and bool(bodies),
    )


def _read(vendor: Vendor, answer: Any) -> int:
    try:
        return vendor.read(answer)
    except ValueError as error:
        raise OnlineCountError(
            f"{vendor.name} {vendor.endpoint} sent an answer without a count ({error}); "
            "leave out --online for the offline estimate"
        ) from None


def _post(
    client: httpx.Client,
    vendor: Vendor,
    url: str,
    body: dict[str, Any],
    key: str,
    var: str,
    model: str,
    settings: OnlineSettings,
) -> Any:
    """The JSON answer of one POST, retried and bounded as the module docstring says."""

    def attempt() -> bytes:
        try:
            answer = _send(client, vendor, url, body, key, settings)
        except httpx.TimeoutException:
            raise Retry(f"timed out (over {settings.timeout:g} s)") from None
        except httpx.TransportError as error:
            raise Retry(f"could not be reached ({type(error).__name__}: {error})") from None
        if answer.status == 429:
            raise Retry("rate limited (HTTP 429)", answer.headers.get("Retry-After"))
        if answer.status >= 500:
            raise Retry(f"failed (HTTP {answer.status})")
        if answer.status >= 400:
            raise OnlineCountError(_refusal_line(vendor, answer.status, answer.body, var, model, url))
        if answer.status >= 300:  # not followed: the key would go wherever the answer points
            raise OnlineCountError(
                f"{vendor.name} answered HTTP {answer.status} at {url} (a redirect to "
                f"{answer.headers.get('Location', 'nowhere')}); "
                f"set {vendor.url_vars[0]} to the endpoint itself"
            )
        return answer.body

    policy = RetryPolicy(settings.retries, settings.backoff, settings.max_retry_after, settings.sleep)
    try:
        return _decode(vendor, with_retries(attempt, policy))
    except RetriesExhausted as failure:
        raise OnlineCountError(
            f"{vendor.name} {vendor.endpoint} {failure.reason} after {failure.attempts} attempts ({url}); "
            "try again later, or leave out --online for the offline estimate"
        ) from None


def _send(
    client: httpx.Client, vendor: Vendor, url: str, body: dict[str, Any], key: str, settings: OnlineSettings
) -> Answer:
    """One POST, the answer bounded in size and the whole in time."""
    cap = settings.max_answer_bytes * vendor.answer_scale
    headers = {**vendor.headers(key), "Content-Type": "application/json"}
    try:
        return bounded_request(
            client,
            "POST",
            url,
            timeout=settings.timeout,
            max_bytes=cap,
            content=encode_body(body),
            headers=headers,
        )
    except TooLarge:
        raise _too_large(vendor, cap) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise OnlineCountError(f"{vendor.name} URL {url!r} cannot be used ({error})") from None
    except httpx.DecodingError as error:
        raise OnlineCountError(f"{vendor.name} sent an answer that cannot be decoded ({error})") from None


def encode_body(body: dict[str, Any]) -> bytes:
    """The body as UTF-8 JSON. A lone surrogate (a JSON file may hold "\\ud800"; UTF-8 cannot carry it,
    and httpx's own encoding raised on it) is sent as U+FFFD, the character the offline count counts it as
    (planner.tokens.encoders)."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


def _too_large(vendor: Vendor, cap: int) -> OnlineCountError:
    return OnlineCountError(
        f"{vendor.name} {vendor.endpoint} sent more than {cap:,} bytes, too much for a count; "
        "leave out --online for the offline estimate"
    )


def _decode(vendor: Vendor, content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        raise OnlineCountError(
            f"{vendor.name} {vendor.endpoint} sent an answer that is not JSON (truncated?); "
            "leave out --online for the offline estimate"
        ) from None


def _refusal_line(vendor: Vendor, status: int, content: bytes, var: str, model: str, url: str) -> str:
    said = _error_message(content)
    what = f"HTTP {status}" + (f": {said}" if said else "")
    if status == 401:
        return f"{vendor.name} refused the key in {var} ({what}); check or replace the key"
    if status == 403:
        return (
            f"{vendor.name} denied the key in {var} access ({what}); check the key's permissions for {model}"
        )
    if status == 404:
        return (
            f"{vendor.name} does not know model '{model}' at {url} ({what}); give the vendor's own model id "
            "with --model, or check the base URL"
        )
    return f"{vendor.name} {vendor.endpoint} rejected the request for {model} ({what})"


def _error_message(content: bytes) -> str:
    """The message of a vendor's error answer: ``{"error": {"message"}}`` (Anthropic, OpenAI, Google, xAI
    all nest it so), else the start of the text."""
    try:
        document = json.loads(content)
    except (ValueError, RecursionError):
        return content[:MAX_ERROR_TEXT].decode("utf-8", "replace").strip()
    error = document.get("error") if isinstance(document, dict) else None
    message = error.get("message") if isinstance(error, dict) else error
    text = message if isinstance(message, str) else ""
    return " ".join(text.split())[:MAX_ERROR_TEXT]
