"""Benchmark: `planner compare` over the whole catalog for a 1 MB document.

Measures, separately: loading the catalog, counting the document once per tokenizer family, and the
comparison itself (fit + cost for every model; the issue's budget is < 2 s for this part), plus the JSON
rendering. Run: python scripts/bench_compare.py [--repeat 5] [--path FILE]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from planner.advice.compare import compare_models
from planner.catalog import load_catalog
from planner.inputs import count_inputs
from planner.tokens.families import families_of

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "from",
    "at",
    "an",
    "or",
    "have",
    "not",
    "which",
]


def one_megabyte_of_prose(seed: int = 7) -> str:
    rng = random.Random(seed)
    lines, size = [], 0
    while size < 1_000_000:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + ".\n"
        lines.append(line)
        size += len(line)
    return "".join(lines)


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--path", type=Path, help="a document to use instead of generated 1 MB prose")
    args = parser.parse_args()
    catalog, load_seconds = timed(load_catalog)
    offers, validate_seconds = timed(lambda: catalog.offers)
    default = catalog.get("nousresearch/hermes-4-405b")
    families = families_of(offers)
    with TemporaryDirectory() as folder:
        path = args.path or Path(folder) / "doc.txt"
        if args.path is None:
            path.write_text(one_megabyte_of_prose(), encoding="utf-8")
        report, count_seconds = timed(lambda: count_inputs([str(path)], families))
        runs = []
        for _ in range(args.repeat):
            comparison, seconds = timed(
                lambda: compare_models(offers, report.counts, default=default, output_tokens=4_000)
            )
            runs.append(seconds)
        _, dump_seconds = timed(lambda: comparison.model_dump(mode="json"))
    print(f"document: {path.stat().st_size if args.path else 1_000_000:,} bytes, {report.words:,} words")
    print(f"catalog: {len(offers):,} models, {len(families)} tokenizer families")
    print(f"load catalog {load_seconds:.3f} s, validate offers {validate_seconds:.3f} s")
    print(f"count once per family ({len(families)} families): {count_seconds:.3f} s")
    print(
        f"compare after the count: median {statistics.median(runs):.3f} s, max {max(runs):.3f} s "
        f"over {len(runs)} runs; JSON dump {dump_seconds:.3f} s; {len(comparison.models):,} rows"
    )


if __name__ == "__main__":
    main()
