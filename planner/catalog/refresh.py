"""`planner catalog refresh`: fetch the three sources over HTTP, validate, keep the result only if it is sane.

- Fetching: httpx with an injectable transport; a timeout per request; up to ``retries`` further attempts on a
  timeout, a connection error or a 5xx, waiting ``backoff * 2**attempt`` seconds; on 429 the ``Retry-After``
  header (seconds or an HTTP date) is honoured, capped at ``max_retry_after`` seconds.
- Validation before anything is kept: a response that is not JSON (e.g. truncated) or has another shape is an
  error; records that fail the schema are skipped and listed; the refresh is refused if it has fewer than half
  the offers of the catalog in use or moves any price (same host and id) by more than 100x either way. ``-1``
  / variable prices stay unknown (``None``), as in the parsers.
- Keeping: the snapshot is written atomically (temporary file + ``os.replace``) to the user cache folder
  (``$PLANNER_CACHE_DIR``, else ``~/.cache/planner``), never over the shipped ``data/`` snapshot. On any
  failure nothing is written, so the last good copy stays in use.

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
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from planner.catalog import sources
from planner.catalog.build import SourceDocument, build, load_json
from planner.catalog.schema import ModelOffer
from planner.catalog.store import (
    Catalog,
    CatalogInfo,
    base_catalog,
    clear_catalog_cache,
    read_snapshot,
    refreshed_snapshot_path,
    write_snapshot,
)
from planner.costs import PER_TOKEN_PRICE_FIELDS
from planner.errors import CatalogError

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
MIN_KEPT_FRACTION = Decimal("0.5")
PRICE_FIELDS = PER_TOKEN_PRICE_FIELDS
_RETRYABLE_STATUS = {500, 502, 503, 504}


@dataclass(frozen=True)
class PriceChange:
    provider: str
    id: str
    field: str
    old: Decimal
    new: Decimal


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
) -> Any:
    """The JSON at ``url`` (numbers as Decimal); CatalogError with the reason once retries run out."""
    reason = "no attempt made"
    for attempt in range(retries + 1):
        wait = backoff * 2**attempt
        try:
            response = client.get(url)
        except httpx.TimeoutException:
            reason = "timed out"
        except httpx.TransportError as error:
            reason = f"connection failed ({error})"
        else:
            if response.status_code == 429:
                reason = "rate limited (HTTP 429)"
                wait = max(wait, _retry_after_seconds(response.headers.get("Retry-After"), max_retry_after))
            elif response.status_code in _RETRYABLE_STATUS:
                reason = f"server error (HTTP {response.status_code})"
            elif response.status_code >= 400:
                raise CatalogError(f"refresh failed: {name} answered HTTP {response.status_code} for {url}")
            else:
                return _decode(name, response.content)
        if attempt < retries:
            sleep(wait)
    raise CatalogError(f"refresh failed: {name} {reason} after {retries + 1} attempts ({url})")


def _decode(name: str, content: bytes) -> Any:
    try:
        return load_json(content)
    except ValueError as error:
        raise CatalogError(f"refresh refused: {name} sent invalid JSON (truncated?): {error}") from None


def _key(offer: ModelOffer) -> tuple[str, str]:
    return offer.provider, offer.id


def price_moves(old: Catalog, new: list[ModelOffer]) -> tuple[list[PriceChange], list[PriceChange]]:
    """(every changed price, the changes larger than 100x either way) for offers in both catalogs."""
    before = {_key(offer): offer for offer in old.offers}
    changed, extreme = [], []
    for offer in new:
        previous = before.get(_key(offer))
        if previous is None:
            continue
        for name in PRICE_FIELDS:
            was, now = getattr(previous.pricing, name), getattr(offer.pricing, name)
            if was is None or now is None or was == now:
                continue
            change = PriceChange(offer.provider, offer.id, name, was, now)
            changed.append(change)
            if was > 0 and now > 0 and not (1 / MAX_PRICE_RATIO <= now / was <= MAX_PRICE_RATIO):
                extreme.append(change)
    return changed, extreme


def validate_refresh(old: Catalog, new: list[ModelOffer]) -> list[PriceChange]:
    """The price changes of an acceptable refresh; CatalogError with the reason for an unacceptable one."""
    if len(new) < len(old) * MIN_KEPT_FRACTION:
        raise CatalogError(
            f"refresh refused: the new data has {len(new):,} models, fewer than half of the {len(old):,} "
            "in use (a source may be truncated); the catalog in use is unchanged"
        )
    changed, extreme = price_moves(old, new)
    if extreme:
        examples = "; ".join(
            f"{c.provider} {c.id} {c.field} {format(c.old, 'f')} -> {format(c.new, 'f')}" for c in extreme[:3]
        )
        raise CatalogError(
            f"refresh refused: {len(extreme):,} prices moved by more than 100x (e.g. {examples}); "
            "the catalog in use is unchanged"
        )
    return changed


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
) -> RefreshResult:
    """Fetch, validate and atomically keep a new catalog in the user cache (rules in the module docstring)."""
    target = cache_path or refreshed_snapshot_path()
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
            )
            documents.append(SourceDocument(name, url, fetched_on, document))
    try:
        result = build(documents)
    except CatalogError as error:
        raise CatalogError(f"refresh refused: {error.message}; the catalog in use is unchanged") from None
    old = current if current is not None else base_catalog()
    changed = validate_refresh(old, result.offers)
    write_snapshot(target, result.document())
    clear_catalog_cache()
    before = {_key(offer) for offer in old.offers}
    after = {_key(offer) for offer in result.offers}
    return RefreshResult(
        path=target,
        info=read_snapshot(target, "refreshed").info,
        added=sorted(f"{provider}/{model_id}" for provider, model_id in after - before),
        removed=sorted(f"{provider}/{model_id}" for provider, model_id in before - after),
        price_changes=changed,
        skipped=result.errors,
    )
