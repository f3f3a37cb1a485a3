"""Build a catalog snapshot from source documents (the pinned files, or freshly fetched responses).

The pinned folder holds files per source: ``openrouter-models-*.json``, ``models.dev-*.json``,
``litellm-*.json`` and optionally ``genai-prices-*.json`` (``scripts/update_sources.py`` pins the last two
from the package index). Each file's "as of" date comes from the table in ``SOURCES.md`` when the folder has
one (a month "2026-11" means its first day), else from a date in the file name; ``SOURCES.md``'s sha256 is
checked when listed. Of several files of one source the newest (by that date, then name) is used. Each
record's ``as_of`` is the date of the source its prices came from; the snapshot's own ``as_of`` is the newest
source date. genai-prices prices the offers it knows when it is fresher, and gives their dated price
history (``planner.catalog.crosscheck``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from planner.catalog import sources
from planner.catalog.crosscheck import SOURCE as CROSSCHECK_SOURCE
from planner.catalog.crosscheck import PriceCrossCheck
from planner.catalog.outliers import flag_outliers
from planner.catalog.schema import ModelOffer
from planner.catalog.sources import ParseResult  # the field `sources` below hides the module in the class
from planner.catalog.store import SourceInfo, snapshot_document
from planner.errors import CatalogError

PARSERS: dict[str, Callable[[Any, date], sources.ParseResult]] = {
    sources.OPENROUTER: sources.parse_openrouter,
    sources.MODELS_DEV: sources.parse_models_dev,
    sources.LITELLM: sources.parse_litellm,
}
FILE_PATTERNS: dict[str, str] = {
    sources.OPENROUTER: "openrouter-models-*.json",
    sources.MODELS_DEV: "models.dev-*.json",
    sources.LITELLM: "litellm-*.json",
}


@dataclass(frozen=True)
class SourceDocument:
    name: str
    file: str
    as_of: date
    document: Any


@dataclass
class BuildResult:
    offers: list[ModelOffer]
    sources: list[SourceInfo]
    as_of: date
    errors: list[str] = field(default_factory=list)
    parsed: dict[str, ParseResult] = field(default_factory=dict)  # each source's own records

    def document(self) -> dict[str, Any]:
        return snapshot_document(self.offers, self.as_of, self.sources)


def load_json(text: str | bytes) -> Any:
    """JSON with every non-integer number as Decimal (money never passes through a float)."""
    return json.loads(text, parse_float=Decimal)


def build(documents: list[SourceDocument], crosscheck: SourceDocument | None = None) -> BuildResult:
    """Parse each source, merge into one record per offer; CatalogError if a document has the wrong shape.

    ``crosscheck`` (genai-prices) prices, dates and cross-checks the offers it knows (see
    ``planner.catalog.crosscheck``); its model_count is the offers it priced or checked.
    """
    results, infos, errors, parsed = [], [], [], {}
    for source in documents:
        result = PARSERS[source.name](source.document, source.as_of)
        results.append(result)
        parsed[source.name] = result
        errors.extend(result.errors)
        infos.append(SourceInfo(source.name, source.file, source.as_of, len(result.offers)))
    offers = sources.merge_offers(results)
    if crosscheck is not None:
        offers, checked = PriceCrossCheck(crosscheck.document, crosscheck.as_of).apply(offers)
        infos.append(SourceInfo(crosscheck.name, crosscheck.file, crosscheck.as_of, checked))
    offers = flag_outliers(offers)
    as_of = max(source.as_of for source in documents)
    return BuildResult(offers, infos, as_of, errors, parsed)


def read_pinned_sources(folder: Path) -> list[SourceDocument]:
    """The newest pinned file of each of the three sources in ``folder`` (see the module docstring)."""
    if not folder.is_dir():
        raise CatalogError(f"catalog sources folder {folder} does not exist")
    documents = []
    for name, pattern in FILE_PATTERNS.items():
        document = _newest(folder, name, pattern)
        if document is None:
            raise CatalogError(f"no {name} file ({pattern}) in {folder}")
        documents.append(document)
    return documents


def read_crosscheck(folder: Path) -> SourceDocument | None:
    """The newest genai-prices file of the folder (optional, ``genai-prices-*.json``), or None."""
    return _newest(folder, CROSSCHECK_SOURCE, "genai-prices-*.json")


def _newest(folder: Path, name: str, pattern: str) -> SourceDocument | None:
    """The newest file of ``pattern`` (by its as-of date, then name), checked and parsed; None if none."""
    manifest = _read_manifest(folder / "SOURCES.md")
    dated = []
    for path in folder.glob(pattern):
        as_of_text, digest = manifest.get(path.name, (None, None))
        as_of = _as_of(as_of_text) or _as_of(_date_in_name(path.name))
        if as_of is None:
            raise CatalogError(f"no as-of date for {path} (add it to SOURCES.md or the file name)")
        dated.append((as_of, path.name, path, digest))
    if not dated:
        return None
    as_of, _, path, digest = max(dated)
    data = path.read_bytes()
    if digest and hashlib.sha256(data).hexdigest() != digest:
        raise CatalogError(f"{path} does not match the sha256 listed in SOURCES.md")
    return SourceDocument(name, path.name, as_of, load_json(data))


def _read_manifest(path: Path) -> dict[str, tuple[str, str]]:
    """file name -> (as of, sha256) from the Markdown table in SOURCES.md."""
    if not path.is_file():
        return {}
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0].endswith(".json"):
            rows[cells[0]] = (cells[2], cells[4])
    return rows


def _date_in_name(name: str) -> str | None:
    match = re.search(r"\d{4}-\d{2}(-\d{2})?", name)
    return match[0] if match else None


def _as_of(text: str | None) -> date | None:
    return sources.parse_date(text) if text else None
