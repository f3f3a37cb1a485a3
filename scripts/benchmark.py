"""Benchmark planner's counting against plain tiktoken, in the same run, on this machine.

Sections (each a function returning its figures; add a section by adding a function to SECTIONS):

- capacity: how many cores this run really gets (two encodes at once vs one after another); other busy
  programs lower it, and every parallel ratio with it.
- throughput: exact llama3 and o200k_base counts of an N MB text (file and in-memory) vs one
  ``encode_ordinary`` call on the same text: the ratio, and whether the totals are equal.
- folder: 10,000 small files: the scan itself (walk, stat, read, decode; no tokenizing) as a share of the
  total, and the total against tokenizing the same text in memory.
- startup: ``planner count`` on a one-line file, in a fresh process, in turn with a bare ``python -c pass``
  (medians of several runs): the ratio, and PASS / FAIL against issue 21's target (at most 6x).
- process: `planner count FILE --json` as a whole process against a whole process making one tiktoken
  ``encode_ordinary`` call on the same 200 MB file, in turn (A B A B): the median of the pairs' ratios, peak
  RSS, equal totals, and PASS / FAIL against issue 21's targets (at least 20x, peak RSS <= 256 MB).
- families: each exact family's throughput relative to tiktoken o200k_base on the same text.
- fit: `planner fit FOLDER --json` against `planner count FOLDER --json` on a folder that does not fit (whole
  processes in turn): time and peak RSS ratios, PASS / FAIL against issue 21's 1.3x.
- dataset: `planner count data.jsonl --field text` against the same rows as one text file (whole processes
  in turn): the throughput ratio, PASS / FAIL against issue 21's 0.5x.
- big (only with --big): a 1 GB file streamed in a child process: peak RSS of every process, and the total
  compared with counting the same text in 100 MB pieces split at safe points.

Usage:
    python scripts/benchmark.py                      # throughput (50 MB), folder, startup: ~1-2 minutes
    python scripts/benchmark.py --size-mb 100 --repeat 3   # the issue's measurement
    python scripts/benchmark.py --big                # adds the 1 GB streaming run (a few minutes)
    python scripts/benchmark.py --sections startup --json
    python scripts/benchmark.py --sections process families   # the issue 21 figures (200 MB, A B A B)
    python scripts/benchmark.py --sections process --process-families o200k_base --process-runs 3
    python scripts/benchmark.py --sections startup           # PASS / FAIL against 6x a bare Python
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.inputs import count_inputs, count_text_input  # noqa: E402
from planner.inputs.streaming import last_safe_cut  # noqa: E402
from planner.tokens.encoders import get_encoding  # noqa: E402

FAMILIES = ("llama3", "o200k_base")


def corpus_text() -> str:
    """Prose (English, German, Japanese), JSON, emoji and the project's own Python code."""
    parts = []
    for folder, pattern in ((ROOT / "tests" / "corpus", "*"), (ROOT / "planner", "**/*.py")):
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts) + "\n"


def text_of_size(megabytes: float) -> str:
    base = corpus_text()
    target = int(megabytes * 1_000_000)
    return (base * (target // len(base.encode("utf-8")) + 1))[:target]


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def best_of(
    repeat: int, function: Callable[[], Any], clock: Callable[[], float] = time.perf_counter
) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs: the run least disturbed by other programs on the machine. ``clock``
    ``time.thread_time`` measures one thread's CPU time: a one-core figure that other programs barely move."""
    runs = []
    for _ in range(max(1, repeat)):
        start = clock()
        result = function()
        runs.append((clock() - start, result))
    return min(run[0] for run in runs), runs[-1][1]


def _encode_timed(text: str) -> float:
    start = time.perf_counter()
    get_encoding("llama3").encode_ordinary(text)
    return time.perf_counter() - start


def bench_capacity(args: argparse.Namespace) -> dict[str, Any]:
    """How many cores this run really gets: the same encode once, then twice at once in two processes.
    Other programs busy on the machine lower this, and every parallel ratio below with it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    text = text_of_size(5)
    get_encoding("llama3")
    alone = _encode_timed(text)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        start = time.perf_counter()
        list(pool.map(_encode_timed, [text, text]))
        together = time.perf_counter() - start
    capacity = 2 * alone / together
    load = os.getloadavg()[0]
    print(
        f"capacity: two encodes at once run {capacity:.2f}x as fast as one after the other (load {load:.1f})"
    )
    return {"parallel_capacity": round(capacity, 2), "load_average_1min": round(load, 2)}


def bench_throughput(args: argparse.Namespace) -> dict[str, Any]:
    text = text_of_size(args.size_mb)
    megabytes = len(text.encode("utf-8")) / 1e6
    results: dict[str, Any] = {"megabytes": round(megabytes, 1)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        path.write_text(text, encoding="utf-8", newline="")
        for family in FAMILIES:
            encoding = get_encoding(family)
            repeat = args.repeat
            baseline_s, baseline = best_of(
                repeat, lambda encoding=encoding: len(encoding.encode_ordinary(text))
            )
            file_s, file_report = best_of(repeat, lambda family=family: count_inputs([path], [family]))
            memory_s, memory_report = best_of(repeat, lambda family=family: count_text_input(text, [family]))
            row = {
                "tiktoken_encode_ordinary_s": round(baseline_s, 2),
                "planner_file_s": round(file_s, 2),
                "planner_memory_s": round(memory_s, 2),
                "ratio_file": round(baseline_s / file_s, 2),
                "ratio_memory": round(baseline_s / memory_s, 2),
                "tokens": baseline,
                "equal": file_report.counts[family].tokens == baseline == memory_report.counts[family].tokens,
            }
            results[family] = row
            print(
                f"throughput {family}: {megabytes:.0f} MB, tiktoken {baseline_s:.2f} s "
                f"({megabytes / baseline_s:.1f} MB/s); planner file {file_s:.2f} s = {row['ratio_file']}x, "
                f"in memory {memory_s:.2f} s = {row['ratio_memory']}x; totals equal: {row['equal']} "
                f"({baseline:,} tokens)"
            )
    return results


def bench_folder(args: argparse.Namespace) -> dict[str, Any]:
    base = corpus_text()
    texts = []
    offset = 0
    for index in range(args.files):
        size = 1000 + (index * 7919) % 7000  # 1-8 KB files
        if offset + size > len(base):
            offset = 0
        texts.append(base[offset : offset + size])
        offset += size
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "files"
        for index, text in enumerate(texts):
            sub = root / f"d{index % 100:02}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"f{index:05}.txt").write_text(text, encoding="utf-8", newline="")
        from planner.inputs.folders import walk_folder

        walk_s, found = timed(lambda: list(walk_folder(root)))
        read_s, _ = best_of(args.repeat, lambda: _read_and_decode(found))
        total_s, report = best_of(args.repeat, lambda: count_inputs([root], ["llama3"]))
        joined = "".join(texts)
        tokenize_s, _ = best_of(args.repeat, lambda: count_text_input(joined, ["llama3"]))
        expected = sum(len(get_encoding("llama3").encode_ordinary(text)) for text in texts)
    overhead = (total_s - tokenize_s) / tokenize_s
    scan_share = (walk_s + read_s) / total_s
    megabytes = len(joined.encode("utf-8")) / 1e6
    print(
        f"folder: {len(found):,} files, {megabytes:.0f} MB: total {total_s:.2f} s, tokenizing the same text "
        f"in memory {tokenize_s:.2f} s; the scan itself (walk {walk_s:.2f} s + read, decode {read_s:.2f} s, "
        f"one process) is {scan_share:.0%} of the total; total vs in-memory text {overhead:+.0%}; "
        f"total equal to per-file counts: {report.counts['llama3'].tokens == expected}"
    )
    return {
        "files": len(found),
        "megabytes": round(megabytes, 1),
        "total_s": round(total_s, 2),
        "tokenize_in_memory_s": round(tokenize_s, 2),
        "walk_s": round(walk_s, 3),
        "read_and_decode_s": round(read_s, 3),
        "scan_share_of_total": round(scan_share, 3),
        "total_vs_in_memory": round(overhead, 3),
        "equal": report.counts["llama3"].tokens == expected,
    }


def _read_and_decode(found: list[Any]) -> int:
    """The scan without tokenizing: stat, read and decode every file found (one process)."""
    from planner.inputs.files import decode_document
    from planner.inputs.readers import kind_of, read_bytes, stat_regular

    chars = 0
    for item in found:
        stat_regular(item.path)
        chars += len(decode_document(read_bytes(item.path), kind_of(item.path), False).text)
    return chars


STARTUP_TARGET = 6.0  # issue 21: a one-line `planner count` within 6x a bare `python -c pass`
PROCESS_TARGET = 20.0  # issue 21: `planner count FILE --json` at least 20x one tiktoken call, as processes
PROCESS_RSS_LIMIT_MB = 256


def verdict(passed: bool, section: str, detail: str) -> str:
    return f"{'PASS' if passed else 'FAIL'} {section}: {detail}"


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def installed_env() -> dict[str, str]:
    """The environment of a measured planner process, as after `pip install` (which compiles .pyc files):
    byte-code caching allowed even where the environment sets PYTHONDONTWRITEBYTECODE. A warm-up run then
    writes the caches (and fills the page cache); without them every run compiles the modules it imports."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _timed_child(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``command``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, used


def bench_startup(args: argparse.Namespace) -> dict[str, Any]:
    """`planner count` on a one-line file against a bare `python -c pass`, in turn (A B A B ...): medians."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.txt"
        path.write_text("Does this one line fit?\n")
        command = [sys.executable, "-m", "planner", "count", str(path)]
        bare = [sys.executable, "-c", "pass"]
        env = installed_env()
        subprocess.run(command, capture_output=True, check=True, env=env, cwd=ROOT)  # warm-up
        times: list[float] = []
        python_times: list[float] = []
        cpu: list[float] = []
        python_cpu: list[float] = []
        for _ in range(args.runs):
            seconds, used = _timed_child(command, env)
            times.append(seconds)
            cpu.append(used)
            seconds, used = _timed_child(bare, env)
            python_times.append(seconds)
            python_cpu.append(used)
    median = statistics.median(times)
    python_only = statistics.median(python_times)
    ratio = median / python_only
    cpu_ratio = statistics.median(cpu) / statistics.median(python_cpu)
    print(
        f"startup: `planner count` on a one-line file: median {median * 1000:.0f} ms over {args.runs} runs "
        f"(min {min(times) * 1000:.0f} ms); a bare `python -c pass`: median {python_only * 1000:.0f} ms, "
        f"in turn; CPU time {statistics.median(cpu) * 1000:.0f} ms vs "
        f"{statistics.median(python_cpu) * 1000:.0f} ms ({cpu_ratio:.1f}x, steadier under load); "
        f"{load_note()}"
    )
    detail = f"{ratio:.1f}x a bare Python (target <= {STARTUP_TARGET:g}x); CPU time {cpu_ratio:.1f}x"
    print(verdict(ratio <= STARTUP_TARGET, "startup", detail))
    return {
        "median_ms": round(median * 1000),
        "min_ms": round(min(times) * 1000),
        "python_ms": round(python_only * 1000),
        "ratio": round(ratio, 2),
        "cpu_ratio": round(cpu_ratio, 2),
        "target": STARTUP_TARGET,
        "passed": ratio <= STARTUP_TARGET,
    }


# getrusage(RUSAGE_SELF).ru_maxrss survives execve on Linux (it would report the benchmark's own peak from
# before the exec), so the child reads its high-water mark VmHWM, which starts afresh with the new program.
_BIG_CHILD = """
import json, resource, sys
from planner.inputs import count_inputs

def peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

report = count_inputs([sys.argv[1]], ["llama3"])
print(json.dumps({
    "tokens": report.counts["llama3"].tokens,
    "words": report.words,
    "self_maxrss_kb": peak_kb(),
    "workers_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""


def reference_in_pieces(path: Path, family: str, piece_bytes: int = 100_000_000) -> int:
    """The file counted in ~100 MB pieces cut at safe points, one piece at a time (single process)."""
    encoding = get_encoding(family)
    decoder = codecs.getincrementaldecoder("utf-8")()
    total = 0
    carry = ""
    with open(path, "rb") as handle:
        while block := handle.read(piece_bytes):
            text = carry + decoder.decode(block)
            cut = last_safe_cut(text)
            if cut is None:
                carry = text
                continue
            total += int(encoding.encode_to_numpy(text[:cut], disallowed_special=()).size)
            carry = text[cut:]
    carry += decoder.decode(b"", final=True)
    return total + (int(encoding.encode_to_numpy(carry, disallowed_special=()).size) if carry else 0)


def bench_big(args: argparse.Namespace) -> dict[str, Any]:
    base = corpus_text().encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        target = int(args.big_gb * 1_000_000_000)
        with open(path, "wb") as handle:
            written = 0
            while written < target:
                handle.write(base)
                written += len(base)
        size_gb = path.stat().st_size / 1e9
        start = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _BIG_CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        seconds = time.perf_counter() - start
        figures = json.loads(child.stdout)
        reference_s, reference = timed(lambda: reference_in_pieces(path, "llama3"))
    result = {
        "gigabytes": round(size_gb, 2),
        "seconds": round(seconds, 1),
        "mb_per_s": round(size_gb * 1000 / seconds, 1),
        "tokens": figures["tokens"],
        "reference_tokens": reference,
        "equal": figures["tokens"] == reference,
        "main_process_peak_rss_mb": round(figures["self_maxrss_kb"] / 1024),
        "worker_peak_rss_mb": round(figures["workers_maxrss_kb"] / 1024),
    }
    print(
        f"big: {size_gb:.2f} GB streamed in {seconds:.1f} s ({result['mb_per_s']} MB/s); peak RSS: main "
        f"process {result['main_process_peak_rss_mb']} MB, largest worker {result['worker_peak_rss_mb']} MB; "
        f"total {figures['tokens']:,} vs 100 MB safe pieces {reference:,} ({reference_s:.0f} s): "
        f"equal: {result['equal']}; {load_note()}"
    )
    peak = max(result["main_process_peak_rss_mb"], result["worker_peak_rss_mb"])
    result["passed"] = peak <= PROCESS_RSS_LIMIT_MB and result["equal"]
    detail = f"peak RSS {peak} MB (<= {PROCESS_RSS_LIMIT_MB} MB), totals equal: {result['equal']}"
    print(verdict(result["passed"], f"big ({size_gb:.2f} GB)", detail))
    return result


_TIKTOKEN_CHILD = """
import sys
from planner.tokens.encoders import get_encoding
text = open(sys.argv[1], "rb").read().decode("utf-8")
print(len(get_encoding(sys.argv[2]).encode_ordinary(text)))
"""

# Runs a command and reports the peak RSS of the largest process of its tree (children roll up when waited).
_RSS_WRAPPER = """
import json, resource, subprocess, sys
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"stdout": run.stdout, "stderr": run.stderr, "status": run.returncode,
                  "peak_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime}))
"""

PROCESS_MODELS = {"llama3": "nousresearch/hermes-4-405b", "o200k_base": "openai/gpt-4o"}


def _run_measured(command: list[str], statuses: tuple[int, ...] = (0,)) -> tuple[float, str, int, float]:
    """(wall seconds, standard output, peak RSS in MB of the largest process, CPU seconds of all of them);
    an exit status not in ``statuses`` is an error."""
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *command],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=installed_env(),
    )
    seconds = time.perf_counter() - start
    figures = json.loads(child.stdout)
    if figures["status"] not in statuses:
        raise RuntimeError(f"{' '.join(command)} exited {figures['status']}: {figures['stderr'][-500:]}")
    return seconds, figures["stdout"], figures["peak_kb"] // 1024, figures["cpu_s"]


def bench_process(args: argparse.Namespace) -> dict[str, Any]:
    """The issue's measurement: `planner count FILE --json` as a whole process against a whole process that
    reads the file and makes one tiktoken encode_ordinary call, in turn (A B A B), on a --process-mb text.
    The ratio is the median of each pair's ratio (a pair runs back to back, so under the same load)."""
    # the target assumes two free cores: say how many this run really gets (other programs lower it)
    results: dict[str, Any] = {"capacity": bench_capacity(args)}
    cores = results["capacity"]["parallel_capacity"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        path.write_text(text_of_size(args.process_mb), encoding="utf-8", newline="")
        megabytes = path.stat().st_size / 1e6
        for family in args.process_families:
            model = PROCESS_MODELS[family]
            planner = [sys.executable, "-m", "planner", "count", str(path), "--json", "--model", model]
            tiktoken = [sys.executable, "-c", _TIKTOKEN_CHILD, str(path), family]
            runs: dict[str, list[tuple[float, str, int, float]]] = {"planner": [], "tiktoken": []}
            _run_measured(planner)  # warm-up: byte-code caches (installed_env)
            for _ in range(max(1, args.process_runs)):  # A B A B ...
                runs["planner"].append(_run_measured(planner))
                runs["tiktoken"].append(_run_measured(tiktoken))
            pairs = [b[0] / a[0] for a, b in zip(runs["planner"], runs["tiktoken"], strict=True)]
            tokens = {json.loads(run[1])["tokens"] for run in runs["planner"]}
            reference = {int(run[1]) for run in runs["tiktoken"]}
            row = {
                "megabytes": round(megabytes),
                "planner_s": [round(run[0], 2) for run in runs["planner"]],
                "tiktoken_s": [round(run[0], 2) for run in runs["tiktoken"]],
                "pair_ratios": [round(ratio, 2) for ratio in pairs],
                "ratio": round(statistics.median(pairs), 2),
                "planner_cpu_s": [round(run[3], 2) for run in runs["planner"]],
                "tiktoken_cpu_s": [round(run[3], 2) for run in runs["tiktoken"]],
                "planner_peak_rss_mb": max(run[2] for run in runs["planner"]),
                "tiktoken_peak_rss_mb": max(run[2] for run in runs["tiktoken"]),
                "tokens": min(tokens),
                "equal": len(tokens) == 1 and tokens == reference,
                "load": load_note(),
            }
            row["passed"] = (
                row["ratio"] >= PROCESS_TARGET
                and row["planner_peak_rss_mb"] <= PROCESS_RSS_LIMIT_MB
                and row["equal"]
            )
            results[family] = row
            print(
                f"process {family}: {megabytes:.0f} MB, planner {row['planner_s']} s vs one tiktoken call "
                f"{row['tiktoken_s']} s (A B A B), pair ratios {row['pair_ratios']}; peak RSS of the largest "
                f"process {row['planner_peak_rss_mb']} MB (tiktoken {row['tiktoken_peak_rss_mb']} MB); "
                f"{row['tokens']:,} tokens, totals equal: {row['equal']}; CPU seconds (all processes) "
                f"planner {row['planner_cpu_s']} vs tiktoken {row['tiktoken_cpu_s']}: on a busy machine the "
                f"wall-clock ratio can fall to the CPU ratio; {row['load']}"
            )
            detail = (
                f"{row['ratio']}x one tiktoken call (median of {len(pairs)} pairs; "
                f"target >= {PROCESS_TARGET:g}x), "
                f"peak RSS {row['planner_peak_rss_mb']} MB (<= 256 MB), totals equal: {row['equal']}"
            )
            if cores < 1.6:
                detail += f"; this run got {cores:.2f} cores of two: the ratio is near the CPU ratio"
            print(verdict(row["passed"], f"process {family}", detail))
    return results


FIT_TARGET = 1.3  # issue 21: `fit` on a folder within 1.3x of `count`'s time and peak RSS


def bench_fit(args: argparse.Namespace) -> dict[str, Any]:
    """`planner fit FOLDER --json` against `planner count FOLDER --json`, whole processes in turn (A B A B),
    on a folder of --fit-mb of text in --fit-files files that does not fit the default model (so `fit` plans
    what to leave out and looks for models that take it whole): time and peak RSS ratios."""
    text = text_of_size(args.fit_mb)
    with tempfile.TemporaryDirectory() as folder:
        piece = len(text) // args.fit_files
        for index in range(args.fit_files):
            start = index * piece
            Path(folder, f"{index // 100:03d}", f"{index:05d}.txt").parent.mkdir(exist_ok=True)
            Path(folder, f"{index // 100:03d}", f"{index:05d}.txt").write_text(
                text[start : start + piece], encoding="utf-8", newline=""
            )
        count = [sys.executable, "-m", "planner", "count", folder, "--json"]
        fit = [sys.executable, "-m", "planner", "fit", folder, "--json"]
        runs: dict[str, list[tuple[float, str, int, float]]] = {"count": [], "fit": []}
        for _ in range(max(1, args.process_runs)):  # A B A B ...
            runs["count"].append(_run_measured(count))
            runs["fit"].append(_run_measured(fit, statuses=(0, 1)))
    pairs = [f[0] / c[0] for c, f in zip(runs["count"], runs["fit"], strict=True)]
    fit_doc = json.loads(runs["fit"][0][1])
    row = {
        "megabytes": args.fit_mb,
        "files": args.fit_files,
        "count_s": [round(run[0], 2) for run in runs["count"]],
        "fit_s": [round(run[0], 2) for run in runs["fit"]],
        "time_ratio": round(statistics.median(pairs), 2),
        "count_peak_rss_mb": max(run[2] for run in runs["count"]),
        "fit_peak_rss_mb": max(run[2] for run in runs["fit"]),
        "verdict": fit_doc["verdict"],
        "files_to_leave_out": len((fit_doc.get("drop_plan") or {}).get("drop", [])),
        "same_tokens": fit_doc["input_tokens"] == json.loads(runs["count"][0][1])["tokens"],
        "load": load_note(),
    }
    row["rss_ratio"] = round(row["fit_peak_rss_mb"] / row["count_peak_rss_mb"], 2)
    cpu_pairs = [f[3] / c[3] for c, f in zip(runs["count"], runs["fit"], strict=True)]
    row["cpu_ratio"] = round(statistics.median(cpu_pairs), 2)  # steadier than wall time on a busy machine
    row["passed"] = row["time_ratio"] <= FIT_TARGET and row["rss_ratio"] <= FIT_TARGET and row["same_tokens"]
    print(
        f"fit on a folder: {args.fit_mb:g} MB in {args.fit_files} files ({row['verdict']}, "
        f"{row['files_to_leave_out']} files to leave out): fit {row['fit_s']} s vs count {row['count_s']} s "
        f"(A B A B), peak RSS {row['fit_peak_rss_mb']} MB vs {row['count_peak_rss_mb']} MB; {row['load']}"
    )
    detail = (
        f"{row['time_ratio']}x count's time, {row['rss_ratio']}x its peak RSS (target <= {FIT_TARGET}x); "
        f"CPU time {row['cpu_ratio']}x"
    )
    print(verdict(row["passed"], "fit on a folder", detail))
    return row


DATASET_TARGET = 0.5  # issue 21: a dataset's --field count at least half the plain-text throughput


def bench_dataset(args: argparse.Namespace) -> dict[str, Any]:
    """`planner count data.jsonl --field text --json` against `planner count data.txt --json` holding the
    same rows as plain text, whole processes in turn (A B A B): the throughput ratio."""
    import random

    text = text_of_size(args.dataset_mb)
    chooser = random.Random(21)
    rows, start = [], 0
    while start < len(text):
        size = chooser.randrange(100, 8000)
        rows.append(text[start : start + size])
        start += size
    with tempfile.TemporaryDirectory() as folder:
        dataset, plain = Path(folder, "data.jsonl"), Path(folder, "data.txt")
        with dataset.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps({"text": row}, ensure_ascii=False) + "\n")
        plain.write_text("".join(rows), encoding="utf-8", newline="")
        commands = {
            "plain": [sys.executable, "-m", "planner", "count", str(plain), "--json"],
            "dataset": [sys.executable, "-m", "planner", "count", str(dataset), "--field", "text", "--json"],
        }
        runs: dict[str, list[tuple[float, str, int, float]]] = {"plain": [], "dataset": []}
        for _ in range(max(1, args.process_runs)):  # A B A B ...
            for name, command in commands.items():
                runs[name].append(_run_measured(command))
    pairs = [p[0] / d[0] for p, d in zip(runs["plain"], runs["dataset"], strict=True)]
    row = {
        "megabytes": args.dataset_mb,
        "rows": len(rows),
        "plain_s": [round(run[0], 2) for run in runs["plain"]],
        "dataset_s": [round(run[0], 2) for run in runs["dataset"]],
        "throughput_ratio": round(statistics.median(pairs), 2),
        "dataset_peak_rss_mb": max(run[2] for run in runs["dataset"]),
        "load": load_note(),
    }
    row["passed"] = row["throughput_ratio"] >= DATASET_TARGET
    print(
        f"dataset: {args.dataset_mb:g} MB in {len(rows):,} rows, --field count {row['dataset_s']} s vs the "
        f"same text as one file {row['plain_s']} s (A B A B), peak RSS {row['dataset_peak_rss_mb']} MB; "
        f"{row['load']}"
    )
    detail = f"{row['throughput_ratio']}x the plain-text throughput (target >= {DATASET_TARGET}x)"
    print(verdict(row["passed"], "dataset", detail))
    return row


def bench_families(args: argparse.Namespace) -> dict[str, Any]:
    """Each exact family's single-core throughput against tiktoken o200k_base on the same text, same run (the
    first engine; and the bulk engine, gigatoken, where the family has one), in CPU seconds of the counting
    thread (every engine here counts on the calling thread), so that other programs' load barely moves it."""
    import numpy  # noqa: F401 - gigatoken imports it on its first call (~0.09 s): not charged to one family

    from planner.tokens.encoders import BULK_ENGINES, build_engine
    from planner.tokens.families import FAMILIES, encoder_for

    text = text_of_size(args.families_mb)
    megabytes = len(text.encode("utf-8")) / 1e6
    o200k = get_encoding("o200k_base")
    base_s, _ = best_of(args.repeat, lambda: len(o200k.encode_ordinary(text)), time.thread_time)
    results: dict[str, Any] = {"megabytes": round(megabytes, 1), "tiktoken_o200k_s": round(base_s, 2)}
    measured = [  # the first engine (a BulkSwitch past its size rule would be on its bulk engine already)
        (name, getattr(encoder_for(name), "first", encoder_for(name)))
        for name, family in FAMILIES.items()
        if family.exact and name not in ("o200k_harmony", "phi4")  # the same encoders as o200k / cl100k
    ]
    measured += [(f"{name} bulk", build_engine(name, engine)) for name, (engine, _) in BULK_ENGINES.items()]
    for name, encoder in measured:
        seconds, _ = best_of(args.repeat, lambda encoder=encoder: encoder.count(text), time.thread_time)
        results[name] = {
            "engine": encoder.engine,
            "seconds": round(seconds, 2),
            "relative": round(base_s / seconds, 2),
        }
        print(
            f"families: {name} ({encoder.engine}) {megabytes / seconds:.1f} MB per CPU second, "
            f"{base_s / seconds:.2f}x tiktoken o200k_base ({megabytes / base_s:.1f}); {load_note()}"
        )
    return results


SECTIONS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "process": bench_process,
    "families": bench_families,
    "capacity": bench_capacity,
    "throughput": bench_throughput,
    "folder": bench_folder,
    "startup": bench_startup,
    "fit": bench_fit,
    "dataset": bench_dataset,
    "big": bench_big,
}
DEFAULT_SECTIONS = ("capacity", "throughput", "folder", "startup", "families")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=float, default=50, help="text size for the throughput section")
    parser.add_argument(
        "--files", type=int, default=10_000, help="number of small files for the folder section"
    )
    parser.add_argument(
        "--runs", type=int, default=7, help="start-up runs, each in turn with a bare Python (medians)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each measurement N times, keep the fastest"
    )
    parser.add_argument("--process-mb", type=float, default=200, help="text size for the process section")
    parser.add_argument(
        "--process-runs", type=int, default=2, help="process section: pairs of runs (A B A B: 2)"
    )
    parser.add_argument(
        "--process-families",
        nargs="+",
        choices=sorted(PROCESS_MODELS),
        default=list(PROCESS_MODELS),
        help="process section: the families to measure",
    )
    parser.add_argument("--families-mb", type=float, default=20, help="text size for the families section")
    parser.add_argument("--fit-mb", type=float, default=20, help="text size for the fit section's folder")
    parser.add_argument("--dataset-mb", type=float, default=20, help="text size for the dataset section")
    parser.add_argument("--fit-files", type=int, default=2000, help="files of the fit section's folder")
    parser.add_argument("--big", action="store_true", help="also run the 1 GB streaming section")
    parser.add_argument("--big-gb", type=float, default=1.0, help="size of the big file in GB")
    parser.add_argument("--sections", nargs="+", choices=sorted(SECTIONS), help="run only these sections")
    parser.add_argument(
        "--json", action="store_true", help="print all figures as one JSON document at the end"
    )
    args = parser.parse_args()
    names = args.sections or [*DEFAULT_SECTIONS, *(["big"] if args.big else [])]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    results = {name: SECTIONS[name](args) for name in names}
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
