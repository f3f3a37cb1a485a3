"""Counting large inputs on every core: a process pool, one encoder per process.

Threads sharing one Encoding scale poorly (shared/tokenizers.md: 1.3-1.6x on 2 cores); processes give ~2x.
Work is cut into ~16 segments per worker so that no core idles at the end. Processes are forked: the encoders
are built once in the parent and inherited, and an in-memory text is inherited too (never pickled).

Forking is safe only in a single-threaded process (a child can inherit a lock held by another thread), and
``spawn`` / ``forkserver`` re-run the ``__main__`` module in every child (the Streamlit script, or the CLI).
So when other threads are alive (the Streamlit server) the work goes to threads instead, each with its own
Encoding, which the GIL-free tokenizer runs in parallel (~2x on 2 cores per shared/tokenizers.md).
Small inputs never come here: starting a pool costs more than counting them.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.errors import SkipFile
from planner.inputs.bulk_files import WHOLE_SEGMENT_BYTES, FiguresRun, Segment, joined, segment_tokens
from planner.inputs.files import (
    STREAMABLE_KINDS,
    Outcome,
    count_files,
    extension_of,
    finish_streamed,
    stream_codec,
)
from planner.inputs.readers import kind_of, os_error_reason
from planner.inputs.streaming import (
    Tally,
    count_byte_range,
    count_text,
    plan_byte_segments,
    split_at_safe_points,
    use_private_encodings,
)
from planner.tokens.families import bulk_counts_utf8, encoder_for, expect_text

if TYPE_CHECKING:  # concurrent.futures is imported by make_pool: a small input never needs it (start-up)
    from concurrent.futures import Executor, Future

PARALLEL_MIN_BYTES = 8 * 1024 * 1024  # below this, counting in-process is faster than starting a pool
SEGMENTS_PER_WORKER = 16
MIN_SEGMENT_BYTES = 256 * 1024
BATCH_MAX_FILES = 256

_shared_text: str | None = None  # an in-memory text handed to forked workers without pickling


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    import multiprocessing  # here, not at import: a small count never starts a pool (start-up)

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _load_encodings(families: Sequence[str]) -> None:
    for family in families:
        encoder_for(family)


def make_pool(workers: int, families: Sequence[str]) -> Executor:
    """Forked processes when this process is single-threaded, else threads with private encoders."""
    import numpy  # noqa: F401 - loaded once here, inherited by the workers, which then count into numpy ids

    if can_fork():
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _load_encodings(families)  # before fork: children inherit the built encoders
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(
        max_workers=workers, initializer=use_private_encodings, initargs=(tuple(families),)
    )


def _count_shared_range(start: int, end: int, families: Sequence[str]) -> Tally:
    assert _shared_text is not None
    return count_text(_shared_text[start:end], families, start > 0)


def count_text_parallel(text: str, families: Sequence[str], workers: int) -> Tally:
    """Count a large in-memory text on ``workers`` processes; equal to counting it whole."""
    global _shared_text
    target = max(MIN_SEGMENT_BYTES, len(text) // (workers * SEGMENTS_PER_WORKER))
    ranges = split_at_safe_points(text, target)
    forked = can_fork()
    _shared_text = text if forked else None
    try:
        with make_pool(workers, families) as pool:
            if forked:
                futures = [pool.submit(_count_shared_range, start, end, families) for start, end in ranges]
            else:
                futures = [
                    pool.submit(count_text, text[start:end], families, start > 0) for start, end in ranges
                ]
            tally = Tally()
            for future in futures:
                tally.extend(future.result())
    finally:
        _shared_text = None
    return tally


@dataclass
class _BigPlan:
    """How a big plain-text file is counted: its codec, and its segments (UTF-8 only; one otherwise)."""

    path: str
    size: int
    kind: str
    codec: str
    warnings: list[str]
    segments: list[tuple[int, int]]


@dataclass
class _BigFile:
    outcome: Outcome
    codec: str
    warnings: list[str]
    segments: list[tuple[int, int]]
    futures: list[Future]
    figures: FiguresRun | None = None  # set: the futures count tokens only (segment_tokens)


def count_files_parallel(
    found: Sequence[tuple[str, int]],
    families: Sequence[str],
    raw_markup: bool,
    workers: int,
    on_progress: Callable[[int], None] | None = None,
    classify: bool = False,
    executor: Executor | None = None,
) -> Iterator[Outcome]:
    """Count files (path, size) on ``workers`` processes; big UTF-8 files are split into segments.

    Outcomes are yielded in order as soon as they are ready, so the caller's own work overlaps the counting.
    ``executor``: run the work there (a Dask cluster's executor, left open) instead of a pool of this machine.
    Here, the bulk engines that ``total`` bytes pay for are loaded before the pool forks; while they load, a
    process reads the figures of the big UTF-8 files (planner.inputs.bulk_files).
    """
    total = sum(size for _, size in found) or 1
    target = max(MIN_SEGMENT_BYTES, total // (workers * SEGMENTS_PER_WORKER))
    plans = {path: plan for path, size in found if (plan := _plan_big(path, size, target)) is not None}
    figures = None
    if executor is None:
        utf8 = [
            Segment(plan.path, *segment)
            for plan in plans.values()
            if plan.codec == "utf-8"
            for segment in plan.segments
        ]
        if utf8 and can_fork() and all(bulk_counts_utf8(family, total) for family in families):
            import numpy  # noqa: F401 - needed here anyway (make_pool); the figures process inherits it

            figures = FiguresRun(utf8)
        for family in families:
            expect_text(family, total)  # loaded once, before the pool forks
    pool_context = contextlib.nullcontext(executor) if executor else make_pool(workers, families)
    try:
        with pool_context as pool:
            submitted = list(_submit_all(pool, found, plans, families, raw_markup, target, classify, figures))
            for item, size in submitted:
                if isinstance(item, _BigFile):
                    yield _finish_big(item, pool, families)
                else:
                    yield from item.result()
                if on_progress:
                    on_progress(size)
    finally:
        if figures is not None:
            figures.close()


def _submit_all(
    pool: Executor,
    found: Sequence[tuple[str, int]],
    plans: dict[str, _BigPlan],
    families: Sequence[str],
    raw_markup: bool,
    target: int,
    classify: bool,
    figures: FiguresRun | None,
) -> Iterator[tuple[_BigFile | Future, int]]:
    batch: list[str] = []
    batch_bytes = 0
    for path, size in found:
        if path in plans:
            if batch:
                yield pool.submit(count_files, batch, families, raw_markup, classify), batch_bytes
                batch, batch_bytes = [], 0
            yield _submit_big(pool, plans[path], families, figures), size
            continue
        batch.append(path)
        batch_bytes += size
        if batch_bytes >= target or len(batch) >= BATCH_MAX_FILES:
            yield pool.submit(count_files, batch, families, raw_markup, classify), batch_bytes
            batch, batch_bytes = [], 0
    if batch:
        yield pool.submit(count_files, batch, families, raw_markup, classify), batch_bytes


def _plan_big(path: str, size: int, target: int) -> _BigPlan | None:
    """The plan of a big plain-text file, or None to count it as an ordinary file."""
    if size <= max(2 * target, PARALLEL_MIN_BYTES):
        return None
    kind = kind_of(path)
    if kind not in STREAMABLE_KINDS:
        return None
    try:
        codec, bom, warnings = stream_codec(path)
    except (SkipFile, OSError):
        return None  # count_file will report the reason
    if codec != "utf-8":
        segments = [(bom, size)]  # only UTF-8 can be cut by byte offset; others stream in one worker
    else:
        # segments of at most WHOLE_SEGMENT_BYTES are read whole (a huge file gets more of them)
        parts = max(1, size // target, -(-size // WHOLE_SEGMENT_BYTES))
        segments = plan_byte_segments(path, bom, size, parts)
    return _BigPlan(path, size, kind, codec, warnings, segments)


def _submit_big(
    pool: Executor, plan: _BigPlan, families: Sequence[str], figures: FiguresRun | None
) -> _BigFile:
    """Segments of a big plain-text file: tokens only when ``figures`` reads the rest (UTF-8), else all."""
    outcome = Outcome(path=plan.path, kind=plan.kind, extension=extension_of(plan.path), size=plan.size)
    split = figures if plan.codec == "utf-8" else None
    futures = [
        pool.submit(segment_tokens, plan.path, start, end, families)
        if split
        else pool.submit(count_byte_range, plan.path, start, end, plan.codec, families)
        for start, end in plan.segments
    ]
    return _BigFile(outcome, plan.codec, plan.warnings, plan.segments, futures, split)


def _finish_big(big: _BigFile, pool: Executor, families: Sequence[str]) -> Outcome:
    tally = Tally()
    # all of this file's figures first: the figures process sends every file's, in order
    figures = [big.figures.next() for _ in big.segments] if big.figures else None
    try:
        for index, ((start, end), future) in enumerate(zip(big.segments, big.futures, strict=True)):
            part = joined(figures[index], future.result()) if figures else future.result()
            if part is None:  # not valid UTF-8 (or no figures): counted again the usual way
                part = pool.submit(
                    count_byte_range, big.outcome.path, start, end, big.codec, families
                ).result()
            tally.extend(part)
    except OSError as error:
        big.outcome.skipped = os_error_reason(error)
        return big.outcome
    return finish_streamed(big.outcome, big.codec, tally, big.warnings)
