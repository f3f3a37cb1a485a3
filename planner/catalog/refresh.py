"""`planner catalog refresh`: fetch the three sources over HTTP, validate, keep the result only if it is sane.

- Fetching and its bounds follow planner.tokens.online.network, the rules of every request planner makes:
  up to ``retries`` further attempts on a timeout, a connection error, 429 or a 5xx, waiting
  ``backoff * 2**attempt`` seconds or the 429's ``Retry-After`` (seconds or an HTTP date, capped at
  ``max_retry_after``); each attempt within ``timeout`` seconds in all (a server dripping its headers or body
  is cut off) and ``max_bytes`` of body (declared or read; in chunks, never whole); at most httpx's 20
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

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
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
from planner.tokens.online.network import (
    Answer,
    RetriesExhausted,
    Retry,
    RetryPolicy,
    TooLarge,
    bounded_request,
    with_retries,
)
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
    and ``max_bytes`` bytes of body, read in chunks (planner.tokens.online.network, the rules the online
    counts follow too)."""

    def attempt() -> bytes:
        try:
            answer = _get(client, name, url, timeout=timeout, max_bytes=max_bytes)
        except httpx.TimeoutException:
            raise Retry("timed out") from None
        except httpx.TransportError as error:
            raise Retry(f"connection failed ({error})") from None
        if answer.status == 429:
            raise Retry("rate limited (HTTP 429)", answer.headers.get("Retry-After"))
        if answer.status in _RETRYABLE_STATUS:
            raise Retry(f"server error (HTTP {answer.status})")
        if answer.status >= 400:
            raise CatalogError(f"refresh failed: {name} answered HTTP {answer.status} for {url}")
        return answer.body

    try:
        body = with_retries(attempt, RetryPolicy(retries, backoff, max_retry_after, sleep))
    except RetriesExhausted as failure:
        raise CatalogError(
            f"refresh failed: {name} {failure.reason} after {failure.attempts} attempts ({url})"
        ) from None
    return _decode(name, body)


def _get(client: httpx.Client, name: str, url: str, *, timeout: float, max_bytes: int) -> Answer:
    """One GET, its body only for a success; CatalogError for a body above ``max_bytes`` (declared or read),
    a redirect loop or a URL httpx cannot use."""
    try:
        return bounded_request(client, "GET", url, timeout=timeout, max_bytes=max_bytes, failed_bodies=False)
    except TooLarge:
        raise _too_large(name, max_bytes) from None
    except httpx.TooManyRedirects:
        raise CatalogError(f"refresh failed: {name} redirected too many times ({url})") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise CatalogError(f"refresh failed: {name} URL {url!r} cannot be fetched ({error})") from None
    except httpx.DecodingError as error:
        raise CatalogError(f"refresh refused: {name} sent a body that cannot be decoded ({error})") from None


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
