"""Which tokenizer family counts a model's tokens, from its id, Hugging Face id and catalog tokenizer label.

Unknown models get the ``unknown`` family (an estimate with a wide band), never an error.
"""

from __future__ import annotations

import re

# Ordered: the first pattern that matches the model id (or Hugging Face id) wins.
_ID_RULES: list[tuple[str, str]] = [
    (r"hermes-4-14b", "qwen"),  # Hermes 4 14B is Qwen 3 based
    (r"hermes-(4|3)(-llama-?3(\.\d)?)?-(405|70)b|hermes-3-llama|hermes-4-(405|70)b", "llama3"),
    (r"llama-?4|llama4|maverick|scout", "llama4"),
    (r"llama-?3|llama3|meta-llama-3", "llama3"),
    (r"claude.*(opus|sonnet|haiku)-4[-.]([7-9]|\d\d)|claude-(opus|sonnet|haiku)-([5-9])", "claude_4_7"),
    (r"claude", "claude"),
    (r"gpt-oss|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|chatgpt-4o|(^|/)o[1-9](-|$)|codex-mini|computer-use", "o200k_base"),
    (r"gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada|davinci-002|babbage-002", "cl100k_base"),
    (r"gemini|gemma|learnlm", "gemini"),
    (r"grok", "grok"),
    (r"command|cohere|aya", "cohere"),
    (r"qwen|qwq", "qwen"),
    (r"deepseek", "deepseek"),
    (r"mistral|mixtral|codestral|ministral|magistral|devstral|pixtral|voxtral", "mistral"),
]

# Tokenizer labels published by catalogs (OpenRouter's `architecture.tokenizer`, models.dev family names).
_CATALOG_LABELS: dict[str, str] = {
    "llama3": "llama3",
    "llama4": "llama4",
    "gpt": "o200k_base",
    "claude": "claude",
    "gemini": "gemini",
    "grok": "grok",
    "cohere": "cohere",
    "qwen": "qwen",
    "qwen3": "qwen",
    "deepseek": "deepseek",
    "mistral": "mistral",
}

_COMPILED = [(re.compile(pattern), family) for pattern, family in _ID_RULES]


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
        return _CATALOG_LABELS.get(catalog_tokenizer.strip().lower(), "unknown")
    return "unknown"
