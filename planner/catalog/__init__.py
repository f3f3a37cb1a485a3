"""The model catalog: offers (one model by one host) with Decimal prices, lookups, refresh and custom models.

Names are imported on first use so that importing the package stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, str] = {
    "Catalog": "planner.catalog.store",
    "CatalogInfo": "planner.catalog.store",
    "Resolution": "planner.catalog.store",
    "SourceInfo": "planner.catalog.store",
    "load_catalog": "planner.catalog.store",
    "clear_catalog_cache": "planner.catalog.store",
    "ModelOffer": "planner.catalog.schema",
    "Pricing": "planner.catalog.schema",
    "PriceTier": "planner.catalog.schema",
    "Capabilities": "planner.catalog.schema",
    "Disagreement": "planner.catalog.schema",
    "refresh_catalog": "planner.catalog.refresh",
    "RefreshResult": "planner.catalog.refresh",
    "load_custom_models": "planner.catalog.custom",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'planner.catalog' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
