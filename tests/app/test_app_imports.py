"""What the app's server imports before a chart or a table is drawn: not Altair, pandas or pyarrow (Streamlit
takes a chart's spec as a dict and imports pandas itself when a table is drawn), so a server starts without
them (Altair alone is 0.6 s and ~26 MB)."""

from __future__ import annotations

import json
import subprocess
import sys

import altair

from planner.app import charts

HEAVY = ("altair", "pandas", "pyarrow")


def test_the_charts_name_altairs_own_schema() -> None:
    assert charts.SCHEMA_URL == altair.SCHEMA_URL


def test_importing_the_app_imports_no_chart_or_table_library() -> None:
    code = (
        "import json, sys, planner.app.main; "
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
