"""Names, creators and host slugs shared by the source parsers.

Rules (written down because no source states them):

- **Host (``provider``)**: the company that serves and bills the offer. models.dev's provider ids are the
  canonical spelling; LiteLLM's ``litellm_provider`` values are mapped onto them with ``HOST_ALIASES`` (e.g.
  ``bedrock`` and ``bedrock_converse`` -> ``amazon-bedrock``, ``gemini`` -> ``google``); unmapped LiteLLM
  hosts keep their own name with ``_`` turned into ``-``.
- **Creator**: from the model id's organisation segment (``nousresearch/...`` -> "Nous Research",
  ``amazon.titan-...`` -> "Amazon") through ``CREATOR_ORGS``; else from a family pattern in the id (``claude``
  -> "Anthropic", ``gpt`` -> "OpenAI", ...); else from OpenRouter's "Creator: Model" name prefix; else
  unknown.
- **Derived display names** (only for LiteLLM keys that no named source describes): the last path segment of
  the key, without a vendor prefix (``amazon.``, ``anthropic.``, ``us.``), without a trailing version tag
  (``-v1``, ``-v2:1``, ``:0``) or ``-hf``; words split on ``-``/``_`` and capitalised (known acronyms upper
  case); single digits in a row are one version ("claude-3-5-sonnet" -> "Claude 3.5 Sonnet"). A one-word
  result is prefixed with the creator ("claude-v2:1" -> "Anthropic Claude").
"""

from __future__ import annotations

import re

HOST_ALIASES: dict[str, str] = {
    "bedrock": "amazon-bedrock",
    "bedrock_converse": "amazon-bedrock",
    "gemini": "google",
    "vertex_ai": "google-vertex",
    "vertex_ai-language-models": "google-vertex",
    "vertex_ai-anthropic_models": "google-vertex-anthropic",
    "vertex_ai-mistral_models": "google-vertex",
    "vertex_ai-llama_models": "google-vertex",
    "vertex_ai-ai21_models": "google-vertex",
    "vertex_ai-deepseek_models": "google-vertex",
    "vertex_ai-qwen_models": "google-vertex",
    "vertex_ai-zai_models": "google-vertex",
    "vertex_ai-openai_models": "google-vertex",
    "vertex_ai-minimax_models": "google-vertex",
    "vertex_ai-moonshot_models": "google-vertex",
    "vertex_ai-text-models": "google-vertex",
    "together_ai": "togetherai",
    "fireworks_ai": "fireworks-ai",
    "novita": "novita-ai",
    "vercel_ai_gateway": "vercel",
    "github_copilot": "github-copilot",
    "cohere_chat": "cohere",
    "moonshot": "moonshotai",
    "dashscope": "alibaba",
    "snowflake": "snowflake-cortex",
    "friendliai": "friendli",
    "opencode_go": "opencode-go",
    "meta_llama": "llama",
    "gmi": "gmicloud",
    "cloudflare": "cloudflare-workers-ai",
    "text-completion-openai": "openai",
    "azure_text": "azure",
    "codestral": "mistral",
    "text-completion-codestral": "mistral",
    "text-completion-inception": "inception",
    "xiaomi_mimo": "xiaomi",
    "amazon_nova": "nova",
}

# Hosts that are also the model's maker: their offer is the canonical one for a bare model id.
FIRST_PARTY_HOSTS: tuple[str, ...] = (
    "openai",
    "anthropic",
    "google",
    "mistral",
    "xai",
    "deepseek",
    "cohere",
    "moonshotai",
    "zai",
    "alibaba",
    "minimax",
)

# The host that is the model's maker, by creator name: its offer is the canonical one for that maker's models.
MAKER_HOSTS: dict[str, str] = {
    "OpenAI": "openai",
    "Anthropic": "anthropic",
    "Google": "google",
    "Mistral AI": "mistral",
    "xAI": "xai",
    "DeepSeek": "deepseek",
    "Cohere": "cohere",
    "Moonshot AI": "moonshotai",
    "Z.ai": "zai",
    "Qwen": "alibaba",
    "MiniMax": "minimax",
}


def on_maker_host(creator: str | None, provider: str) -> bool:
    """Whether an offer is served by its maker's own host (``MAKER_HOSTS``: OpenAI's model on openai)."""
    return MAKER_HOSTS.get(creator or "") == provider


CREATOR_ORGS: dict[str, str] = {
    "nousresearch": "Nous Research",
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "google": "Google",
    "meta-llama": "Meta",
    "meta": "Meta",
    "codellama": "Meta",
    "mistralai": "Mistral AI",
    "mistral": "Mistral AI",
    "x-ai": "xAI",
    "xai": "xAI",
    "deepseek": "DeepSeek",
    "deepseek-ai": "DeepSeek",
    "qwen": "Qwen",
    "cohere": "Cohere",
    "amazon": "Amazon",
    "microsoft": "Microsoft",
    "moonshotai": "Moonshot AI",
    "z-ai": "Z.ai",
    "zai-org": "Z.ai",
    "minimax": "MiniMax",
    "ai21": "AI21 Labs",
    "nvidia": "NVIDIA",
    "ibm-granite": "IBM",
    "perplexity": "Perplexity",
    "baidu": "Baidu",
    "tencent": "Tencent",
    "inception": "Inception",
    "liquid": "Liquid AI",
    "thudm": "Zhipu AI",
    "allenai": "Allen Institute for AI",
    "arcee-ai": "Arcee AI",
    "writer": "Writer",
    "stepfun-ai": "StepFun",
    "bytedance": "ByteDance",
    "xiaomi": "Xiaomi",
}

_CREATOR_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), creator)
    for pattern, creator in [
        (r"hermes", "Nous Research"),
        (r"claude", "Anthropic"),
        (r"(^|[/.-])(gpt|chatgpt|o[1-9](-|$)|davinci|babbage|text-embedding|codex)", "OpenAI"),
        (r"gemini|gemma|palm|bison", "Google"),
        (r"llama", "Meta"),
        (r"mistral|mixtral|codestral|ministral|magistral|devstral|pixtral", "Mistral AI"),
        (r"grok", "xAI"),
        (r"deepseek", "DeepSeek"),
        (r"qwen|qwq", "Qwen"),
        (r"command|cohere", "Cohere"),
        (r"titan|nova-", "Amazon"),
        (r"(^|[/.-])phi-", "Microsoft"),
        (r"kimi", "Moonshot AI"),
        (r"glm", "Z.ai"),
        (r"jamba|j2-", "AI21 Labs"),
    ]
]

_VENDOR_PREFIX = re.compile(
    r"^((us|eu|apac|global|jp|au|ca|us-gov)\.)?"
    r"(amazon|anthropic|meta|mistral|cohere|ai21|deepseek|qwen|openai|writer|twelvelabs|google|moonshot|"
    r"moonshotai|minimax|nvidia|zai)\."
)
_VERSION_SUFFIX = re.compile(r"(-v\d+(:\d+)?|:\d+|-hf)$", re.IGNORECASE)
_ACRONYMS = {"gpt": "GPT", "glm": "GLM", "ai": "AI", "llm": "LLM", "vl": "VL", "oss": "OSS"}


def host_for_litellm(litellm_provider: str) -> str:
    """The canonical host slug for a LiteLLM ``litellm_provider`` value."""
    return HOST_ALIASES.get(litellm_provider, litellm_provider.replace("_", "-"))


def creator_for(model_id: str, display_name: str | None = None) -> str | None:
    """Who made the model, from its id (organisation segment, then family pattern), else a name prefix."""
    lowered = model_id.lower()
    segments = re.split(r"[/.]", lowered)
    for segment in segments[:-1]:
        if segment in CREATOR_ORGS:
            return CREATOR_ORGS[segment]
    for pattern, creator in _CREATOR_PATTERNS:
        if pattern.search(lowered):
            return creator
    if display_name and ": " in display_name:
        return display_name.split(": ", 1)[0].strip() or None
    return None


def same_maker(given: str, creator: str | None) -> bool:
    """Whether a maker typed by a user names ``creator``: its name in any case, spacing or punctuation
    ("nous research", "NousResearch") or its organisation id ("nousresearch", "meta-llama")."""
    if creator is None:
        return False
    typed = given.strip().lower()
    return _maker_key(typed) == _maker_key(creator) or CREATOR_ORGS.get(typed) == creator


def _maker_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def derive_display_name(key: str, creator: str | None) -> str:
    """A readable name for a LiteLLM key that no named source describes (rules in the module docstring)."""
    base = key.rsplit("/", 1)[-1]
    base = _VENDOR_PREFIX.sub("", base)
    previous = None
    while previous != base:
        previous = base
        base = _VERSION_SUFFIX.sub("", base)
    words = _join_version_digits([word for word in re.split(r"[-_ ]+", base) if word])
    if not words:
        return key
    name = " ".join(_ACRONYMS.get(word.lower(), word.capitalize()) for word in words)
    if len(words) == 1 and creator and not name.lower().startswith(creator.lower()):
        return f"{creator} {name}"
    return name


def _join_version_digits(words: list[str]) -> list[str]:
    """["claude", "3", "5", "sonnet"] -> ["claude", "3.5", "sonnet"]: single digits in a row are a version."""
    joined: list[str] = []
    for word in words:
        if re.fullmatch(r"\d", word) and joined and re.fullmatch(r"\d(\.\d)*", joined[-1]):
            joined[-1] = f"{joined[-1]}.{word}"
        else:
            joined.append(word)
    return joined


def bare_model_id(model_id: str) -> str:
    """The id without host routing prefixes, lower case: the key used to match one model across hosts."""
    return _VENDOR_PREFIX.sub("", model_id.rsplit("/", 1)[-1].lower())


_VARIANT_SUFFIX = re.compile(r":[a-z][a-z0-9-]*$")  # ":free", ":thinking", ":beta", ":extended"
_WEIGHTS_SEPARATORS = re.compile(r"[._\s]+")


def weights_key(model_id: str) -> str:
    """One key for the same weights across hosts, from one id: ``bare_model_id`` (last segment, lower case,
    host routing prefix off), a host's variant suffix (":free", ":thinking") and version suffix ("-v1:0",
    "-hf") off, and ``.``/``_`` as ``-`` ("claude-sonnet-4.5" = "claude-sonnet-4-5"). Dated snapshots
    ("gpt-4o-2024-05-13") stay apart: they are different weights."""
    key = _VARIANT_SUFFIX.sub("", bare_model_id(model_id))
    previous = None
    while previous != key:
        previous = key
        key = _VERSION_SUFFIX.sub("", key)
    return _WEIGHTS_SEPARATORS.sub("-", key)


def weights_keys(
    model_id: str, aliases: list[str], hf_id: str | None, canonical_slug: str | None
) -> set[str]:
    """Every ``weights_key`` an offer answers to: its id, its other ids, its Hugging Face id and OpenRouter's
    canonical slug, and each of them without a maker's name glued on as a prefix (Snowflake's and
    DigitalOcean's "openai-gpt-5-nano" is OpenAI's "gpt-5-nano", see ``_unprefixed``). Two offers serve the
    same weights when these sets meet (``Catalog.same_weights``)."""
    ids = [model_id, *aliases, *(value for value in (hf_id, canonical_slug) if value)]
    keys = {weights_key(value) for value in ids}
    return keys | {rest for key in keys if (rest := _unprefixed(key))}


_GLUED_MAKER = re.compile(r"[a-z][a-z0-9.-]*\d[a-z0-9.-]*")


def _unprefixed(key: str) -> str | None:
    """A weights key without a leading "<maker>-" (a ``CREATOR_ORGS`` id) when what is left names a model:
    it starts with a letter and has a digit ("openai-gpt-5-nano" -> "gpt-5-nano"; "mistral-large" stays)."""
    for maker in CREATOR_ORGS:
        if key.startswith(f"{maker}-"):
            rest = key[len(maker) + 1 :]
            if _GLUED_MAKER.fullmatch(rest):
                return rest
    return None
