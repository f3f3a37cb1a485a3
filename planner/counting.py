"""Token, word, character, byte and line counts of a text for one tokenizer family.

Exact families (see ``planner.tokenizers``) are counted id for id. Every other family is estimated: the exact
``o200k_base`` count times a per-family factor for the kind of text (prose, code, JSON, CJK...), reported with
a low / high band. Never characters / 4.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel

from planner.tokenizers import get_encoding, is_exact

Method = Literal["exact", "estimate"]
TextKind = Literal["prose", "non_english_prose", "code", "json", "cjk"]

# Families with no factors of their own are estimated with the envelope, under their own name.
ESTIMATE_ALIASES = {"grok": "unknown", "cohere": "unknown"}

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
_CODE_HINTS = re.compile(r"[{};=<>()\[\]]|^\s*(def|class|import|from|return|if|for|function|const|let|var)\b", re.M)
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")
_LETTER = re.compile(r"[^\W\d_]")
_SAMPLE_CHARS = 20_000


class TextStats(BaseModel):
    words: int = 0
    chars: int = 0
    bytes: int = 0
    lines: int = 0


class TokenCount(BaseModel):
    """Tokens of a text for one family: exact, or an estimate with its band (low <= tokens <= high)."""

    tokenizer: str
    method: Method
    tokens: int
    tokens_low: int
    tokens_high: int
    basis: str  # how the number was made, e.g. "exact llama3" or "o200k_base x 1.11 [1.08-1.15] (claude, prose)"

    def __add__(self, other: TokenCount) -> TokenCount:
        if other.tokenizer != self.tokenizer:
            raise ValueError(f"cannot add counts of {self.tokenizer} and {other.tokenizer}")
        method: Method = "exact" if self.method == other.method == "exact" else "estimate"
        basis = self.basis if self.basis == other.basis else f"sum of {method} counts ({self.tokenizer})"
        return TokenCount(
            tokenizer=self.tokenizer,
            method=method,
            tokens=self.tokens + other.tokens,
            tokens_low=self.tokens_low + other.tokens_low,
            tokens_high=self.tokens_high + other.tokens_high,
            basis=basis,
        )


def zero_count(family: str) -> TokenCount:
    method: Method = "exact" if is_exact(family) else "estimate"
    return TokenCount(tokenizer=family, method=method, tokens=0, tokens_low=0, tokens_high=0, basis="empty")


def text_stats(text: str) -> TextStats:
    """Words (whitespace-separated, as `wc -w`), characters, UTF-8 bytes and lines (as `wc -l`, plus a last
    line without a newline)."""
    if not text:
        return TextStats()
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return TextStats(
        words=len(text.split()),
        chars=len(text),
        bytes=len(text.encode("utf-8", errors="surrogatepass")),
        lines=lines,
    )


def classify_text(text: str) -> TextKind:
    """The kind of text, from a sample: decides which estimate factor applies."""
    sample = text[:_SAMPLE_CHARS]
    visible = len(sample) - sum(1 for ch in sample if ch.isspace())
    if visible == 0:
        return "prose"
    if len(_CJK.findall(sample)) / visible > 0.15:
        return "cjk"
    stripped = sample.lstrip()
    if stripped[:1] in "{[" and _looks_like_json(text):
        return "json"
    if len(_CODE_HINTS.findall(sample)) / max(1, sample.count("\n") + 1) > 0.5:
        return "code"
    letters = len(_LETTER.findall(sample))
    if letters and len(_NON_ASCII_LETTER.findall(sample)) / letters > 0.01:
        return "non_english_prose"
    return "prose"


def _looks_like_json(text: str) -> bool:
    head = text[:_SAMPLE_CHARS]
    punctuation = sum(head.count(ch) for ch in '{}[]":,')
    return punctuation / max(1, len(head)) > 0.08


@cache
def _factor_table() -> dict:
    raw = resources.files("planner").joinpath("data/estimate_factors.json").read_text("utf-8")
    return json.loads(raw)


def estimate_factors(family: str, kind: TextKind) -> tuple[float, float, float]:
    """(low, mid, high) multipliers on the exact base-family count."""
    table = _factor_table()["families"]
    key = ESTIMATE_ALIASES.get(family, family)
    row = table.get(key, table["unknown"])
    low, mid, high = row["factors"][kind]
    return float(low), float(mid), float(high)


def estimate_base_family() -> str:
    return str(_factor_table()["base_family"])


def exact_token_count(text: str, family: str) -> int:
    """Exact tokens of plain text; text that looks like a special token counts as ordinary text."""
    if not text:
        return 0
    # encode_to_numpy keeps 4 bytes per token instead of a Python list (~40 bytes per token).
    return int(get_encoding(family).encode_to_numpy(text, disallowed_special=()).size)


def estimate_from_base(base_tokens: int, family: str, kind: TextKind) -> TokenCount:
    low, mid, high = estimate_factors(family, kind)
    base = estimate_base_family()
    return TokenCount(
        tokenizer=family,
        method="estimate",
        tokens=round(base_tokens * mid),
        tokens_low=math.floor(base_tokens * low),
        tokens_high=math.ceil(base_tokens * high),
        basis=f"{base} x {mid:.2f} [{low:.2f}-{high:.2f}] ({family}, {kind})",
    )


def count_tokens(text: str, family: str) -> TokenCount:
    """Tokens of ``text`` for ``family``: exact where the project has the tokenizer, else an estimate."""
    if is_exact(family):
        tokens = exact_token_count(text, family)
        return TokenCount(
            tokenizer=family, method="exact", tokens=tokens, tokens_low=tokens, tokens_high=tokens,
            basis=f"exact {family}",
        )
    if not text:
        return zero_count(family)
    base_tokens = exact_token_count(text, estimate_base_family())
    return estimate_from_base(base_tokens, family, classify_text(text))
