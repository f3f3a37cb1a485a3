"""Where the catalog's files are: the shipped snapshot (package data), the refreshed copy in the user cache
folder, and the custom models file. Apart from planner.catalog.store so that a lookup in the shipped
catalog's model index (planner.catalog.model_index) can tell whether the shipped snapshot is the one in use
without importing the store (start-up)."""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

# package data (planner/data/catalog.json), so a wheel install finds it too; built by scripts/build_catalog.py
SHIPPED_SNAPSHOT: Traversable = resources.files("planner").joinpath("data", "catalog.json")
CACHE_FILE_NAME = "catalog.json"
MODELS_FILE_ENV = "PLANNER_MODELS_FILE"
CACHE_DIR_ENV = "PLANNER_CACHE_DIR"


def cache_dir() -> Path:
    """The user cache folder: $PLANNER_CACHE_DIR, else $XDG_CACHE_HOME/planner, else ~/.cache/planner."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "planner"


def refreshed_snapshot_path() -> Path:
    return cache_dir() / CACHE_FILE_NAME


def custom_models_file() -> Path | None:
    """The custom models file named by $PLANNER_MODELS_FILE, if any."""
    configured = os.environ.get(MODELS_FILE_ENV)
    return Path(configured) if configured else None
