"""Which tokenizer family counts a model's tokens, from its id, Hugging Face id and catalog tokenizer label.

Unknown models get the ``unknown`` family (an estimate with a wide band), never an error. The rules were
checked against every id in the catalog snapshots (tests/test_model_families.py); a fine-tune counts with
its base model's tokenizer (Hermes 4 405B / 70B and DeepSeek's Llama distills are Llama 3.x, Hermes 4 14B
is Qwen 3).
"""

from __future__ import annotations

import re

# Claude Opus 4.7 and everything after it use a new tokenizer ("claude_4_7"): 4.7+ of a named line, or any
# line at version 5 or later, written "opus-4-7", "opus-4.7", "opus4-7" or "4.7-opus" (a date is no version:
# "opus-4-20250514" is Opus 4).
_CLAUDE_NEW = (
    r"(opus|sonnet|haiku)-?4[-.][7-9](?!\d)|claude-4[-.][7-9](?!\d)|claude-[a-z]+-?[5-9](?!\d)|claude-[5-9]\b"
)

# Ordered: the first pattern that matches the model id (or Hugging Face id) wins.
_ID_RULES: list[tuple[str, str]] = [
    (r"hermes-4-14b", "qwen"),  # Hermes 4 14B is Qwen 3 based
    (r"hermes-4-(405|70)b|(^|/)hermes-?3\b|hermes-3-llama", "llama3"),  # Llama 3.1 based
    (r"distill-llama|(^|/)l3(\.\d)?-|cogito-v1-preview-llama|llama-guard-[23]\b", "llama3"),
    (r"distill-qwen|-qwen(\d|-|$)", "qwen"),
    (r"llama-?4|llama4|llama-guard-4|maverick|scout", "llama4"),
    (r"llama-?v?3|llama3|meta-llama-3", "llama3"),
    (r"gemma", "gemini"),  # before Claude: "Gemma-4-31B-Claude-4.6-Opus-Distilled" is a Gemma model
    (_CLAUDE_NEW, "claude_4_7"),
    (r"claude", "claude"),
    (
        r"gpt-oss|gpt-4o|gpt-4-o\b|gpt-4\.1|gpt-41|gpt-4\.5|gpt-5|chatgpt-4o|(^|[/:.])o[1-9](-|:|$)|codex-mini"
        r"|(^|/)computer-use|gpt-(image|audio|realtime|transcribe)|chatgpt-image|gpt-(chat-|mini-)?latest",
        "o200k_base",
    ),
    (r"gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada|davinci-002|babbage-002", "cl100k_base"),
    (r"whisper", "unknown"),  # a GPT-2 style multilingual vocabulary, whatever the catalog's label says
    (r"gemini|learnlm", "gemini"),
    (r"grok", "grok"),
    (r"(^|/)(command|c4ai)|cohere|(^|[/-])aya\b", "cohere"),
    (r"qwen|qwq", "qwen"),
    (r"deepseek", "deepseek"),
    (r"mistral|mixtral|codestral|ministral|magistral|devstral|pixtral|voxtral|rocinante|cydonia", "mistral"),
]

# Tokenizer labels published by catalogs (OpenRouter's `architecture.tokenizer`, models.dev family names such
# as "claude-opus" or "gemini-flash": failing the whole label, its part before the first "-").
_CATALOG_LABELS: dict[str, str] = {
    "llama3": "llama3",
    "llama4": "llama4",
    "gpt": "o200k_base",
    "gpt-oss": "o200k_base",
    "claude": "claude",
    "gemini": "gemini",
    "gemma": "gemini",
    "grok": "grok",
    "cohere": "cohere",
    "qwen": "qwen",
    "qwen3": "qwen",
    "deepseek": "deepseek",
    "mistral": "mistral",
    "devstral": "mistral",
    "ministral": "mistral",
    "magistral": "mistral",
    "codestral": "mistral",
}

_COMPILED = [(re.compile(pattern), family) for pattern, family in _ID_RULES]
_CLAUDE_NEW_VERSION = re.compile(r"(opus|sonnet|haiku|fable|mythos)-?(4[-.][7-9]|[5-9])(?!\d)")


def tokenizer_for_model(model_id: str, hf_id: str | None = None, catalog_tokenizer: str | None = None) -> str:
    """The tokenizer family for a model; ``unknown`` when nothing identifies it."""
    for candidate in (model_id, hf_id):
        if not candidate:
            continue
        lowered = candidate.lower()
        for pattern, family in _COMPILED:
            if pattern.search(lowered):
                return family
    if catalog_tokenizer:
        family = _family_of_label(catalog_tokenizer)
        if family == "claude" and _CLAUDE_NEW_VERSION.search(model_id.lower()):
            return "claude_4_7"  # e.g. GitLab's "duo-chat-opus-4-7", labelled "claude-opus"
        return family
    return "unknown"


def _family_of_label(label: str) -> str:
    lowered = label.strip().lower()
    return _CATALOG_LABELS.get(lowered) or _CATALOG_LABELS.get(lowered.split("-")[0], "unknown")
