"""Write planner/data/<family>_tokenizer.json.gz: a Hugging Face tokenizer.json made from Meta's rank file.

gigatoken cannot read Meta's Llama rank files itself (its tiktoken loader expects every token to be one merge
of two lower-ranked tokens), but it runs a tokenizer.json. The conversion, as transformers' TikTokenConverter
makes it: the byte-level vocabulary is the rank file (rank = id); for every token of two or more bytes,
every split into two pieces that are both tokens is a merge (no condition on the pieces' ranks), a token's
merges ordered by the pieces' ranks and all merges by the merged token's rank; ``ignore_merges`` (a
pre-token that is itself a token is that token, tiktoken's rule); the family's split pattern, then ByteLevel
without its own regex. tests/tokens/test_engines.py proves the shipped file: Hugging Face ``tokenizers``
and gigatoken over it equal tiktoken over the rank file, id for id.

Usage: python scripts/build_llama_tokenizer_json.py [llama3 llama4]
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


def merges_of(ranks: dict[bytes, int]) -> list[tuple[bytes, bytes]]:
    """Every split of every token into two tokens, by merged rank, then by the pieces' ranks."""
    found: list[tuple[int, int, int, bytes, bytes]] = []
    for token, rank in ranks.items():
        for cut in range(1, len(token)):
            left, right = token[:cut], token[cut:]
            if left in ranks and right in ranks:
                found.append((rank, ranks[left], ranks[right], left, right))
    found.sort()
    return [(left, right) for _, _, _, left, right in found]


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
            "merges": [[text(left), text(right)] for left, right in merges_of(ranks)],
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def main(families: list[str]) -> int:
    for family in families or ["llama3", "llama4"]:
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
