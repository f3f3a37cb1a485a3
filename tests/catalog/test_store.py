"""The shipped snapshot, lookups, filters, the refreshed-copy fallback and custom models."""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from planner.advice.fit_rule import check_fit
from planner.catalog import store
from planner.catalog.build import build, read_crosscheck, read_pinned_sources
from planner.catalog.custom import load_custom_models
from planner.catalog.store import load_catalog, read_snapshot, search_tokens, word_matches
from planner.errors import CatalogError, UnknownModelError, UsageError

REPO = Path(__file__).resolve().parents[2]
PINNED = REPO / "data"  # the pinned sources shipped in the repository
HERMES = "nousresearch/hermes-4-405b"


pytestmark = pytest.mark.usefixtures("isolated_cache")


# ---------------------------------------------------------------- seed facts


def test_hermes_seed_facts_exactly(shipped):
    hermes = shipped.get(HERMES)
    assert hermes.name == "Nous: Hermes 4 405B"
    assert hermes.creator == "Nous Research"
    assert hermes.provider == "openrouter"
    assert (hermes.context_window, hermes.context_window_kind) == (131_072, "total")
    assert hermes.pricing.input == Decimal("0.000001")
    assert hermes.pricing.output == Decimal("0.000003")
    assert hermes.release_date == date(2025, 8, 26)
    assert hermes.knowledge_cutoff == date(2024, 8, 31)
    assert hermes.max_output_tokens is None
    caps = hermes.capabilities
    assert caps.reasoning is True
    assert caps.streaming is True
    no = (
        caps.tool_use,
        caps.function_calling,
        caps.vision,
        caps.web_search,
        caps.batch_api,
    )
    assert no == (False,) * 5
    # genai-prices (fresher) bills cache reads at $0.20 per million: it caches (OpenRouter's file said no)
    assert hermes.pricing.cache_read == Decimal("0.0000002") and caps.prompt_caching is True
    assert hermes.tokenizer == "llama3"
    # limits from the OpenRouter file (2026-08-19), prices from genai-prices 0.2.5 (2026-11-19, fresher)
    assert (hermes.source, hermes.price_source) == ("openrouter", "genai-prices")
    assert hermes.as_of == date(2026, 11, 19)


@pytest.mark.parametrize(
    ("model_id", "name", "window", "percent"),
    [
        ("amazon.titan-text-express-v1", "Titan Text Express", 42_000, 212),
        ("amazon.titan-text-lite-v1", "Titan Text Lite", 42_000, 212),
        ("amazon.titan-text-premier-v1:0", "Titan Text Premier", 42_000, 212),
        ("anthropic.claude-instant-v1", "Claude Instant", 100_000, 31),
        ("anthropic.claude-v2:1", "Anthropic Claude", 100_000, 31),
        ("anyscale/codellama/CodeLlama-34b-Instruct-hf", "Codellama 34b Instruct", 4_096, 3100),
    ],
)
def test_seed_comparisons(shipped, model_id, name, window, percent):
    other = shipped.get(model_id)
    assert (other.name, other.context_window) == (name, window)
    hermes = shipped.get(HERMES)
    # floor((a / b - 1) * 100) in exact integer arithmetic
    assert (hermes.context_window - other.context_window) * 100 // other.context_window == percent
    assert math.floor((Decimal(hermes.context_window) / other.context_window - 1) * 100) == percent


def test_litellm_windows_take_the_total_from_a_named_source(shipped):
    gpt4o = shipped.get("gpt-4o", provider="openai")
    assert gpt4o.source == "litellm"
    assert (gpt4o.context_window, gpt4o.context_window_kind, gpt4o.max_input_tokens) == (
        128_000,
        "total",
        128_000,
    )
    assert any("from models.dev (openai gpt-4o)" in note for note in gpt4o.notes)
    fit = check_fit(gpt4o, 127_000, 10_000)
    assert (fit.verdict, fit.total_tokens, fit.context_window) == ("does_not_fit", 137_000, 128_000)
    gpt5 = shipped.get("gpt-5", provider="openai")
    assert (gpt5.context_window, gpt5.context_window_kind, gpt5.max_input_tokens) == (
        400_000,
        "total",
        272_000,
    )
    assert check_fit(gpt5, 300_000).verdict == "does_not_fit"  # over the 272,000 input limit
    assert check_fit(gpt5, 200_000, 100_000).verdict == "fits"  # 300,000 of the 400,000 total


def test_a_litellm_window_without_a_total_stays_input_and_is_noted(shipped):
    titan = shipped.get("amazon.titan-text-express-v1")
    assert (titan.context_window, titan.context_window_kind) == (42_000, "input")
    assert any("no other source gives this model's total window" in note for note in titan.notes)
    assert check_fit(titan, 40_000, 4_000).verdict == "does_not_fit"  # 44,000 > 42,000: no promise
    kinds = [o.context_window_kind for o in shipped.offers if o.source == "litellm" and o.max_input_tokens]
    # every LiteLLM window was "input" before; most models have a total in another source
    assert kinds.count("total") > kinds.count("input") > 1_000


def test_catalog_is_large_and_each_offer_is_unique(shipped):
    chat = [o for o in shipped.offers if o.mode in {"chat", "completion"}]
    assert len(chat) >= 2_000
    keys = [(o.provider, o.id.lower()) for o in shipped.offers]
    assert len(keys) == len(set(keys))
    assert all(o.source and o.as_of for o in shipped.offers)


@pytest.mark.slow
def test_snapshot_is_reproducible_from_the_pinned_sources():
    document = build(read_pinned_sources(PINNED), read_crosscheck(PINNED)).document()
    assert "do not edit" in document["_generated"]  # JSON has no comments: the marker is a key
    built = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    shipped = store.SHIPPED_SNAPSHOT.read_text(encoding="utf-8")
    # hashes, not the 4 MB texts: a failure must not make pytest diff megabytes
    stale = "planner/data/catalog.json is stale (sources or tokenizer rules changed): run build_catalog.py"
    assert hashlib.sha256(built.encode()).hexdigest() == hashlib.sha256(shipped.encode()).hexdigest(), stale


# ---------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("query", "provider", "model_id"),
    [
        (HERMES, "openrouter", HERMES),
        ("NOUSRESEARCH/HERMES-4-405B", "openrouter", HERMES),
        ("openrouter/nousresearch/hermes-4-405b", "openrouter", HERMES),
        ("Nous: Hermes 4 405B", "openrouter", HERMES),
        ("hermes 405", "openrouter", HERMES),
        ("hermes-4-405b", "openrouter", HERMES),
        ("gpt-4o", "openai", "gpt-4o"),
        ("gpt 5", "openai", "gpt-5"),
        ("claude instant", "amazon-bedrock", "anthropic.claude-instant-v1"),
        ("gemini/gemini-2.5-pro", "google", "gemini-2.5-pro"),
    ],
)
def test_get_resolves_ids_names_and_fuzzy_queries(shipped, query, provider, model_id):
    offer = shipped.get(query)
    assert (offer.provider, offer.id) == (provider, model_id)


@pytest.mark.parametrize(
    ("query", "provider", "model_id", "matched_by"),
    [
        # 14 hosts offer it: the maker's own alias wins over cortecs (alphabetically first of the rest)
        ("claude-sonnet-4", "anthropic", "claude-sonnet-4-0", "id"),
        ("anthropic/claude-sonnet-4", "openrouter", "anthropic/claude-sonnet-4", "id"),
        ("glm-4.6", "zai", "glm-4.6", "id"),  # Z.ai's own host, though not in CREATOR_ORGS
        ("qwen3-max", "alibaba", "qwen3-max", "id"),
        ("gpt 5", "openai", "gpt-5", "name"),
        ("hermes 405", "openrouter", HERMES, "words"),
    ],
)
def test_resolve_prefers_the_makers_host_then_openrouter(shipped, query, provider, model_id, matched_by):
    found = shipped.resolve(query)
    assert (found.offer.provider, found.offer.id, found.matched_by) == (provider, model_id, matched_by)
    assert shipped.get(query) == found.offer


def test_resolve_lists_the_other_models_an_ambiguous_query_matched(shipped):
    hermes = shipped.resolve("hermes")
    assert (hermes.offer.id, hermes.matched_by) == ("nousresearch/hermes-4-70b", "words")
    others = [o.id for o in hermes.alternatives]
    assert others[0] == HERMES and len(others) == len(set(others)) <= 5
    assert hermes.offer.id not in others
    claude = shipped.resolve("claude")
    assert (claude.offer.provider, claude.offer.id) == ("anthropic", "claude-opus-5")
    assert claude.alternatives and all("claude" in o.id for o in claude.alternatives)
    exact = shipped.resolve(HERMES)
    assert (exact.offer.provider, exact.alternatives) == ("openrouter", [])
    assert shipped.resolve("claude-sonnet-4", provider="cortecs").offer.provider == "cortecs"


def test_get_with_provider_picks_that_host(shipped):
    offer = shipped.get(HERMES, provider="kilo")
    assert (offer.provider, offer.source) == ("kilo", "models.dev")
    assert offer.name == "Nous: Hermes 4 405B"


def test_unknown_model_suggests_close_ids(shipped):
    with pytest.raises(UnknownModelError) as caught:
        shipped.get("nousresearch/hermes-4-450b")
    assert HERMES in caught.value.suggestions
    assert "planner models --search" in caught.value.message
    assert caught.value.exit_code == 4


def test_suggestions_put_the_nearest_id_first(shipped):
    # "hermes-4-405bb" is one letter longer than the tail "hermes-4-405b": difflib ratio 2 x 13 / 27 = 0.963;
    # "hermes-4-70b" shares "hermes-4-", "0" and "b" only (2 x 11 / 26 = 0.846), so it comes after
    with pytest.raises(UnknownModelError) as caught:
        shipped.get("hermes-4-405bb")
    assert caught.value.suggestions[0] == HERMES
    assert "Did you mean: nousresearch/hermes-4-405b, " in caught.value.message
    # "deepseek-chat-v3.11" is the tail "deepseek-chat-v3.1" plus one "1" (2 x 18 / 37 = 0.973), while the
    # id "deepseek-v3.1" lacks "chat-" (2 x 13 / 32 = 0.813)
    nearest = shipped.suggestions("deepseek-chat-v3.11")
    assert nearest[0] == "deepseek/deepseek-chat-v3.1"
    assert nearest.index("deepseek/deepseek-chat-v3.1") < nearest.index("deepseek-v3.1")


def test_suggestions_list_one_id_per_tail(shipped):
    # gpt-4o-mini is served as "gpt-4o-mini", "azure/eu/gpt-4o-mini", ...: one of them is shown
    tails = [model_id.rsplit("/", 1)[-1].lower() for model_id in shipped.suggestions("gpt-4o-mnii")]
    assert tails[0] == "gpt-4o-mini" and len(tails) == len(set(tails)) == 5


def test_an_exact_alias_still_resolves_without_suggestions(shipped):
    assert shipped.get("hermes-4-405b").id == HERMES
    assert shipped.resolve("claude-sonnet-4-5", provider="anthropic").offer.provider == "anthropic"


def test_empty_query_is_unknown_not_the_first_model(shipped):
    with pytest.raises(UnknownModelError):
        shipped.get("   ")


def test_offer_for_is_exact_host_and_id(shipped):
    assert shipped.offer_for("OpenRouter", HERMES.upper()).source == "openrouter"
    assert shipped.offer_for("openai", HERMES) is None


def test_search_and_filter(shipped):
    found = shipped.search("hermes 405")
    assert found[0].id == HERMES and all("405" in (o.id + o.name).lower() for o in found)
    cheap_tools = shipped.filter(
        provider="openrouter",
        capability=["tool_use"],
        min_context=200_000,
        max_input_price=Decimal("0.000001"),
    )
    assert cheap_tools
    for offer in cheap_tools:
        assert offer.provider == "openrouter" and offer.capabilities.tool_use is True
        assert offer.context_window >= 200_000 and offer.pricing.input <= Decimal("0.000001")
    assert HERMES not in {o.id for o in shipped.filter(provider="openrouter", capability=["vision"])}
    assert all(o.creator == "Nous Research" for o in shipped.filter(creator="nous research"))
    with pytest.raises(UsageError, match="unknown capability"):  # a bad option value: exit 2
        shipped.filter(capability=["telepathy"])


@pytest.mark.slow
def test_search_matches_numbers_as_whole_tokens(shipped):
    hits = {(o.provider, o.id) for o in shipped.search("hermes 4")}
    ids = {model_id.lower() for _, model_id in hits}
    assert "nousresearch/hermes-4-405b" in ids and "nousresearch/hermes-4-70b" in ids
    # "4" is not a token of Hermes 3 (its 405b), nor of nous-hermes-2-yi-34b
    assert not any("hermes-3" in i or "hermes3" in i or "34b" in i for i in ids)
    assert all(re.search(r"hermes[- ]?4(\b|[-:])", i) for i in ids)
    # separators removed: "hermes4" is hermes followed by 4
    assert {(o.provider, o.id) for o in shipped.search("hermes4")} == hits
    assert shipped.get("hermes 405").id == HERMES


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("4", "nousresearch/hermes-4-405b", True),
        ("4", "nous-hermes-2-yi-34b", False),
        ("405", "hermes-3-llama-3.1-405b", True),
        ("40", "hermes-4-405b", False),
        ("hermes4", "hermes-4-70b", True),
        ("hermes4", "hermes-3-llama-4", False),  # both tokens, but not in a row
        ("son", "claude-sonnet-4", True),  # letters match the start of a token
        ("net", "claude-sonnet-4", False),
        ("gpt-4o", "openai/gpt-4o-mini", True),
    ],
)
def test_word_matches_tokens(query, field, expected):
    assert word_matches(search_tokens(query), search_tokens(field)) is expected


def test_unknown_prices_never_pass_a_price_filter(shipped):
    kept = shipped.filter(provider="openrouter", max_input_price=Decimal("1"))
    assert "openrouter/auto" not in {o.id for o in kept}
    assert shipped.get("openrouter/auto").pricing.input is None


# ---------------------------------------------------------------- what is in use


def test_load_catalog_uses_shipped_then_a_valid_refreshed_copy(tmp_path):
    catalog = load_catalog()
    assert catalog.info.origin == "shipped" and catalog.info.model_count == len(catalog)
    assert load_catalog() is catalog  # cached per process
    refreshed = store.refreshed_snapshot_path()
    small = [catalog.get(HERMES), catalog.get("gpt-4o")]
    store.write_snapshot(refreshed, store.snapshot_document(small, date(2026, 11, 20), catalog.info.sources))
    store.clear_catalog_cache()
    in_use = load_catalog()
    assert (in_use.info.origin, in_use.info.model_count, in_use.info.as_of) == (
        "refreshed",
        2,
        date(2026, 11, 20),
    )


def test_damaged_refreshed_copy_falls_back_to_shipped():
    refreshed = store.refreshed_snapshot_path()
    refreshed.parent.mkdir(parents=True)
    refreshed.write_text('{"format": 1, "models": [', encoding="utf-8")
    assert load_catalog().info.origin == "shipped"


def test_missing_snapshot_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="missing"):
        read_snapshot(tmp_path / "nope.json")


# ---------------------------------------------------------------- custom models

TOML_FILE = """
[[models]]
id = "hermes-4-405b-local"
name = "Hermes 4 405B (self-hosted)"
provider = "self-hosted"
based_on = "nousresearch/hermes-4-405b"
pricing = { input = "0.0000005", output = 0.0000015 }

[[models]]
id = "nousresearch/hermes-4-405b"
provider = "openrouter"
pricing = { input = "0.0000008" }
"""


@pytest.mark.slow
def test_custom_toml_adds_and_overrides(tmp_path, monkeypatch):
    path = tmp_path / "models.toml"
    path.write_text(TOML_FILE, encoding="utf-8")
    monkeypatch.setenv("PLANNER_MODELS_FILE", str(path))
    catalog = load_catalog()
    local = catalog.get("hermes-4-405b-local")
    assert (local.provider, local.context_window, local.tokenizer) == ("self-hosted", 131_072, "llama3")
    assert (local.pricing.input, local.pricing.output) == (Decimal("0.0000005"), Decimal("0.0000015"))
    assert local.source == f"custom:{path}"
    discounted = catalog.get(HERMES)
    assert discounted.pricing.input == Decimal("0.0000008")
    assert discounted.pricing.output == Decimal("0.000003")  # untouched fields kept
    assert discounted.name == "Nous: Hermes 4 405B"
    assert len([o for o in catalog.offers if o.id == HERMES and o.provider == "openrouter"]) == 1
    assert catalog.info.custom_file == path


def test_custom_yaml_and_json(tmp_path, shipped):
    yaml_file = tmp_path / "models.yaml"
    yaml_file.write_text(
        "models:\n  - id: my-model\n    provider: acme\n    context_window: 32768\n"
        "    pricing: {input: 0.0000001, output: '0.0000002'}\n",
        encoding="utf-8",
    )
    [offer] = load_custom_models(yaml_file, shipped)
    assert (offer.name, offer.context_window, offer.pricing.input) == ("my-model", 32_768, Decimal("1E-7"))
    json_file = tmp_path / "models.json"
    json_file.write_text('[{"id": "gpt-4o", "provider": "openai", "pricing": {"input": 0.000002}}]')
    [gpt] = load_custom_models(json_file, shipped)
    assert gpt.pricing.input == Decimal("0.000002") and gpt.pricing.output == Decimal("0.00001")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[models]]\nid = "x"\ncontext_window = "big"\n', r"entry 1 \(x\): field 'context_window'"),
        ('[[models]]\nid = "x"\n\n[[models]]\nname = "no id"\n', r"entry 2: field 'id'"),
        ('[[models]]\nid = "x"\npricing = { input = "cheap" }\n', r"entry 1 \(x\): field 'pricing.input'"),
        ('[[models]]\nid = "x"\nbased_on = "no-such-model-zzz"\n', r"entry 1 \(x\): field 'based_on'"),
        (
            '[[models]]\nid = "x"\npricing = {input = -1}\n',
            r"entry 1 \(x\): field 'pricing.input': must be 0 or more \(US dollars per token\), got -1$",
        ),
        (
            '[[models]]\nid = "x"\ncontext_window = -5\npricing = {output = "-0.1"}\n',
            r"entry 1 \(x\): field 'context_window': must be a positive number of tokens, got -5 "
            r"\(also wrong: pricing.output\)",
        ),
        ('[[models]]\nid = "x"\nmax_output_tokens = 0\n', r"field 'max_output_tokens': must be a positive"),
        ("[[models]\n", "not valid TOML"),
        ('models = "none"\n', 'expected a list named "models"'),
    ],
)
def test_custom_errors_name_file_entry_and_field(tmp_path, shipped, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match=message) as caught:
        load_custom_models(path, shipped)
    assert str(path) in caught.value.message


def test_custom_file_with_unknown_suffix_or_missing(tmp_path, shipped):
    with pytest.raises(CatalogError, match="cannot be read"):
        load_custom_models(tmp_path / "absent.toml", shipped)
    other = tmp_path / "models.ini"
    other.write_text("[x]\n")
    with pytest.raises(CatalogError, match="use a .toml"):
        load_custom_models(other, shipped)


@pytest.mark.parametrize("query", ["*", "?", "#", "%%", "\U0001f600", "openai/", "-", "/", " ** "])
def test_a_name_without_a_letter_or_digit_is_an_unknown_model(shipped, query):
    # An empty word search matched the whole catalog and its first entry was taken, silently (exit 0).
    with pytest.raises(UnknownModelError):
        shipped.get(query)


@pytest.mark.parametrize("command", [["cost", "-i", "10"], ["fit", "-i", "10"]])
@pytest.mark.parametrize("query", ["*", "openai/"])
def test_the_cli_says_unknown_model_for_such_a_name(command, query, capsys):
    from planner.cli import run_app

    assert run_app([*command, "-m", query]) == 4
    assert capsys.readouterr().err.startswith(f"error: unknown model '{query}'")
