"""A chat that resends its history: when does it overflow the window, and what do N turns cost?

Model of a conversation: every turn sends the system prompt, all earlier user messages and answers, and the
new user message; the answer (plus any reasoning) comes back. Turn k (from 1) therefore sends
``system + (k - 1) * (user + answer) + user`` input tokens and receives ``answer`` output tokens. Reasoning
tokens are billed on each turn but are not kept in the history (as chat APIs drop earlier thinking).

Caching model (prompt caching with a breakpoint at the end of each prompt, as Anthropic's and OpenAI's
caches behave for a growing chat): turn 1 writes its whole prompt to the cache; turn k > 1 reads the previous
turn's prompt from the cache and writes the new part (the previous answer and the new user message). Reads
and writes are priced as in ``planner.advice.prices`` (read: cache_read, else input; write: 5-minute
cache_write, else input). The cache is assumed to stay warm between turns (turns less than 5 minutes apart).

The overflow turn is the first turn whose request does not fit the window (``planner.advice.fit_rule`` rules
with the answer and reasoning reserved). Costs are summed only over the turns that fit.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from planner.advice.fit_rule import check_reserves, input_limit
from planner.advice.prices import request_cost
from planner.catalog.schema import ModelOffer, Money
from planner.errors import UsageError
from planner.tokens.quantities import parse_token_count

MAX_TURNS = 100_000


class TurnCost(BaseModel):
    turn: int
    input_tokens: int
    cached_tokens: int  # read from the cache, with caching
    cache_write_tokens: int
    cost_without_caching: Money | None
    cost_with_caching: Money | None
    cumulative_without_caching: Money | None
    cumulative_with_caching: Money | None


class ConversationPlan(BaseModel):
    model: str
    context_window: int
    system_tokens: int
    user_tokens: int
    answer_tokens: int
    reasoning_tokens: int
    turns_requested: int
    turns_costed: int  # the requested turns that fit the window
    last_turn_that_fits: int  # 0 when not even the first turn fits
    overflow_turn: int | None  # the first turn whose request does not fit (None: not within MAX_TURNS)
    total_without_caching: Money | None
    total_with_caching: Money | None
    savings_with_caching: Money | None
    caching_supported: bool | None  # the catalog's prompt_caching flag
    turns: list[TurnCost]


def parse_turns(value: str, option: str = "turns") -> int:
    """A number of turns from user text (``20``, ``1,000``, ``2k``) from 1 to MAX_TURNS; UsageError in turns
    (not in tokens, as the token-count parser words it) otherwise."""
    try:
        turns = parse_token_count(value, option)
    except UsageError:
        raise UsageError(
            f"{option} must be a whole number of turns from 1 to {MAX_TURNS:,}, got {value!r}"
        ) from None
    check_turns(turns, option)
    return turns


def check_turns(turns: int, option: str = "turns") -> None:
    """UsageError naming ``option`` (the CLI passes "--turns") unless 1 <= turns <= MAX_TURNS."""
    if not 1 <= turns <= MAX_TURNS:
        raise UsageError(f"{option} must be from 1 to {MAX_TURNS:,}, got {turns:,}")


def turn_input_tokens(turn: int, system_tokens: int, user_tokens: int, answer_tokens: int) -> int:
    return system_tokens + (turn - 1) * (user_tokens + answer_tokens) + user_tokens


def last_fitting_turn(limit: int, system_tokens: int, user_tokens: int, answer_tokens: int) -> int:
    """The last turn whose input is within ``limit`` input tokens (0 if none)."""
    first = system_tokens + user_tokens
    if first > limit:
        return 0
    step = user_tokens + answer_tokens
    if step == 0:
        return MAX_TURNS
    return min(MAX_TURNS, 1 + (limit - first) // step)


def _add(total: Decimal | None, amount: Decimal | None) -> Decimal | None:
    return None if total is None or amount is None else total + amount


def plan_conversation(
    offer: ModelOffer,
    system_tokens: int,
    user_tokens: int,
    answer_tokens: int,
    turns: int = 20,
    *,
    reasoning_tokens: int = 0,
) -> ConversationPlan:
    """The overflow turn and the cumulative cost over ``turns`` turns, with and without prompt caching."""
    for name, value in (("system", system_tokens), ("user", user_tokens), ("answer", answer_tokens)):
        if value < 0:
            raise UsageError(f"{name} tokens must be 0 or more, got {value}")
    check_turns(turns)
    check_reserves(offer, answer_tokens, reasoning_tokens)
    limit = input_limit(offer, answer_tokens, reasoning_tokens)
    last_fit = last_fitting_turn(limit, system_tokens, user_tokens, answer_tokens)
    rows: list[TurnCost] = []
    plain_total: Decimal | None = Decimal(0)
    cached_total: Decimal | None = Decimal(0)
    previous_prompt = 0
    for turn in range(1, min(turns, last_fit) + 1):
        prompt = turn_input_tokens(turn, system_tokens, user_tokens, answer_tokens)
        plain = request_cost(offer, prompt, answer_tokens, reasoning_tokens=reasoning_tokens).total_cost
        cached = request_cost(
            offer,
            prompt,
            answer_tokens,
            cached_tokens=previous_prompt,
            cache_write_tokens=prompt - previous_prompt,
            reasoning_tokens=reasoning_tokens,
        ).total_cost
        plain_total, cached_total = _add(plain_total, plain), _add(cached_total, cached)
        rows.append(
            TurnCost(
                turn=turn,
                input_tokens=prompt,
                cached_tokens=previous_prompt,
                cache_write_tokens=prompt - previous_prompt,
                cost_without_caching=plain,
                cost_with_caching=cached,
                cumulative_without_caching=plain_total,
                cumulative_with_caching=cached_total,
            )
        )
        previous_prompt = prompt
    savings = None if plain_total is None or cached_total is None else plain_total - cached_total
    return ConversationPlan(
        model=offer.id,
        context_window=offer.context_window or 0,
        system_tokens=system_tokens,
        user_tokens=user_tokens,
        answer_tokens=answer_tokens,
        reasoning_tokens=reasoning_tokens,
        turns_requested=turns,
        turns_costed=len(rows),
        last_turn_that_fits=last_fit,
        overflow_turn=last_fit + 1 if last_fit < MAX_TURNS else None,
        total_without_caching=plain_total,
        total_with_caching=cached_total,
        savings_with_caching=savings,
        caching_supported=offer.capabilities.prompt_caching,
        turns=rows,
    )
