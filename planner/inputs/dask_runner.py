"""Counting on a Dask cluster: the same work as a local run, mapped to Dask workers, the same answer.

- Files and folders: the folder is walked here (``.gitignore``, filters, duplicates: as locally); the files
  are counted on the workers through the cluster's ``concurrent.futures`` executor, by the same functions
  and with the same cuts as the local process pool (planner.inputs.parallel), and the report is built here.
- Datasets (``--field`` / ``--column``): each file is cut at safe points (JSONL line starts, Parquet row
  groups; CSV whole) into parts; each worker counts parts with its own encoder (every worker is a process);
  the parts are merged in order (planner.inputs.row_stats), so every row number, skip reason and statistic is
  the local run's.
- Without a scheduler address a ``LocalCluster`` is started: worker processes, one thread each, bound to
  127.0.0.1, no dashboard; it is closed when the count ends. With ``tcp://HOST:PORT`` the workers must have
  planner installed and see the paths (a shared folder, or fsspec URLs such as ``s3://`` with s3fs).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from planner.errors import UsageError, require_module
from planner.inputs import count_inputs

if TYPE_CHECKING:
    from planner.inputs.datasets import DatasetPart, DatasetReport, RowCounter
    from planner.inputs.report import InputReport
    from planner.inputs.row_stats import RowStats

PARTS_PER_WORKER = 4  # a few parts per worker, so that no worker idles at the end
CONNECT_TIMEOUT = "10s"


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: to ``scheduler``, else to a LocalCluster of ``workers`` processes."""
    distributed = require_module("distributed", "the Dask engine")
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be 1 or more, got {workers}")
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as error:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            yield client
        return
    from planner.inputs.parallel import worker_count

    cluster = LocalCluster(
        n_workers=workers or worker_count(),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # no dashboard; the scheduler's small HTTP server (health checks) on a free port of 127.0.0.1
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


ENGINES = ("local", "dask")


@contextmanager
def engine_client(engine: str, scheduler: str | None, workers: int | None) -> Iterator[Any | None]:
    """None for the local engine; a Dask client for ``dask`` (see ``dask_client``)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'; engines: {', '.join(ENGINES)}")
    if engine == "local":
        if scheduler is not None or workers is not None:
            raise UsageError("--scheduler and --workers go with --engine dask")
        yield None
        return
    with dask_client(scheduler, workers) as client:
        yield client


def worker_total(client: Any) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def count_dataset_on(client: Any, paths: Sequence[str], field: str, counter: RowCounter) -> DatasetReport:
    """``planner.inputs.datasets.count_dataset`` with the parts counted on the cluster's workers."""
    # here, not at the top: `planner count FILE` imports this module for engine_client (start-up)
    from planner.inputs.datasets import (
        DatasetError,
        check_dataset_paths,
        dataset_report,
        merge_parts,
        part_stats,
        parts_of,
    )

    checked = check_dataset_paths(paths, field)
    pieces = worker_total(client) * PARTS_PER_WORKER
    plans: list[list[DatasetPart] | DatasetError] = []
    for path, format in checked:
        try:
            plans.append(parts_of(path, format, field, pieces))
        except DatasetError as error:
            plans.append(error)
    parts = [part for plan in plans if not isinstance(plan, DatasetError) for part in plan]
    futures = client.map(part_stats, parts, counter=counter, pure=False)
    results = iter(client.gather(futures))
    per_file: list[RowStats | DatasetError] = []
    for plan in plans:
        if isinstance(plan, DatasetError):
            per_file.append(plan)
            continue
        stats = [next(results) for _ in plan]
        errors = [item for item in stats if isinstance(item, DatasetError)]
        per_file.append(errors[0] if errors else merge_parts(cast("list[RowStats]", stats)))
    return dataset_report(checked, per_file, field, counter)


def count_inputs_on(
    client: Any, paths: Sequence[str], families: Sequence[str], **options: Any
) -> InputReport:
    """``planner.inputs.count_inputs`` with the files counted on the cluster's workers."""
    executor = client.get_executor(pure=False)
    return count_inputs(paths, families, executor=executor, executor_workers=worker_total(client), **options)
