"""The shipped reference-document counts (planner/data/reference_counts.json) are the live counts: every
family, every document recounted here by the same function that counts pasted text. A stale table (a family,
encoder, estimate row or reference text changed) fails here: run scripts/build_reference_counts.py."""

from __future__ import annotations

import pytest

from planner.advice import reference_documents
from planner.advice.reference_documents import REFERENCES, count_reference, reference_count, reference_key
from planner.tokens.families import family_names


def test_the_table_covers_every_family_and_document() -> None:
    table = reference_documents.shipped_reference_counts()
    assert set(table) == set(family_names())
    keys = {reference_key(doc.words, doc.kind) for doc in REFERENCES}
    assert all(set(rows) == keys for rows in table.values())


@pytest.mark.parametrize("family", family_names())
@pytest.mark.slow
def test_each_shipped_count_is_the_live_count(family: str) -> None:
    table = reference_documents.shipped_reference_counts()[family]
    for doc in REFERENCES:
        live = count_reference(doc.words, doc.kind, family)
        assert table[reference_key(doc.words, doc.kind)] == live.model_dump(exclude={"tokenizer"}), doc.name


def test_a_model_page_count_reads_the_table_without_counting(monkeypatch) -> None:
    reference_count.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("counted a reference document the table holds")

    monkeypatch.setattr(reference_documents, "count_text_input", refuse)
    count = reference_count(37_000, "prose", "llama3")
    assert (count.tokenizer, count.method) == ("llama3", "exact")
    reference_count.cache_clear()
