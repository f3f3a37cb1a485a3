"""Shared test set-up: the project's scripts (calibrate.py, ...) are importable as modules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from planner.catalog import store

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    """An empty user cache of the test's own and no custom models file (catalog tests use it autouse)."""
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PLANNER_MODELS_FILE", raising=False)
    store.clear_catalog_cache()
    yield
    store.clear_catalog_cache()


@pytest.fixture(scope="module")
def shipped():
    """The catalog snapshot shipped in the package, read once per test module."""
    return store.read_snapshot(store.SHIPPED_SNAPSHOT)
