"""The compare view's controls turned into catalog filters (Catalog.search and Catalog.filter do the work)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from planner.catalog.display import usd_per_million_as_per_token
from planner.catalog.schema import Capabilities, ModelOffer
from planner.errors import UsageError

if TYPE_CHECKING:
    from planner.catalog.store import Catalog

SORT_LABELS = {
    "cost": "Cost per request (cheapest first)",
    "window": "Context window (largest first)",
    "headroom": "Headroom (most room first)",
    "name": "Name",
}
CHART_MODELS = 25  # bars in each compare chart; the table and the downloads hold every model
WINDOW_AXIS_FROM = 1_000  # the windows chart's log axis starts here, or lower for a smaller window
DEFAULT_PROVIDER_FILTER = ""  # the compare view starts with every provider ("" = any)
CAPABILITIES: tuple[str, ...] = tuple(Capabilities.model_fields)


def parse_price_per_million(text: str) -> Decimal | None:
    """A price typed in US dollars per million tokens ("3", "$0.50") as US dollars per token, or None."""
    if not text.strip():
        return None
    try:
        return usd_per_million_as_per_token(text)
    except ValueError:
        raise UsageError(
            f"max price must be a number of US dollars per million tokens, 0 or more, such as 3 or 0.5; "
            f"got {text!r}"
        ) from None


def filter_offers(
    catalog: Catalog,
    *,
    provider: str,
    capability: list[str],
    min_window: int,
    max_price: str,
    search: str = "",
) -> list[ModelOffer]:
    """The catalog's offers that pass the compare view's filters; ``search`` empty means every offer."""
    return catalog.filter(
        provider=provider or None,
        capability=capability or None,
        min_context=min_window or None,
        max_input_price=parse_price_per_million(max_price),
        offers=catalog.search(search) if search else None,
    )
