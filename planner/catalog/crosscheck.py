"""Cross-check catalog prices against pydantic/genai-prices and keep every difference as a disagreement.

genai-prices is a list of providers, each with models found by match clauses (equals, starts_with, ends_with,
contains, regex, and/or) and prices per million tokens as decimal strings: either one ``ModelPrice`` or a list
of ``ConditionalPrice`` with start dates (the price in force on the offer's as-of date is used); a
``TieredPrices`` value contributes its base price. Its providers are mapped onto catalog hosts with
``PROVIDER_HOSTS``; an offer is looked up by its id, then by the id's last path segment. Only the prices the
offer and genai-prices both state are compared; genai-prices never replaces a catalog value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from planner.catalog.schema import Disagreement, ModelOffer
from planner.catalog.sources import clean_money, parse_date
from planner.wording import PER_MILLION

SOURCE = "genai-prices"
PROVIDER_HOSTS: dict[str, str] = {
    "anthropic": "anthropic",
    "aws": "amazon-bedrock",
    "azure": "azure",
    "google": "google",
    "openai": "openai",
    "openrouter": "openrouter",
    "x-ai": "xai",
    "together": "togetherai",
    "fireworks": "fireworks-ai",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "groq": "groq",
    "cerebras": "cerebras",
    "cohere": "cohere",
    "moonshotai": "moonshotai",
    "zai": "zai",
    "perplexity": "perplexity",
    "novita": "novita-ai",
    "ovhcloud": "ovhcloud",
    "baseten": "baseten",
    "databricks": "databricks",
    "minimax": "minimax",
    "deepinfra": "deepinfra",
    "github-copilot": "github-copilot",
}
PRICE_FIELDS: dict[str, str] = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cache_read",
    "cache_write_mtok": "cache_write",
    "cache_write_1h_mtok": "cache_write_1h",
}


def clause_matches(clause: Mapping[str, Any], text: str) -> bool:
    """Whether a genai-prices match clause accepts ``text`` (lower-case model id)."""
    kind = clause.get("_type")
    if kind == "ClauseEquals":
        return text == str(clause["equals"]).lower()
    if kind == "ClauseStartsWith":
        return text.startswith(str(clause["starts_with"]).lower())
    if kind == "ClauseEndsWith":
        return text.endswith(str(clause["ends_with"]).lower())
    if kind == "ClauseContains":
        return str(clause["contains"]).lower() in text
    if kind == "ClauseRegex":
        return re.search(str(clause["regex"]), text) is not None
    if kind == "ClauseOr":
        return any(clause_matches(part, text) for part in clause["or"])
    if kind == "ClauseAnd":
        return all(clause_matches(part, text) for part in clause["and"])
    return False


def price_on(prices: Any, when: date) -> Mapping[str, Any]:
    """The ``ModelPrice`` in force on ``when``."""
    if isinstance(prices, Mapping):
        return prices
    chosen: Mapping[str, Any] = {}
    for conditional in prices or []:
        start = parse_date((conditional.get("constraint") or {}).get("start_date"))
        if start is None or start <= when:
            chosen = conditional.get("prices") or {}
    return chosen


def per_token(value: Any) -> Decimal | None:
    base = value.get("base") if isinstance(value, Mapping) else value
    return clean_money(base, scale=PER_MILLION)


class PriceCrossCheck:
    """genai-prices indexed by catalog host, ready to compare offers."""

    def __init__(self, document: Any) -> None:
        self.models: dict[str, list[Mapping[str, Any]]] = {}
        for provider in document if isinstance(document, list) else []:
            host = PROVIDER_HOSTS.get(str(provider.get("id")))
            if host is not None:
                self.models.setdefault(host, []).extend(provider.get("models") or [])

    def find(self, offer: ModelOffer) -> Mapping[str, Any] | None:
        candidates = self.models.get(offer.provider)
        if not candidates:
            return None
        lowered = offer.id.lower()
        for text in dict.fromkeys([lowered, lowered.rsplit("/", 1)[-1]]):
            for model in candidates:
                if clause_matches(model.get("match") or {}, text):
                    return model
        return None

    def disagreements(self, offer: ModelOffer, model: Mapping[str, Any] | None = None) -> list[Disagreement]:
        model = model if model is not None else self.find(offer)
        if model is None:
            return []
        prices = price_on(model.get("prices"), offer.as_of)
        found = []
        for key, name in PRICE_FIELDS.items():
            theirs, mine = per_token(prices.get(key)), getattr(offer.pricing, name)
            if theirs is not None and mine is not None and theirs != mine:
                found.append(Disagreement(field=f"pricing.{name}", value=format(theirs, "f"), source=SOURCE))
        return found

    def apply(self, offers: list[ModelOffer]) -> tuple[list[ModelOffer], int]:
        """Offers with genai-prices' differing prices added as disagreements, and how many were checked."""
        checked, result = 0, []
        for offer in offers:
            model = self.find(offer)
            if model is not None:
                checked += 1
                extra = self.disagreements(offer, model)
                if extra:
                    offer = offer.model_copy(update={"disagreements": [*offer.disagreements, *extra]})
            result.append(offer)
        return result, checked
