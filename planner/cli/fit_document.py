"""`planner fit --json`'s document, apart from planner.cli.documents (which re-exports it) so that a fit
builds only its own models: documents.py imports every command's answers (batch, compare, model page,
ledger, datasets; httpx with them), a third of a second and 13 MB that a fit does not use."""

from __future__ import annotations

from pydantic import BaseModel

from planner.advice.fit_rule import DropPlan, FitResult
from planner.catalog.schema import Money
from planner.cli.document_base import Document, EffortKeys, FreshnessKeys, OnlineKeys, PartsKeys


class SuggestedModel(BaseModel):
    id: str
    name: str
    provider: str
    context_window: int | None
    total_cost: Money | None
    offer_class: str


class SuggestedPair(BaseModel):
    smallest_window: SuggestedModel | None
    cheapest: SuggestedModel | None


class PaidSuggestions(SuggestedPair):
    headroom_fraction: str  # the share of its window a suggested model must leave free, as a decimal string


class FitDocument(FitResult, FreshnessKeys, PartsKeys, EffortKeys, OnlineKeys, Document):
    """`planner fit --json`. ``drop_plan``, ``alternatives``, ``free_alternatives`` and ``include_free`` only
    when the input does not fit; ``words`` when the input was counted (not --input-tokens)."""

    tokenizer: str
    images_left_out: list[str] | None = None  # images found in folders and left out (--images)
    words: int | None = None
    images_not_counted: int | None = None
    drop_plan: DropPlan | None = None
    alternatives: PaidSuggestions | None = None
    free_alternatives: SuggestedPair | None = None
    include_free: bool | None = None
