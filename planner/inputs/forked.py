"""A helper process forked with a pipe to it, working beside a count on the core the count leaves idle
(planner.inputs.bulk_files.FiguresRun, planner.inputs.sample_counter.SampleCounter). Forked only from a
single-threaded process (planner.inputs.parallel.can_fork)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess


class ForkedHelper:
    """Forks ``target(connection, *args)`` as a daemon process; ``_connection`` is this side's end of the
    pipe (receive only, unless ``duplex``)."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], duplex: bool = True) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe(duplex=duplex)
        self._process: BaseProcess = context.Process(target=target, args=(theirs, *args), daemon=True)
        self._process.start()
        theirs.close()

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._connection.close()
