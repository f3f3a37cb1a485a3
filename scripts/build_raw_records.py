"""Write planner/data/openrouter_records.json: OpenRouter's own record of each model, as the pinned snapshot
in data/ holds it (the model page shows it in full: is_moderated, per_request_limits, default_parameters,
expiration_date and the rest the catalog's schema leaves out).

    python scripts/build_raw_records.py

Generated: do not edit the output; rerun this script when data/openrouter-models-*.json changes (a test
checks that the shipped file is what this script writes from the pinned snapshot).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "planner" / "data" / "openrouter_records.json"


def latest_snapshot(folder: Path = ROOT / "data") -> Path:
    return sorted(folder.glob("openrouter-models-*.json"))[-1]


def raw_records_document(snapshot: Path) -> dict[str, Any]:
    document = json.loads(snapshot.read_text(encoding="utf-8"))
    models = document["data"] if isinstance(document, dict) else document
    return {
        "generated_by": "scripts/build_raw_records.py (do not edit)",
        "source": snapshot.name,
        "records": {model["id"]: model for model in models},
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def main() -> None:
    snapshot = latest_snapshot()
    OUTPUT.write_text(render(raw_records_document(snapshot)), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} from {snapshot.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
