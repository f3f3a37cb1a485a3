"""The network rules of every request planner makes: the online counts of this package and the catalog refresh
(planner.catalog.refresh) follow the same ones, from here.

- Each attempt is bounded as a whole: ``Watchdog`` cuts the attempt's connections once ``timeout`` seconds
  have passed, so a server that drips its status line, headers or body (each read within httpx's per-read
  timeout) cannot hold it longer; at most ``max_bytes`` of body are read (declared or read; in chunks, never
  whole; decoded bytes, so a compressed bomb is bounded too).
- A failed attempt that may succeed later (the caller raises ``Retry``: a timeout, a connection failure, 429,
  a 5xx) is tried again ``retries`` times, waiting ``backoff * 2**attempt`` seconds, or the server's
  ``Retry-After`` (seconds or an HTTP date) when that is longer, capped at ``max_retry_after``. ``sleep`` is
  injectable so that tests never sleep. After the last attempt: ``RetriesExhausted`` with the last reason.

Callers word their own errors (each command's one line); this module raises only its own exceptions.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx

T = TypeVar("T")


class Retry(Exception):
    """An attempt failed in a way that may pass: try again (``retry_after``: the server's header, if any)."""

    def __init__(self, reason: str, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class RetriesExhausted(Exception):
    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(f"{reason} after {attempts} attempts")
        self.reason = reason
        self.attempts = attempts


class TooLarge(Exception):
    """The body is larger than the cap (declared or read)."""


@dataclass(frozen=True)
class RetryPolicy:
    retries: int
    backoff: float
    max_retry_after: float
    sleep: Callable[[float], None] = time.sleep


def retry_after_seconds(header: str | None, cap: float) -> float:
    """A ``Retry-After`` header in seconds (a number or an HTTP date), within 0 and ``cap``; 0 for none or
    nonsense (the backoff applies then)."""
    if not header:
        return 0.0
    try:
        seconds = float(header)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(header) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            seconds = 0.0
    if seconds != seconds:  # NaN
        return 0.0
    return max(0.0, min(seconds, cap))


def with_retries(attempt: Callable[[], T], policy: RetryPolicy) -> T:
    """``attempt()``'s result; it raises ``Retry`` for a failure worth another attempt (see the module)."""
    reason = "no attempt made"
    for number in range(policy.retries + 1):
        wait = policy.backoff * 2**number
        try:
            return attempt()
        except Retry as failure:
            reason = failure.reason
            wait = max(wait, retry_after_seconds(failure.retry_after, policy.max_retry_after))
        if number < policy.retries:
            policy.sleep(wait)
    raise RetriesExhausted(reason, policy.retries + 1)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: httpx.Headers
    body: bytes  # empty for an answer that is not a success when ``failed_bodies`` is False


def bounded_request(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    failed_bodies: bool = True,
    **request: Any,
) -> Answer:
    """One request, bounded as the module says: ``httpx.ReadTimeout`` once ``timeout`` seconds have passed in
    all, ``TooLarge`` for a body over ``max_bytes``. The body of an answer that is not a success is read only
    with ``failed_bodies`` (an error message to quote); httpx's own errors pass through."""
    deadline = time.monotonic() + timeout
    watchdog = Watchdog(timeout)
    try:
        with watchdog, client.stream(method, url, extensions=watchdog.extensions, **request) as response:
            if not response.is_success and not failed_bodies:
                return Answer(response.status_code, response.headers, b"")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise TooLarge
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise TooLarge
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout(f"more than {timeout:g} s in all", request=response.request)
            return Answer(response.status_code, response.headers, bytes(body))
    except httpx.TransportError:
        if watchdog.expired:  # the watchdog cut the connection: the attempt took too long in all
            raise httpx.ReadTimeout(f"more than {timeout:g} s in all") from None
        raise


class Watchdog:
    """Cuts the connections a request opened once ``seconds`` have passed. The sockets come from httpcore's
    ``trace`` extension (``connection.connect_tcp.complete``); a timer thread shuts them down, which wakes
    the blocked read with an error."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self.extensions = {"trace": self._trace}

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete" and info.get("return_value") is not None:
            sock = info["return_value"].get_extra_info("socket")
            if sock is not None:
                self._sockets.append(sock)

    def _cut(self) -> None:
        self.expired = True
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
