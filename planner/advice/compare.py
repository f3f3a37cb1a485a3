"""Every catalog model (or a filtered set) against the same input: fit, cost per request, window.

The input is counted once per tokenizer family (``families_of``), never once per model; each model then
takes its family's count. Fit is judged on the count's upper band (see ``planner.advice.fit_rule``), cost on
the central count. ``context_vs_default_pct`` is (window / default window - 1) * 100 rounded toward zero (the
model page's rule, ``model_pages.percent_larger``): positive when the model's
window is larger than the default model's, negative when smaller. Each row carries its prices' ``as_of`` and
``price_age_days``; the comparison's own are the oldest of its rows (``planner.catalog.freshness``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, computed_field

from planner.advice.fit_rule import fit_verdict
from planner.advice.policy import OfferClass, answers_in_text, offer_class
from planner.advice.prices import request_total, require_non_negative
from planner.catalog import freshness
from planner.catalog.freshness import PriceAge, price_age, stale_summary
from planner.catalog.schema import ModelOffer, Money
from planner.errors import LimitError, UsageError
from planner.tokens.counts import TokenCount
from planner.tokens.families import family_for
from planner.wording import HEADROOM_UNKNOWN, RESERVE_TOO_LARGE, headroom_text

SortKey = Literal["cost", "window", "headroom", "name"]
SORT_KEYS: tuple[str, ...] = ("cost", "window", "headroom", "name")


class ComparisonRow(BaseModel):
    id: str
    name: str
    provider: str
    tokenizer: str
    method: Literal["exact", "estimate"]
    input_tokens: int  # central count for this model's tokenizer
    input_tokens_high: int
    context_window: int | None
    fits: bool | None  # None: the catalog has no window for it
    verdict: str  # fits / tight / does_not_fit / unknown
    headroom_tokens: int | None
    total_cost: Money | None  # per request; None when a needed price is unknown
    context_vs_default_pct: int | None
    offer_class: OfferClass = "paid"  # planner.advice.policy: paid, free (free tier or preview) or unsuitable
    answers_in_text: bool = (
        True  # planner.advice.policy: a general model answering in text (not OCR, a guard, ...)
    )
    note: str | None = None  # why fits is False or None, when it is not the window
    as_of: date | None = None  # the date of the row's prices
    price_age_days: int | None = None
    prices_stale: bool = False  # older than the limit of planner.catalog.freshness

    @computed_field  # type: ignore[prop-decorator]
    @property
    def headroom_text(self) -> str:
        """The headroom cell of every presenter: "87,356", "1,902 over", "window not known" (no window in the
        catalog) or "reserve too large" (the reserves alone are above the model's limits; see ``note``)."""
        if self.headroom_tokens is not None:
            return headroom_text(self.headroom_tokens)
        return HEADROOM_UNKNOWN if self.context_window is None else RESERVE_TOO_LARGE


class Comparison(BaseModel):
    default_model: str | None
    input_tokens: dict[str, int]  # central count per tokenizer family
    input_counts: dict[str, TokenCount]
    output_tokens: int
    reasoning_tokens: int
    cached_tokens: int
    sort_by: SortKey
    models: list[ComparisonRow]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def as_of(self) -> date | None:
        """The date of the oldest prices among the rows."""
        return min((row.as_of for row in self.models if row.as_of), default=None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def price_age_days(self) -> int | None:
        ages = [row.price_age_days for row in self.models if row.price_age_days is not None]
        return max(ages, default=None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def price_warnings(self) -> list[str]:
        stale = [row for row in self.models if row.prices_stale]
        if not stale or self.as_of is None or self.price_age_days is None:
            return []
        return [stale_summary(len(stale), len(self.models), self.as_of, self.price_age_days)]

    def tokens_needed(self, row: ComparisonRow) -> int:
        """What the request takes on ``row``'s model: the input's upper band plus the output and reasoning
        reserves."""
        return row.input_tokens_high + self.output_tokens + self.reasoning_tokens


def _percent_larger(window: int, default_window: int) -> int:
    """planner.advice.model_page.percent_larger, imported when a row compares windows: the model page's module
    (reference documents, page models) is not imported by every fit and cost that builds a row (start-up)."""
    from planner.advice.model_page import percent_larger

    return percent_larger(window, default_window)


def _as_token_count(family: str, value: int | TokenCount) -> TokenCount:
    if isinstance(value, TokenCount):
        return value
    return TokenCount.exact(family, value, "given")


def _row(
    offer: ModelOffer,
    family: str,
    count: TokenCount,
    default_window: int | None,
    output_tokens: int,
    reasoning_tokens: int,
    cached_tokens: int,
    batch: bool,
    age: PriceAge,
) -> ComparisonRow:
    fits: bool | None = None
    verdict, headroom, note = "unknown", None, None
    if offer.context_window:
        try:
            verdict, _limit, headroom = fit_verdict(offer, count, output_tokens, reasoning_tokens)
            fits = verdict != "does_not_fit"
        except LimitError as error:
            fits, verdict, note = False, "does_not_fit", error.message
    else:
        note = "context window unknown"
    cost = request_total(
        offer,
        count.tokens,
        output_tokens,
        cached_tokens=min(cached_tokens, count.tokens),
        reasoning_tokens=reasoning_tokens,
        batch=batch,
    )
    window = offer.context_window or None
    return ComparisonRow(
        id=offer.id,
        name=offer.name,
        provider=offer.provider,
        tokenizer=family,
        method=count.method,
        input_tokens=count.tokens,
        input_tokens_high=count.tokens_high,
        context_window=window,
        fits=fits,
        verdict=verdict,
        headroom_tokens=headroom,
        total_cost=cost,
        context_vs_default_pct=_percent_larger(window, default_window) if window and default_window else None,
        offer_class=offer_class(offer),
        answers_in_text=answers_in_text(offer),
        note=note,
        as_of=offer.as_of,
        price_age_days=age.price_age_days,
        prices_stale=age.stale,
    )


def _sort_key(sort_by: SortKey) -> Callable[[ComparisonRow], tuple[Any, ...]]:
    # the cheapest model that takes the input first: misfits after
    def by_cost(row: ComparisonRow) -> tuple[Any, ...]:
        return (row.fits is not True, row.total_cost is None, row.total_cost or 0, row.id, row.provider)

    def by_window(row: ComparisonRow) -> tuple[Any, ...]:
        return (row.context_window is None, -(row.context_window or 0), row.id, row.provider)

    def by_headroom(row: ComparisonRow) -> tuple[Any, ...]:
        return (row.headroom_tokens is None, -(row.headroom_tokens or 0), row.id, row.provider)

    def by_name(row: ComparisonRow) -> tuple[Any, ...]:
        return (row.name.lower(), row.id, row.provider)

    return {"cost": by_cost, "window": by_window, "headroom": by_headroom, "name": by_name}[sort_by]


def compare_models(
    offers: Iterable[ModelOffer],
    counts: Mapping[str, int | TokenCount],
    *,
    default: ModelOffer | None = None,
    output_tokens: int = 0,
    reasoning_tokens: int = 0,
    cached_tokens: int = 0,
    batch: bool = False,
    sort_by: SortKey = "cost",
) -> Comparison:
    """Each offer against the same input; ``counts`` maps each tokenizer family to the input's count.

    Under ``cost`` the models the input fits (fits or tight) come first, cheapest first, then the rest by
    cost; unknown costs sort last within each; unknown windows and headroom last under ``window`` and
    ``headroom``.
    """
    if sort_by not in SORT_KEYS:
        raise UsageError(f"cannot sort by {sort_by!r}; use one of {', '.join(SORT_KEYS)}")
    require_non_negative(
        output_tokens=output_tokens, reasoning_tokens=reasoning_tokens, cached_tokens=cached_tokens
    )
    full = {family: _as_token_count(family, value) for family, value in counts.items()}
    default_window = default.context_window if default is not None else None
    today, limit = freshness.today_utc(), freshness.max_price_age_days()
    ages: dict[date, PriceAge] = {}  # offers share a few dates: one price age per date

    def age_of(as_of: date) -> PriceAge:
        if as_of not in ages:
            ages[as_of] = price_age(as_of, today=today, max_age_days=limit)
        return ages[as_of]

    rows = []
    for offer in offers:
        family = family_for(offer)
        if family not in full:
            raise UsageError(
                f"no count for tokenizer {family} (model {offer.id}); count with families_of(offers)"
            )
        rows.append(
            _row(
                offer,
                family,
                full[family],
                default_window,
                output_tokens,
                reasoning_tokens,
                cached_tokens,
                batch,
                age_of(offer.as_of),
            )
        )
    rows.sort(key=_sort_key(sort_by))
    return Comparison(
        default_model=default.id if default is not None else None,
        input_tokens={family: count.tokens for family, count in sorted(full.items())},
        input_counts=dict(sorted(full.items())),
        output_tokens=output_tokens,
        reasoning_tokens=reasoning_tokens,
        cached_tokens=cached_tokens,
        sort_by=sort_by,
        models=rows,
    )


def select_rows(
    comparison: Comparison, *, fits_only: bool = False, hide_free: bool = False, text_only: bool = False
) -> Comparison:
    """The same comparison with only the rows asked for (order kept): models that fit (fits or tight) and / or
    models that are not free tiers or previews (``planner.advice.policy``: at $0, or called free or preview)
    and / or general models that answer in text (``planner.advice.policy.answers_in_text``)."""
    rows = [
        row
        for row in comparison.models
        if (row.fits or not fits_only)
        and not (hide_free and row.offer_class == "free")
        and (row.answers_in_text or not text_only)
    ]
    return comparison.model_copy(update={"models": rows})


class Selection(BaseModel):
    """What a compare shows of a comparison and what its policy hid, each counted once, in the order they
    are taken out: rows that do not answer in text (``text_only``), then rows that do not fit
    (``fits_only``), then free and preview offers (``hide_free``). Every presenter's account ("8,167 offers:
    54 not answering in text, 306 free or preview hidden; 6,701 shown, ...") and `compare --json`'s
    ``free_left_out`` read it."""

    comparison: Comparison  # the rows shown
    offers: int  # rows before any was hidden
    not_text_left_out: int = 0
    not_fitting_left_out: int = 0
    free_left_out: int = 0

    @property
    def shown(self) -> int:
        return len(self.comparison.models)

    @property
    def fitting(self) -> int:
        """Shown rows that fit (fits or tight)."""
        return sum(1 for row in self.comparison.models if row.fits)

    @property
    def priced(self) -> int:
        """Shown rows with a known cost per request."""
        return sum(1 for row in self.comparison.models if row.total_cost is not None)


def select(
    comparison: Comparison, *, fits_only: bool = False, hide_free: bool = False, text_only: bool = False
) -> Selection:
    """``select_rows`` with the account of what each rule hid (see ``Selection``)."""
    in_text = select_rows(comparison, text_only=text_only)
    fitting = select_rows(in_text, fits_only=fits_only)
    shown = select_rows(fitting, hide_free=hide_free)
    return Selection(
        comparison=shown,
        offers=len(comparison.models),
        not_text_left_out=len(comparison.models) - len(in_text.models),
        not_fitting_left_out=len(in_text.models) - len(fitting.models),
        free_left_out=len(fitting.models) - len(shown.models),
    )


def large_enough(offers: Iterable[ModelOffer], counts: Mapping[str, int | TokenCount]) -> list[ModelOffer]:
    """The offers whose window is at least the smallest count of the input: a quick first cut before
    compare_models (no model with a smaller window can fit, whatever its tokenizer), so that finding models
    that fit a large input does not judge thousands of small models one by one."""
    smallest = smallest_count(counts)
    return [offer for offer in offers if offer.context_window and offer.context_window >= smallest]


def smallest_count(counts: Mapping[str, int | TokenCount]) -> int:
    """The smallest of the input's counts: no model whose window is smaller can take it (``large_enough``)."""
    return min((_as_token_count(family, value).tokens for family, value in counts.items()), default=0)
