"""The one answer every view of the app shows at its top (the verdict strip): the verdict in words, the
input's tokens, the headroom and the cost of one request, for one model and one input.

The states, each with its sentence:

- ``no_input``: nothing was given, so there is no verdict and no price (never "fits" for nothing);
- ``refused``: the input holds images and the catalog says the model takes none (``planner.advice.notes``,
  the sentence `planner fit` and `planner cost` refuse it with);
- ``bad_input``: a count or a reserve the fit rule refuses (above 10^18 tokens, say), with its message;
- ``reserve_above_max_output``: the answer and thinking reserves are above the model's max output (the
  LimitError of ``check_reserves``: `planner fit` and `planner cost` exit 8 with the same words);
- ``reserve_too_large``: the reserves alone are the whole window or more, so no input fits at all;
- ``unknown_window``: the catalog lists no window, so the fit is unknown (the cost may still be known);
- ``fits``, ``tight``, ``does_not_fit``: the fit rule's verdict (``planner.advice.fit_rule``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from planner.advice.answers import advise_cost
from planner.advice.fit_rule import (
    FitResult,
    check_fit,
    check_reserves,
    input_limit,
    reserve_too_large_sentence,
)
from planner.advice.notes import FIND_VISION_MODELS, images_refused
from planner.catalog.schema import ModelOffer
from planner.errors import LimitError, PlannerError
from planner.tokens.counts import TokenCount
from planner.wording import headroom_text

AnswerState = Literal[
    "no_input",
    "refused",
    "bad_input",
    "reserve_above_max_output",
    "reserve_too_large",
    "unknown_window",
    "fits",
    "tight",
    "does_not_fit",
]
STATE_LABELS: dict[AnswerState, str] = {
    "no_input": "Nothing to check yet",
    "refused": "Takes no images",
    "bad_input": "Cannot check this input",
    "reserve_above_max_output": "Reserve too large",
    "reserve_too_large": "Reserve too large",
    "unknown_window": "Window not known",
    "fits": "Fits",
    "tight": "Tight",
    "does_not_fit": "Does not fit",
}


class OneAnswer(BaseModel):
    """The verdict strip of one model and one input (see the module doc)."""

    state: AnswerState
    label: str  # "Fits", "Does not fit", "Reserve too large", ...
    sentence: str  # the verdict in words, one sentence starting with a capital
    tokens: int | None = None  # the input's central count (None: no input)
    tokens_high: int | None = None  # the upper band of an estimate
    method: Literal["exact", "estimate"] | None = None
    headroom: str = "-"  # "104,471", "1,902 over", "-" when there is no fit to judge
    cost: Decimal | None = None  # one request: the input and the reserves billed; None: unknown or not asked
    cost_known: bool = False  # False: a price is missing (never shown as $0) or there is no input
    fit: FitResult | None = None


def _sentence(text: str, capital: bool = True) -> str:
    text = text.strip()
    if capital:
        text = text[:1].upper() + text[1:]
    return text.rstrip(".") + "."


def one_answer(
    offer: ModelOffer,
    count: TokenCount | None,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
    *,
    images: int = 0,
    cached_tokens: int = 0,
    batch: bool = False,
    find_vision: str = FIND_VISION_MODELS,
) -> OneAnswer:
    """The verdict strip of ``count`` (None: no input) on ``offer`` with the reserves; ``images``: how many
    images the input holds; ``cached_tokens`` and ``batch`` price the request as the cost settings do."""
    if count is None:
        return OneAnswer(
            state="no_input",
            label=STATE_LABELS["no_input"],
            sentence="No input yet, so there is no verdict and no price.",
        )
    counted = OneAnswer(
        state="no_input",
        label="",
        sentence="",
        tokens=count.tokens,
        tokens_high=count.tokens_high,
        method=count.method,
    )

    def answer(state: AnswerState, sentence: str, **more: Any) -> OneAnswer:
        return counted.model_copy(
            update={"state": state, "label": STATE_LABELS[state], "sentence": sentence, **more}
        )

    refusal = images_refused(offer, images, find_vision)  # the fit and cost answers' own sentence
    if refusal is not None:
        return answer("refused", _sentence(refusal, capital=False))
    try:
        check_reserves(offer, output_tokens, reasoning_tokens)
    except LimitError as error:
        return answer("reserve_above_max_output", _sentence(error.message))
    except PlannerError as error:
        return answer("bad_input", _sentence(error.message, capital=False))
    cost = _cost(offer, count, output_tokens, reasoning_tokens, cached_tokens, batch)
    priced = {"cost": cost, "cost_known": cost is not None}
    if not offer.context_window:
        sentence = "The catalog lists no context window for this model, so whether it fits is unknown."
        return answer("unknown_window", sentence, **priced)
    if input_limit(offer, output_tokens, reasoning_tokens) <= 0:
        sentence = reserve_too_large_sentence(offer, output_tokens, reasoning_tokens)
        return answer("reserve_too_large", _sentence(sentence))
    try:
        fit = check_fit(offer, count, output_tokens, reasoning_tokens)
    except PlannerError as error:
        return answer("bad_input", _sentence(error.message, capital=False))
    reason = f"the input {fit.reason}" if fit.verdict != "does_not_fit" else fit.reason
    return answer(
        fit.verdict, _sentence(reason), headroom=headroom_text(fit.headroom_tokens), fit=fit, **priced
    )


def _cost(
    offer: ModelOffer, count: TokenCount, output: int, reasoning: int, cached: int, batch: bool
) -> Decimal | None:
    try:
        advice = advise_cost(
            offer, count, output, reasoning_tokens=reasoning, cached_tokens=cached, batch=batch
        )
    except PlannerError:
        return None
    return advice.cost.total_cost
