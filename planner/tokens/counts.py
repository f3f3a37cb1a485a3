"""Token, word, character, byte and line counts of a text for one tokenizer family.

Exact families (see ``planner.tokens.families``) are counted id for id. Every other family is estimated: the
exact ``o200k_base`` count times a per-family factor for the kind of text (prose, code, JSON, CJK...),
reported with a low / high band. Never characters / 4.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel

from planner.tokens.families import FAMILIES, encoder_for, get_family, is_exact

Method = Literal["exact", "estimate"]
TextKind = Literal["prose", "non_english_prose", "code", "json", "cjk"]

# The patterns classify_text reads a text's kind with: compiled on first use (_kind_rules), as compiling them
# costs ~30 M instructions, 3 % of a one-line count's start-up, which never classifies.
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]"
# A line looks like code when it is indented, a comment, ends like a statement or block, starts with a
# keyword or holds an assignment, a comparison, an arrow or a call. Prose lines (long or wrapped) rarely do.
_CODE_LINE = r"""^(?:\t|\x20{2,})\S
    | ^\s*(?:\#|//|/\*|\*\x20|--\x20)
    | [{};(\[]\s*$ | \)\s*:?\s*$ | :\s*$
    | ^\s*(?:def|class|import|from|return|if|elif|else|for|while|try|except|with|raise|function|const|let|var
        |fn|pub|use|package|func|public|private|static|async|await|switch|case)\b
    | ^\s*@\w | \w\s*[-+*/|&]?=\s*\S | == | != | -> | => | \w\("""
_CODE_LINE_SHARE = 0.5
_LETTER = r"[^\W\d_]"
_NON_ASCII_LETTER = r"[^\W\d_\x00-\x7f]"
# Emoji, pictographs and other non-ASCII symbols; typographic quotes, dashes and Latin-1 signs do not count.
_SYMBOL = r"[^\x00-\x7f\u00a0-\u00bf\u2000-\u206f\w\s]"
_WORD = r"[^\W\d_]+"
# Common English function words: a share below ~6 % of the words means another language.
_ENGLISH = "the and of to is that it for with are this be by from or have not you they which but at"
_SAMPLE_CHARS = 20_000


@dataclass(frozen=True)
class _KindRules:
    cjk: re.Pattern[str]
    code_line: re.Pattern[str]
    letter: re.Pattern[str]
    non_ascii_letter: re.Pattern[str]
    symbol: re.Pattern[str]
    word: re.Pattern[str]
    english_words: frozenset[str]


@cache
def _kind_rules() -> _KindRules:
    word = re.compile(_WORD)
    return _KindRules(
        cjk=re.compile(_CJK),
        code_line=re.compile(_CODE_LINE, re.X),
        letter=re.compile(_LETTER),
        non_ascii_letter=re.compile(_NON_ASCII_LETTER),
        symbol=re.compile(_SYMBOL),
        word=word,
        english_words=frozenset(word.findall(_ENGLISH)),
    )


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
    # how the number was made, e.g. "exact llama3" or "o200k_base x 1.11 [1.08-1.15] (claude, prose)"
    basis: str

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

    @classmethod
    def exact(cls, family: str, tokens: int, basis: str | None = None) -> TokenCount:
        """An exact count: the band is the count itself."""
        return cls(
            tokenizer=family,
            method="exact",
            tokens=tokens,
            tokens_low=tokens,
            tokens_high=tokens,
            basis=basis if basis is not None else _exact_basis(family),
        )


def _exact_basis(family: str) -> str:
    known = FAMILIES.get(family)
    return known.exact_basis if known is not None else f"exact {family}"


def typed_counts(tokens: int, families: Iterable[str], basis: str = "given") -> dict[str, TokenCount]:
    """A token count the user typed, taken as exact for each family (nothing was tokenized)."""
    return {family: TokenCount.exact(family, tokens, basis) for family in families}


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
    if len(_kind_rules().cjk.findall(sample)) / visible > 0.15:
        return "cjk"
    stripped = sample.lstrip()
    if stripped[:1] in "{[" and _looks_like_json(text):
        return "json"
    if _code_line_share(sample) >= _CODE_LINE_SHARE:
        return "code"
    return "non_english_prose" if _looks_non_english(sample, visible) else "prose"


def _looks_non_english(sample: str, visible: int) -> bool:
    """Emoji-heavy text, another script, or Latin-script text with few English function words."""
    rules = _kind_rules()
    if len(rules.symbol.findall(sample)) / visible > 0.03:
        return True
    letters = len(rules.letter.findall(sample))
    non_ascii_share = len(rules.non_ascii_letter.findall(sample)) / max(1, letters)
    words = rules.word.findall(sample.lower())
    english_share = sum(1 for word in words if word in rules.english_words) / max(1, len(words))
    if non_ascii_share > 0.3 or (len(words) >= 20 and english_share < 0.06):
        return True
    return non_ascii_share > 0.01 and english_share < 0.15


def _code_line_share(sample: str) -> float:
    lines = [line for line in sample.splitlines() if line.strip()]
    code_line = _kind_rules().code_line
    return sum(1 for line in lines if code_line.search(line)) / max(1, len(lines))


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
    row = _factor_table()["families"][get_family(family).factors]
    low, mid, high = row["factors"][kind]
    return float(low), float(mid), float(high)


def estimate_base_family() -> str:
    return str(_factor_table()["base_family"])


def exact_token_count(text: str, family: str) -> int:
    """Exact tokens of plain text; text that looks like a special token counts as ordinary text."""
    if not text:
        return 0
    return encoder_for(family).count(text)


def estimate_from_base(base_tokens: int, family: str, kind: TextKind) -> TokenCount:
    return estimate_with_factors(base_tokens, family, kind, estimate_factors(family, kind))


def estimate_with_factors(
    base_tokens: int, family: str, kind: TextKind, factors: tuple[float, float, float]
) -> TokenCount:
    """The estimate made from an exact base-family count and (low, mid, high) factors."""
    low, mid, high = factors
    return TokenCount(
        tokenizer=family,
        method="estimate",
        tokens=round(base_tokens * mid),
        tokens_low=math.floor(base_tokens * low),
        tokens_high=math.ceil(base_tokens * high),
        basis=f"{estimate_base_family()} x {mid:.2f} [{low:.2f}-{high:.2f}] ({family}, {kind})",
    )


def estimate_tokens(text: str, family: str, base_family: str = "o200k_base") -> TokenCount:
    """Always an estimate, even for an exact family (from its measured factors): "pretend it is unknown"."""
    if base_family != estimate_base_family():
        raise ValueError(f"estimate factors are relative to {estimate_base_family()}, not {base_family}")
    if not text:
        return TokenCount(
            tokenizer=family, method="estimate", tokens=0, tokens_low=0, tokens_high=0, basis="empty"
        )
    return estimate_from_base(exact_token_count(text, base_family), family, classify_text(text))


def count_tokens(text: str, family: str) -> TokenCount:
    """Tokens of ``text`` for ``family``: exact where the project has the tokenizer, else an estimate."""
    if is_exact(family):
        return TokenCount.exact(family, exact_token_count(text, family))
    if not text:
        return zero_count(family)
    return estimate_tokens(text, family, estimate_base_family())
