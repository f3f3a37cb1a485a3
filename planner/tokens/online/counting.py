"""One exact count from a vendor's endpoint, with the same network rules for every vendor.

- Nothing is sent unless a caller asks (``--online``); the key comes from the vendor's usual variable.
- Each attempt is bounded: the connection and every read within ``timeout`` seconds (httpx's timeouts), the
  answer's body within ``timeout`` seconds in all, and at most ``max_answer_bytes`` of answer (declared or
  read; read in chunks, never whole). A count answer is a few dozen bytes, so a server dripping it is cut
  off by the body deadline; only the status line and headers rely on the per-read timeout.
- 429 and 5xx answers, timeouts and connection failures are retried ``retries`` times, waiting
  ``backoff * 2**attempt`` seconds (a 429's ``Retry-After`` in seconds is honoured up to
  ``max_retry_after``); the wait is ``sleep``, injectable so that tests never sleep.
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
    """The JSON answer of one POST, retried as the module docstring says."""
    reason = "no attempt made"
    for attempt in range(settings.retries + 1):
        wait = settings.backoff * 2**attempt
        try:
            status, headers, content = _send(client, vendor, url, body, key, settings)
        except httpx.TimeoutException:
            reason = f"timed out (over {settings.timeout:g} s)"
        except httpx.TransportError as error:
            reason = f"could not be reached ({type(error).__name__}: {error})"
        else:
            if status == 429:
                reason = "rate limited (HTTP 429)"
                wait = max(wait, _seconds(headers.get("Retry-After"), settings.max_retry_after))
            elif status >= 500:
                reason = f"failed (HTTP {status})"
            elif status >= 400:
                raise OnlineCountError(_refusal_line(vendor, status, content, var, model, url))
            elif status >= 300:  # not followed: the key would go wherever the answer points
                raise OnlineCountError(
                    f"{vendor.name} answered HTTP {status} at {url} (a redirect to "
                    f"{headers.get('Location', 'nowhere')}); set {vendor.url_vars[0]} to the endpoint itself"
                )
            else:
                return _decode(vendor, content)
        if attempt < settings.retries:
            settings.sleep(wait)
    raise OnlineCountError(
        f"{vendor.name} {vendor.endpoint} {reason} after {settings.retries + 1} attempts ({url}); "
        "try again later, or leave out --online for the offline estimate"
    )


def _send(
    client: httpx.Client, vendor: Vendor, url: str, body: dict[str, Any], key: str, settings: OnlineSettings
) -> tuple[int, httpx.Headers, bytes]:
    """(status, headers, body) of one POST, the body bounded in size and the whole in time."""
    deadline = time.monotonic() + settings.timeout
    cap = settings.max_answer_bytes * vendor.answer_scale
    headers = {**vendor.headers(key), "Content-Type": "application/json"}
    try:
        with client.stream("POST", url, content=encode_body(body), headers=headers) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > cap:
                raise _too_large(vendor, cap)
            content = bytearray()
            for chunk in response.iter_bytes():  # decoded bytes: a compressed bomb is bounded too
                content += chunk
                if len(content) > cap:
                    raise _too_large(vendor, cap)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout(f"more than {settings.timeout:g} s", request=response.request)
            return response.status_code, response.headers, bytes(content)
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


def _seconds(header: str | None, cap: float) -> float:
    """A Retry-After in seconds, capped; 0 for a date or nonsense (the backoff applies then)."""
    try:
        return max(0.0, min(float(header or 0), cap))
    except ValueError:
        return 0.0


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
