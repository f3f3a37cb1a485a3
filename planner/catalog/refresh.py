"""`planner catalog refresh`: fetch the three sources over HTTP, validate, keep the result only if it is sane.

- Fetching: httpx with an injectable transport; a timeout per request; up to ``retries`` further attempts on a
  timeout, a connection error or a 5xx, waiting ``backoff * 2**attempt`` seconds; on 429 the ``Retry-After``
  header (seconds or an HTTP date) is honoured, capped at ``max_retry_after`` seconds.
- Bounds on each attempt: ``timeout`` seconds in all (not per read: a server dripping its headers or body is
  cut off by ``_Watchdog``),
  at most ``max_bytes`` of body (declared or read; streamed in chunks, never read whole), at most httpx's 20
  redirects. Each failure is one CatalogError line.
- Validation before anything is kept: a response that is not JSON (e.g. truncated, or nested too deeply) or
  has another shape is an error; records that fail the schema or have unexpected inner shapes are skipped
  and listed; the refresh is refused if it has fewer than half the offers, or one source fewer than half its
  offers, or moves any price (same host and id) by more than 100x either way, against the catalog in use
  **and** against the shipped snapshot (the last trusted baseline: refreshes that each stay within the limits
  cannot walk the catalog away). ``-1`` / variable prices stay unknown (``None``), as in the parsers; a price
  that was known and becomes unknown is reported as a change.
- Keeping: the snapshot is written atomically (temporary file + ``os.replace``) to the user cache folder
  (``$PLANNER_CACHE_DIR``, else ``~/.cache/planner``), never over the shipped ``data/`` snapshot. On any
  failure nothing is written, so the last good copy stays in use. Each kept refresh appends its price
  changes (against the catalog in use, read under the lock) to the dated price ledger beside it
  (``planner.catalog.ledger``). One lock file (``refresh.lock``) covers the whole refresh, snapshot and
  ledger together, so concurrent refreshes queue and the ledger stays in step with the catalog in use.

Source URLs default to the public endpoints and can be overridden per call or with the environment variables
``PLANNER_OPENROUTER_URL``, ``PLANNER_MODELS_DEV_URL`` and ``PLANNER_LITELLM_URL``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
from filelock import FileLock
from filelock import Timeout as LockTimeout

from planner.catalog import ledger, sources, store
from planner.catalog.build import BuildResult, SourceDocument, build, load_json
from planner.catalog.schema import PER_TOKEN_PRICE_FIELDS, ModelOffer
from planner.catalog.store import (
    Catalog,
    CatalogInfo,
    base_catalog,
    clear_catalog_cache,
    read_snapshot,
    refreshed_snapshot_path,
    write_snapshot,
)
from planner.errors import CatalogError, PlannerError
from planner.wording import count_of

DEFAULT_URLS: dict[str, str] = {
    sources.OPENROUTER: "https://openrouter.ai/api/v1/models",
    sources.MODELS_DEV: "https://models.dev/api.json",
    sources.LITELLM: "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
}
URL_ENV_VARS: dict[str, str] = {
    sources.OPENROUTER: "PLANNER_OPENROUTER_URL",
    sources.MODELS_DEV: "PLANNER_MODELS_DEV_URL",
    sources.LITELLM: "PLANNER_LITELLM_URL",
}
MAX_PRICE_RATIO = Decimal(100)
MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # the largest source (models.dev) is about 2 MB
MIN_KEPT_FRACTION = Decimal("0.5")
# A refresh may turn at most this share of a source's priced offers unpriced (a known input or output price
# becoming unknown, or the record rejected for a NaN, infinite or negative price) before it is refused.
MAX_LOST_PRICE_SHARE = Decimal("0.2")
PRICE_FIELDS = PER_TOKEN_PRICE_FIELDS
_RETRYABLE_STATUS = {500, 502, 503, 504}
LOCK_FILE_NAME = "refresh.lock"
LOCK_TIMEOUT_SECONDS = 600.0  # a refresh waits this long for another one to finish


@dataclass(frozen=True)
class PriceChange:
    provider: str
    id: str
    field: str
    old: Decimal
    new: Decimal | None  # None: the price is no longer known


@dataclass
class RefreshResult:
    """What a successful refresh kept, and how it differs from the catalog it replaced."""

    path: Path
    info: CatalogInfo
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    price_changes: list[PriceChange] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def source_urls(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The URL of each source: an explicit override, else its environment variable, else the default."""
    urls = {name: os.environ.get(URL_ENV_VARS[name]) or url for name, url in DEFAULT_URLS.items()}
    urls.update({name: url for name, url in (overrides or {}).items() if url})
    return urls


def _retry_after_seconds(header: str | None, cap: float) -> float:
    if not header:
        return 0.0
    try:
        seconds = float(header)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(header) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            seconds = 0.0
    return max(0.0, min(seconds, cap))


def fetch_json(
    client: httpx.Client,
    name: str,
    url: str,
    *,
    retries: int,
    backoff: float,
    max_retry_after: float,
    sleep: Callable[[float], None],
    timeout: float = 30.0,
    max_bytes: int = MAX_RESPONSE_BYTES,
) -> Any:
    """The JSON at ``url`` (numbers as Decimal); CatalogError with the reason once retries run out.

    Each attempt is bounded as a whole: at most ``timeout`` seconds (a server that drips bytes is cut off)
    and ``max_bytes`` bytes of body (read in chunks, never whole), see ``_get``."""
    reason = "no attempt made"
    for attempt in range(retries + 1):
        wait = backoff * 2**attempt
        try:
            status, retry_after, body = _get(client, name, url, timeout=timeout, max_bytes=max_bytes)
        except httpx.TimeoutException:
            reason = "timed out"
        except httpx.TransportError as error:
            reason = f"connection failed ({error})"
        else:
            if status == 429:
                reason = "rate limited (HTTP 429)"
                wait = max(wait, _retry_after_seconds(retry_after, max_retry_after))
            elif status in _RETRYABLE_STATUS:
                reason = f"server error (HTTP {status})"
            elif status >= 400:
                raise CatalogError(f"refresh failed: {name} answered HTTP {status} for {url}")
            else:
                return _decode(name, body)
        if attempt < retries:
            sleep(wait)
    raise CatalogError(f"refresh failed: {name} {reason} after {retries + 1} attempts ({url})")


def _get(
    client: httpx.Client, name: str, url: str, *, timeout: float, max_bytes: int
) -> tuple[int, str | None, bytes]:
    """(status, Retry-After header, body) of one GET; the body only for a success. Raises
    httpx.ReadTimeout once ``timeout`` seconds have passed in all, CatalogError for a body above
    ``max_bytes`` (declared or read), a redirect loop or a URL httpx cannot use."""
    deadline = time.monotonic() + timeout
    try:
        with (
            _Watchdog(timeout) as watchdog,
            client.stream("GET", url, extensions=watchdog.extensions) as response,
        ):
            if not response.is_success:
                return response.status_code, response.headers.get("Retry-After"), b""
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(name, max_bytes)
            body = bytearray()
            for chunk in response.iter_bytes():  # decoded bytes: a gzip bomb is bounded too
                body += chunk
                if len(body) > max_bytes:
                    raise _too_large(name, max_bytes)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout(f"more than {timeout} s in all", request=response.request)
            return response.status_code, None, bytes(body)
    except httpx.TransportError:
        if watchdog.expired:  # the watchdog cut the connection: the request took too long in all
            raise httpx.ReadTimeout(f"more than {timeout} s in all") from None
        raise
    except httpx.TooManyRedirects:
        raise CatalogError(f"refresh failed: {name} redirected too many times ({url})") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise CatalogError(f"refresh failed: {name} URL {url!r} cannot be fetched ({error})") from None
    except httpx.DecodingError as error:
        raise CatalogError(f"refresh refused: {name} sent a body that cannot be decoded ({error})") from None


class _Watchdog:
    """Cuts the connections a request opened once ``seconds`` have passed, so that a server dripping its
    status line or headers (each read arrives within the read timeout) cannot hold the request longer. The
    sockets come from httpcore's ``trace`` extension (``connection.connect_tcp.complete``); a timer thread
    shuts them down, which wakes the blocked read with an error."""

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

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()


def _too_large(name: str, max_bytes: int) -> CatalogError:
    return CatalogError(
        f"refresh refused: {name} sent more than {max_bytes:,} bytes (the cap on one source); "
        "the catalog in use is unchanged"
    )


def _decode(name: str, content: bytes) -> Any:
    try:
        return load_json(content)
    except RecursionError:
        raise CatalogError(f"refresh refused: {name} sent JSON nested too deeply to be a catalog") from None
    except ValueError as error:
        raise CatalogError(f"refresh refused: {name} sent invalid JSON (truncated?): {error}") from None


def price_moves(old: Catalog, new: list[ModelOffer]) -> tuple[list[PriceChange], list[PriceChange]]:
    """(every changed price, the changes larger than 100x either way) for offers in both catalogs.

    A price that was known and is now unknown (a source served it as 0, -1 or nothing) is a change too."""
    changed, extreme = [], []
    for offer, name, was, now in ledger.price_differences(old.offers, new, PRICE_FIELDS):
        if was is None:  # a price that appeared is no move
            continue
        change = PriceChange(offer.provider, offer.id, name, was, now)
        changed.append(change)
        if (
            now is not None
            and was > 0
            and now > 0
            and not (1 / MAX_PRICE_RATIO <= now / was <= MAX_PRICE_RATIO)
        ):
            extreme.append(change)
    return changed, extreme


def shipped_catalog() -> Catalog:
    """The last trusted baseline: the snapshot shipped in the package (never the user's refreshed copy)."""
    return read_snapshot(store.SHIPPED_SNAPSHOT, "shipped")


def validate_refresh(old: Catalog, new: BuildResult, baseline: Catalog | None = None) -> list[PriceChange]:
    """The price changes (against ``old``, the catalog in use) of an acceptable refresh; CatalogError with the
    reason for an unacceptable one. The limits are checked against ``old`` and against ``baseline`` (the
    shipped snapshot), so refreshes that each stay within them cannot walk the catalog away step by step."""
    references = [(old, "in use")]
    if baseline is not None and baseline.info.path != old.info.path:
        references.append((baseline, "in the shipped catalog"))
    for reference, label in references:
        _check_lost_prices(reference, label, new)  # first: records rejected for bad prices count here
        _check_size(reference, label, new)
        _check_prices(reference, label, new.offers)
    _check_default_priced(new)
    return price_moves(old, new.offers)[0]


def lost_prices(reference: Catalog, parsed: sources.ParseResult) -> tuple[int, int]:
    """(offers of one source that lost their prices, offers of it that ``reference`` prices): a record of
    the source whose offer ``reference`` prices, now without a known input or output price or rejected."""
    priced = {
        key for offer in reference.offers if sources.has_prices(offer) for key in sources.record_keys(offer)
    }
    lost = covered = 0
    for offer in parsed.offers:
        if sources.identity_key(offer.provider, offer.id) in priced:
            covered += 1
            lost += not sources.has_prices(offer)
    rejected = sum(key in priced for key in set(parsed.rejected))
    return lost + rejected, covered + rejected


def _check_lost_prices(reference: Catalog, label: str, new: BuildResult) -> None:
    for name, parsed in new.parsed.items():
        lost, covered = lost_prices(reference, parsed)
        if covered and Decimal(lost) / covered > MAX_LOST_PRICE_SHARE:
            raise CatalogError(
                f"refresh refused: {name} leaves {lost:,} of the {covered:,} offers the catalog {label} "
                f"prices without a price (over {MAX_LOST_PRICE_SHARE:.0%}: prices sent as NaN, -1 or "
                "nothing?); "
                "the catalog in use is unchanged"
            )


def _check_default_priced(new: BuildResult) -> None:
    """The default model must keep a known input and output price (every answer without --model uses it)."""
    from planner import DEFAULT_MODEL

    document = new.document()
    info = CatalogInfo(new.as_of, new.sources, len(document["models"]), Path("refresh"), "refreshed")
    try:
        offer = Catalog.from_records(document["models"], info).get(DEFAULT_MODEL)
    except PlannerError:
        offer = None
    if offer is None or offer.pricing.input is None or offer.pricing.output is None:
        raise CatalogError(
            f"refresh refused: the default model {DEFAULT_MODEL} would be left without a known input and "
            "output price; the catalog in use is unchanged"
        )


def _check_size(reference: Catalog, label: str, new: BuildResult) -> None:
    if len(new.offers) < len(reference) * MIN_KEPT_FRACTION:
        raise CatalogError(
            f"refresh refused: the new data has {len(new.offers):,} models, fewer than half of the "
            f"{len(reference):,} {label} (a source may be truncated); the catalog in use is unchanged"
        )
    had = {source.name: source.model_count for source in reference.info.sources}
    for source in new.sources:
        before = had.get(source.name, 0)
        if source.model_count < before * MIN_KEPT_FRACTION:
            raise CatalogError(
                f"refresh refused: {source.name} has {count_of(source.model_count, 'model')}, fewer than "
                f"half of the {before:,} {label} (truncated or replaced?); the catalog in use is unchanged"
            )


def _check_prices(reference: Catalog, label: str, offers: list[ModelOffer]) -> None:
    extreme = price_moves(reference, offers)[1]
    if extreme:
        examples = "; ".join(
            f"{c.provider} {c.id} {c.field} {format(c.old, 'f')} -> {format(c.new, 'f')}" for c in extreme[:3]
        )
        raise CatalogError(
            f"refresh refused: {len(extreme):,} prices moved by more than 100x (e.g. {examples}) against the "
            f"catalog {label}; the catalog in use is unchanged"
        )


def refresh_catalog(
    *,
    urls: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 30.0,
    retries: int = 2,
    backoff: float = 1.0,
    max_retry_after: float = 60.0,
    cache_path: Path | None = None,
    current: Catalog | None = None,
    today: date | None = None,
    sleep: Callable[[float], None] = time.sleep,
    max_bytes: int = MAX_RESPONSE_BYTES,
    baseline: Catalog | None = None,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
) -> RefreshResult:
    """Fetch, validate and atomically keep a new catalog in the user cache (rules in the module docstring).

    The whole refresh runs under one lock file beside the snapshot (``refresh.lock``, the ``filelock``
    library: an OS lock released when the process ends, even killed), so concurrent refreshes queue: each
    reads the catalog in use only once the previous one has written it and its ledger lines."""
    target = cache_path or refreshed_snapshot_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(target.parent / LOCK_FILE_NAME, timeout=lock_timeout)
    try:
        with lock:
            return _refresh_locked(
                target,
                urls=urls,
                transport=transport,
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                max_retry_after=max_retry_after,
                current=current,
                today=today,
                sleep=sleep,
                max_bytes=max_bytes,
                baseline=baseline,
            )
    except LockTimeout:
        raise CatalogError(
            f"refresh failed: another refresh has held {lock.lock_file} for over {lock_timeout:.0f} s; "
            "try again when it has finished"
        ) from None


def _refresh_locked(
    target: Path,
    *,
    urls: Mapping[str, str] | None,
    transport: httpx.BaseTransport | None,
    timeout: float,
    retries: int,
    backoff: float,
    max_retry_after: float,
    current: Catalog | None,
    today: date | None,
    sleep: Callable[[float], None],
    max_bytes: int,
    baseline: Catalog | None,
) -> RefreshResult:
    fetched_on = today or datetime.now(UTC).date()
    documents = []
    with httpx.Client(transport=transport, timeout=timeout, follow_redirects=True) as client:
        for name, url in source_urls(urls).items():
            document = fetch_json(
                client,
                name,
                url,
                retries=retries,
                backoff=backoff,
                max_retry_after=max_retry_after,
                sleep=sleep,
                timeout=timeout,
                max_bytes=max_bytes,
            )
            documents.append(SourceDocument(name, url, fetched_on, document))
    try:
        result = build(documents)
    except CatalogError as error:
        raise CatalogError(f"refresh refused: {error.message}; the catalog in use is unchanged") from None
    clear_catalog_cache()  # the catalog in use now, as the refresh before this one left it
    old = current if current is not None else base_catalog()
    changed = validate_refresh(old, result, baseline if baseline is not None else shipped_catalog())
    write_snapshot(target, result.document())
    ledger.record_refresh(target.parent, old.offers, result.offers, fetched_on)
    clear_catalog_cache()
    before = {ledger.offer_identity(offer) for offer in old.offers}
    after = {ledger.offer_identity(offer) for offer in result.offers}
    return RefreshResult(
        path=target,
        info=read_snapshot(target, "refreshed").info,
        added=sorted(f"{provider}/{model_id}" for provider, model_id in after - before),
        removed=sorted(f"{provider}/{model_id}" for provider, model_id in before - after),
        price_changes=changed,
        skipped=result.errors,
    )
