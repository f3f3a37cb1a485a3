"""The family registry: every entry is complete and consistent, and every caller resolves through it."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from planner.catalog.schema import ModelOffer
from planner.errors import UsageError
from planner.inputs.messages import TEMPLATES
from planner.tokens import families
from planner.tokens.counts import _factor_table, count_tokens, estimate_factors
from planner.tokens.encoders import CONSTRUCTORS
from planner.tokens.families import (
    FAMILIES,
    chat_template_for,
    family_for,
    family_for_model,
    family_names,
    get_family,
    words_per_token,
)
from planner.tokens.image_rules import SOURCES

REPO = Path(__file__).resolve().parents[2]
KINDS = ("prose", "non_english_prose", "code", "json", "cjk")


@pytest.mark.parametrize("name", family_names())
def test_every_entry_is_complete(name: str) -> None:
    family = FAMILIES[name]
    assert family.name == name and family.label
    assert family.factors in _factor_table()["families"], "its estimate row must exist"
    assert family.chat_template in TEMPLATES
    assert family.encoding is None or family.encoding in CONSTRUCTORS
    assert family.image_rule in SOURCES, "its image rule must be one of planner.tokens.image_rules"
    for kind in KINDS:
        low, mid, high = estimate_factors(name, kind)
        assert 0 < low <= mid <= high
    # a family's own name is a catalog label of itself (an offer's stored family, a custom model's tokenizer)
    assert family_for_model("no-rule-matches-this-id", None, name) == name


def test_estimated_families_without_a_row_use_the_envelope() -> None:
    for name in ("grok", "cohere", "unknown"):
        assert get_family(name).factors == "unknown" and not get_family(name).exact
    assert estimate_factors("grok", "code") == tuple(
        _factor_table()["families"]["unknown"]["factors"]["code"]
    )


def test_an_unknown_family_name_is_a_usage_error_listing_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"unknown tokenizer family 'llama-3'; known: o200k_base"):
        count_tokens("hello", "llama-3")


def _offer(model_id: str, tokenizer: str = "unknown", hf_id: str | None = None) -> ModelOffer:
    return ModelOffer(
        id=model_id,
        name=model_id,
        provider="test",
        tokenizer=tokenizer,
        hf_id=hf_id,
        source="test",
        as_of="2026-12-01",
    )


def test_family_for_an_offer_uses_ids_first_then_its_stored_family() -> None:
    assert family_for(_offer("meta-llama/llama-3.3-70b-instruct")) == "llama3"
    assert family_for(_offer("acme/house-model", tokenizer="llama4")) == "llama4"
    assert family_for(_offer("acme/house-model", hf_id="Qwen/Qwen3-8B")) == "qwen"
    assert family_for(_offer("acme/house-model")) == "unknown"


def test_gemma_3_is_told_from_gemma_3n_and_paligemma_3b() -> None:
    assert family_for_model("google/gemma-3-4b-it") == "gemma3"
    assert family_for_model("gemma3:27b") == "gemma3"
    assert family_for_model("google/gemma-3n-E4B-it") == "gemini"  # Gemma 3n: another vocabulary
    assert family_for_model("google/paligemma-3b-pt-224") == "gemini"  # a Gemma 2B inside
    assert family_for_model("google/gemini-2.5-pro") == "gemma3"
    assert family_for_model("gemini-3-1-pro") == "gemini"  # Gemini 3.1: Gemma 4, unverified


def test_chat_template_is_the_familys_unless_the_model_has_its_own() -> None:
    assert chat_template_for("nousresearch/hermes-4-405b", "llama3") == "chatml"
    assert chat_template_for("meta-llama/llama-3.3-70b-instruct", "llama3") == "llama3"
    assert chat_template_for("openai/gpt-4o", "o200k_base") == "openai"
    assert chat_template_for("anthropic/claude-sonnet-4", "claude") == "estimate"


def test_words_per_token_is_the_stated_default_until_measured(monkeypatch) -> None:
    assert words_per_token("claude") == (Decimal("0.75"), "default, no measurement for claude")
    measured = FAMILIES["claude"].__class__(
        **{**FAMILIES["claude"].__dict__, "words_per_token": Decimal("0.7")}
    )
    monkeypatch.setitem(FAMILIES, "claude", measured)
    assert words_per_token("claude") == (Decimal("0.7"), "measured for claude")


def test_no_other_module_holds_family_rules() -> None:
    """One place: no module but planner/tokens/families.py maps models or names to families."""
    sources = {
        path: path.read_text("utf-8")
        for path in [*REPO.joinpath("planner").rglob("*.py"), REPO / "app.py"]
        if path.name != "families.py"
    }
    for path, text in sources.items():
        assert not re.search(r'"(llama3|o200k_base|cl100k_base)":\s*"(llama3|openai|o200k_base)"', text), path
        assert "tokenizer_for_model(" not in text, path  # the compatibility alias is for users only
        assert "def family_of" not in text and "def resolve_family" not in text, path


def test_importing_the_registry_builds_no_encoder() -> None:
    code = (
        "import sys, planner.tokens.families, planner.tokens.counts, planner.inputs.streaming; "
        "print('tiktoken' in sys.modules or 'splintr' in sys.modules, len(planner.tokens.encoders._encoders))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "0"]
    assert "splintr" not in result.stderr


def test_every_new_exact_family_is_exact_for_its_models() -> None:
    cases = {
        "qwen/qwen3-235b-a22b": "qwen",
        "deepseek/deepseek-chat-v3.1": "deepseek_v3",
        "mistralai/mistral-nemo": "mistral_tekken",
        "mistralai/mistral-7b-instruct-v0.1": "mistral_v1",
        "mistralai/mixtral-8x22b-instruct": "mistral_v3",
        "openai/gpt-oss-120b": "o200k_harmony",
    }
    for model_id, name in cases.items():
        assert family_for_model(model_id) == name
        assert families.is_exact(name)
