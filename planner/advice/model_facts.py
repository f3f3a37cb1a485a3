"""The model page's facts beyond its numbers, each derived from the catalog record by a rule stated here:

- ``display_name``: the name without the catalog's "Maker: " prefix (OpenRouter writes "Nous: Hermes 4
  405B"; the maker is shown apart): the text after the first ": " when the name has one.
- ``best_for``: what the record says the model is built for, one use per rule below (``BEST_FOR_RULES``),
  in that order; "not known" with the reason when no rule holds (a record without capabilities or window).
- ``faq``: questions a reader asks, each answered from the record's own facts (window, words, what fits,
  prices, caching, vision, tools, reasoning); a fact the record lacks is answered "not known".
- ``CAPABILITY_NOTES``: one line per capability saying what it means for a request.
- ``identifiers``: the ids a reader needs to find the same model elsewhere and where each figure comes from.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from planner.catalog.schema import ModelOffer
from planner.wording import per_million_text

LONG_CONTEXT = 128_000  # "long documents": a window of at least this many tokens (a ~300-page book)
LOW_PRICE_PER_TOKEN = Decimal("0.0000005")  # "bulk work": input at most $0.50 per million tokens

CAPABILITY_NOTES: dict[str, str] = {
    "vision": "reads images given with the prompt (screenshots, photos, scanned pages)",
    "tool_use": "can ask your code to run a tool and use its result",
    "function_calling": "answers with a call to a function you describe (name and JSON arguments)",
    "reasoning": "can think before it answers; thinking tokens are billed as output",
    "prompt_caching": "a prompt prefix sent again is read from the host's cache at a lower price",
    "web_search": "can search the web while it answers",
    "batch_api": "takes requests in bulk for a later answer, usually at half price",
    "streaming": "sends the answer token by token as it is written",
    "structured_output": "can be held to a JSON schema you give",
}

# (use, rule in words, test) in the order the page lists them.
BEST_FOR_RULES: tuple[tuple[str, str], ...] = (
    ("long documents and codebases", f"a context window of at least {LONG_CONTEXT:,} tokens"),
    ("multi-step reasoning", "the reasoning capability"),
    ("agents that call tools", "tool use or function calling"),
    ("reading images", "vision input"),
    ("JSON output held to a schema", "structured output"),
    ("bulk work at a low price", "input at most $0.50 per million tokens"),
)


class BestFor(BaseModel):
    uses: list[str]  # empty: not known
    rule: str  # how the uses were chosen, as the page states it
    note: str  # "not known: ..." when no use was found, else ""


class Faq(BaseModel):
    question: str
    answer: str


class Identifier(BaseModel):
    label: str
    value: str


def display_name(name: str) -> str:
    """ "Nous: Hermes 4 405B" -> "Hermes 4 405B"; a name without "Maker: " is kept."""
    maker, separator, rest = name.partition(": ")
    return rest.strip() if separator and maker and rest.strip() else name


def _holds(offer: ModelOffer, use: str) -> bool:
    caps = offer.capabilities
    tests = {
        "long documents and codebases": (offer.context_window or 0) >= LONG_CONTEXT,
        "multi-step reasoning": caps.reasoning is True,
        "agents that call tools": caps.tool_use is True or caps.function_calling is True,
        "reading images": caps.vision is True or "image" in offer.input_modalities,
        "JSON output held to a schema": caps.structured_output is True,
        "bulk work at a low price": offer.pricing.input is not None
        and offer.pricing.input <= LOW_PRICE_PER_TOKEN,
    }
    return tests[use]


def best_for(offer: ModelOffer) -> BestFor:
    rule = "; ".join(f"{use}: {why}" for use, why in BEST_FOR_RULES)
    uses = [use for use, _why in BEST_FOR_RULES if _holds(offer, use)]
    note = (
        ""
        if uses
        else "not known: the record shows none of the capabilities, window or price these rules need"
    )
    return BestFor(uses=uses, rule=f"From the catalog record, one use per rule - {rule}.", note=note)


def _yes_no_answer(value: bool | None, yes: str, no: str) -> str:
    if value is None:
        return "Not known: the catalog's sources do not say."
    return yes if value else no


def faq(offer: ModelOffer, words_label: str, what_fits: list[tuple[str, str]]) -> list[Faq]:
    """Questions answered from the record (``what_fits``: (document, verdict words) of the page's list)."""
    name = display_name(offer.name)
    caps, pricing = offer.capabilities, offer.pricing
    window = (
        f"{offer.context_window:,} tokens in one request, input and answer together ({words_label} of text)."
        if offer.context_window
        else "Not known: the catalog lists no context window for this offer."
    )
    items = [
        Faq(question=f"How much text can {name} take at once?", answer=window),
        Faq(
            question=f"What fits in one {name} request?",
            answer="; ".join(f"{doc}: {verdict}" for doc, verdict in what_fits) + "."
            if what_fits
            else "Not known without a window.",
        ),
        Faq(
            question=f"What does {name} cost?",
            answer=f"{per_million_text(pricing.input)} per million input tokens and "
            f"{per_million_text(pricing.output)} per million output tokens on {offer.provider} "
            f"(as of {offer.as_of}).",
        ),
        Faq(
            question="Does it cache prompts?",
            answer=f"Yes: cached input costs {per_million_text(pricing.cache_read)} per million tokens."
            if pricing.cache_read is not None
            else _yes_no_answer(
                caps.prompt_caching,
                "Yes, but the catalog lists no cached-input price.",
                "No cache price is listed.",
            ),
        ),
        Faq(
            question="Can it read images?",
            answer=_yes_no_answer(caps.vision, "Yes: it takes images as input.", "No: text input only."),
        ),
        Faq(
            question="Can it call tools?",
            answer=_yes_no_answer(
                None
                if caps.tool_use is None and caps.function_calling is None
                else bool(caps.tool_use or caps.function_calling),
                "Yes: tool use or function calling.",
                "No: the record lists neither tool use nor function calling.",
            ),
        ),
        Faq(
            question="Does it think before answering?",
            answer=_yes_no_answer(
                caps.reasoning,
                "Yes: it has a reasoning mode; reserve thinking tokens for it (billed as output).",
                "No reasoning mode is listed.",
            ),
        ),
    ]
    return items


def identifiers(offer: ModelOffer, raw_source: str | None) -> list[Identifier]:
    """The ids of the model and where each figure comes from."""
    rows = [
        ("Id on this host", offer.id),
        ("Host", offer.provider),
        ("Maker", offer.creator or "not known"),
        ("OpenRouter canonical slug", offer.canonical_slug or "none"),
        ("Hugging Face id", offer.hf_id or "none"),
        ("Other ids", ", ".join(offer.aliases) or "none"),
        ("Record from", f"{offer.source} (limits, capabilities, description)"),
        ("Prices from", f"{offer.priced_by}, as of {offer.as_of}"),
        ("Raw record", raw_source or "none in the pinned OpenRouter snapshot"),
    ]
    rows += [("Source note", note) for note in offer.notes]
    rows += [
        ("Sources disagree", f"{item.field}: {item.source} says {item.value}") for item in offer.disagreements
    ]
    return [Identifier(label=label, value=value) for label, value in rows]
