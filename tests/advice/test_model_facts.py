"""The model page's facts (planner.advice.model_facts): each from the record by its stated rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.advice.model_facts import best_for, display_name
from planner.advice.model_page import model_page
from planner.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]
HERMES = "nousresearch/hermes-4-405b"


@pytest.fixture(scope="module")
def page():
    catalog = load_catalog()
    return model_page(catalog.get(HERMES), catalog, None, None, 2_000)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Nous: Hermes 4 405B", "Hermes 4 405B"),
        ("GPT-4o", "GPT-4o"),
        ("Meta: Llama 3.3 70B", "Llama 3.3 70B"),
    ],
)
def test_the_heading_drops_the_makers_prefix(name: str, shown: str) -> None:
    assert display_name(name) == shown


def test_hermes_is_best_for_what_its_record_says(page) -> None:
    # 131,072 >= 128,000; reasoning true; structured_output true; no tools, no vision; $1/M input > $0.50/M
    assert page.best_for.uses == [
        "long documents and codebases",
        "multi-step reasoning",
        "JSON output held to a schema",
    ]
    assert "at least 128,000 tokens" in page.best_for.rule and page.best_for.note == ""


def test_a_record_with_nothing_to_go_on_says_not_known() -> None:
    offer = (
        load_catalog()
        .get(HERMES)
        .model_copy(
            update={
                "context_window": 4_096,
                "capabilities": load_catalog()
                .get(HERMES)
                .capabilities.model_copy(update={"reasoning": None, "structured_output": None}),
            }
        )
    )
    answer = best_for(offer)
    assert answer.uses == [] and answer.note.startswith("not known: ")


def test_the_faq_answers_from_the_record(page) -> None:
    answers = {item.question: item.answer for item in page.faq}
    assert answers["How much text can Hermes 4 405B take at once?"].startswith(
        "131,072 tokens in one request"
    )
    assert answers["What does Hermes 4 405B cost?"].startswith("$1.00 per million input tokens and $3.00")
    assert answers["Can it read images?"] == "No: text input only."
    assert answers["Does it think before answering?"].startswith("Yes")
    assert "Full novel: does not fit" in answers["What fits in one Hermes 4 405B request?"]


def test_comparisons_have_vs_titles(page) -> None:
    titan = next(row for row in page.comparisons if "Titan Text Express" in row.name)
    assert titan.title == "Hermes 4 405B vs Titan Text Express"
    assert titan.summary == "212 % larger context window than Titan Text Express"  # 131,072 / 42,000


def test_identifiers_and_the_raw_record(page) -> None:
    ids = {row.label: row.value for row in page.identifiers}
    assert (
        ids["OpenRouter canonical slug"] == HERMES and ids["Hugging Face id"] == "NousResearch/Hermes-4-405B"
    )
    raw = page.raw_record.record
    assert raw["top_provider"]["is_moderated"] is False
    assert raw["per_request_limits"] is None and raw["default_parameters"] == {}
    assert "expiration_date" in raw


def test_the_shipped_raw_records_are_what_the_script_writes() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_raw_records
    finally:
        sys.path.pop(0)
    expected = build_raw_records.render(
        build_raw_records.raw_records_document(build_raw_records.latest_snapshot())
    )
    assert (ROOT / "planner" / "data" / "openrouter_records.json").read_text(encoding="utf-8") == expected


@pytest.mark.slow
def test_planner_model_json_carries_the_facts() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "model", HERMES, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    document = json.loads(done.stdout)
    assert document["display_name"] == "Hermes 4 405B"
    assert document["best_for"]["uses"][0] == "long documents and codebases"
    assert document["raw_record"]["record"]["top_provider"]["is_moderated"] is False
    assert document["faq"][0]["question"] == "How much text can Hermes 4 405B take at once?"
