"""Parsers for OpenRouter, models.dev and LiteLLM, and the merge, on the pinned files and their excerpts."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.catalog import naming, sources
from planner.catalog.build import load_json, read_crosscheck, read_pinned_sources
from planner.catalog.crosscheck import PriceCrossCheck, clause_matches, price_on
from planner.errors import CatalogError

PINNED = Path(__file__).resolve().parents[2] / "data"  # the pinned sources shipped in the repository
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"
AS_OF = date(2026, 8, 19)


def _excerpt(name: str):
    return load_json((FIXTURES / name).read_bytes())


def _by_id(result: sources.ParseResult) -> dict[tuple[str, str], object]:
    return {(offer.provider, offer.id): offer for offer in result.offers}


@pytest.fixture(scope="module")
def pinned():
    documents = {document.name: document for document in read_pinned_sources(PINNED)}
    parsers = {
        "openrouter": sources.parse_openrouter,
        "models.dev": sources.parse_models_dev,
        "litellm": sources.parse_litellm,
    }
    results = {
        name: parse(documents[name].document, documents[name].as_of) for name, parse in parsers.items()
    }
    return documents, results


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (Decimal("0.39949999999999997"), Decimal("0.3995")),
        (Decimal("3.0001999999999996e-07"), Decimal("3.0002E-7")),
        (Decimal("0.0002833333333333333"), Decimal("0.000283333333333")),
        ("0.000001", Decimal("0.000001")),
        (Decimal("2e-07"), Decimal("2E-7")),
        (0, Decimal(0)),
        ("-1", None),
        (Decimal(-1), None),
        (None, None),
        ("variable", None),
        (True, None),
    ],
)
def test_clean_money_rounds_float_noise_and_drops_sentinels(raw, expected):
    assert sources.clean_money(raw) == expected


def test_clean_money_per_million_divides_exactly():
    assert sources.clean_money(Decimal("1.25"), scale=Decimal(1_000_000)) == Decimal("0.00000125")
    assert sources.clean_money(3, scale=Decimal(1_000_000)) == Decimal("0.000003")
    noisy = Decimal("0.049999999999999996")  # models.dev google.gemma-3-12b-it input, per million
    assert sources.clean_money(noisy, scale=Decimal(1_000_000)) == Decimal("5E-8")


@pytest.mark.parametrize(
    ("text", "month_end", "expected"),
    [
        ("2025-08-26", False, date(2025, 8, 26)),
        ("2025-02-31", False, None),
        ("2025-13", True, None),
        ("2025-11", True, date(2025, 11, 30)),
        ("2024-02", True, date(2024, 2, 29)),
        ("2026-11", False, date(2026, 11, 1)),
        ("soon", False, None),
        (None, False, None),
    ],
)
def test_parse_date_never_crashes_on_impossible_dates(text, month_end, expected):
    assert sources.parse_date(text, month_end=month_end) == expected


# ---------------------------------------------------------------- OpenRouter


def test_openrouter_hermes_seed_facts():
    offers = _by_id(sources.parse_openrouter(_excerpt("openrouter-excerpt.json"), AS_OF))
    hermes = offers[("openrouter", "nousresearch/hermes-4-405b")]
    assert hermes.name == "Nous: Hermes 4 405B"
    assert hermes.creator == "Nous Research"
    assert (hermes.context_window, hermes.context_window_kind) == (131_072, "total")
    assert hermes.pricing.input == Decimal("0.000001")
    assert hermes.pricing.output == Decimal("0.000003")
    assert hermes.max_output_tokens is None
    assert hermes.release_date == date(2025, 8, 26)
    assert hermes.knowledge_cutoff == date(2024, 8, 31)
    assert hermes.tokenizer == "llama3"
    assert hermes.hf_id == "NousResearch/Hermes-4-405B"
    caps = hermes.capabilities
    assert caps.reasoning is True and caps.streaming is True
    flags = (caps.tool_use, caps.function_calling, caps.vision, caps.web_search, caps.batch_api)
    assert flags == (False,) * 5
    assert caps.prompt_caching is False
    assert (hermes.source, hermes.as_of) == ("openrouter", AS_OF)


def test_openrouter_router_prices_are_unknown_not_zero():
    offers = _by_id(sources.parse_openrouter(_excerpt("openrouter-excerpt.json"), AS_OF))
    auto = offers[("openrouter", "openrouter/auto")]
    assert auto.pricing.input is None and auto.pricing.output is None


def test_openrouter_capabilities_from_supported_parameters():
    offers = _by_id(sources.parse_openrouter(_excerpt("openrouter-excerpt.json"), AS_OF))
    gpt4o = offers[("openrouter", "openai/gpt-4o")]
    assert gpt4o.capabilities.vision is True  # image in input_modalities
    assert gpt4o.capabilities.tool_use is True and gpt4o.capabilities.function_calling is True
    assert gpt4o.capabilities.web_search is True  # web_search_options
    assert gpt4o.capabilities.prompt_caching is True  # input_cache_read price
    assert gpt4o.pricing.cache_read == Decimal("0.00000125")
    assert gpt4o.max_output_tokens == 16384
    assert gpt4o.tokenizer == "o200k_base"


@pytest.mark.parametrize("document", [[], {"models": []}, {"data": {}}, "text"])
def test_openrouter_other_shapes_are_refused(document):
    with pytest.raises(CatalogError, match="OpenRouter"):
        sources.parse_openrouter(document, AS_OF)


def test_openrouter_bad_record_is_listed_not_fatal():
    document = {"data": [{"id": "x/broken", "context_length": "huge", "created": "never"}, {"name": "no id"}]}
    result = sources.parse_openrouter(document, AS_OF)
    assert [offer.id for offer in result.offers] == ["x/broken"]  # unusable values become unknown
    assert result.offers[0].context_window is None
    assert result.errors == ["OpenRouter: data[1]: not a model object with an id"]


# ---------------------------------------------------------------- models.dev


def test_models_dev_prices_are_divided_by_a_million():
    offers = _by_id(sources.parse_models_dev(_excerpt("models-dev-excerpt.json"), date(2026, 6, 13)))
    gpt5 = offers[("openai", "gpt-5")]
    assert gpt5.pricing.input == Decimal("0.00000125")  # 1.25 per million
    assert gpt5.pricing.output == Decimal("0.00001")  # 10 per million
    assert (gpt5.context_window, gpt5.context_window_kind, gpt5.max_input_tokens) == (
        400_000,
        "total",
        272_000,
    )
    gemma = offers[("amazon-bedrock", "google.gemma-3-12b-it")]
    assert gemma.pricing.input == Decimal("0.00000005")  # 0.049999999999999996 per million, noise removed


def test_models_dev_impossible_date_becomes_unknown():
    offers = _by_id(sources.parse_models_dev(_excerpt("models-dev-excerpt.json"), date(2026, 6, 13)))
    haiku = offers[("azure", "claude-haiku-4-5")]
    assert haiku.knowledge_cutoff is None  # "2025-02-31" in the file
    assert haiku.release_date == date(2025, 11, 18)


def test_models_dev_context_tiers_and_skips_embeddings():
    result = sources.parse_models_dev(_excerpt("models-dev-excerpt.json"), date(2026, 6, 13))
    offers = _by_id(result)
    opus = offers[("302ai", "claude-opus-4-7")]
    assert [(t.above_tokens, t.input, t.output) for t in opus.pricing.tiers] == [
        (200_000, Decimal("0.00001"), Decimal("0.0000375"))
    ]
    assert ("vercel", "amazon/titan-embed-text-v2") not in offers


# ---------------------------------------------------------------- LiteLLM


def test_litellm_input_limits_names_and_skipped_entries():
    result = sources.parse_litellm(_excerpt("litellm-excerpt.json"), date(2026, 11, 1))
    offers = {offer.id: offer for offer in result.offers}
    expected = {
        "amazon.titan-text-express-v1": (42_000, "Titan Text Express"),
        "amazon.titan-text-lite-v1": (42_000, "Titan Text Lite"),
        "amazon.titan-text-premier-v1:0": (42_000, "Titan Text Premier"),
        "anthropic.claude-instant-v1": (100_000, "Claude Instant"),
        "anthropic.claude-v2:1": (100_000, "Anthropic Claude"),
        "anyscale/codellama/CodeLlama-34b-Instruct-hf": (4_096, "Codellama 34b Instruct"),
    }
    for key, (window, name) in expected.items():
        assert (offers[key].context_window, offers[key].name) == (window, name)
        assert offers[key].context_window_kind == "input"
    assert offers["amazon.titan-text-express-v1"].provider == "amazon-bedrock"
    assert "sample_spec" not in offers and "text-embedding-3-small" not in offers


def test_litellm_prices_tiers_batch_and_cache_writes():
    offers = {
        o.id: o for o in sources.parse_litellm(_excerpt("litellm-excerpt.json"), date(2026, 11, 1)).offers
    }
    sonnet = offers["claude-sonnet-4-5"].pricing
    assert (sonnet.input, sonnet.output) == (Decimal("0.000003"), Decimal("0.000015"))
    assert (sonnet.cache_write, sonnet.cache_write_1h, sonnet.cache_read) == (
        Decimal("0.00000375"),
        Decimal("0.000006"),
        Decimal("0.0000003"),
    )
    assert (sonnet.batch_input, sonnet.batch_output) == (Decimal("0.0000015"), Decimal("0.0000075"))
    assert offers["claude-sonnet-4-5"].capabilities.batch_api is True
    gemini = offers["gemini/gemini-2.5-pro"]
    assert gemini.provider == "google"
    assert [(t.above_tokens, t.input, t.output, t.cache_read) for t in gemini.pricing.tiers] == [
        (200_000, Decimal("0.0000025"), Decimal("0.000015"), Decimal("0.00000025"))
    ]
    assert offers["databricks/databricks-gemini-2-5-flash"].pricing.input == Decimal("3.0002E-7")


# ---------------------------------------------------------------- merge


def test_merge_keeps_one_record_per_offer_with_disagreements():
    results = [
        sources.parse_openrouter(_excerpt("openrouter-excerpt.json"), AS_OF),
        sources.parse_models_dev(_excerpt("models-dev-excerpt.json"), date(2026, 6, 13)),
        sources.parse_litellm(_excerpt("litellm-excerpt.json"), date(2026, 11, 1)),
    ]
    merged = sources.merge_offers(results)
    keys = [(offer.provider, offer.id.lower()) for offer in merged]
    assert len(keys) == len(set(keys))
    hermes = [o for o in merged if o.id == "nousresearch/hermes-4-405b"]
    assert [o.provider for o in hermes] == ["openrouter"]
    record = hermes[0]
    assert (record.source, record.max_output_tokens, record.name) == (
        "openrouter",
        None,
        "Nous: Hermes 4 405B",
    )
    noted = {(d.field, d.value, d.source) for d in record.disagreements}
    assert ("max_output_tokens", "131072", "models.dev") in noted
    assert ("name", "Hermes 4 405B", "models.dev") in noted
    nebius = next(o for o in merged if o.provider == "nebius")
    assert nebius.pricing.cache_read == Decimal("0.0000001")  # its own host's price, not OpenRouter's
    gpt5 = next(o for o in merged if o.provider == "openai" and o.id == "gpt-5")
    # LiteLLM's max_input_tokens stays the input limit; the total comes from models.dev, same host
    assert (gpt5.source, gpt5.context_window, gpt5.context_window_kind, gpt5.max_input_tokens) == (
        "litellm",
        400_000,
        "total",
        272_000,
    )
    assert gpt5.notes == [
        "total window 400,000 from models.dev (openai gpt-5); LiteLLM's max_input_tokens 272,000 kept as "
        "the input limit"
    ]
    assert "context_window" not in {d.field for d in gpt5.disagreements}
    titan = next(o for o in merged if o.id == "amazon.titan-text-express-v1")
    assert (titan.context_window, titan.context_window_kind) == (42_000, "input")  # no total anywhere
    gemini = next(o for o in merged if o.provider == "google")
    assert (gemini.id, gemini.aliases, gemini.name) == (
        "gemini-2.5-pro",
        ["gemini/gemini-2.5-pro"],
        "Gemini 2.5 Pro",
    )
    assert gemini.source == "litellm"  # LiteLLM's prices and limits, the host's own id and name


# ---------------------------------------------------------------- the real files


@pytest.mark.slow
def test_real_openrouter_file_parses_whole(pinned):
    documents, results = pinned
    result = results["openrouter"]
    assert result.errors == []
    raw = documents["openrouter"].document["data"]
    assert len(raw) == 549
    text_models = [m for m in raw if "text" in m["architecture"]["output_modalities"]]
    non_text_ids = ("embed", "rerank", "moderation", "whisper", "tts", "transcri", "bge-")
    expected = [m for m in text_models if not any(word in m["id"].lower() for word in non_text_ids)]
    assert len(result.offers) == len(expected) > 400
    by_id = {offer.id: offer for offer in result.offers}
    raw = expected
    raw_variable = [m["id"] for m in raw if m["pricing"]["prompt"] == "-1"]
    assert raw_variable
    assert all(by_id[model_id].pricing.input is None for model_id in raw_variable)
    raw_priced = [m["id"] for m in raw if m["pricing"]["prompt"] not in ("-1", "0")]
    assert all(by_id[model_id].pricing.input is not None for model_id in raw_priced)


@pytest.mark.slow
def test_zero_prices_are_kept_only_for_offers_marked_free(pinned):
    documents, results = pinned
    by_id = {offer.id: offer for offer in results["openrouter"].offers}
    raw = documents["openrouter"].document["data"]
    zero = [m for m in raw if m["pricing"]["prompt"] == "0" and m["pricing"]["completion"] == "0"]
    free = [m["id"] for m in zero if m["id"].endswith(":free") and m["id"] in by_id]
    unmarked = [m["id"] for m in zero if "free" not in (m["id"] + m["name"]).lower() and m["id"] in by_id]
    assert free and unmarked
    for model_id in free:
        assert by_id[model_id].pricing.input == 0 and by_id[model_id].pricing.output == 0
        assert by_id[model_id].notes == []
    for model_id in unmarked:  # e.g. routers and multimodal models: $0 per token is not their price
        assert by_id[model_id].pricing.input is None and by_id[model_id].pricing.output is None
        assert "treated as unknown" in by_id[model_id].notes[0]


@pytest.mark.slow
def test_real_litellm_file_keeps_chat_completion_responses(pinned):
    documents, results = pinned
    raw = json.loads((PINNED / documents["litellm"].file).read_text())
    kept = [
        key
        for key, value in raw.items()
        if isinstance(value, dict)
        and value.get("mode") in ("chat", "completion", "responses")
        and sources.generates_text({"id": key, "output_modalities": value.get("supported_output_modalities")})
    ]
    modes = Counter(value.get("mode") for value in raw.values() if isinstance(value, dict))
    assert len(kept) > modes["chat"] - 50  # only a few chat-mode entries are speech or image models
    assert len(results["litellm"].offers) == len(kept)
    assert results["litellm"].errors == []
    assert all(isinstance(o.pricing.input, Decimal | None) for o in results["litellm"].offers)


def test_real_models_dev_file_survives_impossible_dates(pinned):
    _, results = pinned
    assert results["models.dev"].errors == []
    haiku = {(o.provider, o.id): o for o in results["models.dev"].offers}[("azure", "claude-haiku-4-5")]
    assert haiku.knowledge_cutoff is None
    assert len(results["models.dev"].offers) > 4_000


def test_real_sources_as_of_dates_come_from_sources_md(pinned):
    documents, _ = pinned
    assert documents["openrouter"].as_of == date(2026, 8, 19)
    assert documents["models.dev"].as_of == date(2026, 6, 13)
    # the newest pinned file of each source: litellm 1.110.2, uploaded to PyPI on 2026-11-20
    assert documents["litellm"].as_of == date(2026, 11, 20)
    assert documents["litellm"].file == "litellm-1.110.2.json"


# ---------------------------------------------------------------- genai-prices cross-check


@pytest.mark.parametrize(
    ("clause", "text", "expected"),
    [
        ({"_type": "ClauseEquals", "equals": "GPT-4o"}, "gpt-4o", True),
        ({"_type": "ClauseStartsWith", "starts_with": "claude-2"}, "claude-2.1", True),
        ({"_type": "ClauseEndsWith", "ends_with": "-mini"}, "o3-mini", True),
        ({"_type": "ClauseContains", "contains": "claude-v2"}, "anthropic.claude-v2:1", True),
        ({"_type": "ClauseRegex", "regex": r"^gpt-4o(-\d{4})?$"}, "gpt-4o-mini", False),
        ({"_type": "ClauseRegex", "regex": r"^gpt-4o(-\d{4})?$"}, "gpt-4o-2024", True),
        (
            {
                "_type": "ClauseAnd",
                "and": [
                    {"_type": "ClauseStartsWith", "starts_with": "gpt"},
                    {"_type": "ClauseOr", "or": [{"_type": "ClauseContains", "contains": "5"}]},
                ],
            },
            "gpt-5",
            True,
        ),
        ({"_type": "ClauseUnknown"}, "gpt-5", False),
    ],
)
def test_genai_clause_matching(clause, text, expected):
    assert clause_matches(clause, text) is expected


def test_genai_price_in_force_on_the_offer_date():
    prices = [
        {"_type": "ConditionalPrice", "prices": {"input_mtok": "1"}},
        {"constraint": {"start_date": "2026-10-19"}, "prices": {"input_mtok": "2"}},
    ]
    assert price_on(prices, date(2026, 10, 18)) == {"input_mtok": "1"}
    assert price_on(prices, date(2026, 10, 19)) == {"input_mtok": "2"}


def test_genai_differences_become_disagreements_never_values():
    offer = sources.parse_litellm(_excerpt("litellm-excerpt.json"), date(2026, 11, 1)).offers
    sonnet = next(o for o in offer if o.id == "claude-sonnet-4-5")
    document = [
        {
            "id": "anthropic",
            "models": [
                {
                    "match": {"_type": "ClauseStartsWith", "starts_with": "claude-sonnet-4-5"},
                    "prices": {"input_mtok": "3", "output_mtok": {"base": "16", "tiers": []}},
                }
            ],
        }
    ]
    [checked], count = PriceCrossCheck(document).apply([sonnet])
    assert count == 1
    assert checked.pricing.output == Decimal("0.000015")  # the catalog's value stays
    assert [(d.field, d.value, d.source) for d in checked.disagreements] == [
        ("pricing.output", "0.000016", "genai-prices")
    ]


def test_genai_real_file_cross_checks_bedrock_prices(pinned):
    crosscheck = read_crosscheck(PINNED)
    assert crosscheck is not None and crosscheck.as_of == date(2026, 11, 19)
    assert crosscheck.file == "genai-prices-0.2.5.json"
    _, results = pinned
    bedrock = [o for o in results["litellm"].offers if o.id == "anthropic.claude-opus-4-7"]
    # LiteLLM's record (2026-11-20) is fresher than genai-prices (2026-11-19): its $5 per million stays
    [checked], count = PriceCrossCheck(crosscheck.document, crosscheck.as_of).apply(bedrock)
    assert count == 1
    assert checked.pricing.input == Decimal("0.000005") and checked.price_source is None
    assert ("pricing.input", "0.0000055", "genai-prices") in {
        (d.field, d.value, d.source) for d in checked.disagreements
    }


# ---------------------------------------------------------------- properties


@given(
    st.decimals(
        min_value=Decimal(0), max_value=Decimal(1000), allow_nan=False, allow_infinity=False, places=9
    )
)
def test_clean_money_is_exact_for_prices_within_12_digits(value):
    cleaned = sources.clean_money(value)
    assert cleaned == value  # nothing within 12 significant digits is lost
    per_token = sources.clean_money(value, scale=Decimal(1_000_000))
    assert per_token * Decimal(1_000_000) == value  # per million -> per token -> per million, exactly
    assert isinstance(cleaned, Decimal) and isinstance(per_token, Decimal)


@pytest.mark.parametrize(
    ("key", "name", "creator"),
    [
        ("us.anthropic.claude-opus-5-5", "Claude Opus 5.5", "Anthropic"),
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", "Claude 3.5 Sonnet 20240620", "Anthropic"),
        ("databricks/databricks-gpt-5-6-luna", "Databricks GPT 5.6 Luna", "OpenAI"),
        ("anthropic.claude-v2:1", "Anthropic Claude", "Anthropic"),
        ("anyscale/codellama/CodeLlama-34b-Instruct-hf", "Codellama 34b Instruct", "Meta"),
    ],
)
def test_derived_names_and_creators(key, name, creator):
    found = naming.creator_for(key)
    assert (naming.derive_display_name(key, found), found) == (name, creator)


def test_zero_tier_and_batch_prices_of_an_unmarked_offer_become_unknown():
    from planner.catalog.sources import unknown_if_zero_and_not_free

    record = {
        "id": "gemini/gemma-3-27b-it",
        "name": "Gemma 3 27B",
        "pricing": {
            "input": Decimal(0),
            "output": Decimal(0),
            "batch_input": Decimal(0),
            "tiers": [{"above_tokens": 128000, "input": Decimal(0), "output": Decimal(0)}],
        },
    }
    unknown_if_zero_and_not_free(record, "litellm")
    assert record["pricing"]["input"] is None and record["pricing"]["batch_input"] is None
    assert record["pricing"]["tiers"][0]["input"] is None and record["pricing"]["tiers"][0]["output"] is None
    assert record["notes"] and record["notes"][0].startswith("litellm lists $0")

    free = {"id": "x/model:free", "pricing": {"input": Decimal(0), "output": Decimal(0)}}
    unknown_if_zero_and_not_free(free, "openrouter")
    assert free["pricing"]["input"] == 0 and "notes" not in free


@pytest.mark.parametrize(
    ("model_id", "outputs", "expected"),
    [
        ("nousresearch/hermes-4-405b", ["text"], True),
        ("openai/gpt-4o", [], True),  # no modalities listed: kept
        ("baai/bge-m3", ["embeddings"], False),
        ("workers-ai/@cf/baai/bge-m3", ["text"], False),  # an embedding model a source lists as text
        ("cohere/rerank-v3.5", ["rerank"], False),
        ("google/veo-3.1", ["video"], False),
        ("gemini/gemini-2.5-pro-preview-tts", ["audio"], False),
        ("text-embedding-3-large", ["text"], False),
    ],
)
def test_only_text_generating_models_are_kept(model_id, outputs, expected):
    assert sources.generates_text({"id": model_id, "output_modalities": outputs}) is expected


# ---------------------------------------------------------------- the maker's input limit


def _offer(provider: str, model_id: str, window: int, max_input: int | None, **more):
    from planner.catalog.schema import ModelOffer

    return ModelOffer(
        id=model_id,
        name=model_id,
        provider=provider,
        creator="OpenAI",
        context_window=window,
        context_window_kind="total",
        max_input_tokens=max_input,
        source="models.dev",
        as_of=date(2026, 11, 1),
        **more,
    )


def test_a_reseller_without_an_input_limit_takes_the_makers_own():
    merged = sources.merge_offers(
        [
            sources.ParseResult(
                offers=[
                    _offer("openai", "gpt-5-nano", 400_000, 272_000),
                    _offer("openrouter", "openai/gpt-5-nano", 400_000, None),
                    _offer("openrouter", "openai/gpt-5-nano:batch", 400_000, None),
                    _offer("digitalocean", "openai-gpt-5-nano", 400_000, None),
                    _offer("otherhost", "gpt-5-nano", 500_000, None),  # another window: not the same offer
                    _offer("gateway", "gpt-5-nano", 400_000, 300_000),  # its own limit stays
                ]
            )
        ]
    )
    limits = {(o.provider, o.id): o.max_input_tokens for o in merged}
    assert limits == {
        ("openai", "gpt-5-nano"): 272_000,
        ("openrouter", "openai/gpt-5-nano"): 272_000,
        ("openrouter", "openai/gpt-5-nano:batch"): 272_000,
        ("digitalocean", "openai-gpt-5-nano"): 272_000,
        ("otherhost", "gpt-5-nano"): None,
        ("gateway", "gpt-5-nano"): 300_000,
    }
    openrouter = next(o for o in merged if o.id == "openai/gpt-5-nano")
    assert openrouter.notes == [
        "input limit 272,000 from the maker's own offer (openai gpt-5-nano): this host lists none for the "
        "same model and 400,000-token window"
    ]


def test_open_weights_hosts_keep_their_own_limits():
    # a model with published weights (a Hugging Face id on any offer of it) runs on each host's deployment
    merged = sources.merge_offers(
        [
            sources.ParseResult(
                offers=[
                    _offer("openai", "gpt-oss-120b", 131_072, 100_000),
                    _offer("somehost", "gpt-oss-120b", 131_072, None, hf_id="openai/gpt-oss-120b"),
                    _offer("otherhost", "openai/gpt-oss-120b", 131_072, None),
                ]
            )
        ]
    )
    assert {(o.provider, o.max_input_tokens) for o in merged} == {
        ("openai", 100_000),
        ("somehost", None),
        ("otherhost", None),
    }


def test_the_shipped_catalog_caps_openrouters_gpt_5_nano_as_openai_does():
    from planner.catalog import load_catalog

    offers = {(o.provider, o.id): o for o in load_catalog().offers}
    assert offers[("openai", "gpt-5-nano")].max_input_tokens == 272_000  # LiteLLM's record of OpenAI's API
    for key in (("openrouter", "openai/gpt-5-nano"), ("openrouter", "openai/gpt-5-nano:batch")):
        assert offers[key].max_input_tokens == 272_000, key
