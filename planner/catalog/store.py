"""The catalog in use: the refreshed copy if present and valid, else the shipped snapshot, plus custom models.

Loading is kept cheap: the snapshot JSON is read once and records are validated into ``ModelOffer`` only when
a lookup needs them (``get`` validates a handful; ``offers``, ``search`` and ``filter`` validate all once).

``Catalog.search`` matches words as tokens, not substrings: see ``word_matches``.

Lookup order for ``Catalog.get``: exact id, ``provider/id``, case-insensitive id or alias, then the display
name or the id's last segment ignoring case and ``-``/``_``/space differences ("gpt 5", "hermes-4-405b"), then
a fuzzy match where every word of the query matches the id or name (``Catalog.search``: "hermes 405"). An
exact id without a host part ("claude-sonnet-4") also matches the same bare id on every host
("anthropic/claude-sonnet-4" on OpenRouter) and the maker's own alias of it ("claude-sonnet-4-0" on
anthropic). When several hosts offer the match, the canonical offer wins (``canonical_rank``): the model
maker's own host (``naming.MAKER_HOSTS``: ``anthropic`` for Claude, ``openai`` for GPT), then OpenRouter,
then by source precedence and host name. Fuzzy matches prefer the canonical host, then the tightest id (fewest
characters beyond the query words), then the newest release: "hermes" is nousresearch/hermes-4-70b and
"claude" anthropic's claude-opus-5. ``Catalog.resolve`` returns the choice with the other models the query
matched, for "also matched: ..." (``get`` is ``resolve(...).offer``).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from planner.catalog import naming
from planner.catalog.schema import ModelOffer
from planner.errors import CatalogError, UnknownModelError

SNAPSHOT_FORMAT = 1
SHIPPED_SNAPSHOT = Path(__file__).resolve().parents[2] / "data" / "catalog.json"
CACHE_FILE_NAME = "catalog.json"
MODELS_FILE_ENV = "PLANNER_MODELS_FILE"
CACHE_DIR_ENV = "PLANNER_CACHE_DIR"
_SOURCE_RANK = {"openrouter": 0, "litellm": 1, "models.dev": 2}


@dataclass(frozen=True)
class SourceInfo:
    name: str
    file: str
    as_of: date
    model_count: int


@dataclass(frozen=True)
class CatalogInfo:
    as_of: date
    sources: list[SourceInfo]
    model_count: int
    path: Path
    origin: Literal["shipped", "refreshed"]
    custom_file: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "sources": [
                {"name": s.name, "file": s.file, "as_of": s.as_of.isoformat(), "model_count": s.model_count}
                for s in self.sources
            ],
            "model_count": self.model_count,
            "path": str(self.path),
            "origin": self.origin,
            "custom_file": str(self.custom_file) if self.custom_file else None,
        }


def cache_dir() -> Path:
    """The user cache folder: $PLANNER_CACHE_DIR, else $XDG_CACHE_HOME/planner, else ~/.cache/planner."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "planner"


def refreshed_snapshot_path() -> Path:
    return cache_dir() / CACHE_FILE_NAME


MatchKind = Literal["id", "host/id", "name", "words"]
MAX_ALTERNATIVES = 5


@dataclass(frozen=True)
class Resolution:
    """What ``Catalog.resolve`` found: the offer, how (exact id, ``host/id``, display name or loose id tail,
    or search words) and up to ``MAX_ALTERNATIVES`` other models the query also matched (one offer each)."""

    offer: ModelOffer
    alternatives: list[ModelOffer]
    matched_by: MatchKind


@dataclass
class _Entry:
    record: dict[str, Any]
    offer: ModelOffer | None = None


@dataclass
class Catalog:
    """A set of offers with lookups; records are validated on first use."""

    info: CatalogInfo
    _entries: list[_Entry] = field(default_factory=list, repr=False)
    _by_id: dict[str, list[int]] | None = field(default=None, repr=False)
    _by_loose_name: dict[str, list[int]] | None = field(default=None, repr=False)
    _search_tokens: list[list[tuple[str, ...]]] | None = field(default=None, repr=False)
    _by_bare_id: dict[str, list[int]] | None = field(default=None, repr=False)

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]], info: CatalogInfo) -> Catalog:
        return cls(info=info, _entries=[_Entry(record) for record in records])

    @classmethod
    def from_offers(cls, offers: Iterable[ModelOffer], info: CatalogInfo) -> Catalog:
        return cls(info=info, _entries=[_Entry(offer.model_dump(), offer) for offer in offers])

    # ------------------------------------------------------------ access

    def _offer(self, index: int) -> ModelOffer:
        entry = self._entries[index]
        if entry.offer is None:
            entry.offer = ModelOffer.model_validate(entry.record)
        return entry.offer

    @property
    def offers(self) -> list[ModelOffer]:
        return [self._offer(index) for index in range(len(self._entries))]

    def __len__(self) -> int:
        return len(self._entries)

    def offer_for(self, provider: str, model_id: str) -> ModelOffer | None:
        """The offer of exactly this host and id (case-insensitive), or None."""
        for position in self._index().get(model_id.lower(), []):
            if self._entries[position].record["provider"].lower() == provider.lower():
                return self._offer(position)
        return None

    def overlay(self, offers: list[ModelOffer], custom_file: Path | None = None) -> Catalog:
        """A new catalog: these offers added, replacing any of the same host and id (custom models)."""
        replaced = {(offer.provider.lower(), offer.id.lower()) for offer in offers}
        kept = [
            entry
            for entry in self._entries
            if (entry.record["provider"].lower(), entry.record["id"].lower()) not in replaced
        ]
        entries = [*(_Entry(offer.model_dump(), offer) for offer in offers), *kept]
        info = replace(self.info, model_count=len(entries), custom_file=custom_file or self.info.custom_file)
        return Catalog(info=info, _entries=entries)

    def _index(self) -> dict[str, list[int]]:
        if self._by_id is None:
            index: dict[str, list[int]] = {}
            for position, entry in enumerate(self._entries):
                record = entry.record
                for key in {record["id"].lower(), *(alias.lower() for alias in record.get("aliases") or [])}:
                    index.setdefault(key, []).append(position)
            self._by_id = index
        return self._by_id

    # ------------------------------------------------------------ lookups

    def get(self, query: str, provider: str | None = None) -> ModelOffer:
        """The offer a user means by ``query`` (see the module docstring); UnknownModelError on a miss."""
        return self.resolve(query, provider).offer

    def resolve(self, query: str, provider: str | None = None) -> Resolution:
        """``get``'s offer, how it was matched, and the other models the query also matched (one canonical
        offer each, best first), so a caller can say "also matched: ..."; UnknownModelError on a miss."""
        text = query.strip()
        if not text:
            raise UnknownModelError(query, [])
        lowered = text.lower()
        host = provider.strip().lower() if provider else None
        steps: list[tuple[MatchKind, list[int]]] = [
            ("id", [i for i in self._index().get(lowered, []) if self._entries[i].record["id"] == text]),
            ("host/id", self._provider_prefixed(lowered)),
            ("id", self._index().get(lowered, [])),
        ]
        for kind, matches in steps:
            if matches and kind == "id" and "/" not in lowered:
                matches = [*matches, *self._same_model_elsewhere(lowered)]
            found = self._resolution([self._offer(i) for i in matches], host, kind, canonical_rank)
            if found is not None:
                return found
        loose = [self._offer(i) for i in self._loose_index().get(_loose(text), [])]
        found = self._resolution(loose, host, "name", canonical_rank)
        if found is not None:
            return found
        fuzzy = [o for o in self.search(text) if host is None or o.provider.lower() == host]
        found = self._resolution(fuzzy, None, "words", None)
        if found is not None:
            return found
        raise UnknownModelError(query, self.suggestions(text))

    def _resolution(
        self, offers: list[ModelOffer], host: str | None, kind: MatchKind, rank: Any
    ) -> Resolution | None:
        """The best of ``offers`` (by ``rank``, or in the given order) and one offer of each other model."""
        if host is not None:
            offers = [offer for offer in offers if offer.provider.lower() == host]
        if not offers:
            return None
        ordered = sorted(offers, key=rank) if rank else offers
        best: dict[str, ModelOffer] = {}
        for offer in ordered:
            best.setdefault(model_key(offer.id), offer)
        chosen, *others = best.values()
        return Resolution(chosen, others[:MAX_ALTERNATIVES], kind)

    def _same_model_elsewhere(self, bare_query: str) -> list[int]:
        """Offers of the same bare model id on any host ("anthropic/claude-sonnet-4" for "claude-sonnet-4"),
        and the maker's own alias of it ("claude-sonnet-4-0", "...-latest")."""
        if self._by_bare_id is None:
            index: dict[str, list[int]] = {}
            for position, entry in enumerate(self._entries):
                for model_id in {entry.record["id"], *(entry.record.get("aliases") or [])}:
                    index.setdefault(naming.bare_model_id(model_id), []).append(position)
            self._by_bare_id = index
        positions = list(self._by_bare_id.get(bare_query, []))
        for alias in (f"{bare_query}-0", f"{bare_query}-latest"):
            positions += [
                i for i in self._by_bare_id.get(alias, []) if _on_maker_host(self._entries[i].record)
            ]
        return positions

    def _loose_index(self) -> dict[str, list[int]]:
        """Names and id tails ("hermes-4-405b" of "nousresearch/hermes-4-405b"), separators folded."""
        if self._by_loose_name is None:
            index: dict[str, list[int]] = {}
            for position, entry in enumerate(self._entries):
                record = entry.record
                tails = [
                    model_id.rsplit("/", 1)[-1] for model_id in [record["id"], *(record.get("aliases") or [])]
                ]
                for key in {_loose(record["name"]), *(_loose(tail) for tail in tails)}:
                    index.setdefault(key, []).append(position)
            self._by_loose_name = index
        return self._by_loose_name

    def _provider_prefixed(self, lowered: str) -> list[int]:
        host, _, rest = lowered.partition("/")
        if not rest:
            return []
        return [i for i in self._index().get(rest, []) if self._entries[i].record["provider"].lower() == host]

    def _best(self, offers: list[ModelOffer], host: str | None) -> ModelOffer | None:
        if host is not None:
            offers = [offer for offer in offers if offer.provider.lower() == host]
        return min(offers, key=canonical_rank) if offers else None

    def search(self, text: str) -> list[ModelOffer]:
        """Offers whose id, an alias, name or host match every word of ``text`` (see ``word_matches``);
        best matches first."""
        words = [word for word in re.split(r"[\s,]+", text.lower()) if word]
        queries = [tokens for tokens in (search_tokens(word) for word in words) if tokens]
        if not queries:
            return sorted(self.offers, key=canonical_rank)
        found = []
        for position, fields in enumerate(self._token_fields()):
            if all(any(word_matches(query, field) for field in fields) for query in queries):
                found.append(self._offer(position))  # matched on the raw record: only hits are validated
        return sorted(found, key=lambda offer: _fuzzy_rank(offer, words))

    def _token_fields(self) -> list[list[tuple[str, ...]]]:
        """Per record: the search tokens of its id, aliases, name and host (computed once)."""
        if self._search_tokens is None:
            self._search_tokens = [
                [
                    search_tokens(value)
                    for value in (
                        entry.record["id"],
                        *(entry.record.get("aliases") or []),
                        entry.record["name"],
                        entry.record["provider"],
                    )
                ]
                for entry in self._entries
            ]
        return self._search_tokens

    def suggestions(self, text: str, limit: int = 5) -> list[str]:
        """Close ids for a query that matched nothing."""
        lowered = text.lower()
        ids = sorted({offer.id for offer in self.offers})
        by_lower = {model_id.lower(): model_id for model_id in ids}
        close = difflib.get_close_matches(lowered, list(by_lower), n=limit, cutoff=0.6)
        if len(close) < limit:
            tails = {model_id.rsplit("/", 1)[-1].lower(): model_id for model_id in reversed(ids)}
            for tail in difflib.get_close_matches(lowered, list(tails), n=limit, cutoff=0.6):
                close.append(tails[tail].lower())
        return list(dict.fromkeys(by_lower[model_id] for model_id in close))[:limit]

    def filter(
        self,
        *,
        provider: str | None = None,
        creator: str | None = None,
        capability: list[str] | None = None,
        modality: str | None = None,
        min_context: int | None = None,
        max_input_price: Decimal | None = None,
        max_output_price: Decimal | None = None,
        mode: str | None = None,
        offers: Iterable[ModelOffer] | None = None,
    ) -> list[ModelOffer]:
        """Offers that meet every given condition; an unknown value never passes a condition on it."""
        wanted = [name.strip().lower().replace("-", "_") for name in capability or []]
        unknown = [name for name in wanted if name not in CAPABILITY_NAMES]
        if unknown:
            raise CatalogError(
                f"unknown capability '{unknown[0]}'; choose from: {', '.join(sorted(CAPABILITY_NAMES))}"
            )
        result = []
        for offer in self.offers if offers is None else offers:
            if provider and offer.provider.lower() != provider.lower():
                continue
            if creator and (offer.creator or "").lower() != creator.lower():
                continue
            if any(getattr(offer.capabilities, name) is not True for name in wanted):
                continue
            if modality and modality.lower() not in {*offer.input_modalities, *offer.output_modalities}:
                continue
            if min_context is not None and (offer.context_window or 0) < min_context:
                continue
            if not _price_at_most(offer.pricing.input, max_input_price):
                continue
            if not _price_at_most(offer.pricing.output, max_output_price):
                continue
            if mode and offer.mode != mode:
                continue
            result.append(offer)
        return result


CAPABILITY_NAMES = frozenset(
    {
        "vision",
        "tool_use",
        "function_calling",
        "reasoning",
        "prompt_caching",
        "web_search",
        "batch_api",
        "streaming",
        "structured_output",
    }
)


def search_tokens(text: str) -> tuple[str, ...]:
    """Runs of letters and runs of digits, lower case: "nousresearch/hermes-4-405b" -> (nousresearch,
    hermes, 4, 405, b); "hermes4" -> (hermes, 4). Separators and letter/digit boundaries split words."""
    return tuple(re.findall(r"[^\W\d_]+|\d+", text.lower()))


def word_matches(query: tuple[str, ...], field: tuple[str, ...]) -> bool:
    """Whether a query word's tokens appear in a row in ``field``: a number matches only a whole number token
    ("4" matches hermes-4-405b, not 34b), letters match the start of a token ("son" matches sonnet). So
    "hermes4" matches hermes-4 and "hermes 4" (two words) needs both anywhere."""
    size = len(query)
    for start in range(len(field) - size + 1):
        if all(_token_matches(q, f) for q, f in zip(query, field[start : start + size], strict=True)):
            return True
    return False


def _token_matches(query: str, token: str) -> bool:
    return query == token if query.isdigit() else token.startswith(query)


def _loose(text: str) -> str:
    return re.sub(r"[-_\s]+", " ", text.lower()).strip()


def _price_at_most(price: Decimal | None, limit: Decimal | None) -> bool:
    return limit is None or (price is not None and price <= limit)


def _on_maker_host(record: dict[str, Any]) -> bool:
    return naming.MAKER_HOSTS.get(record.get("creator") or "") == record["provider"]


def model_key(model_id: str) -> str:
    """One key per model across hosts and snapshots' aliases: the bare id without a version suffix or the
    maker's "-0" / "-latest" alias suffix ("anthropic.claude-v2:1" -> "claude-v2")."""
    key = naming.bare_model_id(model_id)
    previous = None
    while previous != key:
        previous = key
        key = re.sub(r"(-v\d+(:\d+)?|:\d+|-hf|-0|-latest)$", "", key)
    return key


def canonical_rank(offer: ModelOffer) -> tuple[int, int, str, str]:
    """Sort key: the maker's own host first (``naming.MAKER_HOSTS``: anthropic for Claude, openai for GPT),
    then OpenRouter, then by source precedence and host name."""
    first_party = naming.MAKER_HOSTS.get(offer.creator or "") == offer.provider
    host_rank = 0 if first_party else 1 if offer.provider == "openrouter" else 2
    return host_rank, _SOURCE_RANK.get(offer.source, 3), offer.provider, offer.id


def _fuzzy_rank(offer: ModelOffer, words: list[str]) -> tuple[Any, ...]:
    tail = naming.bare_model_id(offer.id)
    released = offer.release_date.toordinal() if offer.release_date else 0
    host_rank, *rest = canonical_rank(offer)
    return (host_rank, len(tail) - sum(len(word) for word in words if word in tail), -released, *rest)


# ---------------------------------------------------------------- loading

_DEFAULT_CATALOG: Catalog | None = None


def read_snapshot(path: Path, origin: Literal["shipped", "refreshed"] = "shipped") -> Catalog:
    """A catalog from a snapshot written by ``write_snapshot``; CatalogError if it is missing or invalid."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"catalog snapshot {path} is missing; run scripts/build_catalog.py") from None
    except (OSError, ValueError) as error:
        raise CatalogError(
            f"catalog snapshot {path} is unreadable ({error}); rebuild or refresh it"
        ) from None
    if not isinstance(document, dict) or document.get("format") != SNAPSHOT_FORMAT:
        raise CatalogError(f"catalog snapshot {path} has an unknown format; rebuild or refresh it")
    models = document.get("models")
    if (
        not isinstance(models, list)
        or not models
        or not all(isinstance(m, dict) and "id" in m for m in models)
    ):
        raise CatalogError(f"catalog snapshot {path} has no model records; rebuild or refresh it")
    try:
        sources = [
            SourceInfo(s["name"], s["file"], date.fromisoformat(s["as_of"]), int(s["model_count"]))
            for s in document["sources"]
        ]
        info = CatalogInfo(date.fromisoformat(document["as_of"]), sources, len(models), path, origin)
    except (KeyError, TypeError, ValueError) as error:
        raise CatalogError(f"catalog snapshot {path} has an invalid header ({error})") from None
    return Catalog.from_records(models, info)


def snapshot_document(offers: list[ModelOffer], as_of: date, sources: list[SourceInfo]) -> dict[str, Any]:
    """The JSON document of a snapshot: compact records (defaults left out), sorted by provider and id."""
    ordered = sorted(offers, key=lambda offer: (offer.provider, offer.id.lower(), offer.id))
    return {
        "format": SNAPSHOT_FORMAT,
        "as_of": as_of.isoformat(),
        "sources": [
            {"name": s.name, "file": s.file, "as_of": s.as_of.isoformat(), "model_count": s.model_count}
            for s in sources
        ],
        "model_count": len(ordered),
        "models": [offer.model_dump(mode="json", exclude_defaults=True) for offer in ordered],
    }


def write_snapshot(path: Path, document: dict[str, Any]) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def base_catalog() -> Catalog:
    """The refreshed copy if present and valid, else the shipped snapshot (no custom models)."""
    refreshed = refreshed_snapshot_path()
    if refreshed.is_file():
        try:
            return read_snapshot(refreshed, "refreshed")
        except CatalogError:
            pass  # a damaged user copy must not break the shipped catalog
    return read_snapshot(SHIPPED_SNAPSHOT, "shipped")


def load_catalog(path: Path | None = None, *, custom_file: Path | None = None) -> Catalog:
    """The catalog in use (cached per process when called without arguments).

    ``path``: a snapshot file to read instead of the refreshed or shipped one. ``custom_file`` (or the
    ``PLANNER_MODELS_FILE`` environment variable): a TOML, YAML or JSON file of custom models merged on top.
    """
    global _DEFAULT_CATALOG
    use_default = path is None and custom_file is None
    if use_default and _DEFAULT_CATALOG is not None:
        return _DEFAULT_CATALOG
    if path is not None:
        origin = "refreshed" if Path(path) == refreshed_snapshot_path() else "shipped"
        catalog = read_snapshot(Path(path), origin)
    else:
        catalog = base_catalog()
    custom = custom_file or (Path(os.environ[MODELS_FILE_ENV]) if os.environ.get(MODELS_FILE_ENV) else None)
    if custom is not None:
        from planner.catalog.custom import apply_custom_models

        catalog = apply_custom_models(catalog, custom)
    if use_default:
        _DEFAULT_CATALOG = catalog
    return catalog


def clear_catalog_cache() -> None:
    """Forget the per-process catalog (after a refresh, or in tests)."""
    global _DEFAULT_CATALOG
    _DEFAULT_CATALOG = None
