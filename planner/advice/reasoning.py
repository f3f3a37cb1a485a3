"""How many thinking tokens to reserve for a reasoning model at an effort level (low, medium, high).

The reserve is what ``fit`` keeps free and ``cost`` bills at the reasoning price (planner.advice.prices: the
offer's ``reasoning`` price where it differs, else its output price). Rules and sources, by tokenizer family:

- ``gemini``: low 1,024, medium 8,192, high 24,576 thinking tokens: the budgets Google maps OpenAI's
  ``reasoning_effort`` to, https://ai.google.dev/gemini-api/docs/openai (Thinking).
- OpenAI (``o200k_base``, ``cl100k_base``): OpenAI publishes effort levels but no token budget per level; its
  reasoning guide recommends "reserving at least 25,000 tokens for reasoning and outputs" when starting,
  https://platform.openai.com/docs/guides/reasoning (Allocating space for reasoning): 25,000 at every level.
- every other reasoning model (Claude's extended thinking, DeepSeek R1, Qwen 3, Hermes 4, ...): a share of
  the offer's max output, high 80 %, medium 50 %, low 20 %, at least 1,024 and at most 32,000 tokens:
  OpenRouter's documented mapping of ``reasoning.effort`` to a thinking budget,
  https://openrouter.ai/docs/use-cases/reasoning-tokens (Reasoning effort level). Without a known max
  output: the Gemini budgets.

Every reserve is capped at the offer's max output (thinking counts toward it).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from planner.catalog.schema import ModelOffer
from planner.errors import LimitError, UsageError

Effort = Literal["low", "medium", "high"]
EFFORTS: tuple[Effort, ...] = ("low", "medium", "high")

GEMINI_BUDGETS: dict[str, int] = {"low": 1024, "medium": 8192, "high": 24576}
GEMINI_SOURCE = "https://ai.google.dev/gemini-api/docs/openai"
OPENAI_RESERVE = 25_000
OPENAI_SOURCE = "https://platform.openai.com/docs/guides/reasoning"
SHARE_OF_MAX_OUTPUT: dict[str, float] = {"low": 0.2, "medium": 0.5, "high": 0.8}
SHARE_MIN, SHARE_MAX = 1024, 32_000
SHARE_SOURCE = "https://openrouter.ai/docs/use-cases/reasoning-tokens"


class ReasoningReserve(BaseModel):
    """The thinking reserve of one offer at one effort level, and how it was chosen."""

    model_config = ConfigDict(frozen=True)

    effort: Effort
    tokens: int
    basis: str


def parse_effort(text: str) -> Effort:
    lowered = text.strip().lower()
    if lowered not in EFFORTS:
        raise UsageError(f"--reasoning-effort must be one of {', '.join(EFFORTS)}, got {text!r}")
    return lowered  # narrowed to Effort by the membership test


def reasoning_reserve(offer: ModelOffer, family: str, effort: Effort) -> ReasoningReserve:
    """The reserve for ``offer`` at ``effort``; LimitError when the catalog says the model does not reason."""
    if offer.capabilities.reasoning is False:
        raise LimitError(
            f"{offer.id} is not a reasoning model (catalog: no reasoning); drop --reasoning-effort "
            "or give --reasoning-tokens N"
        )
    if family in ("gemini", "gemma3"):  # Gemini 2.0 / 2.5 / 3 count with Gemma 3's vocabulary
        tokens, basis = GEMINI_BUDGETS[effort], f"Gemini thinking budget for {effort} ({GEMINI_SOURCE})"
    elif family in ("o200k_base", "cl100k_base"):
        tokens = OPENAI_RESERVE
        basis = f"OpenAI's advice to reserve 25,000 for reasoning, no per-effort budget ({OPENAI_SOURCE})"
    elif offer.max_output_tokens:
        share = SHARE_OF_MAX_OUTPUT[effort]
        tokens = min(max(int(offer.max_output_tokens * share), SHARE_MIN), SHARE_MAX)
        basis = (
            f"{share:.0%} of the max output {offer.max_output_tokens:,}, within {SHARE_MIN:,}-{SHARE_MAX:,} "
            f"(OpenRouter's effort mapping, {SHARE_SOURCE})"
        )
    else:
        tokens, basis = GEMINI_BUDGETS[effort], f"no max output known: the Gemini budget for {effort}"
    if offer.max_output_tokens and tokens > offer.max_output_tokens:
        tokens, basis = offer.max_output_tokens, f"{basis}, capped at the max output"
    return ReasoningReserve(effort=effort, tokens=tokens, basis=basis)
