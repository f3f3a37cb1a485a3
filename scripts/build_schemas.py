"""Write docs/schemas/COMMAND.schema.json for every command in planner.cli.schema.SCHEMAS: the published
copies of `planner schema COMMAND` (tests/cli/test_schemas.py fails when one is out of date).

    python scripts/build_schemas.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.cli._app import json_text  # noqa: E402
from planner.cli.schema import SCHEMAS, json_schema  # noqa: E402


def main() -> None:
    folder = ROOT / "docs" / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    for command in SCHEMAS:
        path = folder / f"{command}.schema.json"
        path.write_text(json_text(json_schema(command)) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
