"""Write planner/data/reference_counts.json: every reference document counted for every tokenizer family.

Usage: python scripts/build_reference_counts.py [--output PATH]
Re-run it when a family, an encoder, the estimate factors or a reference text changes;
tests/advice/test_reference_counts.py recounts every entry and fails on a stale table. Deterministic output.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from planner.advice.reference_documents import (  # noqa: E402
    REFERENCE_COUNTS_FILE,
    REFERENCES,
    count_reference,
    reference_key,
)
from planner.tokens.families import family_names  # noqa: E402


def table() -> dict:
    counts = {
        family: {
            reference_key(doc.words, doc.kind): count_reference(doc.words, doc.kind, family).model_dump(
                exclude={"tokenizer"}
            )
            for doc in REFERENCES
        }
        for family in family_names()
    }
    return {
        "about": "scripts/build_reference_counts.py; planner.advice.reference_documents",
        "counts": counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = REPO_ROOT / "planner" / REFERENCE_COUNTS_FILE
    parser.add_argument("--output", type=Path, default=default)
    args = parser.parse_args(argv)
    text = json.dumps(table(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {len(REFERENCES)} documents x {len(family_names())} families")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
