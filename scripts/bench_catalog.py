"""Measure how long the catalog takes to load and answer a lookup (what `planner count --model` pays).

Usage: python scripts/bench_catalog.py [--repeat N]
Each phase is timed in a fresh interpreter so import and file-reading costs are counted as a user sees them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, time
start = time.perf_counter()
from planner.catalog.store import load_catalog
imported = time.perf_counter()
catalog = load_catalog()
loaded = time.perf_counter()
catalog.get("nousresearch/hermes-4-405b")
by_id = time.perf_counter()
catalog.get("hermes 405")
looked_up = time.perf_counter()
offers = catalog.offers
validated = time.perf_counter()
print(json.dumps({"import": imported - start, "load": loaded - imported, "get_id": by_id - loaded,
                  "get_fuzzy": looked_up - by_id, "validate_all": validated - looked_up,
                  "offers": len(offers)}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    runs = []
    for _ in range(args.repeat):
        done = subprocess.run(
            [sys.executable, "-c", PROBE], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout))
    print(f"catalog: {runs[0]['offers']:,} offers, median of {args.repeat} fresh interpreters")
    for phase in ("import", "load", "get_id", "get_fuzzy", "validate_all"):
        print(f"  {phase:<13}{statistics.median(run[phase] for run in runs) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
