"""One offer of one model by one host: limits, prices (Decimal USD per token), capabilities, provenance.

Money never passes through a float: parsers hand prices in as strings (or Decimals) and JSON output renders
them as decimal strings.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Context, Decimal, localcontext
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

# Bounds on every price, so that money arithmetic is exact and its text is short (one rule, used by the
# catalog, the sources, custom model files and the cost answers): at most MAX_PRICE US dollars per token
# or per request (the dearest real price is about $0.01 per token), and no digit below 10**MIN_PRICE_EXPONENT
# (the cheapest real price is 1E-9; sources are rounded to 12 significant digits).
MAX_PRICE = Decimal(100)
MIN_PRICE_EXPONENT = -24
# Token and request counts are at most MAX_COUNT (see planner.advice.prices.require_non_negative). The largest
# amount is then a price of 27 digits times two counts of 19 digits (tokens x requests) plus a few sums:
# under 70 significant digits, so arithmetic in MONEY_CONTEXT never rounds.
MAX_COUNT = 10**18
MONEY_PRECISION = 100
MONEY_CONTEXT = Context(prec=MONEY_PRECISION)


def decimal_text(value: Decimal) -> str:
    """A Decimal as a plain decimal string without trailing zeros ("0.000001"), never rounded."""
    with localcontext(MONEY_CONTEXT):
        return format(value.normalize(), "f")


def _bounded_price(value: Decimal) -> Decimal:
    if value > MAX_PRICE:
        raise ValueError(f"must be at most {MAX_PRICE} US dollars per token or request, got {value:.3E}")
    exponent = value.normalize(MONEY_CONTEXT).as_tuple().exponent
    if value and isinstance(exponent, int) and exponent < MIN_PRICE_EXPONENT:
        raise ValueError(f"has digits below 1E{MIN_PRICE_EXPONENT} US dollars, got {value:.3E}")
    return value


# An amount of US dollars, never negative. Serialised as a plain decimal string ("0.000001"), never a float.
Money = Annotated[
    Decimal,
    Field(ge=0, allow_inf_nan=False),
    PlainSerializer(decimal_text, return_type=str, when_used="always"),
]
# A catalog price in US dollars per token (or per request): Money within the bounds above. The parsers turn
# sources' negative sentinels into None (unknown).
Price = Annotated[Money, AfterValidator(_bounded_price)]

ContextKind = Literal["total", "input"]


class PriceTier(BaseModel):
    """Prices that apply to the whole request once its prompt exceeds ``above_tokens`` tokens."""

    model_config = ConfigDict(frozen=True)

    above_tokens: int = Field(gt=0)
    input: Price | None = None
    output: Price | None = None
    cache_read: Price | None = None
    cache_write: Price | None = None
    cache_write_1h: Price | None = None
    batch_input: Price | None = None  # batch prices inside the tier (LiteLLM's *_above_Nk_tokens_batches)
    batch_output: Price | None = None


class Pricing(BaseModel):
    """US dollars per token; ``None`` means unknown (never shown or summed as $0)."""

    model_config = ConfigDict(frozen=True)

    input: Price | None = None
    output: Price | None = None
    cache_read: Price | None = None
    cache_write: Price | None = None  # 5-minute cache write
    cache_write_1h: Price | None = None
    reasoning: Price | None = None  # None: reasoning tokens are billed at the output price
    batch_input: Price | None = None
    batch_output: Price | None = None
    # service tiers some hosts sell beside the standard one (OpenAI's flex and priority processing)
    flex_input: Price | None = None
    flex_output: Price | None = None
    flex_cache_read: Price | None = None
    priority_input: Price | None = None
    priority_output: Price | None = None
    priority_cache_read: Price | None = None
    per_request: Price | None = None  # US dollars per request
    tiers: list[PriceTier] = Field(default_factory=list)


class DatedPrices(BaseModel):
    """Prices a source dates (genai-prices' ``StartDateConstraint``): in force from ``since`` until the next
    entry's; ``since`` None: in force before the first dated change (the source gives no start)."""

    model_config = ConfigDict(frozen=True)

    since: date | None = None
    pricing: Pricing


class TimeOfDayPrices(BaseModel):
    """Prices that apply every day from ``start`` to ``end`` (UTC; ``end`` before ``start`` wraps past
    midnight), e.g. DeepSeek's peak hours: a schedule, never a price change."""

    model_config = ConfigDict(frozen=True)

    start: time
    end: time
    pricing: Pricing


# Every price of a Pricing that is US dollars per token (not the per-request fee, not the tiers), in order.
PER_TOKEN_PRICE_FIELDS: tuple[str, ...] = tuple(
    name for name in Pricing.model_fields if name not in ("per_request", "tiers")
)


class Capabilities(BaseModel):
    """True / False where a source says so, None where unknown."""

    model_config = ConfigDict(frozen=True)

    vision: bool | None = None
    tool_use: bool | None = None
    function_calling: bool | None = None
    reasoning: bool | None = None
    prompt_caching: bool | None = None
    web_search: bool | None = None
    batch_api: bool | None = None
    streaming: bool | None = None
    structured_output: bool | None = None


class Disagreement(BaseModel):
    """A value another source gives for the same field of the same model, kept rather than dropped."""

    model_config = ConfigDict(frozen=True)

    field: str
    value: str
    source: str


class ModelOffer(BaseModel):
    """One model as offered by one host (provider)."""

    model_config = ConfigDict(frozen=True)

    id: str  # the host's id, e.g. "nousresearch/hermes-4-405b"
    name: str  # human display name, e.g. "Nous: Hermes 4 405B"
    provider: str  # the host that serves and bills it, e.g. "openrouter"
    creator: str | None = None  # who made the model, e.g. "Nous Research"
    # token limits are positive or unknown (None): the parsers turn a source's 0 or negative into None
    context_window: int | None = Field(default=None, gt=0)
    context_window_kind: ContextKind | None = None  # "total" (input + output) or "input" (input-only limit)
    max_input_tokens: int | None = Field(default=None, gt=0)
    max_output_tokens: int | None = Field(default=None, gt=0)
    pricing: Pricing = Field(default_factory=Pricing)
    capabilities: Capabilities = Field(default_factory=Capabilities)
    input_modalities: list[str] = Field(default_factory=list)
    output_modalities: list[str] = Field(default_factory=list)
    mode: str | None = None  # "chat", "completion", "responses"
    release_date: date | None = None
    knowledge_cutoff: date | None = None
    tokenizer: str = "unknown"  # tokenizer family, see planner.tokens.encoders
    hf_id: str | None = None
    canonical_slug: str | None = None  # OpenRouter's permanent slug of the weights
    description: str | None = None
    supported_parameters: list[str] = Field(default_factory=list)  # request parameters the host accepts
    status: str | None = None  # the source's lifecycle label: "deprecated", "beta", "alpha"
    deprecation_date: date | None = None  # when the host retires it (LiteLLM's deprecation_date)
    expiration_date: date | None = None  # when the host stops serving it (OpenRouter's expiration_date)
    source: str  # e.g. "openrouter", "models.dev", "litellm", "custom:/path/to/file.toml"
    as_of: date  # the date of the prices: their source's date (``price_source``'s when set)
    # the source of the prices when a fresher source than ``source`` priced this same offer (the other
    # source's differing prices stay as disagreements); None: the prices are ``source``'s
    price_source: str | None = None
    price_history: list[DatedPrices] = Field(default_factory=list)  # dated prices, oldest first
    time_of_day_prices: list[TimeOfDayPrices] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)  # other ids of this same offer (e.g. a LiteLLM key)
    notes: list[str] = Field(default_factory=list)  # what the catalog changed or doubts about this record
    # fields most hosts of the same weights contradict ("context_window", "max_output_tokens",
    # "pricing.input", "pricing.output"; planner.catalog.outliers): shown, never suggested
    outliers: list[str] = Field(default_factory=list)

    @property
    def priced_by(self) -> str:
        """The source the prices came from (``price_source``, else ``source``)."""
        return self.price_source or self.source
