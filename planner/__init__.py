"""planner: context budgeting and cost planner for large language models.

The public Python API; every name is imported on first use so that `import planner` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

DEFAULT_MODEL = "nousresearch/hermes-4-405b"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "count_tokens": "planner.counting",
    "estimate_tokens": "planner.counting",
    "text_stats": "planner.counting",
    "TokenCount": "planner.counting",
    "TextStats": "planner.counting",
    "typed_counts": "planner.counting",
    "get_encoding": "planner.tokenizers",
    "get_encoder": "planner.tokenizers",
    "family_for": "planner.families",
    "family_for_model": "planner.families",
    "tokenizer_for_model": "planner.model_families",
    "ModelOffer": "planner.catalog.schema",
    "Pricing": "planner.catalog.schema",
    "Capabilities": "planner.catalog.schema",
    "load_catalog": "planner.catalog.store",
    "Catalog": "planner.catalog.store",
    "PlannerError": "planner.errors",
    "count_inputs": "planner.inputs",
    "count_text_input": "planner.inputs",
    "InputReport": "planner.inputs",
    "FileReport": "planner.inputs",
    "check_fit": "planner.plans",
    "FitResult": "planner.plans",
    "plan_chunks": "planner.plans",
    "ChunkPlan": "planner.plans",
    "plan_file_drops": "planner.plans",
    "DropPlan": "planner.plans",
    "FileTokens": "planner.plans",
    "words_per_token": "planner.plans",
    "suggest_file_drops": "planner.plans",
    "request_cost": "planner.costs",
    "RequestCost": "planner.costs",
    "volume_cost": "planner.costs",
    "VolumeCost": "planner.costs",
    "cached_tokens": "planner.costs",
    "compare_models": "planner.compare",
    "Comparison": "planner.compare",
    "ComparisonRow": "planner.compare",
    "families_of": "planner.families",
    "alternatives": "planner.suggestions",
    "suggest_models": "planner.suggestions",
    "suggestable": "planner.suggestions",
    "Suggestions": "planner.suggestions",
    "offer_class": "planner.policy",
    "advise_fit": "planner.advice",
    "FitAdvice": "planner.advice",
    "advise_cost": "planner.advice",
    "CostAdvice": "planner.advice",
    "model_page": "planner.model_pages",
    "ModelPage": "planner.model_pages",
    "percent_larger": "planner.model_pages",
    "plan_conversation": "planner.conversation",
    "ConversationPlan": "planner.conversation",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
