"""OpenRouter's own record of a model, verbatim from the pinned snapshot (package data written by
scripts/build_raw_records.py): the fields the catalog's schema leaves out (is_moderated, per_request_limits,
default_parameters, created, links ...) for the model page's "raw record"."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel

from planner.catalog.schema import ModelOffer

RECORDS_FILE = "openrouter_records.json"


class RawRecord(BaseModel):
    source: str  # the snapshot's file name, e.g. "openrouter-models-2026-08-19.json"
    record: dict[str, Any]


@cache
def _document() -> dict[str, Any]:
    text = resources.files("planner.data").joinpath(RECORDS_FILE).read_bytes()
    document: dict[str, Any] = json.loads(text)
    return document


def raw_record(offer: ModelOffer) -> RawRecord | None:
    """OpenRouter's record of ``offer``'s weights: by its id on OpenRouter, else by its canonical slug (the
    same weights on another host); None when the snapshot has none."""
    records = _document()["records"]
    for key in (offer.id if offer.provider == "openrouter" else None, offer.canonical_slug):
        if key and key in records:
            return RawRecord(source=_document()["source"], record=records[key])
    return None
