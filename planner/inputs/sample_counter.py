"""The suggestion sample's base-family counts from a process forked before the count (one-shot `fit`).

`planner fit` on input that does not fit reads a sample of its files again and counts them in the estimate
base family (o200k_base; planner.inputs.sampled_counts) to judge which other models take it whole. Done in
the fit's own process after the count, the base family's encoder cost ~0.15 CPU s (its load, and its first
text with non-ASCII letters) and ~40 MB on top of what the count left: fit took 1.4x count's time and 1.36x
its peak memory (issue 21). A process forked before the count, while this one is small, builds and warms that
encoder on the core the count leaves idle, then reads the sampled files when asked (``read_files``), with the
same code (``read_sample_files``). If it cannot start or dies, the files are read in this process, as before.
Forked only from a single-threaded process (planner.inputs.parallel.can_fork).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.inputs.sampled_counts import FileSample, read_sample_files
from planner.tokens.counts import estimate_base_family, exact_token_count

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# letters outside ASCII, digits, punctuation, a newline: an engine's first use of each (splintr builds its
# Unicode classes on the first non-ASCII text: ~0.1 s for o200k) happens before the sample is asked for
WARM_TEXT = "Grüße aus Köln, 東京, Ελλάδα — x = f(1);\n"


class SampleCounter:
    """A forked process holding the base family's encoder, warmed, until it reads the sampled files."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        self._process: BaseProcess = context.Process(target=_serve, args=(theirs,), daemon=True)
        self._process.start()
        theirs.close()

    def read_files(self, paths: Sequence[str]) -> Sequence[FileSample | None]:
        """The sampled files read again there (sampled_counts.ReadFiles); here if that process is gone."""
        try:
            self._connection.send(list(paths))
            found: list[FileSample | None] = self._connection.recv()
        except (EOFError, OSError):
            return read_sample_files(paths)
        return found

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._connection.close()


def _serve(connection: Connection) -> None:
    # EOFError: the fit needed no sample; anything else: the fit's process reads the files and says why
    with contextlib.suppress(Exception):
        exact_token_count(WARM_TEXT, estimate_base_family())
        paths = connection.recv()
        connection.send(read_sample_files(paths))
    connection.close()
