"""Parsers for the three catalog sources, and the merge that keeps one record per offer (host + model).

Units and sentinels
- OpenRouter ``GET /api/v1/models``: prices are strings in USD per token; ``"-1"`` (any negative price) marks
  a router with variable prices and becomes ``None`` (unknown). ``context_length`` is the total window.
- models.dev ``api.json``: prices are USD per **million** tokens, divided by 1,000,000 in Decimal.
  ``limit.context`` is the total window, ``limit.input`` an input-only limit. Impossible dates (2025-02-31)
  become ``None``; a month-only knowledge cutoff ("2025-11") means the last day of that month.
- LiteLLM ``model_prices_and_context_window``: prices are JSON numbers in USD per token, parsed as Decimal
  (never a float) and rounded to 12 significant digits to drop binary float noise (0.39949999999999997 ->
  0.3995, 0.0002833333333333333 -> 0.000283333333333). ``max_input_tokens`` is an **input** limit, so the
  parsed record's ``context_window_kind`` is ``"input"`` (total unknown; the merge settles it, see below).
  Only modes chat, completion and responses are kept. Price modes kept: long-context tiers
  (``*_above_{N}k_tokens``, with their 1-hour cache write
  ``cache_creation_input_token_cost_above_1hr_above_{N}k_tokens`` and their batch input / output
  ``*_above_{N}k_tokens_batches``), batch (``*_batches``), 1-hour cache writes
  (``cache_creation_input_token_cost_above_1hr``) and the flex and priority service tiers (``*_flex``,
  ``*_priority``: input, output, cache read). Flex / priority prices inside a long-context tier are not kept.

What is kept and what is not a price
- Only models that answer in text (``generates_text``): a source's output modalities without "text", or an
  id that names an embedding, rerank, moderation or speech model, is left out of the catalog.
- $0 input and output on an offer nobody marks free (``unknown_if_zero_and_not_free``) becomes unknown, with a
  note on the record: subscription plans, quotas and unpriced entries list 0.

Capabilities where a source has no flag
- OpenRouter (``supported_parameters``): ``tools``/``tool_choice`` -> tool use and function calling;
  ``reasoning``/``include_reasoning`` -> reasoning; ``structured_outputs``/``response_format`` -> structured
  output; ``image`` in input modalities -> vision; ``web_search_options`` -> web search; a cache read or write
  price -> prompt caching; batch API False (OpenRouter has none); streaming True (every OpenRouter model
  streams). Absence of a parameter means False, since the list is OpenRouter's complete statement for that
  model.
- models.dev: ``tool_call`` -> tool use and function calling; ``reasoning``; ``structured_output`` when
  present; ``image`` in input modalities -> vision; a cache price -> prompt caching True; the rest unknown.
- LiteLLM: ``supports_*`` flags where present, unknown where absent; ``tool_use`` from
  ``supports_function_calling`` else ``supports_tool_choice``; structured output from
  ``supports_response_schema`` or ``supports_native_structured_output``; streaming from
  ``supports_native_streaming``; batch API True when batch prices or a ``/v1/batch`` endpoint are listed.

Merging (``merge_offers``)
- Offers are matched on (host, id without the LiteLLM routing prefix, case-insensitive). Precedence:
  OpenRouter (the host's own API), then LiteLLM (newest, richest prices), then models.dev. The winner's
  limits, prices, capabilities and mode are kept whole; every differing value of the others goes to
  ``disagreements``.
- Prices are the exception: the freshest source that prices the offer (a known input or output price; the
  precedence settles a tie) gives the record's prices and its ``as_of`` (``price_source`` names it when it is
  not the record's ``source``); the other sources' differing prices stay as disagreements, the replaced ones
  too (``fresher_prices``). genai-prices, applied after the merge (``planner.catalog.crosscheck``), follows
  the same rule.
- LiteLLM's ``max_input_tokens`` is, for most models, the whole window (GPT-4o: 128,000 in total with up to
  16,384 of output), and for some an input-only limit (GPT-5: 272,000 input of a 400,000 total). So an offer
  whose window is LiteLLM's ``max_input_tokens`` takes the model's **total** window from a named source
  (OpenRouter, models.dev) that gives one at least as large: the same bare model id (``bare_model_id``
  without a version suffix) on the same host first, else on the maker's own host (``naming.MAKER_HOSTS``),
  else on OpenRouter, else on any host (alphabetical). Then ``context_window`` is that total, its kind
  ``"total"``, ``max_input_tokens`` stays the input limit, and a note names where the total came from. With
  no such total the window stays of kind ``"input"`` with a note; the fit rule (planner.advice.fit_rule) then
  counts input + output + reasoning against it, so it never promises room it cannot vouch for.
- An offer of a model whose weights are not published (no offer of the same weights, ``naming.weights_keys``,
  has a Hugging Face id) that lists no
  input limit, on a host other than the maker's, takes the maker's own input limit when the maker's offer of
  the same weights (a shared ``naming.weights_keys`` key) has the same total window and caps
  input below it (GPT-5 nano: 272,000 of 400,000 on OpenAI; OpenRouter lists the 400,000 window alone): such a
  host resells the maker's API, which takes no more input than the maker says, so without this ``fit`` would
  promise room the maker refuses. Open weights are left alone: their hosts run their own deployments. A note
  names where the limit came from.
- Facts about the model rather than the host (display name, creator, release date, knowledge cutoff, Hugging
  Face id, modalities), and facts of the offer only some sources give (OpenRouter's canonical slug,
  description, supported parameters and expiration date, models.dev's status, LiteLLM's deprecation date)
  are filled from another source of the same offer when the winner lacks them. The
  record's ``id`` is the host's own id (OpenRouter or models.dev) when known, else the LiteLLM key; other ids
  become ``aliases``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from pydantic import ValidationError

from planner.catalog import naming
from planner.catalog.offer_words import called_free, names_non_text_model
from planner.catalog.schema import Capabilities, Disagreement, ModelOffer, Pricing
from planner.errors import CatalogError
from planner.tokens.families import family_for_model
from planner.wording import PER_MILLION

OPENROUTER = "openrouter"
MODELS_DEV = "models.dev"
LITELLM = "litellm"
SOURCE_PRECEDENCE = (OPENROUTER, LITELLM, MODELS_DEV)
KEPT_LITELLM_MODES = ("chat", "completion", "responses")
SIGNIFICANT_DIGITS = 12
MAX_TOKEN_LIMIT = 10**12  # no window or output limit is near a trillion tokens; above it a source is wrong
_SHAPE_ERRORS = (
    AttributeError,
    TypeError,
    ValueError,
    KeyError,
    ArithmeticError,
    OverflowError,
    RecursionError,
)


@dataclass
class ParseResult:
    """Offers parsed from one source, one line per record that could not be used, and the (host, id) of
    each record rejected for a price that is not a price (``RejectedPrice``)."""

    offers: list[ModelOffer] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


class RejectedPrice(ValueError):
    """A record with a price that is NaN, infinite, negative (other than OpenRouter's ``-1`` variable-price
    sentinel) or not a number: the whole record is rejected, never kept with that price unknown."""

    def __init__(self, provider: str, model_id: str, reason: str) -> None:
        super().__init__(reason)
        self.key = identity_key(provider, model_id)


def reject_bad_prices(
    provider: str, model_id: str, prices: Mapping[str, Any], *, sentinel: str | None = None
) -> None:
    """RejectedPrice for the first price in ``prices`` (name -> raw value) that is not a price; ``None``
    and ``sentinel`` (OpenRouter's "-1") are fine, nested objects (tiers) are checked by their parsers."""
    for name, value in prices.items():
        if (
            value is None
            or isinstance(value, Mapping | list)
            or (sentinel and str(value).strip() == sentinel)
        ):
            continue
        try:
            amount = Decimal(str(value).strip()) if not isinstance(value, bool) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0:
            raise RejectedPrice(provider, model_id, f"price {name} = {str(value)[:40]!r} is not a price")


# ---------------------------------------------------------------- values


def clean_money(value: Any, *, scale: Decimal | None = None) -> Decimal | None:
    """A price as Decimal (12 significant digits), or None when missing, negative or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):  # only reached if a caller forgot parse_float=Decimal
        value = repr(value)
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    if scale is not None:
        amount = amount / scale
    with localcontext() as context:
        context.prec = SIGNIFICANT_DIGITS
        amount = +amount
    return amount.normalize()


def positive_int(value: Any) -> int | None:
    """A token limit: a positive integer, else None (zero, missing, not finite or above ``MAX_TOKEN_LIMIT``
    limits are unknown, not zero)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or not 0 < amount <= MAX_TOKEN_LIMIT:
        return None
    return int(amount)


def parse_date(text: Any, *, month_end: bool = False) -> date | None:
    """YYYY-MM-DD or YYYY-MM (first or last day of the month); impossible dates are None, never a crash."""
    if not isinstance(text, str):
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    try:
        if match[3]:
            return date(year, month, int(match[3]))
        day = calendar.monthrange(year, month)[1] if month_end else 1
        return date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        return None


def _mapping(value: Any) -> Mapping[str, Any]:
    """A source's object field, or an empty one for any other shape (``"architecture": "text"``)."""
    return value if isinstance(value, Mapping) else {}


def date_from_timestamp(value: Any) -> date | None:
    """A Unix time in seconds as a UTC date; None for anything else (NaN, a year past 9999, a string)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC).date()
    except (ValueError, OverflowError, OSError):
        return None


def _strings(values: Any) -> list[str]:
    return [str(value) for value in values] if isinstance(values, list) else []


def _text(value: Any) -> str | None:
    """A non-empty string field, stripped; anything else is None."""
    return (value.strip() or None) if isinstance(value, str) else None


_PRICE_FIELDS = (
    "input",
    "output",
    "cache_read",
    "cache_write",
    "cache_write_1h",
    "reasoning",
    "batch_input",
    "batch_output",
    "flex_input",
    "flex_output",
    "flex_cache_read",
    "priority_input",
    "priority_output",
    "priority_cache_read",
)


def is_marked_free(record: Mapping[str, Any]) -> bool:
    """An offer its host calls free (OpenRouter's ``:free`` ids, "(free)" names, ``-free`` ids)."""
    return called_free(*(str(record.get(key) or "") for key in ("id", "name")))


def unknown_if_zero_and_not_free(record: dict[str, Any], source: str) -> None:
    """A $0 input and output price on an offer nobody calls free is not a price: subscription "coding plans",
    free tiers with quotas and unpriced entries list 0. Ranking them as the cheapest would mislead, so the
    prices become unknown and the record says why."""
    pricing = record.get("pricing") or {}
    if pricing.get("input") != 0 or pricing.get("output") != 0 or is_marked_free(record):
        return
    for prices in (pricing, *(pricing.get("tiers") or [])):
        for name in _PRICE_FIELDS:
            if prices.get(name) == 0:
                prices[name] = None
    record.setdefault("notes", []).append(
        f"{source} lists $0 per token but does not mark it free (a subscription plan, a quota or no price): "
        "treated as unknown"
    )


def generates_text(record: Mapping[str, Any]) -> bool:
    """Chat, completion and responses models only: embedding, rerank, moderation, speech, image and video
    models have no answer to budget for (their outputs, where a source lists them, have no "text")."""
    outputs = record.get("output_modalities") or []
    if outputs and "text" not in outputs:
        return False
    return not names_non_text_model(str(record.get("id", "")))


def _build(record: dict[str, Any], label: str, errors: list[str]) -> ModelOffer | None:
    if not generates_text(record):
        return None
    if isinstance(record.get("name"), str):
        record["name"] = " ".join(record["name"].split())  # sources leave stray and trailing spaces
    unknown_if_zero_and_not_free(record, str(record.get("source", label)))
    try:
        return ModelOffer.model_validate(record)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}" for issue in error.errors()
        )
        errors.append(f"{label}: {problems}")
        return None


def _guarded(
    make_record: Callable[..., dict[str, Any]],
    arguments: tuple[Any, ...],
    label: str,
    errors: list[str],
    rejected: list[tuple[str, str]] | None = None,
) -> ModelOffer | None:
    """One source record as an offer; a record of a shape no parser expects is skipped with its reason
    (``errors``), so one hostile or broken record never stops the rest of the source."""
    try:
        return _build(make_record(*arguments), label, errors)
    except RejectedPrice as error:
        errors.append(f"{label}: rejected: {error}")
        if rejected is not None:
            rejected.append(error.key)
        return None
    except _SHAPE_ERRORS as error:
        errors.append(f"{label}: unexpected shape ({type(error).__name__}: {str(error)[:120]})")
        return None


# ---------------------------------------------------------------- OpenRouter


def parse_openrouter(document: Any, as_of: date) -> ParseResult:
    """OpenRouter's ``{"data": [...]}`` response (rules in the module docstring)."""
    if not isinstance(document, Mapping) or not isinstance(document.get("data"), list):
        raise CatalogError('OpenRouter: expected a JSON object with a "data" list of models')
    result = ParseResult()
    for index, raw in enumerate(document["data"]):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            result.errors.append(f"OpenRouter: data[{index}]: not a model object with an id")
            continue
        label = f"OpenRouter: {raw['id']}"
        offer = _guarded(_openrouter_record, (raw, as_of), label, result.errors, result.rejected)
        if offer is not None:
            result.offers.append(offer)
    return result


def _openrouter_record(raw: Mapping[str, Any], as_of: date) -> dict[str, Any]:
    model_id = raw["id"]
    architecture = _mapping(raw.get("architecture"))
    prices = _mapping(raw.get("pricing"))
    reject_bad_prices("openrouter", model_id, prices, sentinel="-1")
    top = _mapping(raw.get("top_provider"))
    parameters = set(_strings(raw.get("supported_parameters")))
    inputs = _strings(architecture.get("input_modalities"))
    hf_id = raw.get("hugging_face_id") or None
    name = raw.get("name") or model_id
    cache_read = clean_money(prices.get("input_cache_read"))
    cache_write = clean_money(prices.get("input_cache_write"))
    return {
        "id": model_id,
        "name": name,
        "provider": "openrouter",
        "creator": naming.creator_for(model_id, name),
        "context_window": positive_int(raw.get("context_length")),
        "context_window_kind": "total",
        "max_output_tokens": positive_int(top.get("max_completion_tokens")),
        "pricing": {
            "input": clean_money(prices.get("prompt")),
            "output": clean_money(prices.get("completion")),
            "cache_read": cache_read,
            "cache_write": cache_write,
            "cache_write_1h": clean_money(prices.get("input_cache_write_1h")),
            "reasoning": clean_money(prices.get("internal_reasoning")),
            "per_request": clean_money(prices.get("request")) or None,
        },
        "capabilities": {
            "vision": "image" in inputs,
            "tool_use": bool(parameters & {"tools", "tool_choice"}),
            "function_calling": bool(parameters & {"tools", "tool_choice"}),
            "reasoning": bool(parameters & {"reasoning", "include_reasoning"}),
            "prompt_caching": cache_read is not None or cache_write is not None,
            "web_search": "web_search_options" in parameters,
            "batch_api": False,
            "streaming": True,
            "structured_output": bool(parameters & {"structured_outputs", "response_format"}),
        },
        "input_modalities": inputs,
        "output_modalities": _strings(architecture.get("output_modalities")),
        "mode": "chat",
        "release_date": date_from_timestamp(raw.get("created")),
        "knowledge_cutoff": parse_date(raw.get("knowledge_cutoff"), month_end=True),
        "tokenizer": family_for_model(model_id, hf_id, architecture.get("tokenizer")),
        "hf_id": hf_id,
        "canonical_slug": raw.get("canonical_slug") if isinstance(raw.get("canonical_slug"), str) else None,
        "description": _text(raw.get("description")),
        "supported_parameters": sorted(parameters),
        "expiration_date": parse_date(raw.get("expiration_date")),
        "source": OPENROUTER,
        "as_of": as_of,
    }


# ---------------------------------------------------------------- models.dev


def parse_models_dev(document: Any, as_of: date) -> ParseResult:
    """models.dev's ``{provider: {id, name, models: {...}}}`` (rules in the module docstring)."""
    if not isinstance(document, Mapping) or not document:
        raise CatalogError("models.dev: expected a JSON object of providers")
    result = ParseResult()
    for provider_id, provider in sorted(document.items()):
        models = provider.get("models") if isinstance(provider, Mapping) else None
        if not isinstance(models, Mapping):
            result.errors.append(f"models.dev: provider {provider_id}: no models object")
            continue
        for model_id, raw in sorted(models.items()):
            if not isinstance(raw, Mapping):
                result.errors.append(f"models.dev: {provider_id}/{model_id}: not a model object")
                continue
            outputs = _strings(_mapping(raw.get("modalities")).get("output"))
            if "text" not in outputs or names_non_text_model(str(model_id)):
                continue
            arguments = (str(provider_id), str(raw.get("id") or model_id), raw, as_of)
            label = f"models.dev: {provider_id}/{model_id}"
            offer = _guarded(_models_dev_record, arguments, label, result.errors, result.rejected)
            if offer is not None:
                result.offers.append(offer)
    if not result.offers and not result.errors:
        raise CatalogError("models.dev: no providers with models found")
    return result


def _models_dev_tiers(cost: Mapping[str, Any]) -> list[dict[str, Any]]:
    tiers = []
    listed = cost.get("tiers")
    for tier in listed if isinstance(listed, list) else []:
        limit = _mapping(_mapping(tier).get("tier"))
        if limit.get("type") == "context" and positive_int(limit.get("size")):
            tiers.append({"above_tokens": positive_int(limit["size"]), **_models_dev_prices(_mapping(tier))})
    if not tiers and isinstance(cost.get("context_over_200k"), Mapping):
        tiers.append({"above_tokens": 200_000, **_models_dev_prices(cost["context_over_200k"])})
    return tiers


def _models_dev_prices(cost: Mapping[str, Any]) -> dict[str, Decimal | None]:
    return {
        key: clean_money(cost.get(key), scale=PER_MILLION)
        for key in ("input", "output", "cache_read", "cache_write")
    }


def _models_dev_record(
    provider_id: str, model_id: str, raw: Mapping[str, Any], as_of: date
) -> dict[str, Any]:
    cost = _mapping(raw.get("cost"))
    reject_bad_prices(provider_id, model_id, cost)
    limit = _mapping(raw.get("limit"))
    modalities = _mapping(raw.get("modalities"))
    inputs = _strings(modalities.get("input"))
    tool_call = raw.get("tool_call")
    prices = _models_dev_prices(cost)
    return {
        "id": model_id,
        "name": raw.get("name") or model_id,
        "provider": provider_id,
        "creator": naming.creator_for(model_id) or _first_party_creator(provider_id),
        "context_window": positive_int(limit.get("context")),
        "context_window_kind": "total",
        "max_input_tokens": positive_int(limit.get("input")),
        "max_output_tokens": positive_int(limit.get("output")),
        "pricing": {
            **prices,
            "reasoning": clean_money(cost.get("reasoning"), scale=PER_MILLION),
            "tiers": _models_dev_tiers(cost),
        },
        "capabilities": {
            "vision": "image" in inputs,
            "tool_use": tool_call if isinstance(tool_call, bool) else None,
            "function_calling": tool_call if isinstance(tool_call, bool) else None,
            "reasoning": raw.get("reasoning") if isinstance(raw.get("reasoning"), bool) else None,
            "prompt_caching": True if prices["cache_read"] or prices["cache_write"] else None,
            "structured_output": raw.get("structured_output")
            if isinstance(raw.get("structured_output"), bool)
            else None,
        },
        "input_modalities": inputs,
        "output_modalities": _strings(modalities.get("output")),
        "mode": "chat",
        "release_date": parse_date(raw.get("release_date")),
        "knowledge_cutoff": parse_date(raw.get("knowledge"), month_end=True),
        "tokenizer": family_for_model(model_id, None, raw.get("family")),
        "status": _text(raw.get("status")),
        "source": MODELS_DEV,
        "as_of": as_of,
    }


def _first_party_creator(provider_id: str) -> str | None:
    return naming.CREATOR_ORGS.get(provider_id) if provider_id in naming.FIRST_PARTY_HOSTS else None


# ---------------------------------------------------------------- LiteLLM

_TIER_FIELD = re.compile(
    r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost"
    r"|cache_creation_input_token_cost_above_1hr)_above_(\d+)k_tokens(_batches)?$"
)
_TIER_TARGET = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h",
}
_TIER_BATCH_TARGET = {"input_cost_per_token": "batch_input", "output_cost_per_token": "batch_output"}


def parse_litellm(document: Any, as_of: date) -> ParseResult:
    """LiteLLM's ``model_prices_and_context_window`` map (rules in the module docstring)."""
    if not isinstance(document, Mapping) or not any(
        isinstance(value, Mapping) and "litellm_provider" in value for value in document.values()
    ):
        raise CatalogError("LiteLLM: expected a JSON object of model keys with litellm_provider fields")
    result = ParseResult()
    for key, raw in sorted(document.items()):
        if not isinstance(raw, Mapping) or raw.get("mode") not in KEPT_LITELLM_MODES:
            continue
        if not isinstance(raw.get("litellm_provider"), str):
            result.errors.append(f"LiteLLM: {key}: no litellm_provider")
            continue
        label = f"LiteLLM: {key}"
        offer = _guarded(_litellm_record, (key, raw, as_of), label, result.errors, result.rejected)
        if offer is not None:
            result.offers.append(offer)
    return result


def _litellm_tiers(raw: Mapping[str, Any]) -> list[dict[str, Any]]:
    tiers: dict[int, dict[str, Any]] = {}
    for name, value in raw.items():
        match = _TIER_FIELD.match(name)
        price = clean_money(value) if match else None
        if match and price is not None:
            above = int(match[2]) * 1000
            target = _TIER_BATCH_TARGET.get(match[1]) if match[3] else _TIER_TARGET[match[1]]
            if target is not None:  # batch cache prices inside a tier: no cost rule uses them
                tiers.setdefault(above, {"above_tokens": above})[target] = price
    return [tiers[above] for above in sorted(tiers)]


def _flag(raw: Mapping[str, Any], *names: str) -> bool | None:
    values = [raw[name] for name in names if isinstance(raw.get(name), bool)]
    return any(values) if values else None


def _litellm_record(key: str, raw: Mapping[str, Any], as_of: date) -> dict[str, Any]:
    host = naming.host_for_litellm(raw["litellm_provider"])
    prices = {name: value for name, value in raw.items() if "cost_per" in name or name.endswith("token_cost")}
    reject_bad_prices(host, key, prices)
    creator = naming.creator_for(_litellm_host_id(key, raw["litellm_provider"]))
    max_input = positive_int(raw.get("max_input_tokens"))
    batch_prices = any(name.endswith("_batches") for name in raw)
    batch_endpoint = "/v1/batch" in _strings(raw.get("supported_endpoints"))
    tool_flag = _flag(raw, "supports_function_calling")
    return {
        "id": key,
        "name": naming.derive_display_name(key, creator),
        "provider": host,
        "creator": creator,
        "context_window": max_input,
        "context_window_kind": "input" if max_input else None,
        "max_input_tokens": max_input,
        "max_output_tokens": positive_int(raw.get("max_output_tokens")),
        "pricing": {
            "input": clean_money(raw.get("input_cost_per_token")),
            "output": clean_money(raw.get("output_cost_per_token")),
            "cache_read": clean_money(raw.get("cache_read_input_token_cost")),
            "cache_write": clean_money(raw.get("cache_creation_input_token_cost")),
            "cache_write_1h": clean_money(raw.get("cache_creation_input_token_cost_above_1hr")),
            "reasoning": clean_money(raw.get("output_cost_per_reasoning_token")),
            "batch_input": clean_money(raw.get("input_cost_per_token_batches")),
            "batch_output": clean_money(raw.get("output_cost_per_token_batches")),
            "flex_input": clean_money(raw.get("input_cost_per_token_flex")),
            "flex_output": clean_money(raw.get("output_cost_per_token_flex")),
            "flex_cache_read": clean_money(raw.get("cache_read_input_token_cost_flex")),
            "priority_input": clean_money(raw.get("input_cost_per_token_priority")),
            "priority_output": clean_money(raw.get("output_cost_per_token_priority")),
            "priority_cache_read": clean_money(raw.get("cache_read_input_token_cost_priority")),
            "per_request": clean_money(raw.get("input_cost_per_request")),
            "tiers": _litellm_tiers(raw),
        },
        "capabilities": {
            "vision": _flag(raw, "supports_vision"),
            "tool_use": tool_flag if tool_flag is not None else _flag(raw, "supports_tool_choice"),
            "function_calling": tool_flag,
            "reasoning": _flag(raw, "supports_reasoning"),
            "prompt_caching": _flag(raw, "supports_prompt_caching"),
            "web_search": _flag(raw, "supports_web_search"),
            "batch_api": True if batch_prices or batch_endpoint else None,
            "streaming": _flag(raw, "supports_native_streaming"),
            "structured_output": _flag(raw, "supports_response_schema", "supports_native_structured_output"),
        },
        "input_modalities": _strings(raw.get("supported_modalities")),
        "output_modalities": _strings(raw.get("supported_output_modalities")),
        "mode": raw["mode"],
        "tokenizer": family_for_model(key),
        "deprecation_date": parse_date(raw.get("deprecation_date")),
        "source": LITELLM,
        "as_of": as_of,
    }


def _litellm_host_id(key: str, litellm_provider: str) -> str:
    """The key without LiteLLM's routing prefix ("gemini/gemini-2.5-pro" -> "gemini-2.5-pro")."""
    first, _, rest = key.partition("/")
    if rest and first in {litellm_provider, naming.host_for_litellm(litellm_provider)}:
        return rest
    return key


# ---------------------------------------------------------------- merge

_COMPARED_FIELDS = ("context_window", "max_input_tokens", "max_output_tokens", "mode")
_MODEL_FACTS = (
    "creator",
    "release_date",
    "knowledge_cutoff",
    "hf_id",
    "input_modalities",
    "output_modalities",
    # facts about this host's offer that only some sources give (the group is one host and id)
    "canonical_slug",
    "description",
    "supported_parameters",
    "status",
    "deprecation_date",
    "expiration_date",
)


def offer_key(offer: ModelOffer) -> tuple[str, str]:
    """(host, id) identifying one offer across sources."""
    if offer.source == LITELLM:
        return identity_key(offer.provider, offer.id)
    return offer.provider, offer.id.lower()


def identity_key(provider: str, model_id: str) -> tuple[str, str]:
    """(host, id without LiteLLM's routing prefix, lower case): "openrouter/x" on openrouter is "x"."""
    first, _, rest = model_id.partition("/")
    if rest and first.replace("_", "-") in {provider, *_litellm_prefixes(provider)}:
        model_id = rest
    return provider, model_id.lower()


def record_keys(offer: ModelOffer) -> set[tuple[str, str]]:
    """Every (host, id) a merged record answers to: its id and its aliases (other sources' ids)."""
    return {identity_key(offer.provider, model_id) for model_id in (offer.id, *offer.aliases)}


def _litellm_prefixes(host: str) -> set[str]:
    return {alias.replace("_", "-") for alias, target in naming.HOST_ALIASES.items() if target == host}


def merge_offers(results: Iterable[ParseResult]) -> list[ModelOffer]:
    """One record per offer, sorted by (provider, id); see the module docstring for the rules."""
    groups: dict[tuple[str, str], list[ModelOffer]] = {}
    for result in results:
        for offer in result.offers:
            groups.setdefault(offer_key(offer), []).append(offer)
    names = _names_by_bare_id(groups.values())
    totals = _total_windows_by_bare_id(groups.values())
    merged = _maker_input_limits([_merge_group(group, names, totals) for group in groups.values()])
    return sorted(merged, key=lambda offer: (offer.provider, offer.id.lower(), offer.id))


def _rank(offer: ModelOffer) -> int:
    return (
        SOURCE_PRECEDENCE.index(offer.source) if offer.source in SOURCE_PRECEDENCE else len(SOURCE_PRECEDENCE)
    )


def _names_by_bare_id(groups: Iterable[list[ModelOffer]]) -> dict[str, str]:
    """Names that named sources give a model, keyed by its bare id, first-party hosts first."""
    named = [offer for group in groups for offer in group if offer.source != LITELLM]
    first_party = naming.FIRST_PARTY_HOSTS
    named.sort(key=lambda o: (o.provider not in first_party, o.provider != "openrouter", o.provider, o.id))
    names: dict[str, str] = {}
    for offer in named:
        names.setdefault(_versionless(naming.bare_model_id(offer.id)), offer.name)
    return names


def _versionless(model_id: str) -> str:
    previous = None
    while previous != model_id:
        previous = model_id
        model_id = re.sub(r"(-v\d+(:\d+)?|:\d+|-hf)$", "", model_id)
    return model_id


def _window_key(model_id: str) -> str:
    return _versionless(naming.bare_model_id(model_id))


def _has_total_window(offer: ModelOffer) -> bool:
    return offer.source != LITELLM and offer.context_window_kind == "total" and bool(offer.context_window)


def _total_windows_by_bare_id(groups: Iterable[list[ModelOffer]]) -> dict[str, list[ModelOffer]]:
    """Offers of the named sources that give a total window, keyed by bare model id, sorted by host."""
    found: dict[str, list[ModelOffer]] = {}
    for offer in sorted((o for group in groups for o in group), key=lambda o: (o.provider, _rank(o), o.id)):
        if _has_total_window(offer):
            found.setdefault(_window_key(offer.id), []).append(offer)
    return found


def _settle_input_window(
    offer: ModelOffer, same_offer: list[ModelOffer], totals: Mapping[str, list[ModelOffer]]
) -> ModelOffer:
    """A LiteLLM window (its max_input_tokens) made total from a named source; rules in the module doc."""
    if offer.source != LITELLM or offer.context_window_kind != "input" or not offer.max_input_tokens:
        return offer
    limit = offer.max_input_tokens
    elsewhere = totals.get(_window_key(offer.id), [])
    maker = naming.MAKER_HOSTS.get(offer.creator or "")
    candidates = [
        *(o for o in same_offer if _has_total_window(o)),
        *(o for o in elsewhere if o.provider == maker),
        *(o for o in elsewhere if o.provider == "openrouter"),
        *elsewhere,
    ]
    total = next((o for o in candidates if (o.context_window or 0) >= limit), None)
    if total is None:
        note = (
            f"LiteLLM gives only max_input_tokens ({limit:,}) and no other source gives this model's total "
            "window: fit checks count input + output against it"
        )
        return offer.model_copy(update={"notes": [*offer.notes, note]})
    note = (
        f"total window {total.context_window:,} from {total.source} ({total.provider} {total.id}); "
        f"LiteLLM's max_input_tokens {limit:,} kept as the input limit"
    )
    return offer.model_copy(
        update={
            "context_window": total.context_window,
            "context_window_kind": "total",
            "notes": [*offer.notes, note],
        }
    )


def _maker_input_limits(offers: list[ModelOffer]) -> list[ModelOffer]:
    """Offers that list no input limit take their maker's, when the maker caps input below the same total
    window (rules in the module doc)."""
    published = {key for offer in offers if offer.hf_id for key in _weights_keys(offer)}
    makers: dict[tuple[str, int], ModelOffer] = {}
    for offer in offers:
        if (
            naming.on_maker_host(offer.creator, offer.provider)
            and _caps_input(offer)
            and offer.context_window
        ):
            for key in _weights_keys(offer):
                makers.setdefault((key, offer.context_window), offer)
    return [
        offer if _weights_keys(offer) & published else _with_maker_input_limit(offer, makers)
        for offer in offers
    ]


def _weights_keys(offer: ModelOffer) -> set[str]:
    return naming.weights_keys(offer.id, offer.aliases, offer.hf_id, offer.canonical_slug)


def _caps_input(offer: ModelOffer) -> bool:
    return (
        offer.context_window_kind == "total"
        and offer.max_input_tokens is not None
        and offer.context_window is not None
        and offer.max_input_tokens < offer.context_window
    )


def _with_maker_input_limit(offer: ModelOffer, makers: Mapping[tuple[str, int], ModelOffer]) -> ModelOffer:
    window = offer.context_window
    if offer.max_input_tokens is not None or offer.context_window_kind != "total" or not window:
        return offer
    found = (makers.get((key, window)) for key in sorted(_weights_keys(offer)))
    maker = next(
        (m for m in found if m and m.creator == offer.creator and m.provider != offer.provider), None
    )
    if maker is None:
        return offer
    note = (
        f"input limit {maker.max_input_tokens:,} from the maker's own offer ({maker.provider} {maker.id}): "
        f"this host lists none for the same model and {window:,}-token window"
    )
    return offer.model_copy(
        update={"max_input_tokens": maker.max_input_tokens, "notes": [*offer.notes, note]}
    )


def has_prices(offer: ModelOffer) -> bool:
    """Whether a record prices its offer (a known input or output price)."""
    return offer.pricing.input is not None or offer.pricing.output is not None


def _price_winner(group: list[ModelOffer]) -> ModelOffer:
    """The source whose prices the merged record keeps: the freshest that prices the offer (``group`` is in
    precedence order, which settles a tie), else the primary."""
    return max((offer for offer in group if has_prices(offer)), key=lambda o: o.as_of, default=group[0])


def fresher_prices(
    offer: ModelOffer, pricing: Pricing, source: str, as_of: date, why: str | None = None
) -> ModelOffer:
    """``offer`` priced by a fresher ``source``: its prices and date replace the record's; each replaced
    price that differed stays as a disagreement of the source it came from, and a note says so."""
    replaced = offer.model_copy(update={"pricing": pricing, "capabilities": _caching_priced(offer, pricing)})
    stale = [
        Disagreement(field=item.field, value=item.value, source=offer.priced_by)
        for item in _differences(replaced, offer)
        if item.field.startswith("pricing.")
    ]
    why = why or f"fresher than {offer.priced_by}'s (as of {offer.as_of.isoformat()})"
    note = f"prices from {source} (as of {as_of.isoformat()}), {why}"
    return replaced.model_copy(
        update={
            "as_of": as_of,
            "price_source": source if source != offer.source else None,
            "disagreements": [*offer.disagreements, *stale],
            "notes": [*offer.notes, note],
        }
    )


def _caching_priced(offer: ModelOffer, pricing: Pricing) -> Capabilities:
    """The offer's capabilities with prompt caching on when ``pricing`` lists a cache price (a host that bills
    cache reads or writes offers caching: the rule the parsers apply), else as they were."""
    if pricing.cache_read is None and pricing.cache_write is None:
        return offer.capabilities
    return offer.capabilities.model_copy(update={"prompt_caching": True})


def _merge_group(
    group: list[ModelOffer], names: Mapping[str, str], totals: Mapping[str, list[ModelOffer]]
) -> ModelOffer:
    group = sorted(group, key=_rank)
    primary, others = group[0], group[1:]
    primary = _settle_input_window(primary, others, totals)
    winner = _price_winner(group)
    if winner is not group[0]:
        primary = fresher_prices(primary, winner.pricing, winner.source, winner.as_of)
    updates: dict[str, Any] = {}
    named = [offer for offer in group if offer.source != LITELLM]
    if named:
        updates["id"] = named[0].id
        updates["name"] = named[0].name
    else:
        updates["name"] = names.get(_versionless(naming.bare_model_id(primary.id)), primary.name)
    for fact in _MODEL_FACTS:
        if not getattr(primary, fact):
            updates[fact] = next(
                (getattr(o, fact) for o in others if getattr(o, fact)), getattr(primary, fact)
            )
    final_id = updates.get("id", primary.id)
    aliases = sorted({offer.id for offer in group} - {final_id})
    differences = (item for other in others for item in _differences(primary, other))
    disagreements = [*primary.disagreements, *differences]
    if updates.get("id") and updates["id"] != primary.id and primary.tokenizer == "unknown":
        updates["tokenizer"] = next((o.tokenizer for o in others if o.tokenizer != "unknown"), "unknown")
    return primary.model_copy(update={**updates, "aliases": aliases, "disagreements": disagreements})


def _flat(offer: ModelOffer) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(offer, name) for name in _COMPARED_FIELDS}
    values["name"] = offer.name
    values["context_window_kind"] = offer.context_window_kind
    for name, value in offer.pricing:
        if name != "tiers":
            values[f"pricing.{name}"] = value
    for tier in offer.pricing.tiers:
        for name, value in tier:
            if name != "above_tokens":
                values[f"pricing.tiers.above_{tier.above_tokens}.{name}"] = value
    for name, value in offer.capabilities:
        values[f"capabilities.{name}"] = value
    return values


def _differences(primary: ModelOffer, other: ModelOffer) -> list[Disagreement]:
    mine, theirs = _flat(primary), _flat(other)
    return [
        Disagreement(field=name, value=_as_text(value), source=other.source)
        for name, value in theirs.items()
        if value is not None and value != mine.get(name)
    ]


def _as_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
