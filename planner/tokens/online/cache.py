"""Vendor counts kept on disk, so the same request is not sent twice: one small JSON file per request, named
by the sha256 of the vendor, the URL and the request body. Only the count, the endpoint and the day are
stored, never the text (the hash cannot give it back). Written atomically (temporary file + ``os.replace``);
an unreadable or old entry is a miss. The folder is given by the caller (the planner cache folder,
``planner.catalog.store.cache_dir``)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

FOLDER = "vendor-counts"
MAX_AGE_DAYS = 30  # a vendor may change a model's tokenizer behind the same id: count again after this


def request_key(vendor: str, url: str, body: dict[str, Any]) -> str:
    canonical = json.dumps([vendor, url, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _path(folder: Path, key: str) -> Path:
    return folder / FOLDER / f"{key}.json"


def lookup(folder: Path | None, key: str, today: date) -> tuple[int, date] | None:
    """(tokens, day counted) of a cached count no older than MAX_AGE_DAYS, else None."""
    if folder is None:
        return None
    try:
        entry = json.loads(_path(folder, key).read_text("utf-8"))
        tokens, counted_on = entry["tokens"], date.fromisoformat(entry["counted_on"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(tokens, int) or isinstance(tokens, bool) or tokens < 0:
        return None
    if not 0 <= (today - counted_on).days <= MAX_AGE_DAYS:
        return None
    return tokens, counted_on


def store(folder: Path | None, key: str, tokens: int, counted_on: date, endpoint: str) -> None:
    """Keep a count; a cache that cannot be written is no error (the count was made)."""
    if folder is None:
        return
    target = _path(folder, key)
    entry = {"tokens": tokens, "counted_on": counted_on.isoformat(), "endpoint": endpoint}
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
