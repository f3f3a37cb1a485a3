"""What a request costs, in exact Decimal US dollars, and what a volume of such requests costs.

Pricing rules (the catalog gives US dollars per token; ``None`` means unknown):

- ``input_tokens`` is the whole prompt. ``cached_tokens`` of it are read from the prompt cache and
  ``cache_write_tokens`` of it are written to the cache (5-minute price); the rest is billed as plain input.
- Cache reads use the ``cache_read`` price; a model without one bills them at its input price (there is no
  discount to apply). Cache writes use ``cache_write`` (5 minutes); without one, at the input price (sources
  list a write price only where writes cost extra, e.g. Anthropic's 1.25x).
- ``reasoning_tokens`` (thinking, billed on top of ``output_tokens``) use the ``reasoning`` price, else the
  output price.
- Long-context tiers: once the prompt (all ``input_tokens``, cached or not) exceeds a tier's ``above_tokens``,
  the WHOLE request is priced at that tier (the highest tier passed), not only the tokens above it. A tier
  lists only the prices it changes; a price it does not list stays the base price.
- Batch (``batch=True``): input and output use ``batch_input`` / ``batch_output`` (inside a long-context
  tier, the tier's batch prices); reasoning uses ``batch_output``; cache reads and writes keep their normal
  prices. A missing batch price is unknown, never $0 and never silently the normal price.
- Cache lifetime (``cache_ttl``): "5m" writes use ``cache_write``; "1h" writes use ``cache_write_1h`` (the
  tier's inside a long-context tier). A model that lists a 5-minute write price but no 1-hour one has an
  unknown 1-hour price (writes cost extra there, 2x input at Anthropic); one that lists neither bills writes
  at the input price, as for 5 minutes.
- Service tier (``service_tier``): "flex" and "priority" use ``flex_*`` / ``priority_*`` input, output and
  cache-read prices (OpenAI's flex and priority processing); a missing one is unknown, and so is any inside a
  long-context tier (no source lists them). A service tier and batch do not combine (UsageError).
- ``per_request`` is a fee added to every request; ``None`` means the sources list no such fee (most models),
  so it adds nothing.
- Any price that is needed (a non-zero token count at an unknown price) makes the total unknown (``None``),
  listed in ``missing_prices``. Unknown totals are excluded from rankings and never shown as $0.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import Literal, NamedTuple, ParamSpec, TypeVar

from pydantic import BaseModel, Field

from planner.catalog.schema import (
    MAX_COUNT,
    MONEY_CONTEXT,
    PER_TOKEN_PRICE_FIELDS,
    ModelOffer,
    Money,
    PriceTier,
    Pricing,
    decimal_text,
)
from planner.errors import PriceUnknownError, UsageError
from planner.wording import PER_MILLION

_P = ParamSpec("_P")
_R = TypeVar("_R")


def exact_money(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` in MONEY_CONTEXT (planner.catalog.schema), wide enough that no sum or product of
    bounded prices and counts is rounded (the default context keeps only 28 significant digits)."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(MONEY_CONTEXT):
            return function(*args, **kwargs)

    return wrapper


CURRENCY = "USD"
CacheTtl = Literal["5m", "1h"]
ServiceTier = Literal["standard", "flex", "priority"]
CACHE_TTLS: tuple[str, ...] = ("5m", "1h")
SERVICE_TIERS: tuple[str, ...] = ("standard", "flex", "priority")


class RequestCost(BaseModel):
    """The cost of one request, split by what is billed; ``None`` where a needed price is unknown."""

    model: str
    currency: str = CURRENCY
    input_tokens: int
    cached_tokens: int = 0
    cache_write_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    batch: bool = False
    cache_ttl: CacheTtl = "5m"
    service_tier: ServiceTier = "standard"
    tier_above_tokens: int | None = None  # the long-context tier that priced the request, if any
    input_cost: Money | None = None  # plain (uncached) input
    cached_cost: Money | None = None  # cache reads
    cache_write_cost: Money | None = None
    output_cost: Money | None = None
    reasoning_cost: Money | None = None
    request_fee: Money = Decimal(0)
    total_cost: Money | None = None
    missing_prices: list[str] = Field(default_factory=list)
    cache_read_at_input_price: bool = False  # cache reads billed at the input price: no cache_read price
    cache_write_at_input_price: bool = False  # cache writes billed at the input price: no cache_write price

    @property
    def known(self) -> bool:
        return self.total_cost is not None

    @property
    def plain_input_tokens(self) -> int:
        """The prompt tokens billed as plain input: neither read from nor written to the cache."""
        return self.input_tokens - self.cached_tokens - self.cache_write_tokens


class VolumeCost(BaseModel):
    """A per-request cost scaled to a number of requests, a day and a month."""

    per_request: Money | None
    requests: int  # requests the total covers
    total_for_requests: Money | None
    requests_per_day: int | None = None
    days_per_month: int | None = None
    per_day: Money | None = None
    per_month: Money | None = None


def _active_tier(pricing: Pricing, prompt_tokens: int) -> PriceTier | None:
    passed = [tier for tier in pricing.tiers if prompt_tokens > tier.above_tokens]
    return max(passed, key=lambda tier: tier.above_tokens) if passed else None


def require_non_negative(**counts: int) -> None:
    """UsageError for the first count below 0 or above MAX_COUNT (10^18), named after its keyword ("output
    tokens must be 0 or more"); the cap keeps money arithmetic exact (planner.catalog.schema)."""
    for name, value in counts.items():
        if value < 0:
            raise UsageError(f"{name.replace('_', ' ')} must be 0 or more, got {value}")
        if value > MAX_COUNT:
            raise UsageError(f"{name.replace('_', ' ')} must be at most 10^18 (a billion billion)")


class _Prices(NamedTuple):  # a plain tuple: built for every offer of a comparison on every re-plan
    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    reasoning: Decimal | None
    cache_read_is_input: bool = False  # no cache_read price listed: the input price applies
    cache_write_is_input: bool = False


def effective_prices(
    pricing: Pricing,
    prompt_tokens: int,
    batch: bool = False,
    cache_ttl: CacheTtl = "5m",
    service_tier: ServiceTier = "standard",
) -> tuple[_Prices, PriceTier | None]:
    """The per-token prices that apply to a request whose prompt has ``prompt_tokens`` tokens."""
    _check_modes(batch, cache_ttl, service_tier)
    tier = _active_tier(pricing, prompt_tokens)

    def pick(name: str) -> Decimal | None:
        tier_value = getattr(tier, name, None) if tier is not None else None
        return tier_value if tier_value is not None else getattr(pricing, name)

    plain_input, output = pick("input"), pick("output")
    cache_read, cache_write = pick("cache_read"), pick("cache_write")
    write_is_input = cache_write is None  # no write premium listed: writes bill as input
    if cache_ttl == "1h":
        hour = pick("cache_write_1h")
        # a 5-minute premium without a 1-hour price: the 1-hour price is unknown, not the input price
        write_is_input = hour is None and cache_write is None
        cache_write = hour
    if batch:  # inside a long-context tier its own batch prices, else the base ones
        plain_input = tier.batch_input if tier is not None else pricing.batch_input
        output = tier.batch_output if tier is not None else pricing.batch_output
    read_is_input = cache_read is None
    if service_tier != "standard":  # listed outside long-context tiers only
        plain_input, output, cache_read = (
            getattr(pricing, f"{service_tier}_{name}") if tier is None else None
            for name in ("input", "output", "cache_read")
        )
        read_is_input = False  # a flex or priority cache read is listed, or unknown
    cache_read = plain_input if read_is_input else cache_read
    cache_write = plain_input if write_is_input else cache_write
    standard = not batch and service_tier == "standard"
    reasoning = pricing.reasoning if pricing.reasoning is not None and standard else output
    prices = _Prices(
        input=plain_input,
        output=output,
        cache_read=cache_read,
        cache_write=cache_write,
        reasoning=reasoning,
        cache_read_is_input=read_is_input,
        cache_write_is_input=write_is_input,
    )
    return prices, tier


def _check_modes(batch: bool, cache_ttl: str, service_tier: str) -> None:
    if cache_ttl not in CACHE_TTLS:
        raise UsageError(f"the cache lifetime must be one of {', '.join(CACHE_TTLS)}, got {cache_ttl!r}")
    if service_tier not in SERVICE_TIERS:
        raise UsageError(f"the service tier must be one of {', '.join(SERVICE_TIERS)}, got {service_tier!r}")
    if batch and service_tier != "standard":
        raise UsageError(f"batch and the {service_tier} service tier do not combine; choose one")


def _line(tokens: int, price: Decimal | None, name: str, missing: list[str]) -> Decimal | None:
    if tokens == 0:
        return Decimal(0)
    if price is None:
        missing.append(name)
        return None
    return tokens * price


class _Usage(NamedTuple):
    """What ``usage_cost`` adds to a request's terms (the defaults are one request's)."""

    cache_write_1h_tokens: int = 0
    tier_prompt_tokens: int | None = None  # None: the input tokens are one prompt and pick the tier
    requests: int = 1
    requests_unknown: bool = False


class _Bill(NamedTuple):
    """A request's cost lines (input, cache reads, cache writes, output, reasoning), fee and total."""

    prices: _Prices
    tier: PriceTier | None
    lines: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None, Decimal | None]
    fee: Decimal
    total: Decimal | None
    missing: list[str]


def _bill(
    offer: ModelOffer,
    input_tokens: int,
    output_tokens: int,
    cached_tokens: int,
    cache_write_tokens: int,
    reasoning_tokens: int,
    batch: bool,
    cache_ttl: CacheTtl,
    service_tier: ServiceTier,
    usage: _Usage | None = None,
) -> _Bill:
    """The pricing rules of the module doc, applied once (in MONEY_CONTEXT, by the callers). ``usage``: the
    extra terms of traffic priced as a whole (``usage_cost``): 1-hour writes beside 5-minute ones, the
    prompt size that picks the long-context tier, and the number of requests the fee applies to."""
    extra = usage or _Usage()
    require_non_negative(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_tokens=cached_tokens,
        cache_write_tokens=cache_write_tokens,
        cache_write_1h_tokens=extra.cache_write_1h_tokens,
        reasoning_tokens=reasoning_tokens,
        requests=extra.requests,
    )
    writes = cache_write_tokens + extra.cache_write_1h_tokens
    if cached_tokens + writes > input_tokens:
        raise UsageError(
            f"cached ({cached_tokens:,}) plus cache-write ({writes:,}) tokens exceed the "
            f"{input_tokens:,} input tokens; they are parts of the prompt, not extra tokens"
        )
    pricing = offer.pricing
    prompt = input_tokens if extra.tier_prompt_tokens is None else extra.tier_prompt_tokens
    prices, tier = effective_prices(pricing, prompt, batch, cache_ttl, service_tier)
    prefix = "batch_" if batch else "" if service_tier == "standard" else f"{service_tier}_"
    missing: list[str] = []
    plain_tokens = input_tokens - cached_tokens - writes
    input_cost = _line(plain_tokens, prices.input, f"{prefix}input", missing)
    read_name = "cache_read" if service_tier == "standard" else f"{service_tier}_cache_read"
    cached_cost = _line(cached_tokens, prices.cache_read, read_name, missing)
    write_name = "cache_write_1h" if cache_ttl == "1h" else "cache_write"
    write_cost = _line(cache_write_tokens, prices.cache_write, write_name, missing)
    if extra.cache_write_1h_tokens:
        hour, _tier = effective_prices(pricing, prompt, batch, "1h", service_tier)
        hour_cost = _line(extra.cache_write_1h_tokens, hour.cache_write, "cache_write_1h", missing)
        write_cost = None if write_cost is None or hour_cost is None else write_cost + hour_cost
    output_cost = _line(output_tokens, prices.output, f"{prefix}output", missing)
    reasoning_cost = _line(reasoning_tokens, prices.reasoning, "reasoning", missing)
    fee = (pricing.per_request or Decimal(0)) * extra.requests
    if pricing.per_request and extra.requests_unknown:
        missing.append("per_request (the export does not say how many requests)")
    lines = (input_cost, cached_cost, write_cost, output_cost, reasoning_cost)
    total = None if missing else sum((line for line in lines if line is not None), fee)
    return _Bill(prices, tier, lines, fee, total, missing)


@exact_money
def request_cost(
    offer: ModelOffer,
    input_tokens: int,
    output_tokens: int = 0,
    *,
    cached_tokens: int = 0,
    cache_write_tokens: int = 0,
    reasoning_tokens: int = 0,
    batch: bool = False,
    cache_ttl: CacheTtl = "5m",
    service_tier: ServiceTier = "standard",
) -> RequestCost:
    """The exact cost of one request to ``offer`` (see the module docstring for the rules)."""
    bill = _bill(
        offer,
        input_tokens,
        output_tokens,
        cached_tokens,
        cache_write_tokens,
        reasoning_tokens,
        batch,
        cache_ttl,
        service_tier,
    )
    input_cost, cached_cost, write_cost, output_cost, reasoning_cost = bill.lines
    return RequestCost(
        model=offer.id,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_tokens=cached_tokens,
        cache_write_tokens=cache_write_tokens,
        reasoning_tokens=reasoning_tokens,
        batch=batch,
        cache_ttl=cache_ttl,
        service_tier=service_tier,
        tier_above_tokens=bill.tier.above_tokens if bill.tier is not None else None,
        input_cost=input_cost,
        cached_cost=cached_cost,
        cache_write_cost=write_cost,
        output_cost=output_cost,
        reasoning_cost=reasoning_cost,
        request_fee=bill.fee,
        total_cost=bill.total,
        missing_prices=bill.missing,
        cache_read_at_input_price=cached_tokens > 0 and bill.prices.cache_read_is_input,
        cache_write_at_input_price=cache_write_tokens > 0 and bill.prices.cache_write_is_input,
    )


@exact_money
def request_total(
    offer: ModelOffer,
    input_tokens: int,
    output_tokens: int = 0,
    *,
    cached_tokens: int = 0,
    reasoning_tokens: int = 0,
    batch: bool = False,
) -> Money | None:
    """``request_cost(...).total_cost`` (standard tier, 5-minute cache) without the rest of its answer: what
    ranking thousands of offers on every re-plan needs from each."""
    return _bill(
        offer, input_tokens, output_tokens, cached_tokens, 0, reasoning_tokens, batch, "5m", "standard"
    ).total


class UsageCost(NamedTuple):
    """What ``usage_cost`` answers: the total (None when a needed price is unknown), the missing prices,
    and the long-context tier that priced the traffic, if any."""

    total_cost: Decimal | None
    missing_prices: list[str]
    tier_above_tokens: int | None


@exact_money
def usage_cost(
    offer: ModelOffer,
    input_tokens: int,
    output_tokens: int = 0,
    *,
    cached_tokens: int = 0,
    cache_write_tokens: int = 0,
    cache_write_1h_tokens: int = 0,
    requests: int | None = 1,
    tier_prompt_tokens: int | None = None,
    batch: bool = False,
    service_tier: ServiceTier = "standard",
) -> UsageCost:
    """The cost of traffic that may be many requests summed (a usage export's row), by the module's rules.

    Differences from ``request_cost``: 5-minute (``cache_write_tokens``) and 1-hour
    (``cache_write_1h_tokens``) cache writes in the same traffic; the long-context tier is picked by
    ``tier_prompt_tokens`` (the size of each prompt, or a size the export vouches for), never by the summed
    ``input_tokens`` (a day of small prompts is not one long prompt); None means the input is one prompt.
    The per-request fee is charged ``requests`` times; ``requests=None`` (the export does not say) leaves a
    fee unknown where the offer has one."""
    extra = _Usage(cache_write_1h_tokens, tier_prompt_tokens, requests or 0, requests is None)
    bill = _bill(
        offer,
        input_tokens,
        output_tokens,
        cached_tokens,
        cache_write_tokens,
        0,
        batch,
        "5m",
        service_tier,
        extra,
    )
    return UsageCost(bill.total, bill.missing, bill.tier.above_tokens if bill.tier is not None else None)


def cached_tokens(input_tokens: int, hit_rate_percent: int) -> int:
    """Prompt tokens read from the cache at a hit rate in whole percent (rounded down)."""
    if not 0 <= hit_rate_percent <= 100:
        raise UsageError(f"the cache hit rate must be from 0 to 100 %, got {hit_rate_percent}")
    return input_tokens * hit_rate_percent // 100


@exact_money
def volume_cost(
    per_request: Decimal | None,
    requests: int = 1,
    *,
    requests_per_day: int | None = None,
    days_per_month: int = 30,
) -> VolumeCost:
    """Scale a per-request cost: N requests, and per day / per month when a daily volume is given.

    With ``requests_per_day``, ``total_for_requests`` covers a month (requests_per_day x days_per_month).
    """
    require_non_negative(requests=requests, days_per_month=days_per_month)
    if requests_per_day is not None:
        require_non_negative(requests_per_day=requests_per_day)
        requests = requests_per_day * days_per_month

    def times(count: int | None) -> Decimal | None:
        return None if per_request is None or count is None else per_request * count

    return VolumeCost(
        per_request=per_request,
        requests=requests,
        total_for_requests=times(requests),
        requests_per_day=requests_per_day,
        days_per_month=days_per_month if requests_per_day is not None else None,
        per_day=times(requests_per_day),
        per_month=times(requests_per_day * days_per_month if requests_per_day is not None else None),
    )


# How the command line turns batch pricing off; a presenter with a control of its own names that instead.
DROP_BATCH = "drop --batch"


def require_total(cost: RequestCost, offer: ModelOffer, drop_batch: str = DROP_BATCH) -> Decimal:
    """The total, or PriceUnknownError naming the missing prices (for answers that need a number);
    ``drop_batch`` as for ``missing_price_text``."""
    if cost.total_cost is None:
        raise PriceUnknownError(missing_price_text(cost, offer, drop_batch))
    return cost.total_cost


def missing_price_text(cost: RequestCost, offer: ModelOffer, drop_batch: str = DROP_BATCH) -> str:
    """Why ``cost`` has no total, and what to do: the one wording of a missing price (the CLI's exit 7, the
    app's warning, planner.advice.notes); ``drop_batch``: how this presenter turns batch pricing off."""
    names = ", ".join(cost.missing_prices)
    return (
        f"the catalog has no {names} price for {offer.id} ({offer.provider}); "
        f"the cost is unknown - {_without_missing_price(cost, drop_batch)}"
    )


def _without_missing_price(cost: RequestCost, drop_batch: str) -> str:
    """What to do about the prices ``require_total`` found missing: drop the price mode that needs them
    (--batch, --service-tier), else choose another model or leave out the tokens priced at them."""
    if cost.batch and any(name.startswith("batch_") for name in cost.missing_prices):
        return f"{drop_batch} (to price it at list prices) or pick another model"
    tier = cost.service_tier
    if tier != "standard" and any(name.startswith(f"{tier}_") for name in cost.missing_prices):
        return f"drop --service-tier {tier} (to price it at standard prices) or pick another model"
    return "pick another model or leave out the tokens that need that price"


@exact_money
def price_per_million(price: Decimal | None) -> Decimal | None:
    """US dollars per million tokens from US dollars per token (exact)."""
    return None if price is None else price * PER_MILLION


def prices_per_million(pricing: Pricing) -> dict[str, Decimal | None]:
    """Each per-token price of ``pricing`` in US dollars per million tokens (``per_request``: per request)."""
    table = {name: price_per_million(getattr(pricing, name)) for name in PER_TOKEN_PRICE_FIELDS}
    table["per_request"] = pricing.per_request
    return table


def applied_prices_per_million(
    pricing: Pricing,
    prompt_tokens: int,
    batch: bool = False,
    cache_ttl: CacheTtl = "5m",
    service_tier: ServiceTier = "standard",
) -> dict[str, Decimal | None]:
    """The prices ``request_cost`` applies to a prompt of ``prompt_tokens`` tokens, in US dollars per million
    tokens: a long-context tier's where one prices the request, batch prices with ``batch``, and the input
    price for cache reads and writes where the catalog lists none (``per_request``: per request)."""
    prices, _tier = effective_prices(pricing, prompt_tokens, batch, cache_ttl, service_tier)
    table = {
        name: price_per_million(value)
        for name, value in prices._asdict().items()
        if name not in {"cache_read_is_input", "cache_write_is_input"}
    }
    table["per_request"] = pricing.per_request
    return table


def has_batch_prices(pricing: Pricing) -> bool:
    """Whether a batch request can be priced: BOTH ``batch_input`` and ``batch_output`` are listed. Every
    request bills input and output, and ``request_cost`` never takes a missing batch price as $0 or as the
    list price, so with only one of them a batch cost would be unknown; such an offer is not said to have
    batch prices (``planner batch`` then prices it at list prices, ``planner hosts`` shows no batch cost)."""
    return pricing.batch_input is not None and pricing.batch_output is not None


def tier_label(above_tokens: int | None) -> str | None:
    """How a long-context tier is named to users: ``above 200,000 prompt tokens``."""
    return None if above_tokens is None else f"above {above_tokens:,} prompt tokens"


def decimal_str(amount: Decimal | None) -> str | None:
    """A Decimal as a plain decimal string for JSON (``"0.106"``), None stays None."""
    return None if amount is None else decimal_text(amount)
