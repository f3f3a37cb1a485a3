"""The shipped catalog's model index (planner.catalog.model_index): current with the shipped snapshot, the
same answer as the catalog for every exact id, and silent (None: load the catalog) whenever the shipped
snapshot is not the catalog in use or the name is not an exact id."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from planner.catalog import model_index, store
from planner.catalog.model_index import OfferFacts, shipped_facts
from planner.cli.count import resolve_model

pytestmark = pytest.mark.usefixtures("isolated_cache")


def _index() -> dict:
    return model_index.read_index(model_index.SHIPPED_INDEX.read_bytes())


def test_the_index_was_built_from_the_shipped_snapshot() -> None:
    document = _index()
    assert document["format"] == model_index.INDEX_FORMAT
    assert document["snapshot_sha256"] == hashlib.sha256(store.SHIPPED_SNAPSHOT.read_bytes()).hexdigest()
    assert "do not edit" in document["_generated"]


@pytest.mark.slow
def test_the_index_answers_as_the_catalog_for_every_exact_id(shipped) -> None:
    ids = {offer.id for offer in shipped.offers}
    rows = _index()["models"]
    assert set(rows) == ids
    differ = [key for key in sorted(ids) if shipped_facts(key) != OfferFacts.of(shipped.get(key))]
    assert differ == []


def test_an_id_whose_offer_is_another_hosts_names_that_offer(shipped) -> None:
    moved = [key for key, row in _index()["models"].items() if row[0] is not None]
    assert moved, "some bare ids resolve to the maker's own offer under another id"
    for key in moved[:20]:
        offer = shipped.get(key)
        facts = shipped_facts(key)
        assert facts is not None and (facts.id, facts.provider) == (offer.id, offer.provider) != (key, None)


def test_count_resolves_the_same_with_and_without_the_index(shipped, monkeypatch) -> None:
    models = [
        "nousresearch/hermes-4-405b",  # the default: llama3, no vision
        "openai/gpt-4o",  # o200k_base, vision
        "claude-sonnet-4",  # a bare id the maker's host wins
        "gemini-2.5-pro",
    ]
    quick = [resolve_model(model) for model in models]
    assert all(shipped_facts(model) is not None for model in models)
    monkeypatch.setattr(model_index, "shipped_facts", lambda model: None)  # the catalog answers
    assert [resolve_model(model) for model in models] == quick
    assert quick[0].family == "llama3" and quick[0].accepts_images is False
    assert quick[1].family == "o200k_base" and quick[1].accepts_images is True


def test_each_record_is_read_alone_as_the_catalog_validates_it(shipped) -> None:
    records = model_index.shipped_records()
    assert records is not None and len(records) == len(shipped)
    offsets = _index()["offsets"]
    assert offsets == model_index.record_offsets(store.SHIPPED_SNAPSHOT.read_bytes())
    for position in (0, 1, len(shipped) // 2, len(shipped) - 1):
        assert records.offer_at(position) == shipped.offer_at(position)
    for model in ("nousresearch/hermes-4-405b", "claude-sonnet-4", "openai/gpt-4o"):
        assert model_index.shipped_offer(model) == shipped.get(model)


def test_the_offsets_refuse_a_file_not_written_as_a_snapshot() -> None:
    with pytest.raises(ValueError, match="record 0"):
        model_index.record_offsets(b'{"models":[ {"id":"a"}]}')


def test_the_index_file_is_read_back_as_it_was_built(shipped) -> None:
    document = model_index.index_document(shipped, store.SHIPPED_SNAPSHOT.read_bytes())
    assert _index() == document  # write_index's lines, read back whole


def test_no_answer_for_names_hosts_and_typos(shipped) -> None:
    names = [
        "openai/gpt-4o-mi",  # a prefix of an id: a line's key is the whole id
        'openai/gpt-4o",',
        "openai/gpt-4o\n",
        "hermes",
        "openrouter/nousresearch/hermes-4-405b",
        "NOUSRESEARCH/HERMES-4-405B",
        "gpt-4o ",
    ]
    assert not {offer.id for offer in shipped.offers} & set(names)
    for name in names:
        assert shipped_facts(name) is None


def test_no_answer_while_a_refreshed_catalog_is_in_use(tmp_path: Path) -> None:
    assert shipped_facts("openai/gpt-4o") is not None
    refreshed = store.refreshed_snapshot_path()  # conftest points the cache folder at tmp_path
    refreshed.parent.mkdir(parents=True, exist_ok=True)
    refreshed.write_text("{}", encoding="utf-8")  # even a damaged one: the store decides what to do
    assert shipped_facts("openai/gpt-4o") is None
    assert model_index.shipped_offer("openai/gpt-4o") is None and model_index.shipped_records() is None


def test_no_answer_with_a_custom_models_file(tmp_path: Path, monkeypatch) -> None:
    custom = tmp_path / "models.toml"
    custom.write_text("", encoding="utf-8")
    monkeypatch.setenv("PLANNER_MODELS_FILE", str(custom))
    assert shipped_facts("openai/gpt-4o") is None


def test_a_missing_or_foreign_index_file_means_no_answer(tmp_path: Path, monkeypatch) -> None:
    foreign = json.dumps({"format": 99}) + "\n" + json.dumps({"offsets": [0, 1]}) + '\n["openai/gpt-4o",[]]\n'
    for content in (None, "not json", foreign):
        path = tmp_path / "index.jsonl"
        if content is not None:
            path.write_text(content, encoding="utf-8")
        monkeypatch.setattr(model_index, "SHIPPED_INDEX", path)
        model_index._shipped_bytes.cache_clear()
        assert shipped_facts("openai/gpt-4o") is None
        path.unlink(missing_ok=True)
    model_index._shipped_bytes.cache_clear()
