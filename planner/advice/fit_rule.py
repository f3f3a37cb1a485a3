"""Does an input fit a model's window with room for the answer, and what to do when it does not.

The fit rule:

- The model's limits: ``context_window`` of kind ``"total"`` (or no kind given: treated as total) holds
  input + output + reasoning, and ``max_input_tokens``, where the catalog has it, also limits the input
  (GPT-5: at most 272,000 input tokens of a 400,000 total).
- A window of kind ``"input"`` is an input limit whose total is unknown (LiteLLM's ``max_input_tokens`` with
  no other source for the total; for most models it *is* the total). It is judged conservatively, as if it
  were the total: input + output + reasoning must fit in it, since nothing vouches for room for the answer
  beyond it; the input must also be within ``max_input_tokens`` when known. So no window ever "fits" (or is
  "tight") when input + output + reasoning is above it.
- The output reserve (``output_tokens + reasoning_tokens``: reasoning counts toward the output limit, as with
  OpenAI's ``max_completion_tokens`` and Anthropic's ``max_tokens``) above ``max_output_tokens`` is a
  LimitError, whatever the input.
- An exact count is judged on itself. An estimate is judged on its upper band (``tokens_high``):
  ``fits`` needs the upper band to fit with headroom of at least ``TIGHT_FRACTION`` (5 %) of the window,
  or of the caller's ``headroom_fraction`` when that is larger (``planner fit --headroom``);
  ``tight`` means it fits, but only just (headroom from 0 up to under that threshold);
  the threshold is a share of the limit that binds: of the window, or of ``max_input_tokens`` when that
  is below what the window leaves after the reserves (DeepSeek's 131,072 input tokens of a 1,000,000
  window: 100,000 input tokens leave 31,072 free, 23.7 % of the input limit, so "fits", not "tight" by a
  5 % of 1,000,000 bar that no input under that limit could clear). ``limited_by`` says which binds, and
  the reason names it;
  ``does_not_fit`` means the judged count is over the limit the reserves leave, also when only an
  estimate's central count would fit (the reason then says so: an exact count may fit).
- Headroom is measured on the judged count and given in words too, at the family's words per token (see
  ``words_per_token``). It is negative exactly when the verdict is ``does_not_fit``: "fits" and "tight"
  always leave 0 or more tokens free, so a compare row or a page never reads "tight" with headroom -1,902.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel

from planner.advice.prices import require_non_negative
from planner.catalog.schema import ModelOffer
from planner.errors import CatalogError, LimitError, UsageError
from planner.tokens.counts import TokenCount
from planner.tokens.families import family_for
from planner.tokens.families import words_per_token as family_words_per_token
from planner.wording import UNKNOWN, count_of

Verdict = Literal["fits", "tight", "does_not_fit"]
LimitedBy = Literal["window", "input_limit", "budget"]

TIGHT_FRACTION = Decimal("0.05")  # headroom below 5 % of the window makes a fitting input "tight"


class WordsPerToken(BaseModel):
    value: Decimal
    basis: str


class FitResult(BaseModel):
    model: str
    context_window: int
    context_window_kind: Literal["total", "input"]
    input_limit: int  # the most input tokens the model takes with these reserves
    limited_by: LimitedBy = "window"  # "input_limit": max_input_tokens binds, below window - reserves
    input_tokens: int  # the central count
    input_tokens_high: int  # the upper band (== input_tokens for an exact count)
    method: Literal["exact", "estimate"]
    output_tokens: int
    reasoning_tokens: int
    total_tokens: int  # judged input + output + reasoning
    fits: bool  # True for "fits" and "tight"
    verdict: Verdict
    headroom_tokens: int
    headroom_words: int
    words_per_token: Decimal
    words_per_token_basis: str
    used_fraction: float  # judged tokens that count against the window / the window
    used_percent: str  # the same as a label: "95.4%", "100.001%" (over, never "100.0%"), ">1000%"
    input_limit_used_percent: str | None = None  # judged input / input_limit, when that is not the window
    input_budget: int | None = None  # the caller's own cap on input tokens (`fit --max-input-tokens`)
    chunks_needed: int
    tight_threshold: Decimal = TIGHT_FRACTION
    reason: str


class ChunkPlan(BaseModel):
    input_tokens: int
    chunk_budget: int  # tokens of input each request can take
    overlap_tokens: int
    chunks: int
    tokens_per_chunk: int  # input tokens in each chunk when split evenly (overlap included)


class FileTokens(BaseModel):
    path: str
    tokens: int


class DropPlan(BaseModel):
    budget: int  # input tokens that may be sent
    fixed_tokens: int  # tokens not in any file (e.g. chat overhead)
    keep: list[FileTokens]
    drop: list[FileTokens]
    tokens_kept: int  # including the fixed tokens
    tokens_dropped: int
    fits: bool
    order: Literal["largest_first", "priority"]


class UnknownWindowError(CatalogError):
    """The catalog has no context window for the model (exit status 6)."""


def words_per_token(family: str) -> WordsPerToken:
    """Words per token for a family (planner.tokens.families): measured where the project has a measurement,
    else
    0.75."""
    value, basis = family_words_per_token(family)
    return WordsPerToken(value=value, basis=basis)


def tokens_to_words(tokens: int, rate: Decimal) -> int:
    """Whole words (rounded down; negative headroom rounds away from zero)."""
    return math.floor(tokens * rate)


def _as_count(tokens: int | TokenCount) -> tuple[int, int, Literal["exact", "estimate"]]:
    if isinstance(tokens, TokenCount):
        return tokens.tokens, tokens.tokens_high, tokens.method
    return tokens, tokens, "exact"


def answer_reserve(typed: int | None, asked: int | None) -> tuple[int, str | None]:
    """The tokens reserved for the answer and where the number came from: ``--output-tokens`` when given,
    else the max_tokens a request body sets (the most the API will write, so the most it can bill), else 0."""
    if typed is not None:
        return typed, "--output-tokens"
    if asked is not None:
        return asked, "max_tokens"
    return 0, None


def check_reserves(offer: ModelOffer, output_tokens: int, reasoning_tokens: int = 0) -> None:
    """UsageError for negative counts, LimitError when the output reserve is above the model's max output."""
    require_non_negative(output_tokens=output_tokens, reasoning_tokens=reasoning_tokens)
    reserve = output_tokens + reasoning_tokens
    if offer.max_output_tokens is not None and reserve > offer.max_output_tokens:
        raise LimitError(
            f"{offer.id} writes at most {offer.max_output_tokens:,} output tokens per request; "
            f"the reserve of {reserve:,} (output + reasoning) is above it - lower the output reserve"
        )


def input_limit(offer: ModelOffer, output_tokens: int = 0, reasoning_tokens: int = 0) -> int:
    """The most input tokens ``offer`` accepts while keeping the output reserve (can be negative)."""
    if offer.context_window is None:
        raise UnknownWindowError(f"the catalog has no context window for {offer.id} ({offer.provider})")
    # an "input" window (total unknown) is held to the same rule as a total one: see the module doc
    limit = offer.context_window - output_tokens - reasoning_tokens
    if offer.max_input_tokens is not None:
        limit = min(limit, offer.max_input_tokens)
    return limit


def limited_by(offer: ModelOffer, output_tokens: int = 0, reasoning_tokens: int = 0) -> LimitedBy:
    """Which limit ``input_limit`` is: ``"input_limit"`` when ``max_input_tokens`` is below what the window
    leaves after the reserves, else ``"window"`` (equal: the window, the one the reserves also count on)."""
    window_leaves = (offer.context_window or 0) - output_tokens - reasoning_tokens
    if offer.max_input_tokens is not None and offer.max_input_tokens < window_leaves:
        return "input_limit"
    return "window"


def _tight_base(offer: ModelOffer, binding: LimitedBy) -> int:
    """What the tight threshold is a share of: the limit that binds (module doc)."""
    if binding == "input_limit" and offer.max_input_tokens is not None:
        return offer.max_input_tokens
    return offer.context_window or 0


def _verdict(judged: int, limit: int, base: int, tight: Decimal = TIGHT_FRACTION) -> Verdict:
    if judged > limit:
        return "does_not_fit"
    if (limit - judged) < tight * base:
        return "tight"
    return "fits"


def fit_verdict(
    offer: ModelOffer,
    input_tokens: int | TokenCount,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
    tight: Decimal = TIGHT_FRACTION,
) -> tuple[Verdict, int, int]:
    """The verdict, input limit and headroom of ``check_fit`` without the rest of its answer (the words, the
    reason, the chunks): what a comparison of thousands of offers needs from each, the same rule."""
    central, judged, _method = _as_count(input_tokens)
    require_non_negative(input_tokens=central)
    check_reserves(offer, output_tokens, reasoning_tokens)
    limit = input_limit(offer, output_tokens, reasoning_tokens)
    base = _tight_base(offer, limited_by(offer, output_tokens, reasoning_tokens))
    return _verdict(judged, limit, base, tight), limit, limit - judged


def check_fit(
    offer: ModelOffer,
    input_tokens: int | TokenCount,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
    *,
    overlap_tokens: int = 0,
    headroom_fraction: Decimal | None = None,
    input_budget: int | None = None,
) -> FitResult:
    """The fit verdict of an input (a TokenCount, or an exact count) on ``offer``; rules in the module doc.

    ``input_budget``: the most input tokens the caller allows (a team's budget, `--max-input-tokens`); when
    it is below the model's own input limit it is the limit that binds (``limited_by`` "budget"), with the
    same verdict rule, the tight bar a share of the budget.

    ``headroom_fraction`` (0 to 1): the share of the window (or of the input limit, when that binds) that
    must stay free for "fits"; a larger one
    than ``TIGHT_FRACTION`` raises the threshold, a smaller one leaves it at ``TIGHT_FRACTION``."""
    tight = TIGHT_FRACTION if headroom_fraction is None else max(TIGHT_FRACTION, Decimal(headroom_fraction))
    central, judged, method = _as_count(input_tokens)
    verdict, limit, headroom = fit_verdict(offer, input_tokens, output_tokens, reasoning_tokens, tight)
    window = offer.context_window or 0
    binding = limited_by(offer, output_tokens, reasoning_tokens)
    if input_budget is not None and input_budget < limit:
        require_non_negative(max_input_tokens=input_budget)
        limit, binding = input_budget, "budget"
        verdict, headroom = _verdict(judged, limit, input_budget, tight), limit - judged
    if limit <= 0 and window:
        raise LimitError(reserve_too_large_sentence(offer, output_tokens, reasoning_tokens))
    rate = words_per_token(family_for(offer))
    reserves = output_tokens + reasoning_tokens
    counted = judged + reserves
    chunks = 1 if verdict != "does_not_fit" else plan_chunks(judged, limit, overlap_tokens).chunks
    return FitResult(
        model=offer.id,
        context_window=window,
        context_window_kind=offer.context_window_kind or "total",
        input_limit=limit,
        limited_by=binding,
        input_tokens=central,
        input_tokens_high=judged,
        method=method,
        output_tokens=output_tokens,
        reasoning_tokens=reasoning_tokens,
        total_tokens=judged + reserves,
        fits=verdict != "does_not_fit",
        verdict=verdict,
        headroom_tokens=headroom,
        headroom_words=tokens_to_words(headroom, rate.value),
        words_per_token=rate.value,
        words_per_token_basis=rate.basis,
        used_fraction=float(round(Decimal(counted) / window, 6)) if window else 0.0,
        used_percent=used_percent_label(counted, window),
        input_limit_used_percent=used_percent_label(judged, limit) if binding != "window" else None,
        input_budget=input_budget,
        chunks_needed=chunks,
        tight_threshold=tight,
        reason=_reason(verdict, central, judged, limit, window, method, tight, binding),
    )


def used_percent_label(used: int, window: int) -> str:
    """``used`` tokens as a share of ``window``, in exact Decimal arithmetic: one decimal place ("95.4%"),
    but never "100.0%" for a count over the window (then three places, rounded up: 131,073 / 131,072 is
    "100.001%"), and ">1000%" above ten windows."""
    if window <= 0:
        return UNKNOWN
    percent = Decimal(used) * 100 / window
    if percent > 1000:
        return ">1000%"
    shown = percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if used > window and shown <= 100:
        shown = percent.quantize(Decimal("0.001"), rounding=ROUND_CEILING)
    return f"{shown}%"


def _reason(
    verdict: Verdict,
    central: int,
    judged: int,
    limit: int,
    window: int,
    method: str,
    tight: Decimal = TIGHT_FRACTION,
    binding: LimitedBy = "window",
) -> str:
    band = "the estimate's upper band" if method == "estimate" else "the input"
    capped = binding != "window"
    cap = f"{limit:,}-token input budget" if binding == "budget" else f"{limit:,}-token input limit"
    if verdict == "does_not_fit":
        what = f"the {limit:,} input tokens the reserves leave"
        if capped:
            what = f"the model's {cap}" if binding == "input_limit" else f"the {cap}"
        over = f"{band} is {count_of(judged - limit, 'token')} over {what}"
        if central <= limit:
            return f"{over} (the central estimate, {central:,}, would fit: an exact count may)"
        return over
    spare = f"fits with {count_of(limit - judged, 'token')} to spare"
    if verdict == "tight":
        base = cap if capped else f"{window:,} window"
        return f"{spare}, under {tight:%} of the {base}"
    return f"{spare} of the {cap}" if capped else spare


def reserve_too_large_sentence(offer: ModelOffer, output_tokens: int, reasoning_tokens: int) -> str:
    """ "the reserves (200,000 tokens for the answer) take the whole 131,072-token window, 68,928 tokens over
    it: no input fits; lower the answer or thinking reserve": words, never a negative number (`planner fit`'s
    error and the app's "reserve too large" state)."""
    parts = [f"{output_tokens:,} tokens for the answer"] if output_tokens else []
    if reasoning_tokens:
        parts.append(f"{reasoning_tokens:,} for thinking")
    window = offer.context_window or 0
    limit = f"{window:,}-token window"
    if offer.max_input_tokens is not None and offer.max_input_tokens <= 0:
        limit = "model's input limit"
    over = output_tokens + reasoning_tokens - window
    tail = f", {count_of(over, 'token')} over it" if over > 0 else ""
    return (
        f"the reserves ({' and '.join(parts)}) take the whole {limit}{tail}: no input fits; "
        "lower the answer or thinking reserve"
    )


def plan_chunks(input_tokens: int, chunk_budget: int, overlap_tokens: int = 0) -> ChunkPlan:
    """How many requests of at most ``chunk_budget`` input tokens cover ``input_tokens``, each chunk after the
    first repeating the last ``overlap_tokens`` of the one before."""
    if overlap_tokens < 0:
        raise UsageError(f"overlap must be 0 or more tokens, got {overlap_tokens}")
    if chunk_budget <= 0:
        raise LimitError(
            f"the output reserve leaves no room for input ({chunk_budget:,} tokens); "
            "lower the output and reasoning reserves"
        )
    if input_tokens <= chunk_budget:
        return ChunkPlan(
            input_tokens=input_tokens,
            chunk_budget=chunk_budget,
            overlap_tokens=overlap_tokens,
            chunks=1,
            tokens_per_chunk=input_tokens,
        )
    step = chunk_budget - overlap_tokens
    if step <= 0:
        raise UsageError(
            f"an overlap of {overlap_tokens:,} tokens leaves no new text in {chunk_budget:,}-token chunks; "
            "use a smaller --overlap"
        )
    chunks = 1 + math.ceil((input_tokens - chunk_budget) / step)
    per_chunk = math.ceil((input_tokens + (chunks - 1) * overlap_tokens) / chunks)
    return ChunkPlan(
        input_tokens=input_tokens,
        chunk_budget=chunk_budget,
        overlap_tokens=overlap_tokens,
        chunks=chunks,
        tokens_per_chunk=per_chunk,
    )


def plan_file_drops(
    files: list[FileTokens],
    budget: int,
    *,
    fixed_tokens: int = 0,
    priority: list[str] | None = None,
) -> DropPlan:
    """Which files to leave out so that the rest (plus ``fixed_tokens``) fits ``budget`` input tokens.

    Without ``priority``: drop the largest files first until the rest fits. With ``priority`` (paths or
    folder prefixes, most important first): files not on the list go first (largest first), then the listed
    ones from the end of the list; then any dropped file that still fits is put back, most important first.
    """
    if priority:
        order = _priority_drop_order(files, priority)
    else:
        order = sorted(files, key=lambda item: (-item.tokens, item.path))
    total = fixed_tokens + sum(item.tokens for item in files)
    dropped: list[FileTokens] = []
    for item in order:
        if total <= budget:
            break
        dropped.append(item)
        total -= item.tokens
    if priority:
        for item in reversed(list(dropped)):  # most important first
            if total + item.tokens <= budget:
                dropped.remove(item)
                total += item.tokens
    dropped_paths = {item.path for item in dropped}
    keep = [item for item in files if item.path not in dropped_paths]
    return DropPlan(
        budget=budget,
        fixed_tokens=fixed_tokens,
        keep=keep,
        drop=sorted(dropped, key=lambda item: (-item.tokens, item.path)),
        tokens_kept=total,
        tokens_dropped=sum(item.tokens for item in dropped),
        fits=total <= budget,
        order="priority" if priority else "largest_first",
    )


def suggest_file_drops(
    files: list[FileTokens],
    budget: int,
    *,
    total_tokens: int | None = None,
    priority: list[str] | None = None,
) -> DropPlan | None:
    """``plan_file_drops`` for an input counted file by file; None for fewer than two files (nothing sensible
    to leave out). The input's tokens that are in no file (``total_tokens`` less the files' sum, e.g. chat
    overhead) are kept whatever is dropped."""
    if len(files) < 2:
        return None
    fixed = 0 if total_tokens is None else max(0, total_tokens - sum(item.tokens for item in files))
    return plan_file_drops(files, budget, fixed_tokens=fixed, priority=priority)


def file_tokens(files: Iterable[Any], family: str) -> list[FileTokens]:
    """Each counted file's tokens for ``family`` (``planner.inputs`` FileReport records; skipped ones and
    files with no count for the family are left out): what ``suggest_file_drops`` chooses from."""
    return [
        FileTokens(path=item.path, tokens=item.tokens[family])
        for item in files
        if item.skipped is None and family in item.tokens
    ]


def _priority_rank(path: str, priority: list[str]) -> int | None:
    """The rank of the first priority entry naming ``path``: the path, a folder above it, or a tail of it
    in whole segments (``src/a.py`` names ``/home/me/repo/src/a.py``)."""
    wrapped = "/" + path.strip("/") + "/"
    for rank, wanted in enumerate(priority):
        wanted = wanted.strip().strip("/")
        if wanted.startswith("./"):
            wanted = wanted[2:]
        if wanted and (f"/{wanted}/" in wrapped or path.startswith(wanted + "/") or path == wanted):
            return rank
    return None


def _priority_drop_order(files: list[FileTokens], priority: list[str]) -> list[FileTokens]:
    unlisted = [item for item in files if _priority_rank(item.path, priority) is None]
    listed = [item for item in files if _priority_rank(item.path, priority) is not None]
    unlisted.sort(key=lambda item: (-item.tokens, item.path))
    listed.sort(key=lambda item: (-(_priority_rank(item.path, priority) or 0), -item.tokens, item.path))
    return unlisted + listed
