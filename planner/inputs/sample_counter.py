"""The suggestion sample's base-family counts from a process forked before the count (one-shot `fit`).

`planner fit` on input that does not fit reads a sample of its files (or pieces of a big file) again and
counts them in the estimate base family (o200k_base; planner.inputs.sampled_counts) to judge which other
models take it whole. Done in the fit's own process after the count, the base family's encoder cost ~0.15 CPU
s (its load, and its first text with non-ASCII letters) and ~40 MB on top of what the count left: fit took
1.4x count's time and 1.36x its peak memory (issue 21). A process forked before the count, while this one is
small, builds and warms that encoder on the core the count leaves idle, then reads the sample when asked
(``read_sample``), with the same code as this process would (``sampled_counts.read_sample``). Pieces of a
big file are counted in the counted family too: when the input is one big file, its pieces
(``sampled_counts.expected_pieces``) are read there while the file is counted, before they are asked for
(in that family first, whose encoder is then let go, then in the base family: one encoder at a time); a fit
counted in the base family itself forks one too (else its encoder, released after the count, was built
again here: ~0.3 s for o200k_base). If it cannot start or dies, the sample is read in this process.
Forked only from a single-threaded process (planner.inputs.parallel.can_fork).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.inputs.forked import ForkedHelper
from planner.inputs.sampled_counts import ItemSample, Piece, SampleItem, read_sample
from planner.tokens.counts import classify_text, estimate_base_family, exact_token_count
from planner.tokens.encoders import release_encoders

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# letters outside ASCII, digits, punctuation, a newline: an engine's first use of each (splintr builds its
# Unicode classes on the first non-ASCII text: ~0.1 s for o200k) happens before the sample is asked for
WARM_TEXT = "Grüße aus Köln, 東京, Ελλάδα — x = f(1);\n"


class SampleCounter(ForkedHelper):
    """A forked process holding the base family's encoder, warmed, until it reads the sample; given the
    counted ``family`` and the pieces the sample is expected to hold, it reads those pieces at once."""

    def __init__(self, family: str | None = None, pieces: Sequence[Piece] = ()) -> None:
        super().__init__(_serve, (family, list(pieces)))

    def read_sample(self, family: str, items: Sequence[SampleItem]) -> Sequence[ItemSample | None]:
        """The sample read again there (sampled_counts.ReadSample); here if that process is gone."""
        try:
            self._connection.send((family, list(items)))
            found: list[ItemSample | None] = self._connection.recv()
        except (EOFError, OSError):
            return read_sample(family, items)
        return found


def _serve(connection: Connection, family: str | None, pieces: list[Piece]) -> None:
    # EOFError: the fit needed no sample; anything else: the fit's process reads the sample and says why
    with contextlib.suppress(Exception):
        read: dict[SampleItem, ItemSample | None] = {}
        if family and pieces:  # counted in family first, its encoder let go before the base family's
            read = dict(zip(map(_key, pieces), read_sample(family, pieces, release_encoders), strict=True))
        exact_token_count(WARM_TEXT, estimate_base_family())
        classify_text(WARM_TEXT)  # its patterns compile on first use
        asked, items = connection.recv()
        if asked != family:
            read = {}
        missing = [item for item in items if _key(item) not in read]
        read.update(zip(map(_key, missing), read_sample(asked, missing), strict=True))
        connection.send([read[_key(item)] for item in items])
    connection.close()


def _key(item: SampleItem) -> SampleItem:
    """The same file however its path was written (as given, as the count reports it)."""
    if isinstance(item, Piece):
        return Piece(os.path.realpath(item.path), item.offset, item.size)
    return os.path.realpath(item)
