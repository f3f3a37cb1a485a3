"""Build the shipped catalog snapshot planner/data/catalog.json from the pinned source files.

Usage: python scripts/build_catalog.py [SOURCES_FOLDER] [--output PATH]
SOURCES_FOLDER defaults to the repository's data/ folder (the pinned sources with SOURCES.md and their
licences); the output defaults to the package data, planner/data/catalog.json. The output is deterministic
(sorted records, sorted keys), so re-running on the same files gives the same bytes. The model index
beside it (catalog_index.jsonl, planner.catalog.model_index: what a count needs of each exact id) is
rebuilt from the snapshot written, and so is pool_index.json (planner.advice.pool_index: the offers `fit` may
suggest, by planner.advice.policy).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from planner.advice import pool_index  # noqa: E402
from planner.catalog import model_index  # noqa: E402
from planner.catalog.build import build, read_crosscheck, read_pinned_sources  # noqa: E402
from planner.catalog.store import read_snapshot, write_snapshot  # noqa: E402
from planner.errors import PlannerError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="?", type=Path, default=REPO_ROOT / "data")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "planner" / "data" / "catalog.json")
    args = parser.parse_args(argv)
    try:
        result = build(read_pinned_sources(args.sources), read_crosscheck(args.sources))
    except PlannerError as error:
        sys.stderr.write(f"error: {error.message}\n")
        return error.exit_code
    for problem in result.errors:
        sys.stderr.write(f"skipped: {problem}\n")
    write_snapshot(args.output, result.document())
    snapshot, written = read_snapshot(args.output), args.output.read_bytes()
    index = args.output.with_name(f"{args.output.stem}_index.jsonl")
    model_index.write_index(index, model_index.index_document(snapshot, written))
    pools = args.output.with_name("pool_index.json")
    pool_index.write_index(pools, pool_index.index_document(snapshot, written))
    counts = ", ".join(f"{s.name} {s.model_count}" for s in result.sources)
    print(f"wrote {args.output}: {len(result.offers)} offers as of {result.as_of} ({counts})")
    print(f"wrote {index} and {pools}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
