"""Deeply nested HTML against plain text of the same size (issue 12, item 4: must be under 2x).

Usage: python scripts/bench_nested_html.py [--depth 20000] [--repeat 3]
Writes ``<div>`` x depth around one sentence, and a plain-text file of exactly as many bytes, then times
``planner count FILE --json`` on each in a fresh process, in turn (A B A B ...), and prints the medians and
their ratio. Before the one-pass reader, 20,000 nested divs took 27 s and 100,000 took 911 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_inputs(folder: Path, depth: int) -> tuple[Path, Path]:
    nested = folder / "nested.html"
    nested.write_text("<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>")
    size = nested.stat().st_size
    sentence = "The quick brown fox jumps over the lazy dog. "
    plain = folder / "plain.txt"
    plain.write_text((sentence * (size // len(sentence) + 1))[:size])
    return nested, plain


def run_once(path: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "planner", "count", str(path), "--json"], check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        nested, plain = write_inputs(Path(temporary), options.depth)
        times: dict[str, list[float]] = {"nested": [], "plain": []}
        for _ in range(options.repeat):
            times["nested"].append(run_once(nested))
            times["plain"].append(run_once(plain))
        html, text = statistics.median(times["nested"]), statistics.median(times["plain"])
        print(f"{options.depth:,} nested divs ({nested.stat().st_size:,} bytes): {html:.2f} s")
        print(f"plain text of the same bytes:       {text:.2f} s")
        print(f"ratio: {html / text:.2f}x (must be under 2x)")


if __name__ == "__main__":
    main()
