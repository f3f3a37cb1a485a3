"""Custom models from a user file (TOML, YAML or JSON) that add offers or override catalog ones.

The file holds a list ``models`` (a TOML array of tables ``[[models]]``; in YAML or JSON a top-level list also
works). Each entry is a partial model record in the catalog's shape, prices in US dollars per token:

    [[models]]                      # a self-hosted Hermes at its own price
    id = "hermes-4-405b-local"
    name = "Hermes 4 405B (self-hosted)"
    provider = "self-hosted"
    based_on = "nousresearch/hermes-4-405b"   # optional: start from this catalog offer
    pricing = { input = "0.0000005", output = "0.0000015" }

    [[models]]                      # a negotiated discount on an existing offer
    id = "gpt-4o"
    provider = "openai"
    pricing = { input = "0.000002" }

An entry whose (provider, id) is already in the catalog overrides that offer field by field (``pricing`` and
``capabilities`` merge key by key). Otherwise it is a new offer; ``based_on`` copies a catalog offer first,
else ``name`` defaults to the id and ``provider`` to "custom". Every custom record gets ``source``
"custom:<file>" and ``as_of`` the file's modification date unless the entry sets ``as_of``. Numbers are read
as Decimal (TOML, JSON) or through their text (YAML), never as binary floats. Prices must be 0 or more and
within the catalog's bounds (``planner.catalog.schema.MAX_PRICE``, ``MIN_PRICE_EXPONENT``), token limits
above 0, ids and ``based_on`` strings. The file is UTF-8 or UTF-16 with a BOM, at most 10 MB, and YAML
aliases are refused (an alias bomb). Errors name the file, the entry and the field.
"""

from __future__ import annotations

import codecs
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from planner.catalog.schema import ModelOffer
from planner.errors import CatalogError, UnknownModelError

_MERGED_SECTIONS = ("pricing", "capabilities")
MAX_FILE_BYTES = 10 * 1024 * 1024  # a file of thousands of models is well under 1 MB


@cache
def _no_alias_loader() -> type:
    """YAML without aliases (``*name``): a few hundred bytes of nested aliases expand to gigabytes. Built on
    first use: yaml (and tomllib) load only when a custom models file is read, not on every start-up."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here", mark)
            return super().compose_node(parent, index)

    return NoAliasLoader


def _load_yaml(text: str) -> Any:
    """A YAML document, or ValueError with yaml's message."""
    import yaml

    try:
        return yaml.load(text, Loader=_no_alias_loader())  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as error:
        raise ValueError(str(error) or type(error).__name__) from None


def _read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without a BOM) or UTF-16 with a BOM (what Windows editors write)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CatalogError(f"custom models file {path}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise CatalogError(
            f"custom models file {path}: larger than {MAX_FILE_BYTES:,} bytes; is it the right file?"
        )
    encoding = "utf-16" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise CatalogError(
            f"custom models file {path}: not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None


class OfferLookup(Protocol):
    """What a custom file needs of the catalog it builds on (``planner.catalog.store.Catalog``): the store
    imports this module to overlay custom offers, so this module must not import the store."""

    def get(self, query: str, provider: str | None = None) -> ModelOffer: ...

    def offer_for(self, provider: str, model_id: str) -> ModelOffer | None: ...


def _read_entries(path: Path) -> list[Any]:
    text = _read_text(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            import tomllib

            document: Any = tomllib.loads(text, parse_float=Decimal)  # TOMLDecodeError is a ValueError
        elif suffix in {".yaml", ".yml"}:
            document = _floats_as_decimals(_load_yaml(text))
        elif suffix == ".json":
            document = json.loads(text, parse_float=Decimal)
        else:
            raise CatalogError(f"custom models file {path}: use a .toml, .yaml, .yml or .json file")
    except (ValueError, RecursionError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CatalogError(
            f"custom models file {path}: not valid {suffix[1:].upper()} ({first_line})"
        ) from None
    entries = document.get("models") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise CatalogError(f'custom models file {path}: expected a list named "models"')
    return entries


def _floats_as_decimals(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: _floats_as_decimals(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_floats_as_decimals(item) for item in value]
    return value


def _merge(base: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **entry}
    for section in _MERGED_SECTIONS:
        if isinstance(base.get(section), dict) and isinstance(entry.get(section), dict):
            merged[section] = {**base[section], **entry[section]}
    return merged


def load_custom_models(path: Path, catalog: OfferLookup | None = None) -> list[ModelOffer]:
    """The offers a custom file defines, completed from ``catalog`` where they override or build on one."""
    path = Path(path).expanduser()
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date() if path.exists() else date.today()
    offers = []
    for number, entry in enumerate(_read_entries(path), start=1):
        label = f"custom models file {path}: entry {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"].strip():
            raise CatalogError(f"{label}: field 'id': a non-empty model id is required")
        label = f"{label} ({entry['id']})"
        entry = dict(entry)
        based_on = entry.pop("based_on", None)
        base = _base_record(catalog, entry, based_on, label)
        record = _merge(base, entry)
        record.setdefault("name", entry["id"])
        record.setdefault("provider", "custom")
        record["source"] = f"custom:{path}"
        record["as_of"] = entry.get("as_of", modified)
        offers.append(_validate(record, label))
    return offers


def _base_record(
    catalog: OfferLookup | None, entry: dict[str, Any], based_on: Any, label: str
) -> dict[str, Any]:
    if catalog is None:
        return {}
    if based_on is not None:
        if not isinstance(based_on, str):
            raise CatalogError(f"{label}: field 'based_on': must be a model id in quotes, got {based_on!r}")
        try:
            base = catalog.get(based_on)
        except UnknownModelError as error:
            raise CatalogError(f"{label}: field 'based_on': {error.message}") from None
        return {**base.model_dump(exclude={"disagreements", "aliases"}), "disagreements": []}
    provider = entry.get("provider")
    if not isinstance(provider, str):
        return {}
    existing = catalog.offer_for(provider, entry["id"])
    return existing.model_dump() if existing is not None else {}


def _validate(record: dict[str, Any], label: str) -> ModelOffer:
    try:
        return ModelOffer.model_validate(record)
    except ValidationError as error:
        issues = error.errors()
        names = [".".join(str(part) for part in issue["loc"]) for issue in issues]
        more = f" (also wrong: {', '.join(names[1:])})" if len(issues) > 1 else ""
        raise CatalogError(f"{label}: field '{names[0]}': {_problem(issues[0])}{more}") from None


def _problem(issue: Any) -> str:
    """Pydantic's message, in the file's terms for the bounds: prices 0 or more, token limits above 0."""
    if issue["type"] == "greater_than_equal":
        return f"must be 0 or more (US dollars per token), got {issue['input']}"
    if issue["type"] == "greater_than":
        return f"must be a positive number of tokens, got {issue['input']}"
    return str(issue["msg"]).removeprefix("Value error, ")
