"""Usage exports read into rows of token usage: what real traffic used, model by model and day by day.

A file's format is told from its shape (its keys), never from its name alone. One function per format:

- ``openai_usage``: OpenAI's organization Usage API for completions, saved JSON pages
  (``GET /v1/organization/usage/completions``; https://platform.openai.com/docs/api-reference/usage/completions).
  A page is ``{"object": "page", "data": [bucket, ...]}``; a bucket ``{"object": "bucket", "start_time",
  "end_time", "results": [...]}``; a result ``{"object": "organization.usage.completions.result", "model",
  "input_tokens", "input_cached_tokens", "output_tokens", "num_model_requests", "batch", "service_tier"}``.
  ``input_tokens`` includes the cached ones (the reference says so). A row is a bucket's result: many
  requests.
- ``anthropic_usage``: Anthropic's Usage & Cost Admin API messages report, saved JSON
  (``GET /v1/organizations/usage_report/messages``;
  https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_messages). ``{"data": [{"starting_at",
  "ending_at", "results": [...]}], "has_more", "next_page"}``; a result has ``uncached_input_tokens``,
  ``cache_creation`` (``ephemeral_5m_input_tokens``, ``ephemeral_1h_input_tokens``),
  ``cache_read_input_tokens``, ``output_tokens``, ``model``, ``service_tier`` (``standard``, ``batch``,
  ``priority``...) and ``context_window`` (``0-200k`` or ``200k-1M``). The prompt is the sum of the four
  input figures. The report has no request count.
- ``otel_genai``: OpenTelemetry GenAI spans in OTLP JSON (``{"resourceSpans": [{"scopeSpans": [{"spans":
  [...]}]}]}``, one document, or one per line as the collector's file exporter writes them;
  https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding and the GenAI span conventions,
  https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/). A span with ``gen_ai.usage.input_tokens``
  or a ``gen_ai.request.model`` is one request: ``gen_ai.response.model`` (else the request model),
  ``gen_ai.provider.name`` (else the older ``gen_ai.system``) for the host, ``gen_ai.usage.input_tokens`` /
  ``output_tokens``, and ``gen_ai.usage.cache_read.input_tokens`` / ``cache_creation.input_tokens``, which the
  conventions count inside the input tokens; ``gen_ai.input.messages`` (opt-in) is the request's text.
  Spans without GenAI attributes (the rest of a trace) are not rows.
- ``litellm_spend_logs``: LiteLLM proxy spend logs (``GET /spend/logs``: a JSON list of rows, or
  ``{"data": [...]}`` from ``/spend/logs/v2``; https://docs.litellm.ai/docs/proxy/cost_tracking, the
  ``LiteLLM_SpendLogs`` table of https://github.com/BerriAI/litellm/blob/main/schema.prisma). A row is one
  request: ``model``, ``custom_llm_provider`` (the host, LiteLLM's spelling), ``prompt_tokens`` (the whole
  prompt), ``completion_tokens``, ``spend`` (LiteLLM's own cost, kept exact), ``startTime``, cache figures
  in ``metadata.usage_object`` and the request text in ``messages`` when the proxy stores prompts.

A row that cannot be priced as it stands (no model, a token count missing, negative or not a whole number,
cached tokens above the prompt, an unknown service tier, a broken JSON line) is a ``BadRow`` with its place
(file and position) and reason; every other row is read. A file that is none of these shapes is an
InputError that names the four.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from planner.errors import InputError

FORMAT_LABELS = {
    "openai_usage": "OpenAI usage API (completions)",
    "anthropic_usage": "Anthropic usage report (messages)",
    "otel_genai": "OpenTelemetry GenAI spans (OTLP JSON)",
    "litellm_spend_logs": "LiteLLM spend logs",
}
# OpenTelemetry's gen_ai.provider.name (and gen_ai.system) values -> the catalog's host names
OTEL_HOSTS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "aws.bedrock": "amazon-bedrock",
    "azure.ai.openai": "azure",
    "az.ai.openai": "azure",
    "azure.ai.inference": "azure",
    "gcp.gemini": "google",
    "gcp.gen_ai": "google",
    "gcp.vertex_ai": "google-vertex",
    "mistral_ai": "mistral",
    "x_ai": "xai",
    "deepseek": "deepseek",
    "groq": "groq",
    "cohere": "cohere",
    "perplexity": "perplexity",
}
# the service tiers an export may name, as the price rules know them (planner.advice.prices.SERVICE_TIERS)
SERVICE_TIER_NAMES = {
    None: "standard",
    "standard": "standard",
    "default": "standard",
    "auto": "standard",
    "flex": "flex",
    "priority": "priority",
}


@dataclass(frozen=True)
class UsageRow:
    """The usage of one row of an export: one request, or many summed (a time bucket)."""

    place: str  # file and position, for messages
    day: date  # the UTC day the usage happened (a bucket's start)
    model: str  # as the export names it
    host: str | None  # the host the export names (LiteLLM's spelling for its logs); None when it does not say
    input_tokens: int  # the whole prompt: plain input, cache reads and cache writes
    output_tokens: int
    cached_tokens: int = 0  # read from the prompt cache
    cache_write_tokens: int = 0  # written to the cache for 5 minutes (the default lifetime)
    cache_write_1h_tokens: int = 0
    requests: int | None = 1  # None: the export does not say
    per_request: bool = True  # one row is one request (so its prompt size is known)
    batch: bool = False
    service_tier: str = "standard"
    long_context: bool = False  # the export says the prompts were above 200,000 tokens (Anthropic)
    reported_cost: Decimal | None = None  # the export's own cost of the row (LiteLLM's spend)
    messages: list[Any] | None = None  # the request's chat messages, when the export keeps them


@dataclass(frozen=True)
class BadRow:
    place: str
    reason: str


@dataclass
class UsageExport:
    path: str
    format: str
    rows: list[UsageRow] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return FORMAT_LABELS[self.format]


class _BadRow(Exception):
    """A row that cannot be read; its reason goes into the export's bad rows."""


def read_usage_export(path: str | Path) -> UsageExport:
    """The rows of a usage export file (formats and rules in the module doc)."""
    return read_usage_bytes(str(path), _read_bytes(str(path)))


def read_usage_bytes(name: str, data: bytes) -> UsageExport:
    """The rows of a usage export given as bytes (an upload), ``name`` naming it in places and errors."""
    documents, broken = _documents(name, data)
    kind = next((found for found in map(detect_format, documents) if found is not None), None)
    if kind is None:
        raise InputError(
            f"{name} is not a usage export planner reads: expected an OpenAI usage page "
            '("object": "page" with completions buckets), an Anthropic usage report ("data" buckets with '
            '"uncached_input_tokens"), OTLP JSON spans ("resourceSpans") or LiteLLM spend logs (rows with '
            '"request_id" and "spend")'
        )
    export = UsageExport(path=name, format=kind, bad_rows=broken)
    for where, document in documents:
        READERS[kind](export, where, document)
    return export


def _read_bytes(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {name}") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a folder; give a usage export file (.json or .jsonl)") from None
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror}") from None


class _NotJson(Exception):
    """Text that is not one JSON value; its message says why."""


def _json(text: str) -> Any:
    """One JSON value (decimals kept exact); _NotJson for invalid JSON, nesting too deep for the parser or a
    number too long to convert (Python's 4,300-digit limit)."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise _NotJson(f"invalid JSON ({error.msg}, line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise _NotJson("JSON nested too deeply to read") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise _NotJson(f"a number in the JSON is too long ({error})") from None


def _documents(name: str, data: bytes) -> tuple[list[tuple[str, Any]], list[BadRow]]:
    """(place, JSON document) of the whole file, else of each non-blank line (JSON Lines), with the lines
    that are not JSON as bad rows; InputError when nothing in the file is JSON."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 text; a usage export is JSON") from None
    try:
        return [(name, _json(text))], []
    except _NotJson as whole_error:
        documents: list[tuple[str, Any]] = []
        broken: list[BadRow] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                documents.append((f"{name}: line {number}", _json(line)))
            except _NotJson as error:
                broken.append(BadRow(f"{name}: line {number}", str(error)))
        if not documents:
            raise InputError(
                f"{name} is not JSON: {whole_error}; a usage export is a JSON document or JSON Lines"
            ) from None
        return documents, broken


def detect_format(item: tuple[str, Any] | Any) -> str | None:
    """The format of one JSON document by its shape (module doc), or None."""
    document = item[1] if isinstance(item, tuple) else item
    if isinstance(document, list):
        return next((kind for kind in map(_detect_one, document) if kind is not None), None)
    return _detect_one(document)


def _detect_one(document: Any) -> str | None:
    if not isinstance(document, dict):
        return None
    if "resourceSpans" in document:
        return "otel_genai"
    if "request_id" in document and ("spend" in document or "startTime" in document):
        return "litellm_spend_logs"
    buckets = document.get("data")
    if not isinstance(buckets, list):
        return None
    if document.get("object") == "page" and any(_is_openai_bucket(bucket) for bucket in buckets):
        return "openai_usage"
    if any(isinstance(bucket, dict) and "starting_at" in bucket for bucket in buckets):
        return "anthropic_usage"
    if any(isinstance(row, dict) and _detect_one(row) == "litellm_spend_logs" for row in buckets):
        return "litellm_spend_logs"
    return None


def _is_openai_bucket(bucket: Any) -> bool:
    return isinstance(bucket, dict) and bucket.get("object") == "bucket" and "start_time" in bucket


# ---------------------------------------------------------------- shared field rules


def _count(record: dict[str, Any], key: str, *, required: bool = True) -> int:
    """A token or request count: a whole number 0 or more; a missing optional one is 0."""
    value = record.get(key)
    if value is None:
        if required:
            raise _BadRow(f"no {key}")
        return 0
    if isinstance(value, str) and value.strip().isdigit():  # OTLP JSON writes 64-bit integers as strings
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadRow(f"{key} must be a whole number, got {value!r}")
    if value < 0:
        raise _BadRow(f"{key} must be 0 or more, got {value}")
    return value


def _model(value: Any, hint: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _BadRow(f"no model ({hint})")
    return value.strip()


def _tier(value: Any) -> tuple[bool, str]:
    """(batch, service tier) of an export's service tier name."""
    if value == "batch":
        return True, "standard"
    if isinstance(value, str | None) and value in SERVICE_TIER_NAMES:
        return False, SERVICE_TIER_NAMES[value]
    raise _BadRow(f"service tier {value!r} has no price rule here (standard, batch, flex and priority do)")


def _check_parts(row: UsageRow) -> UsageRow:
    parts = row.cached_tokens + row.cache_write_tokens + row.cache_write_1h_tokens
    if parts > row.input_tokens:
        raise _BadRow(
            f"cache reads and writes ({parts:,}) exceed the prompt ({row.input_tokens:,} input tokens)"
        )
    return row


def _add_rows(export: UsageExport, items: Iterator[tuple[str, Callable[[], UsageRow]]]) -> None:
    """Read each (place, reader) into a row, or a bad row with the reason."""
    for place, read in items:
        try:
            export.rows.append(_check_parts(read()))
        except _BadRow as bad:
            export.bad_rows.append(BadRow(place, str(bad)))


def _day_from_seconds(value: Any, what: str) -> date:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite():
        raise _BadRow(f"{what} must be Unix seconds, got {value!r}")
    try:
        return datetime.fromtimestamp(int(value), UTC).date()
    except (OverflowError, OSError, ValueError):
        raise _BadRow(f"{what} {value} is not a date planner can read (out of range)") from None


def _day_from_text(value: Any, what: str) -> date:
    if not isinstance(value, str):
        raise _BadRow(f"{what} must be a date and time, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _BadRow(f"{what} {value!r} is not an ISO 8601 date and time") from None
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


def _buckets(export: UsageExport, where: str, document: Any) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(place, result, bucket) of every result of every bucket of a page (or of a list of pages)."""
    pages = document if isinstance(document, list) else [document]
    for page_number, page in enumerate(pages):
        page_place = f"{where}: [{page_number}]" if isinstance(document, list) else where
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            export.bad_rows.append(BadRow(page_place, "not a usage page (no data list)"))
            continue
        for index, bucket in enumerate(page["data"]):
            results = bucket.get("results") if isinstance(bucket, dict) else None
            if not isinstance(results, list):
                export.bad_rows.append(
                    BadRow(f"{page_place}: data[{index}]", "not a bucket (no results list)")
                )
                continue
            for position, result in enumerate(results):
                place = f"{page_place}: data[{index}].results[{position}]"
                if not isinstance(result, dict):
                    export.bad_rows.append(BadRow(place, "not a usage result (a JSON object)"))
                    continue
                yield place, result, bucket


# ---------------------------------------------------------------- OpenAI


def read_openai_usage(export: UsageExport, where: str, document: Any) -> None:
    audio = 0

    def row(result: dict[str, Any], bucket: dict[str, Any]) -> UsageRow:
        nonlocal audio
        model = _model(result.get("model"), "save the usage with group_by=model")
        audio += _count(result, "input_audio_tokens", required=False)
        audio += _count(result, "output_audio_tokens", required=False)
        batch, tier = _tier(result.get("service_tier"))
        return UsageRow(
            place="",
            day=_day_from_seconds(bucket.get("start_time"), "start_time"),
            model=model,
            host="openai",
            input_tokens=_count(result, "input_tokens"),
            cached_tokens=_count(result, "input_cached_tokens", required=False),
            output_tokens=_count(result, "output_tokens"),
            requests=_count(result, "num_model_requests"),
            per_request=False,
            batch=bool(result.get("batch")) or batch,
            service_tier=tier,
        )

    _add_rows(
        export,
        (
            (place, _placed(place, partial(row, result, bucket)))
            for place, result, bucket in _buckets(export, where, document)
        ),
    )
    if audio:
        export.notes.append(f"{audio:,} audio tokens in {where} are not priced (text tokens only)")
    _ungrouped(export, where, document, "batch", "batch traffic in it is priced at standard prices")


def _ungrouped(export: UsageExport, where: str, document: Any, key: str, consequence: str) -> None:
    """A note when the export was not grouped by ``key`` (its results carry it as null), so the rows cannot
    say what ``key`` would have told, and what that means for the prices."""
    results = [
        result for _place, result, _bucket in _buckets(UsageExport(where, export.format), where, document)
    ]
    if any(key in result and result[key] is None for result in results):
        export.notes.append(f"{where} is not grouped by {key}: {consequence}")


def _placed(place: str, read: Callable[[], UsageRow]) -> Callable[[], UsageRow]:
    """A reader whose row carries its place."""

    def run() -> UsageRow:
        found = read()
        return UsageRow(**{**found.__dict__, "place": place})

    return run


# ---------------------------------------------------------------- Anthropic


ANTHROPIC_LONG_CONTEXT = "200k-1M"
MAX_SPEND = Decimal(10) ** 15  # a logged cost beyond this (or negative) is not a cost


def read_anthropic_usage(export: UsageExport, where: str, document: Any) -> None:
    def row(result: dict[str, Any], bucket: dict[str, Any]) -> UsageRow:
        model = _model(result.get("model"), "save the report with group_by=model")
        creation = result.get("cache_creation") or {}
        if not isinstance(creation, dict):
            raise _BadRow("cache_creation must be an object")
        plain = _count(result, "uncached_input_tokens")
        reads = _count(result, "cache_read_input_tokens", required=False)
        five = _count(creation, "ephemeral_5m_input_tokens", required=False)
        hour = _count(creation, "ephemeral_1h_input_tokens", required=False)
        batch, tier = _tier(result.get("service_tier"))
        window = result.get("context_window")
        if window not in (None, "0-200k", ANTHROPIC_LONG_CONTEXT):
            raise _BadRow(f"context_window {window!r} is neither 0-200k nor 200k-1M")
        return UsageRow(
            place="",
            day=_day_from_text(bucket.get("starting_at"), "starting_at"),
            model=model,
            host="anthropic",
            input_tokens=plain + reads + five + hour,
            cached_tokens=reads,
            cache_write_tokens=five,
            cache_write_1h_tokens=hour,
            output_tokens=_count(result, "output_tokens"),
            requests=None,
            per_request=False,
            batch=batch,
            service_tier=tier,
            long_context=window == ANTHROPIC_LONG_CONTEXT,
        )

    _add_rows(
        export,
        (
            (place, _placed(place, partial(row, result, bucket)))
            for place, result, bucket in _buckets(export, where, document)
        ),
    )
    _ungrouped(
        export, where, document, "service_tier", "batch and priority traffic is priced at standard prices"
    )
    _ungrouped(
        export,
        where,
        document,
        "context_window",
        "prompts above 200,000 tokens are priced below long-context tiers",
    )


# ---------------------------------------------------------------- OpenTelemetry


def _attribute_value(value: Any) -> Any:
    """The plain value of an OTLP JSON AnyValue (``{"stringValue": ...}``, ``{"intValue": "12"}``, ...)."""
    if not isinstance(value, dict):
        return None
    for key in ("stringValue", "boolValue", "doubleValue"):
        if key in value:
            return value[key]
    if "intValue" in value:
        raw = value["intValue"]
        return int(raw) if isinstance(raw, str) and raw.lstrip("-").isdigit() else raw
    if "arrayValue" in value:
        return [_attribute_value(item) for item in _items(value["arrayValue"], "values")]
    return None


def _attributes(span: dict[str, Any]) -> dict[str, Any]:
    items = _items(span, "attributes")
    return {
        item["key"]: _attribute_value(item.get("value"))
        for item in items
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    }


def _items(container: Any, key: str) -> list[Any]:
    """``container[key]`` when it is a list, else nothing (a malformed level holds no spans)."""
    value = container.get(key) if isinstance(container, dict) else None
    return value if isinstance(value, list) else []


def _spans(where: str, document: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for r, resource in enumerate(_items(document, "resourceSpans")):
        for s, scope in enumerate(_items(resource, "scopeSpans")):
            for n, span in enumerate(_items(scope, "spans")):
                if isinstance(span, dict):
                    yield f"{where}: resourceSpans[{r}].scopeSpans[{s}].spans[{n}]", span


def read_otel_genai(export: UsageExport, where: str, document: Any) -> None:
    def row(span: dict[str, Any], attributes: dict[str, Any]) -> UsageRow:
        model = _model(
            attributes.get("gen_ai.response.model") or attributes.get("gen_ai.request.model"),
            "gen_ai.response.model / gen_ai.request.model",
        )
        provider = attributes.get("gen_ai.provider.name") or attributes.get("gen_ai.system")
        started = span.get("startTimeUnixNano")
        if not (isinstance(started, str | int) and str(started).isdigit()):
            raise _BadRow(f"startTimeUnixNano must be nanoseconds since 1970, got {started!r}")
        return UsageRow(
            place="",
            day=_day_from_seconds(int(started) // 1_000_000_000, "startTimeUnixNano"),
            model=model,
            host=OTEL_HOSTS.get(provider, provider) if isinstance(provider, str) else None,
            input_tokens=_count(attributes, "gen_ai.usage.input_tokens"),
            cached_tokens=_count(attributes, "gen_ai.usage.cache_read.input_tokens", required=False),
            cache_write_tokens=_count(attributes, "gen_ai.usage.cache_creation.input_tokens", required=False),
            output_tokens=_count(attributes, "gen_ai.usage.output_tokens"),
            messages=_otel_messages(attributes.get("gen_ai.input.messages")),
        )

    def items() -> Iterator[tuple[str, Callable[[], UsageRow]]]:
        for place, span in _spans(where, document):
            attributes = _attributes(span)
            if not any(key.startswith(("gen_ai.usage.", "gen_ai.request.model")) for key in attributes):
                continue  # not a GenAI call: another span of the trace
            yield place, _placed(place, partial(row, span, attributes))

    _add_rows(export, items())


def _otel_messages(value: Any) -> list[dict[str, Any]] | None:
    """``gen_ai.input.messages`` (a JSON string of ``{"role", "parts": [{"type": "text", "content"}]}``) as
    chat messages with text content; None when absent or unreadable (the row is priced all the same)."""
    if not isinstance(value, str):
        return None
    try:
        items = _json(value)
    except _NotJson:
        return None
    messages = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        parts = item.get("parts")
        if isinstance(parts, list):
            text = "".join(
                str(part.get("content", ""))
                for part in parts
                if isinstance(part, dict) and part.get("type") == "text"
            )
        else:
            content = item.get("content")
            text = content if isinstance(content, str) else ""
        messages.append({"role": str(item.get("role", "user")), "content": text})
    return messages or None


# ---------------------------------------------------------------- LiteLLM


def read_litellm_spend_logs(export: UsageExport, where: str, document: Any) -> None:
    rows = document.get("data") if isinstance(document, dict) and "data" in document else document
    rows = rows if isinstance(rows, list) else [rows]

    def row(record: dict[str, Any]) -> UsageRow:
        metadata = record.get("metadata")
        usage = metadata.get("usage_object") if isinstance(metadata, dict) else None
        usage = usage if isinstance(usage, dict) else {}
        details = usage.get("prompt_tokens_details") or {}
        details = details if isinstance(details, dict) else {}
        cached = _count(details, "cached_tokens", required=False) or _count(
            usage, "cache_read_input_tokens", required=False
        )
        writes = _count(usage, "cache_creation_input_tokens", required=False) or _count(
            details, "cache_creation_tokens", required=False
        )
        spend = record.get("spend")
        if spend is not None and (isinstance(spend, bool) or not isinstance(spend, int | Decimal)):
            raise _BadRow(f"spend must be a number, got {spend!r}")
        if spend is not None and not 0 <= spend < MAX_SPEND:
            raise _BadRow(f"spend must be a number of US dollars from 0 up to 10^15, got {spend}")
        host = record.get("custom_llm_provider")
        messages = record.get("messages")
        return UsageRow(
            place="",
            day=_day_from_text(record.get("startTime"), "startTime"),
            model=_model(record.get("model"), "the row names no model"),
            host=host if isinstance(host, str) and host else None,  # LiteLLM's spelling (advice maps it)
            input_tokens=_count(record, "prompt_tokens"),
            cached_tokens=cached,
            cache_write_tokens=writes,
            output_tokens=_count(record, "completion_tokens"),
            reported_cost=None if spend is None else Decimal(spend),
            messages=_chat_messages(messages),
        )

    def items() -> Iterator[tuple[str, Callable[[], UsageRow]]]:
        for index, record in enumerate(rows):
            place = f"{where}: [{index}]"
            if not isinstance(record, dict):
                yield place, _bad("not a spend log row (a JSON object)")
                continue
            label = record.get("request_id")
            place = f"{place} (request {label})" if label else place
            yield place, _placed(place, partial(row, record))

    _add_rows(export, items())


def _chat_messages(value: Any) -> list[Any] | None:
    """A row's request messages when they are a non-empty list of JSON objects with no decimal number in
    them (a message's numbers are never text to count), else None: the row is priced on its counts."""
    if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
        return None
    try:
        json.dumps(value)
    except (TypeError, ValueError):  # a Decimal from parse_float, or a value JSON cannot hold
        return None
    return value


def _bad(reason: str) -> Callable[[], UsageRow]:
    def run() -> UsageRow:
        raise _BadRow(reason)

    return run


READERS: dict[str, Callable[[UsageExport, str, Any], None]] = {
    "openai_usage": read_openai_usage,
    "anthropic_usage": read_anthropic_usage,
    "otel_genai": read_otel_genai,
    "litellm_spend_logs": read_litellm_spend_logs,
}
