"""genai-prices (pydantic/genai-prices) as a price source: fresher prices, dated price history, time-of-day
prices; every difference kept as a disagreement.

genai-prices is a list of providers, each with models found by match clauses (equals, starts_with, ends_with,
contains, regex, and/or) and prices per million tokens as decimal strings: either one ``ModelPrice`` or a list
of ``ConditionalPrice``. A conditional price with a ``StartDateConstraint`` is in force from its start date
(the last one started wins; one without a constraint is in force before any dated one); one with a
``TimeOfDateConstraint`` applies only between two times of each day (peak / off-peak hours) and is never a
price change. A ``TieredPrices`` value contributes its base price. Its providers are mapped onto catalog
hosts with ``PROVIDER_HOSTS``; an offer is looked up by its id, then by the id's last path segment.

For each offer it prices (``PriceCrossCheck.apply``):
- when genai-prices' date is later than the offer's prices' ``as_of``, its prices in force on its date
  replace the ones it states (``sources.fresher_prices``: the replaced values stay as disagreements, the
  record's ``as_of`` becomes genai-prices' date, ``price_source`` names it); a $0 input and output on an
  offer nobody marks free is not a price and replaces nothing;
- so do they when the record's input and output prices are one of genai-prices' time-of-day prices for the
  offer (LiteLLM lists DeepSeek's peak-hour price): those are a daily schedule, not the standard price;
- otherwise only its differing prices are added as disagreements;
- its dated prices become the record's ``price_history`` (when it has at least one start date) and its
  time-of-day prices the record's ``time_of_day_prices`` (``planner.catalog.ledger`` reads both).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

from planner.catalog.schema import DatedPrices, Disagreement, ModelOffer, Pricing, TimeOfDayPrices
from planner.catalog.sources import clean_money, fresher_prices, is_marked_free, parse_date
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


def _constraint(conditional: Mapping[str, Any]) -> Mapping[str, Any]:
    constraint = conditional.get("constraint")
    return constraint if isinstance(constraint, Mapping) else {}


def is_time_of_day(conditional: Mapping[str, Any]) -> bool:
    """A conditional price that applies between two times of each day (not a dated change)."""
    return "start_time" in _constraint(conditional)


def dated_prices(prices: Any) -> list[tuple[date | None, Mapping[str, Any]]]:
    """(start date or None, ModelPrice) of each price that is not a time-of-day price, oldest first (an
    undated one first: it is in force before any dated one)."""
    if isinstance(prices, Mapping):
        return [(None, prices)]
    dated = [
        (parse_date(_constraint(conditional).get("start_date")), conditional.get("prices") or {})
        for conditional in prices or []
        if isinstance(conditional, Mapping) and not is_time_of_day(conditional)
    ]
    return sorted(dated, key=lambda item: item[0] or date.min)


def price_on(prices: Any, when: date) -> Mapping[str, Any]:
    """The ``ModelPrice`` in force on ``when`` (time-of-day prices left out: they are a daily schedule)."""
    chosen: Mapping[str, Any] = {}
    for start, model_price in dated_prices(prices):
        if start is None or start <= when:
            chosen = model_price
    return chosen


def per_token(value: Any) -> Decimal | None:
    base = value.get("base") if isinstance(value, Mapping) else value
    return clean_money(base, scale=PER_MILLION)


def pricing_of(model_price: Mapping[str, Any]) -> dict[str, Decimal]:
    """The per-token prices a ``ModelPrice`` states, by catalog field name."""
    found = {name: per_token(model_price.get(key)) for key, name in PRICE_FIELDS.items()}
    return {name: value for name, value in found.items() if value is not None}


def price_history(prices: Any) -> list[DatedPrices]:
    """The dated prices of a model, oldest first; empty when none has a start date (nothing ever changed)."""
    dated = dated_prices(prices)
    if not any(start is not None for start, _ in dated):
        return []
    return [
        DatedPrices(since=start, pricing=Pricing.model_validate(pricing_of(price))) for start, price in dated
    ]


def time_of_day_prices(prices: Any) -> list[TimeOfDayPrices]:
    """The prices of a model that apply between two UTC times of each day."""
    found = []
    for conditional in prices if isinstance(prices, list) else []:
        if isinstance(conditional, Mapping) and is_time_of_day(conditional):
            constraint = _constraint(conditional)
            found.append(
                TimeOfDayPrices(
                    start=time.fromisoformat(str(constraint["start_time"])),
                    end=time.fromisoformat(str(constraint["end_time"])),
                    pricing=Pricing.model_validate(pricing_of(conditional.get("prices") or {})),
                )
            )
    return found


class PriceCrossCheck:
    """genai-prices indexed by catalog host, ready to price and compare offers; ``as_of``: its date."""

    def __init__(self, document: Any, as_of: date | None = None) -> None:
        self.as_of = as_of
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
        theirs = pricing_of(price_on(model.get("prices"), self.as_of or offer.as_of))
        return [
            Disagreement(field=f"pricing.{name}", value=format(value, "f"), source=SOURCE)
            for name, value in theirs.items()
            if getattr(offer.pricing, name) is not None and getattr(offer.pricing, name) != value
        ]

    def settle(self, offer: ModelOffer, model: Mapping[str, Any]) -> ModelOffer:
        """One offer with genai-prices' history, and its prices when fresher (rules in the module doc)."""
        prices = model.get("prices")
        offer = offer.model_copy(
            update={"price_history": price_history(prices), "time_of_day_prices": time_of_day_prices(prices)}
        )
        theirs = pricing_of(price_on(prices, self.as_of or offer.as_of))
        if self.as_of is not None and _is_a_price(theirs, offer):
            pricing = offer.pricing.model_copy(update=theirs)
            if self.as_of > offer.as_of:
                return fresher_prices(offer, pricing, SOURCE, self.as_of)
            if _at_hours(offer):
                why = f"{offer.priced_by}'s are its time-of-day prices, not its standard ones"
                return fresher_prices(offer, pricing, SOURCE, self.as_of, why)
        extra = self.disagreements(offer, model)
        return offer.model_copy(update={"disagreements": [*offer.disagreements, *extra]}) if extra else offer

    def apply(self, offers: list[ModelOffer]) -> tuple[list[ModelOffer], int]:
        """Offers settled against genai-prices (``settle``), and how many it prices."""
        checked, result = 0, []
        for offer in offers:
            model = self.find(offer)
            if model is not None:
                checked += 1
                offer = self.settle(offer, model)
            result.append(offer)
        return result, checked


def _at_hours(offer: ModelOffer) -> bool:
    """Whether the record's input and output prices are one of its time-of-day prices (LiteLLM lists
    DeepSeek's peak-hour price): then they are that schedule's, and genai-prices' standard price is the
    offer's price whatever the dates."""
    return any(
        (hours.pricing.input, hours.pricing.output) == (offer.pricing.input, offer.pricing.output)
        for hours in offer.time_of_day_prices
    )


def _is_a_price(theirs: Mapping[str, Decimal], offer: ModelOffer) -> bool:
    """Whether genai-prices' prices can replace the record's: a known input or output, and not $0 for both
    on an offer nobody marks free (see ``sources.unknown_if_zero_and_not_free``)."""
    known = [theirs[name] for name in ("input", "output") if name in theirs]
    if not known:
        return False
    return any(known) or is_marked_free({"id": offer.id, "name": offer.name})
