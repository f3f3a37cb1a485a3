"""Benchmark dataset counting (`planner count FILE --field text`): peak memory, throughput, local vs Dask.

Sections:

- dataset: a JSONL file of N GB (rows of 100-8,000 characters cut from the shipped corpus) counted by
  ``planner count FILE --field text --json`` in a fresh process: seconds, MB/s, rows, and the process's
  peak RSS (VmHWM, which starts afresh with the new program).
- dask (needs the dask extra): the same command with ``--engine dask --workers W`` against the local run,
  A B A B, each a fresh process: the ratio of the medians, and whether the JSON documents are equal.

Usage:
    python scripts/bench_datasets.py --gb 1                  # the issue's 1 GB measurement (a few minutes)
    python scripts/bench_datasets.py --gb 0.2 --sections dask --workers 2
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The child runs the real CLI and reports its own high-water mark on stderr's last line.
_CHILD = """
import contextlib, io, sys
from planner.cli._app import run_app

out = io.StringIO()
with contextlib.redirect_stdout(out):
    status = run_app(sys.argv[1:])
with open("/proc/self/status") as status_file:
    peak = next(int(line.split()[1]) for line in status_file if line.startswith("VmHWM:"))
sys.stdout.write(out.getvalue())
sys.stderr.write(f"\\nVmHWM_KB={peak} STATUS={status}\\n")
"""


def corpus_text() -> str:
    parts = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted((ROOT / "tests" / "corpus").glob("*"))
        if path.is_file()
    ]
    return "\n".join(parts)


def write_dataset(path: Path, gigabytes: float, seed: int = 13) -> int:
    """A JSONL of rows {"id", "text"}; returns the number of rows."""
    text = corpus_text()
    rng = random.Random(seed)
    target = int(gigabytes * 1_000_000_000)
    written = rows = 0
    with open(path, "w", encoding="utf-8") as handle:
        while written < target:
            length = rng.randint(100, 8000)
            start = rng.randrange(0, len(text) - length)
            line = json.dumps({"id": rows, "text": text[start : start + length]}, ensure_ascii=False) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            rows += 1
    return rows


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_count(arguments: list[str]) -> tuple[float, dict[str, Any], int, float]:
    """(seconds, JSON document, peak RSS in KB, CPU seconds) of one fresh `planner count` process; the CPU
    time covers the process and the children it waited for (a LocalCluster's workers)."""
    cpu_before = children_cpu_s()
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, "count", *arguments, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    seconds = time.perf_counter() - start
    tail = child.stderr.strip().splitlines()[-1]
    if "VmHWM_KB=" not in tail:
        raise SystemExit(f"the child failed: {child.stderr.strip()[-2000:]}")
    fields = dict(item.split("=") for item in tail.split())
    return seconds, json.loads(child.stdout), int(fields["VmHWM_KB"]), children_cpu_s() - cpu_before


def bench_dataset(path: Path, rows: int) -> dict[str, Any]:
    size_mb = path.stat().st_size / 1e6
    seconds, document, peak_kb, cpu_s = run_count([str(path), "--field", "text", "-m", "gpt-4o"])
    result = {
        "megabytes": round(size_mb),
        "rows": document["rows"],
        "rows_written": rows,
        "tokens": document["tokens"],
        "seconds": round(seconds, 1),
        "mb_per_s": round(size_mb / seconds, 1),
        "cpu_s": round(cpu_s, 1),
        "mb_per_cpu_s": round(size_mb / cpu_s, 1),
        "peak_rss_mb": round(peak_kb / 1024),
        "per_row": document["per_row"],
    }
    print(
        f"dataset: {size_mb:,.0f} MB, {document['rows']:,} rows, {document['tokens']:,} tokens in "
        f"{seconds:.1f} s ({result['mb_per_s']} MB/s, one process; {result['mb_per_cpu_s']} MB per CPU "
        f"second); peak RSS {result['peak_rss_mb']} MB"
    )
    return result


def bench_dask(path: Path, workers: int, repeat: int) -> dict[str, Any]:
    local_args = [str(path), "--field", "text", "-m", "gpt-4o"]
    dask_args = [*local_args, "--engine", "dask", "--workers", str(workers)]
    local_times, dask_times = [], []
    equal = True
    for _ in range(repeat):  # A B A B: the machine's load hits both alike
        seconds, local_doc, _, _ = run_count(local_args)
        local_times.append(seconds)
        seconds, dask_doc, _, _ = run_count(dask_args)
        dask_times.append(seconds)
        equal = equal and local_doc == dask_doc
    local_s, dask_s = statistics.median(local_times), statistics.median(dask_times)
    result = {
        "workers": workers,
        "local_s": round(local_s, 2),
        "dask_s": round(dask_s, 2),
        "local_over_dask": round(local_s / dask_s, 2),
        "equal_json": equal,
    }
    print(
        f"dask: local {local_s:.1f} s, dask ({workers} workers, LocalCluster) {dask_s:.1f} s: "
        f"local / dask = {result['local_over_dask']}; identical JSON: {equal}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--gb", type=float, default=1.0, help="size of the JSONL in GB")
    parser.add_argument("--sections", nargs="+", default=["dataset"], choices=["dataset", "dask"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.jsonl"
        rows = write_dataset(path, args.gb)
        if "dataset" in args.sections:
            figures["dataset"] = bench_dataset(path, rows)
        if "dask" in args.sections:
            figures["dask"] = bench_dask(path, args.workers, args.repeat)
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
