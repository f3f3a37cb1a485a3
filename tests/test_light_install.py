"""The light install: the core dependencies count, fit, price and serve MCP; the app, Parquet and Dask are
extras, and a feature whose extra is missing says which one to install (one `error:` line)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from planner.cli import run_app

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def names(requirements: list[str]) -> set[str]:
    """Distribution names of requirement strings ("dask[distributed]>=2024.1" -> "dask")."""
    found = set()
    for line in requirements:
        name = line
        for stop in "[<>=!~; ":
            name = name.split(stop)[0]
        found.add(name.lower())
    return found


def test_core_dependencies_hold_no_app_or_dataset_library() -> None:
    core = names(PYPROJECT["project"]["dependencies"])
    assert {"typer", "pydantic", "mcp", "tiktoken"} <= core
    assert not {"streamlit", "altair", "pandas", "pyarrow", "dask"} & core


def test_each_extra_holds_its_feature_and_test_holds_them_all() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"streamlit", "altair", "pandas"} <= names(extras["app"])
    assert names(extras["datasets"]) == {"pyarrow"}
    assert "dask" in names(extras["dask"])
    assert "planner[app,datasets,dask]" in extras["test"]
    assert {"jsonschema", "pre-commit", "pytest"} <= names(extras["test"])


@pytest.mark.slow
def test_the_cli_and_the_mcp_server_import_no_extra() -> None:
    code = (
        "import sys, planner.cli, planner.mcp.server; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'altair', 'pandas', 'pyarrow'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_parquet_without_pyarrow_is_one_error_naming_the_extra(tmp_path, monkeypatch, capsys) -> None:
    table = tmp_path / "part-0.parquet"
    table.write_bytes(b"PAR1 not read: the import fails first")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert run_app(["count", str(table), "--column", "text"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: reading Parquet needs pyarrow")
    assert "pip install 'planner[datasets]'" in err


@pytest.mark.parametrize("module", ["streamlit", "altair", "pandas"])
def test_missing_app_library_names_the_app_extra(module, monkeypatch) -> None:
    from planner.errors import MissingExtraError, require_module

    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError) as raised:
        require_module(module, "the app")
    assert raised.value.message.startswith(f"the app needs {module}, which is not installed")
    assert "pip install 'planner[app]'" in raised.value.message
