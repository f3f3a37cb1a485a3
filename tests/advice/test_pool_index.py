"""The shipped catalog's suggestion-pool index (planner.advice.pool_index): current with the snapshot and the
policy, the same pools as ``suggestable`` in the same order, and the same suggestions from `fit`."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from planner.advice import pool_index
from planner.advice.answers import advise_fit
from planner.advice.pool_index import IndexedPools, OfferPools, pools_for
from planner.advice.suggestions import suggestable
from planner.catalog import store
from planner.tokens.counts import TokenCount
from planner.tokens.families import family_for

pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture(scope="module")
def full_pools(shipped):
    return suggestable(shipped.offers)


def test_the_index_was_built_from_the_shipped_snapshot() -> None:
    document = json.loads(pool_index.SHIPPED_POOL_INDEX.read_bytes())
    assert document["snapshot_sha256"] == hashlib.sha256(store.SHIPPED_SNAPSHOT.read_bytes()).hexdigest()
    assert "do not edit" in document["_generated"]


def test_the_shipped_catalog_gets_the_index(shipped) -> None:
    assert isinstance(pools_for(lambda: shipped), IndexedPools)


def test_each_entry_carries_the_family_its_offer_is_counted_in(shipped) -> None:
    """The index stores each offer's family (planner.tokens.families' rules, run when it is built): a rule
    changed without a rebuild fails here."""
    pools = pools_for(lambda: shipped)
    assert isinstance(pools, IndexedPools)
    for entry in pools.entries:
        offer = shipped.offers[entry.position]
        assert (entry.context_window, entry.family) == (offer.context_window, family_for(offer)), offer.id


@pytest.mark.slow
def test_the_index_holds_the_pools_suggestable_builds_in_catalog_order(shipped, full_pools) -> None:
    indexed = pools_for(lambda: shipped)
    assert indexed.families() == OfferPools(full_pools).families()
    every = indexed.at_least(0)
    for kind in ("paid", "free"):
        assert [(o.provider, o.id) for o in every[kind]] == [(o.provider, o.id) for o in full_pools[kind]]
    big = indexed.at_least(1_000_000)  # only offers of a million-token window or more are validated
    assert big["paid"] and all(offer.context_window >= 1_000_000 for offer in big["paid"] + big["free"])
    assert [o.id for o in big["paid"]] == [o.id for o in full_pools["paid"] if o.context_window >= 1_000_000]


@pytest.mark.slow
@pytest.mark.parametrize("tokens", [140_000, 1_500_000, 5_000_000])
def test_fit_suggests_the_same_with_and_without_the_index(shipped, full_pools, tokens) -> None:
    hermes = shipped.get("nousresearch/hermes-4-405b")
    count = TokenCount.exact("llama3", tokens, "given")

    other = tokens * 103 // 100  # every other family counts 3 % more

    def counts_for(families: list[str]) -> dict[str, TokenCount]:
        return {f: count if f == "llama3" else TokenCount.exact(f, other, "x") for f in families}

    answers = [
        advise_fit(hermes, count, 4000, pools=pools, counts_for=counts_for, headroom_fraction=Decimal("0.2"))
        for pools in (full_pools, pools_for(lambda: shipped))
    ]
    assert answers[0].suggestions == answers[1].suggestions
    assert answers[0].suggestions is not None


def test_a_catalog_with_custom_models_validates_every_offer(tmp_path, monkeypatch) -> None:
    custom = tmp_path / "models.toml"
    custom.write_text('[[models]]\nid = "my/model"\nprovider = "acme"\ncontext_window = 9000000\n', "utf-8")
    monkeypatch.setenv("PLANNER_MODELS_FILE", str(custom))
    pools = pools_for(store.load_catalog)
    assert isinstance(pools, OfferPools)
    assert "my/model" not in [offer.id for offer in pools.at_least(0)["paid"]]  # no prices: not suggested


def test_a_foreign_index_is_not_used(tmp_path, monkeypatch, shipped) -> None:
    path = tmp_path / "pool_index.json"
    path.write_text(json.dumps({"format": 1, "model_count": 3, "offers": []}), encoding="utf-8")
    monkeypatch.setattr(pool_index, "SHIPPED_POOL_INDEX", path)
    assert isinstance(pools_for(lambda: shipped), OfferPools)


def test_a_refreshed_catalog_validates_every_offer(shipped) -> None:
    refreshed = store.refreshed_snapshot_path()  # conftest points the cache folder at tmp_path
    refreshed.parent.mkdir(parents=True, exist_ok=True)
    refreshed.write_bytes(store.SHIPPED_SNAPSHOT.read_bytes())
    assert isinstance(pools_for(lambda: shipped), OfferPools)
