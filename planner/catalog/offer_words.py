"""Words in an offer's id or name that say what kind of offer it is, listed once for the catalog build and
for the suggestion policy (planner.advice.policy):

- ``NON_TEXT_MARKS``: an embedding, reranking, moderation or speech model (a mark anywhere in the id, so
  "text-embedding-3-small", "gigaembeddings", "melotts" and "bge-m3" are all caught). The catalog build
  leaves such models out; the policy never suggests one whose name carries a mark.
- ``FREE_WORDS``: a host calls the offer free (OpenRouter's ":free" ids, "(free)" names, "-free" ids): the
  build keeps its $0 price as a price; ``PREVIEW_WORDS``: a preview that may change or vanish. The policy
  lists free and preview offers apart from the paid ones.
"""

from __future__ import annotations

import re
from functools import lru_cache

NON_TEXT_MARKS = ("embed", "rerank", "moderation", "whisper", "tts", "transcri")
FREE_WORDS = frozenset({"free"})
PREVIEW_WORDS = frozenset({"preview"})
_NON_TEXT = re.compile("|".join(NON_TEXT_MARKS) + r"|(^|[/_-])bge[-_]")
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65_536)  # the policy asks two or three times per offer, on every re-plan
def words_of(*texts: str) -> frozenset[str]:
    """The lower-case words (runs of letters and digits) of ``texts``."""
    return frozenset(_WORD.findall(" ".join(texts).lower()))


def names_non_text_model(*texts: str) -> bool:
    """Whether any of ``texts`` (an id, a name) marks an embedding, rerank, moderation or speech model."""
    return any(_NON_TEXT.search(text.lower()) for text in texts)


def called_free(*texts: str) -> bool:
    """Whether any of ``texts`` calls the offer free ("free" as a word: ":free", "(free)", "-free")."""
    return bool(words_of(*texts) & FREE_WORDS)
