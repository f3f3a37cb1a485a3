"""Cross-host outliers: a limit or price of one offer that most hosts of the same weights contradict.

The rule (the only place it lives; the build applies it, the CLI and the app render ``ModelOffer.outliers``,
and the suggestions leave flagged offers out, planner.advice.suggestions):
- The hosts of the same weights are the offers that share a ``naming.weights_keys`` key (ids, aliases,
  Hugging Face id, OpenRouter's canonical slug), as ``Catalog.same_weights`` groups them.
- For each of ``OUTLIER_FIELDS`` (the window, the max output, the input and output price) an offer's value is
  an outlier when at least ``MIN_OTHER_HOSTS`` (3) other offers of the same weights give a value, and more
  than half of them differ from it by more than ``OUTLIER_FACTOR`` (10x) either way. Zero and unknown values
  are not compared (a free tier is no outlier of price).
- Snowflake Cortex's ``openai-gpt-5-nano`` claims a 5,000,000-token window where the other hosts of GPT-5
  nano say 400,000 or 272,000: 12.5x or more, so its ``outliers`` is ``["context_window"]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from planner.catalog import naming
from planner.catalog.schema import ModelOffer

OUTLIER_FACTOR = Decimal(10)  # 4x flagged 985 of 8,167 offers (hosts capping output), 10x 295
MIN_OTHER_HOSTS = 3
OUTLIER_FIELDS: dict[str, Callable[[ModelOffer], int | Decimal | None]] = {
    "context_window": lambda offer: offer.context_window,
    "max_output_tokens": lambda offer: offer.max_output_tokens,
    "pricing.input": lambda offer: offer.pricing.input,
    "pricing.output": lambda offer: offer.pricing.output,
}


OUTLIER_MARK = "!"  # after a value in a table: a cross-host outlier


def outlier_mark(offer: ModelOffer, field: str) -> str:
    """The mark after a table cell whose value most hosts of the same weights contradict ("" when none)."""
    return OUTLIER_MARK if field in offer.outliers else ""


def outlier_note(offer: ModelOffer) -> str | None:
    """The sentence an answer shows for a record with outliers (None without)."""
    if not offer.outliers:
        return None
    values = ", ".join(f"{name} {_value_text(OUTLIER_FIELDS[name](offer))}" for name in offer.outliers)
    return (
        f"{offer.provider} {offer.id}: {values} {'differs' if len(offer.outliers) == 1 else 'differ'} by "
        f"more than {OUTLIER_FACTOR}x from most hosts of "
        "the same weights (a likely error of the source); never suggested"
    )


def _value_text(value: int | Decimal | None) -> str:
    if isinstance(value, Decimal):
        return f"${value * 1_000_000:f} per million"
    return f"{value:,}" if value is not None else "unknown"


def _keys(offer: ModelOffer) -> set[str]:
    return naming.weights_keys(offer.id, offer.aliases, offer.hf_id, offer.canonical_slug)


def disagrees(value: int | Decimal, other: int | Decimal) -> bool:
    """Whether two positive values differ by more than ``OUTLIER_FACTOR`` either way."""
    low, high = sorted((Decimal(value), Decimal(other)))
    return high > low * OUTLIER_FACTOR


def outlier_fields(offer: ModelOffer, others: Iterable[ModelOffer]) -> list[str]:
    """The fields of ``offer`` that most of ``others`` (the other hosts of its weights) contradict."""
    others = list(others)
    found = []
    for name, read in OUTLIER_FIELDS.items():
        value = read(offer)
        if not value:
            continue
        theirs = [v for v in (read(other) for other in others) if v]
        if len(theirs) < MIN_OTHER_HOSTS:
            continue
        if 2 * sum(disagrees(value, other) for other in theirs) > len(theirs):
            found.append(name)
    return found


def flag_outliers(offers: list[ModelOffer]) -> list[ModelOffer]:
    """``offers`` with each one's ``outliers`` set by the rule of the module docstring."""
    index: dict[str, list[int]] = {}
    keys = [_keys(offer) for offer in offers]
    for position, offer_keys in enumerate(keys):
        for key in offer_keys:
            index.setdefault(key, []).append(position)
    flagged = []
    for position, offer in enumerate(offers):
        same = {other for key in keys[position] for other in index[key]} - {position}
        found = outlier_fields(offer, (offers[other] for other in sorted(same)))
        if found != offer.outliers:
            offer = offer.model_copy(update={"outliers": found})
        flagged.append(offer)
    return flagged
