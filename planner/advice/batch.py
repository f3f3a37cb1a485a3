"""A batch input file (OpenAI Batch API or Anthropic Message Batches) counted, checked and priced.

Shapes, one JSON object per line:

- OpenAI: ``{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body": {"model", "messages",
  "max_tokens" | "max_completion_tokens", "tools"}}``.
- Anthropic: ``{"custom_id", "params": {"model", "max_tokens", "system", "messages", "tools"}}``;
  ``system`` is sent as a leading system message.

Rules:

- Each request's messages are counted by ``planner.inputs.messages`` (the code of ``count --messages``): its
  model's tokenizer family and chat template.
- The output budget is the request's ``max_completion_tokens`` (else ``max_tokens``); a request with neither
  reserves ``default_output_tokens`` when given, else the model's max output (what the API may generate),
  else 0. Output is priced at that budget: an upper bound of what the batch bills.
- Fit: ``planner.advice.fit_rule.check_fit`` with that budget; a budget above the model's max output does not
  fit either. Requests that do not fit cannot run: they are listed by ``custom_id`` and left out of the token
  and cost totals (``not_priced`` says how many), as ``planner cost`` refuses the same request. A model
  whose window the catalog lacks has its requests priced (fit unknown, with a note).
- Price: ``planner.advice.prices.request_cost`` at batch prices where the offer has both batch prices, else at
  its list prices with a note. An unknown price makes that model's total (and the file's) unknown.
- Embeddings requests (``/v1/embeddings``) are not chat requests: each input (a string, a list of strings,
  or token ids) is counted with the model's tokenizer and priced at the model's input price when the catalog
  lists the model (it leaves embedding models out, so mostly the price is unknown, said in a note); they are
  totalled apart (``embeddings``), never skipped and never in the chat totals.
- A line that is not a request (invalid JSON, JSON nested deeper than Python can read, no ``custom_id``,
  another URL, an unknown model, a repeated ``custom_id``, bad messages, a max_tokens above 10^12) is
  skipped with its line number and reason; every other line is counted.
  Blank lines are ignored. The file is read one line at a time (bounded memory).
- A file with no request is an error: InputError (exit 3) when it holds none, NothingCountedError (exit 5,
  the rule of every command whose input was all skipped) when every line was skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from planner.advice.fit_rule import UnknownWindowError, check_fit
from planner.advice.online import online_count
from planner.advice.prices import has_batch_prices, request_cost
from planner.catalog.freshness import price_age
from planner.catalog.schema import ModelOffer, Money
from planner.errors import InputError, LimitError, NothingCountedError, UnknownModelError
from planner.inputs.count_run import build_report
from planner.inputs.messages import messages_outcome
from planner.inputs.online_request import messages_request
from planner.tokens.counts import TokenCount, count_tokens, zero_count
from planner.tokens.families import chat_template_for, family_for, family_for_model
from planner.tokens.image_rules import rule_for
from planner.tokens.online.counting import OnlineSettings
from planner.tokens.quantities import MAX_TOKEN_COUNT
from planner.wording import count_of

NESTED_TOO_DEEPLY = "JSON nested too deeply to read (more levels than any request has)"

CHAT_URLS = frozenset({"/v1/chat/completions", "/chat/completions"})
EMBEDDINGS_URLS = frozenset({"/v1/embeddings", "/embeddings"})


class SkippedLine(BaseModel):
    line: int
    reason: str


class NotFitting(BaseModel):
    custom_id: str
    line: int
    model: str
    reason: str


class OfflineEstimate(BaseModel):
    """``--online``: the offline count of the requests priced, beside the vendor's (``input_tokens``)."""

    tokens: int = 0
    low: int = 0
    high: int = 0
    basis: str = "offline counts of the requests priced (planner count --messages)"

    def add(self, count: TokenCount) -> None:
        self.tokens += count.tokens
        self.low += count.tokens_low
        self.high += count.tokens_high


class ModelTotals(BaseModel):
    """The requests of one model (offer) in the file."""

    id: str
    provider: str
    tokenizer: str
    method: str  # "exact", or "estimate" when the family is estimated
    requests: int = 0  # the requests priced (those that can run)
    input_tokens: int = 0
    input_tokens_high: int = 0  # the upper band of the estimates (== input_tokens when exact)
    output_tokens: int = 0
    total_cost: Money | None = None
    batch: bool  # True when the offer's batch prices were used
    as_of: date
    not_fitting: int = 0  # requests that cannot run: not in the totals above
    offline_estimate: OfflineEstimate | None = None  # --online: the offline count beside the vendor's


class EmbeddingsTotals(BaseModel):
    """The embeddings requests of one model: input tokens (the only billed part) and their price."""

    model: str  # as the file names it
    id: str | None  # the catalog offer priced, None when the catalog does not list the model
    provider: str | None
    tokenizer: str
    method: str
    requests: int = 0
    input_tokens: int = 0
    input_tokens_high: int = 0
    total_cost: Money | None = None  # None: the catalog has no price for the model


class BatchPlan(BaseModel):
    """The answer for a whole file: totals, per model, the requests that do not fit, the lines skipped."""

    path: str
    requests: int  # every request read, priced or not
    not_priced: int = 0  # requests that cannot run (listed in not_fitting), left out of the totals
    input_tokens: int
    input_tokens_high: int
    output_tokens: int
    total_cost: Money | None
    batch: bool  # True when every request was priced at batch prices
    method: str
    models: list[ModelTotals]
    not_fitting: list[NotFitting]
    skipped: list[SkippedLine]
    notes: list[str] = Field(default_factory=list)
    as_of: date | None  # the oldest price date among the offers used
    price_age_days: int | None = None  # today minus as_of (design.md: every priced answer says how old)
    override: str | None = None  # the model every request was priced on instead of its own
    offline_estimate: OfflineEstimate | None = None  # --online: the offline count beside the vendor's
    embeddings: list[EmbeddingsTotals] = Field(default_factory=list)  # not chat: totalled apart


@dataclass
class BatchRequest:
    line: int
    custom_id: str
    model: str
    document: dict[str, Any]  # an OpenAI-style request body: messages (system first), tools; or input
    max_output: int | None
    kind: str = "chat"  # or "embeddings"


class BadLine(Exception):
    """A line that is not a request; its reason is reported with the line number."""


def parse_request(text: str, line: int) -> BatchRequest:
    """One line of a batch file as a request (OpenAI or Anthropic shape); BadLine says what is wrong."""
    try:
        item = json.loads(text.strip())
    except json.JSONDecodeError as error:
        raise BadLine(f"invalid JSON ({error.msg}, column {error.colno})") from None
    except RecursionError:
        raise BadLine(NESTED_TOO_DEEPLY) from None
    if not isinstance(item, dict):
        raise BadLine("not a request: expected a JSON object with custom_id and body (or params)")
    custom_id = item.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        raise BadLine("no custom_id (a non-empty string)")
    if isinstance(item.get("params"), dict):
        return _anthropic_request(item["params"], custom_id, line)
    if isinstance(item.get("body"), dict):
        return _openai_request(item, custom_id, line)
    raise BadLine("neither an OpenAI request (body) nor an Anthropic one (params)")


def _openai_request(item: dict[str, Any], custom_id: str, line: int) -> BatchRequest:
    url = item.get("url")
    if url is not None and url not in CHAT_URLS | EMBEDDINGS_URLS:
        raise BadLine(f"url {url!r}: only /v1/chat/completions and /v1/embeddings are counted")
    method = item.get("method")
    if method is not None and method != "POST":
        raise BadLine(f"method {method!r}: batch requests are POST")
    body = item["body"]
    if url in EMBEDDINGS_URLS:
        return BatchRequest(
            line, custom_id, _model(body), {"input": _embedding_inputs(body)}, 0, "embeddings"
        )
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    document = {"messages": _messages(body.get("messages")), **_tools(body)}
    return BatchRequest(line, custom_id, _model(body), document, _budget(limit))


def _anthropic_request(params: dict[str, Any], custom_id: str, line: int) -> BatchRequest:
    messages = _messages(params.get("messages"))
    system = params.get("system")
    if isinstance(system, str | list) and system:
        messages = [{"role": "system", "content": system}, *messages]
    document = {"messages": messages, **_tools(params)}
    return BatchRequest(line, custom_id, _model(params), document, _budget(params.get("max_tokens")))


def _tools(body: dict[str, Any]) -> dict[str, Any]:
    return {key: body[key] for key in ("tools", "functions") if key in body}


def _model(body: dict[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise BadLine("no model in the request")
    return model


def _messages(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise BadLine("no messages (a non-empty list) in the request")
    return value


def _embedding_inputs(body: dict[str, Any]) -> list[str | list[int]]:
    """An embeddings body's ``input``: one string, a list of strings, token ids, or lists of token ids."""
    value = body.get("input")
    items: list[Any] = value if isinstance(value, list) and value and not _is_token_ids(value) else [value]
    if not all(isinstance(item, str) or _is_token_ids(item) for item in items):
        raise BadLine("no input (a string, a list of strings or of token ids) in the embeddings request")
    return items


def _is_token_ids(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(type(item) is int for item in value)


def _budget(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TOKEN_COUNT:
        shown = f"{value!r}" if len(repr(value)) <= 40 else f"{repr(value)[:40]}..."
        raise BadLine(f"max tokens must be a whole number from 0 to {MAX_TOKEN_COUNT:,}, got {shown}")
    return value


def read_lines(path: str | Path) -> Iterator[tuple[int, str | None]]:
    """(line number, text) of each non-blank line; text is None for a line that is not UTF-8."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; the iterator owns it
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder; give a batch input file (.jsonl)") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                yield number, None
                continue
            if text.strip():
                yield number, text


@dataclass
class _Offers:
    """The offers the file names, looked up once per distinct model string."""

    catalog: Any
    override: ModelOffer | None
    found: dict[str, ModelOffer] = field(default_factory=dict)

    def offer(self, model: str) -> ModelOffer:
        if self.override is not None:
            return self.override
        if model not in self.found:
            self.found[model] = self.catalog.get(model)
        return self.found[model]


@dataclass
class _Tally:
    plan: dict[str, ModelTotals] = field(default_factory=dict)
    costs: dict[str, list[Decimal | None]] = field(default_factory=dict)
    not_fitting: list[NotFitting] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)  # custom_id -> line
    defaulted: int = 0
    images_not_counted: int = 0
    other_parts: int = 0
    unknown_window: set[str] = field(default_factory=set)
    online: OnlineSettings | None = None  # --online: ask the vendors (planner.advice.online)
    kept_offline: Counter[str] = field(default_factory=Counter)  # why the vendor was not asked -> requests
    embeddings: dict[str, EmbeddingsTotals] = field(default_factory=dict)


def plan_batch(
    path: str | Path,
    catalog: Any,
    *,
    override: ModelOffer | None = None,
    default_output_tokens: int | None = None,
    online: OnlineSettings | None = None,
) -> BatchPlan:
    """Count, check and price every request of a batch file (rules in the module docstring).

    ``override``: price every request on this offer instead of its own model (to compare a switch).
    ``online``: each request is counted by its vendor's endpoint where planner.advice.online says so, the
    offline count kept beside (``offline_estimate``)."""
    offers = _Offers(catalog, override)
    tally = _Tally(online=online)
    for line, text in read_lines(path):
        try:
            if text is None:
                raise BadLine("not UTF-8 text")
            request = parse_request(text, line)
            if request.custom_id in tally.seen:
                raise BadLine(f"custom_id {request.custom_id!r} repeats line {tally.seen[request.custom_id]}")
            if request.kind == "embeddings":
                _add_embeddings(tally, request, offers)
            else:
                _add_request(tally, request, offers, default_output_tokens)
        except BadLine as bad:
            tally.skipped.append(SkippedLine(line=line, reason=str(bad)))
        except RecursionError:  # within json's depth, too deep for the message walk
            tally.skipped.append(SkippedLine(line=line, reason=NESTED_TOO_DEEPLY))
    return _finish(str(path), tally, override)


def _add_request(tally: _Tally, request: BatchRequest, offers: _Offers, default_output: int | None) -> None:
    try:
        offer = offers.offer(request.model)
    except UnknownModelError as error:
        raise BadLine(error.message) from None
    family = family_for(offer)
    count, outcome_warnings, images_not_counted = request_tokens(request, offer, family)
    offline = count
    if tally.online is not None:
        count = _vendor_count(tally, request, offer, family, count)
    output = request.max_output
    if output is None:
        tally.defaulted += 1
        output = default_output if default_output is not None else offer.max_output_tokens or 0
    tally.seen[request.custom_id] = request.line
    tally.images_not_counted += images_not_counted
    tally.other_parts += sum(1 for warning in outcome_warnings if "non-text part" in warning)
    key = f"{offer.provider}/{offer.id}"
    totals = tally.plan.get(key)
    if totals is None:
        totals = tally.plan[key] = _new_totals(offer, family, count)
        tally.costs[key] = []
    try:
        reason = _misfit(offer, count, output)
    except UnknownWindowError:
        tally.unknown_window.add(f"{offer.id} ({offer.provider})")
        reason = None
    if reason is not None:  # it cannot run: listed, not priced
        totals.not_fitting += 1
        tally.not_fitting.append(
            NotFitting(custom_id=request.custom_id, line=request.line, model=offer.id, reason=reason)
        )
        return
    totals.requests += 1
    if tally.online is not None:
        totals.offline_estimate = totals.offline_estimate or OfflineEstimate()
        totals.offline_estimate.add(offline)
    totals.input_tokens += count.tokens
    totals.input_tokens_high += count.tokens_high
    totals.output_tokens += output
    if count.method == "estimate":
        totals.method = "estimate"
    tally.costs[key].append(request_cost(offer, count.tokens, output, batch=totals.batch).total_cost)


def _add_embeddings(tally: _Tally, request: BatchRequest, offers: _Offers) -> None:
    """An embeddings request: its inputs counted with the model's tokenizer, priced at the model's input
    price when the catalog lists the model."""
    try:
        offer: ModelOffer | None = offers.offer(request.model)
    except UnknownModelError:
        offer = None
    family = family_for(offer) if offer is not None else family_for_model(request.model)
    count = zero_count(family)
    for item in request.document["input"]:
        count = count + (
            count_tokens(item, family) if isinstance(item, str) else TokenCount.exact(family, len(item))
        )
    tally.seen[request.custom_id] = request.line
    key = f"{offer.provider}/{offer.id}" if offer is not None else request.model
    totals = tally.embeddings.get(key)
    if totals is None:
        totals = tally.embeddings[key] = EmbeddingsTotals(
            model=request.model,
            id=offer.id if offer is not None else None,
            provider=offer.provider if offer is not None else None,
            tokenizer=family,
            method=count.method,
            total_cost=Decimal(0) if offer is not None else None,
        )
    totals.requests += 1
    totals.input_tokens += count.tokens
    totals.input_tokens_high += count.tokens_high
    if count.method == "estimate":
        totals.method = "estimate"
    if offer is not None and totals.total_cost is not None:
        cost = request_cost(offer, count.tokens, 0, batch=has_batch_prices(offer.pricing)).total_cost
        totals.total_cost = None if cost is None else totals.total_cost + cost


def request_tokens(
    request: BatchRequest, offer: ModelOffer, family: str
) -> tuple[TokenCount, list[str], int]:
    """The request's input tokens exactly as `planner count --messages` counts its body (text in the chat
    template, images, tool definitions), its warnings, and the images that could not be counted."""
    data = json.dumps(request.document, ensure_ascii=False).encode("utf-8")
    template = chat_template_for(offer.id, family)
    outcome = messages_outcome(f"line {request.line}", data, [family], template)
    if outcome.skipped is not None:
        raise BadLine(outcome.skipped)
    report = build_report(
        [outcome], [family], is_messages=True, image_rules={family: rule_for(family, offer.id)}
    )
    return report.counts[family], outcome.warnings, report.images_not_counted_for(family)


def _vendor_count(
    tally: _Tally, request: BatchRequest, offer: ModelOffer, family: str, offline: TokenCount
) -> TokenCount:
    """The request's count from its vendor (as `planner count --messages --online`), else the offline one."""
    data = json.dumps(request.document, ensure_ascii=False).encode("utf-8")
    answer = online_count(offer.id, family, offline, messages_request(data, Path.cwd()), tally.online)
    if answer.note:
        tally.kept_offline[answer.note] += 1
    return answer.count


def _new_totals(offer: ModelOffer, family: str, count: TokenCount) -> ModelTotals:
    return ModelTotals(
        id=offer.id,
        provider=offer.provider,
        tokenizer=family,
        method=count.method,
        batch=has_batch_prices(offer.pricing),
        as_of=offer.as_of,
    )


def _misfit(offer: ModelOffer, count: TokenCount, output: int) -> str | None:
    """Why the request does not fit its model, or None when it fits (a tight fit fits); UnknownWindowError
    when the catalog has no window for the model."""
    try:
        fit = check_fit(offer, count, output)
    except LimitError as error:
        return error.message
    return None if fit.fits else fit.reason


def _sum_money(values: list[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return None if len(known) < len(values) else sum(known, Decimal(0))


def _check_requests(path: str, tally: _Tally) -> None:
    """InputError when the file holds no request; NothingCountedError when every line was skipped."""
    if tally.plan or tally.embeddings:
        return
    if not tally.skipped:
        raise InputError(f"no requests in {path}")
    first = tally.skipped[0]
    which = f"line {first.line}: {first.reason}"
    if len(tally.skipped) > 1:
        which = f"the first, {which}"
    raise NothingCountedError(
        f"nothing was counted: {count_of(len(tally.skipped), 'line')} of {path} skipped ({which})"
    )


def _finish(path: str, tally: _Tally, override: ModelOffer | None) -> BatchPlan:
    _check_requests(path, tally)
    models = list(tally.plan.values())
    for key, totals in tally.plan.items():
        totals.total_cost = _sum_money(tally.costs[key])
    totals_known = [totals.total_cost for totals in models]
    oldest = min((totals.as_of for totals in models), default=None)
    return BatchPlan(
        path=path,
        requests=sum(totals.requests + totals.not_fitting for totals in models),
        not_priced=len(tally.not_fitting),
        input_tokens=sum(totals.input_tokens for totals in models),
        input_tokens_high=sum(totals.input_tokens_high for totals in models),
        output_tokens=sum(totals.output_tokens for totals in models),
        total_cost=_sum_money(totals_known) if models else Decimal(0),
        batch=bool(models) and all(totals.batch for totals in models),
        method="exact" if all(totals.method == "exact" for totals in models) else "estimate",
        models=models,
        not_fitting=tally.not_fitting,
        skipped=tally.skipped,
        notes=_notes(tally, models),
        as_of=oldest,
        price_age_days=price_age(oldest).price_age_days if oldest is not None else None,
        override=override.id if override is not None else None,
        offline_estimate=_offline_total(models) if tally.online is not None else None,
        embeddings=list(tally.embeddings.values()),
    )


def _offline_total(models: list[ModelTotals]) -> OfflineEstimate:
    total = OfflineEstimate()
    for totals in models:
        if totals.offline_estimate is not None:
            total.tokens += totals.offline_estimate.tokens
            total.low += totals.offline_estimate.low
            total.high += totals.offline_estimate.high
    return total


def _notes(tally: _Tally, models: list[ModelTotals]) -> list[str]:
    notes = [
        f"{totals.id} ({totals.provider}) has no batch prices in the catalog: priced at its list prices"
        for totals in models
        if not totals.batch
    ]
    notes += [
        f"{totals.id} ({totals.provider}): price unknown, so the total is unknown"
        for totals in models
        if totals.total_cost is None
    ]
    if tally.defaulted:
        notes.append(
            f"{count_of(tally.defaulted, 'request')} {'gives' if tally.defaulted == 1 else 'give'} no "
            "max_tokens: each reserves the model's max output (or --output-tokens)"
        )
    unknown = sorted(tally.unknown_window)
    notes += [f"{name}: the catalog has no context window, fit unknown" for name in unknown]
    if tally.images_not_counted:
        notes.append(
            f"{count_of(tally.images_not_counted, 'image')} could not be counted (remote or unreadable)"
        )
    if tally.other_parts:
        notes.append(
            f"{count_of(tally.other_parts, 'request')} with non-text parts (audio, files): those parts are "
            "not counted"
        )
    notes += [f"{count_of(n, 'request')}: {note}" for note, n in sorted(tally.kept_offline.items())]
    for item in tally.embeddings.values():
        priced = "price unknown (the catalog lists no such model)" if item.total_cost is None else "priced"
        notes.append(
            f"{count_of(item.requests, 'embeddings request')} on {item.model}: not chat requests, counted "
            f"apart ({item.input_tokens:,} input tokens), {priced}"
        )
    return notes
