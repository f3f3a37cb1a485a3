"""How many tokens an image costs, by each vendor's published rule (pure arithmetic on width and height).

Each rule is keyed by a name; the rule a model uses comes from its tokenizer family (the ``image_rule`` of
its entry in ``planner.tokens.families``) and, for OpenAI, from the vendor's per-model table
(``openai_rule``). Sources, next to each rule:

- ``openai_tiles`` (GPT-4o, 4.1, 4.5, 5, o1, o3, 4o-mini, computer-use): high detail = scale to fit in
  2048 x 2048, then the shortest side to 768 px, then ``tile`` tokens per 512-px tile + ``base``; low detail =
  ``base``. Base / tile: 85 / 170 (gpt-4o, gpt-4.1, gpt-4.5, gpt-5), 2833 / 5667 (gpt-4o-mini),
  75 / 150 (o1, o1-pro, o3), 65 / 129 (computer-use-preview). Source: OpenAI, "Images and vision",
  Calculating costs, https://platform.openai.com/docs/guides/images-vision#calculating-costs (worked example:
  1024 x 1024 at high detail = 4 tiles = 765 tokens).
- ``openai_patches`` (gpt-4.1-mini / nano, gpt-5-mini / nano, o4-mini): 32-px patches covering the image,
  at most 1536 (larger images are shrunk to fit), times a multiplier: 1.62 (gpt-4.1-mini, gpt-5-mini),
  2.46 (gpt-4.1-nano, gpt-5-nano), 1.72 (o4-mini). Same source.
- ``anthropic`` (Claude): tokens = width x height / 750, after scaling down (aspect kept) to a long edge of
  at most 1568 px and at most ~1,600 tokens (1.2 megapixels). Source: Anthropic, "Vision", Evaluate image
  size / Calculate image costs, https://docs.anthropic.com/en/docs/build-with-claude/vision. The rule is
  approximate by the vendor's own word ("about").
- ``gemini``: 258 tokens when both sides are at most 384 px; larger images are cut into 768 x 768 tiles of
  258 tokens each. Source: Google, "Understand and count tokens", multimodal tokens,
  https://ai.google.dev/gemini-api/docs/tokens.
- ``llama4`` (Llama 4 Scout / Maverick): the image is fitted on a canvas of up to 16 tiles of 336 px (the
  canvas that needs the least downscaling, smallest area on a tie); each tile is 144 patch tokens (24 x 24
  patches of 14 px, pixel shuffle 0.5); with more than one tile a global tile is added, plus separator and
  image start / end tokens. Source: Meta's reference code, llama_models/llama4/chat_format.py
  (``_encode_image``) and llama4/preprocess.py (``VariableSizeImageTransform``), with the vision_config of
  meta-llama/Llama-4-Scout-17B-16E-Instruct (image_size 336, patch_size 14, pixel_shuffle_ratio 0.5).
- ``llama3_vision`` (Llama 3.2 Vision): 560-px tiles, at most 2 x 2, 1,601 tokens per tile, as billed by
  Together AI, https://docs.together.ai/docs/vision-overview (Pricing).
- ``qwen_vl`` (Qwen2 / 2.5-VL): the image is resized to multiples of 28 px between 3,136 and 12,845,056
  pixels (``smart_resize``); one token per 28 x 28 block, plus ``<|vision_start|>`` / ``<|vision_end|>``.
  Source: the Qwen2.5-VL model card (huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct, "a patch of 28 x 28 pixels
  is a token") and qwen-vl-utils ``smart_resize``.
- ``pixtral`` (Mistral vision models): scaled down to fit 1024 x 1024, 16-px patches, one ``[IMG]`` token
  per patch plus one ``[IMG_BREAK]`` per row (the last one ``[IMG_END]``). Source: Mistral, "Vision",
  https://docs.mistral.ai/capabilities/vision/ and mistral_common's ``ImageEncoder`` (Pixtral 12B values).
- ``envelope`` (families with no published rule: Grok, Cohere, DeepSeek, unknown): an estimate, the median of
  the published rules above for the same image, with their lowest and highest as the band.
"""

from __future__ import annotations

import math
import re
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict

from planner.tokens.families import FAMILIES

Detail = Literal["high", "low", "auto"]
RuleName = Literal[
    "openai_tiles",
    "openai_patches",
    "anthropic",
    "gemini",
    "llama4",
    "llama3_vision",
    "qwen_vl",
    "pixtral",
    "envelope",
]

SOURCES: dict[str, str] = {
    "openai_tiles": "https://platform.openai.com/docs/guides/images-vision#calculating-costs",
    "openai_patches": "https://platform.openai.com/docs/guides/images-vision#calculating-costs",
    "anthropic": "https://docs.anthropic.com/en/docs/build-with-claude/vision",
    "gemini": "https://ai.google.dev/gemini-api/docs/tokens",
    "llama4": "Meta llama_models/llama4/chat_format.py",
    "llama3_vision": "https://docs.together.ai/docs/vision-overview",
    "qwen_vl": "https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct",
    "pixtral": "https://docs.mistral.ai/capabilities/vision/",
    "envelope": "estimate: median of the published rules, band from their lowest to highest",
}


class ImageRule(BaseModel):
    """A rule and its parameters: OpenAI's base / tile tokens or patch multiplier; unused elsewhere."""

    model_config = ConfigDict(frozen=True)

    name: RuleName
    base: int = 85
    tile: int = 170
    multiplier: float = 1.0
    label: str = ""  # which row of the vendor's table, e.g. "gpt-4o-mini: 2833 + 5667 per tile"


class ImageTokens(BaseModel):
    """Tokens of one image under one rule; ``method`` is ``exact`` for a published formula applied as
    written, ``estimate`` for an approximate rule or the envelope (then low..high is the band)."""

    model_config = ConfigDict(frozen=True)

    tokens: int
    tokens_low: int
    tokens_high: int
    method: Literal["exact", "estimate"]
    rule: RuleName
    basis: str  # the rule in words and its source


# OpenAI's per-model table: (id pattern, rule). First match wins; anything else takes 85 / 170 tiles.
_OPENAI_MODELS: list[tuple[str, ImageRule]] = [
    (r"gpt-4o-mini", ImageRule(name="openai_tiles", base=2833, tile=5667, label="gpt-4o-mini")),
    (r"gpt-4\.1-mini|gpt-5-mini", ImageRule(name="openai_patches", multiplier=1.62, label="x 1.62")),
    (r"gpt-4\.1-nano|gpt-5-nano", ImageRule(name="openai_patches", multiplier=2.46, label="x 2.46")),
    (r"o4-mini", ImageRule(name="openai_patches", multiplier=1.72, label="o4-mini x 1.72")),
    (r"(^|[/:.])(o1|o3)(-pro)?(-\d|:|$)", ImageRule(name="openai_tiles", base=75, tile=150, label="o1 / o3")),
    (r"computer-use", ImageRule(name="openai_tiles", base=65, tile=129, label="computer-use-preview")),
]
_OPENAI_COMPILED = [(re.compile(pattern), rule) for pattern, rule in _OPENAI_MODELS]
_OPENAI_DEFAULT = ImageRule(name="openai_tiles", label="gpt-4o / 4.1 / 4.5 / 5")


def openai_rule(model_id: str) -> ImageRule:
    lowered = model_id.lower()
    for pattern, rule in _OPENAI_COMPILED:
        if pattern.search(lowered):
            return rule
    return _OPENAI_DEFAULT


def rule_for(family: str, model_id: str = "") -> ImageRule:
    """The image rule of a model: its family's rule (OpenAI: the row of the vendor's table for its id)."""
    entry = FAMILIES.get(family)
    name = cast(RuleName, entry.image_rule if entry else "envelope")
    if name == "openai_tiles":
        return openai_rule(model_id)
    return ImageRule(name=name)


def image_tokens(width: int, height: int, rule: ImageRule, detail: Detail = "auto") -> ImageTokens:
    """Tokens of a ``width`` x ``height`` image under ``rule``; ``auto`` detail counts as high (the most
    the vendor may charge)."""
    if width <= 0 or height <= 0:
        raise ValueError(f"an image has positive sides, got {width} x {height}")
    if rule.name == "envelope":
        return _envelope(width, height)
    tokens, how = _RULES[rule.name](width, height, rule, detail)
    return _published(rule, tokens, how)


def size_free_tokens(rule: ImageRule, detail: Detail = "auto") -> ImageTokens | None:
    """Tokens of an image whose size is not known (a remote URL, never fetched) when ``rule`` gives every
    image the same count whatever its size; None when the size decides (every other case).

    Of the rules above only OpenAI's tiles have such a case: low detail is ``base`` tokens for any image
    (the model gets a 512 x 512 version). The patch rule has no low-detail count, Gemini's 258 holds only up
    to 384 x 384 px, every other rule scales with the size, and the envelope is a median of such rules.
    """
    fixed = _fixed_tokens(rule, detail)
    if fixed is None:
        return None
    tokens, how = fixed
    return _published(rule, tokens, f"{how}, whatever the image's size")


def _published(rule: ImageRule, tokens: int, how: str) -> ImageTokens:
    method: Literal["exact", "estimate"] = "estimate" if rule.name == "anthropic" else "exact"
    label = f" ({rule.label})" if rule.label else ""
    return ImageTokens(
        tokens=tokens,
        tokens_low=tokens,
        tokens_high=tokens,
        method=method,
        rule=rule.name,
        basis=f"{rule.name}{label}: {how}; {SOURCES[rule.name]}",
    )


def _fixed_tokens(rule: ImageRule, detail: Detail) -> tuple[int, str] | None:
    """(tokens, rule in words) of a count that does not depend on the image's size, else None."""
    if rule.name == "openai_tiles" and detail == "low":
        return rule.base, f"low detail = {rule.base}"
    return None


GEMINI_PAGE_TOKENS = 258
GEMINI_PAGE_SOURCE = "https://ai.google.dev/gemini-api/docs/document-processing"


def page_tokens(width: int, height: int, rule: ImageRule, detail: Detail = "auto") -> ImageTokens:
    """A PDF page sent as an image: Gemini counts 258 tokens per page ("each document page is equivalent to
    258 tokens", Google, Document understanding, ``GEMINI_PAGE_SOURCE``); the other vendors send an image of
    each page (Anthropic: "converts each page of the document into an image", PDF support; OpenAI: "an image
    of each page", File inputs), counted by their image rule at the page's size."""
    if rule.name == "gemini":
        basis = f"gemini: {GEMINI_PAGE_TOKENS} per PDF page; {GEMINI_PAGE_SOURCE}"
        return ImageTokens(
            tokens=GEMINI_PAGE_TOKENS,
            tokens_low=GEMINI_PAGE_TOKENS,
            tokens_high=GEMINI_PAGE_TOKENS,
            method="exact",
            rule="gemini",
            basis=basis,
        )
    return image_tokens(width, height, rule, detail)


def _scale_to_fit(width: int, height: int, box_w: int, box_h: int) -> tuple[int, int]:
    scale = min(box_w / width, box_h / height)
    if scale >= 1:
        return width, height
    return max(1, int(width * scale)), max(1, int(height * scale))


def _openai_tiles(width: int, height: int, rule: ImageRule, detail: Detail) -> tuple[int, str]:
    fixed = _fixed_tokens(rule, detail)
    if fixed is not None:
        return fixed
    w, h = _scale_to_fit(width, height, 2048, 2048)
    shortest = min(w, h)
    if shortest > 768:
        w, h = int(w * 768 / shortest), int(h * 768 / shortest)
    tiles = math.ceil(w / 512) * math.ceil(h / 512)
    tokens = rule.base + rule.tile * tiles
    return tokens, f"{w}x{h} -> {tiles} tiles x {rule.tile} + {rule.base}"


def _openai_patches(width: int, height: int, rule: ImageRule, detail: Detail) -> tuple[int, str]:
    cap = 1536
    patches = math.ceil(width / 32) * math.ceil(height / 32)
    w, h = float(width), float(height)
    if patches > cap:
        shrink = math.sqrt(cap * 32 * 32 / (width * height))
        w, h = width * shrink, height * shrink
        # then shrink again so that the width is a whole number of patches
        fit = math.floor(w / 32) / (w / 32)
        w, h = int(w * fit), int(h * fit)
        patches = min(cap, math.ceil(w / 32) * math.ceil(h / 32))
    tokens = math.ceil(patches * rule.multiplier)
    return tokens, f"{int(w)}x{int(h)} -> {patches} patches of 32 px x {rule.multiplier}"


def _anthropic(width: int, height: int, rule: ImageRule, detail: Detail) -> tuple[int, str]:
    max_edge, max_pixels = 1568, 1600 * 750
    scale = min(1.0, max_edge / max(width, height), math.sqrt(max_pixels / (width * height)))
    w, h = (width, height) if scale >= 1 else (max(1, int(width * scale)), max(1, int(height * scale)))
    tokens = math.ceil(w * h / 750)  # the vendor's table rounds up: 200 x 200 -> ~54, 1000 x 1000 -> ~1334
    return tokens, f"{w}x{h} px / 750 (about)"


def _gemini(width: int, height: int, rule: ImageRule, detail: Detail) -> tuple[int, str]:
    if width <= 384 and height <= 384:
        return 258, "both sides <= 384 px: 258"
    tiles = math.ceil(width / 768) * math.ceil(height / 768)
    return 258 * tiles, f"{tiles} tiles of 768 px x 258"


def _llama4_canvas(width: int, height: int, tile: int = 336, max_chunks: int = 16) -> tuple[int, int]:
    """(tiles across, tiles down) of the canvas Meta's VariableSizeImageTransform picks."""
    canvases = [(a, n // a) for n in range(max_chunks, 0, -1) for a in range(1, n + 1) if n % a == 0]
    scales = [min(a * tile / width, d * tile / height) for a, d in canvases]
    up = [scale for scale in scales if scale >= 1]
    chosen = min(up) if up else max(scales)
    options = [canvas for canvas, scale in zip(canvases, scales, strict=True) if scale == chosen]
    return min(options, key=lambda canvas: canvas[0] * canvas[1])


def _llama4(width: int, height: int, rule: ImageRule, detail: Detail) -> tuple[int, str]:
    per_tile = (336 // 14) ** 2 // 4  # 24 x 24 patches, pixel shuffle 0.5: 144
    across, down = _llama4_canvas(width, height)
    if across * down == 1:
        return per_tile + 3, f"1 tile x {per_tile} + 3 markers"
    separators = down * (across - 1) + down
    tokens = across * down * per_tile + separators + per_tile + 3
    return tokens, f"{across}x{down} tiles x {per_tile} + global tile + {separators} separators + 3 markers"


def _llama3_vision(width: int, height: int, rule: ImageRule, detail: Detail) -> tuple[int, str]:
    tiles = min(2, math.ceil(width / 560)) * min(2, math.ceil(height / 560))
    return 1601 * tiles, f"{tiles} tiles of 560 px (at most 2 x 2) x 1601"


def _qwen_vl(width: int, height: int, rule: ImageRule, detail: Detail) -> tuple[int, str]:
    factor, min_pixels, max_pixels = 28, 56 * 56, 16384 * 28 * 28
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if h * w > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h = math.floor(height / beta / factor) * factor
        w = math.floor(width / beta / factor) * factor
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h = math.ceil(height * beta / factor) * factor
        w = math.ceil(width * beta / factor) * factor
    blocks = (h // factor) * (w // factor)
    return blocks + 2, f"{w}x{h} -> {blocks} blocks of 28 px + 2 markers"


def _pixtral(width: int, height: int, rule: ImageRule, detail: Detail) -> tuple[int, str]:
    ratio = max(width / 1024, height / 1024)
    w, h = (width, height) if ratio <= 1 else (math.floor(width / ratio), math.floor(height / ratio))
    across, rows = math.ceil(w / 16), math.ceil(h / 16)
    return rows * (across + 1), f"{w}x{h} -> {rows} rows x ({across} patches of 16 px + 1 break)"


_RULES = {
    "openai_tiles": _openai_tiles,
    "openai_patches": _openai_patches,
    "anthropic": _anthropic,
    "gemini": _gemini,
    "llama4": _llama4,
    "llama3_vision": _llama3_vision,
    "qwen_vl": _qwen_vl,
    "pixtral": _pixtral,
}
_ENVELOPE_RULES: tuple[RuleName, ...] = (
    "openai_tiles",
    "anthropic",
    "gemini",
    "llama4",
    "qwen_vl",
    "pixtral",
)


def _envelope(width: int, height: int) -> ImageTokens:
    counts = sorted(_RULES[name](width, height, ImageRule(name=name), "high")[0] for name in _ENVELOPE_RULES)
    import statistics  # here, not at import: only an unknown model's image needs it (start-up)

    middle = round(statistics.median(counts))
    return ImageTokens(
        tokens=middle,
        tokens_low=counts[0],
        tokens_high=counts[-1],
        method="estimate",
        rule="envelope",
        basis=f"envelope: no published rule; median of {', '.join(_ENVELOPE_RULES)} for {width}x{height}",
    )


def accepts_images(vision: bool | None, input_modalities: list[str] | None = None) -> bool | None:
    """Whether a catalog offer takes images: its ``vision`` capability, else its input modalities; None when
    the catalog does not say."""
    if vision is not None:
        return vision
    if input_modalities:
        return "image" in input_modalities
    return None
