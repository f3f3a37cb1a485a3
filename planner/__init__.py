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
    "count_tokens": "planner.tokens.counts",
    "estimate_tokens": "planner.tokens.counts",
    "text_stats": "planner.tokens.counts",
    "TokenCount": "planner.tokens.counts",
    "TextStats": "planner.tokens.counts",
    "typed_counts": "planner.tokens.counts",
    "get_encoding": "planner.tokens.encoders",
    "get_encoder": "planner.tokens.encoders",
    "family_for": "planner.tokens.families",
    "family_for_model": "planner.tokens.families",
    "tokenizer_for_model": "planner.tokens.families:family_for_model",
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
    "check_fit": "planner.advice.fit_rule",
    "FitResult": "planner.advice.fit_rule",
    "plan_chunks": "planner.advice.fit_rule",
    "ChunkPlan": "planner.advice.fit_rule",
    "plan_file_drops": "planner.advice.fit_rule",
    "DropPlan": "planner.advice.fit_rule",
    "FileTokens": "planner.advice.fit_rule",
    "words_per_token": "planner.advice.fit_rule",
    "suggest_file_drops": "planner.advice.fit_rule",
    "request_cost": "planner.advice.prices",
    "RequestCost": "planner.advice.prices",
    "volume_cost": "planner.advice.prices",
    "VolumeCost": "planner.advice.prices",
    "cached_tokens": "planner.advice.prices",
    "compare_models": "planner.advice.compare",
    "Comparison": "planner.advice.compare",
    "ComparisonRow": "planner.advice.compare",
    "families_of": "planner.tokens.families",
    "alternatives": "planner.advice.suggestions",
    "suggest_models": "planner.advice.suggestions",
    "suggestable": "planner.advice.suggestions",
    "Suggestions": "planner.advice.suggestions",
    "offer_class": "planner.advice.policy",
    "advise_fit": "planner.advice.answers",
    "FitAdvice": "planner.advice.answers",
    "advise_cost": "planner.advice.answers",
    "CostAdvice": "planner.advice.answers",
    "model_page": "planner.advice.model_page",
    "ModelPage": "planner.advice.model_page",
    "percent_larger": "planner.advice.model_page",
    "plan_conversation": "planner.advice.conversation",
    "ConversationPlan": "planner.advice.conversation",
}


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    module, _, attribute = target.partition(":")  # "module:attribute" where the public name is an alias
    return getattr(import_module(module), attribute or name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
