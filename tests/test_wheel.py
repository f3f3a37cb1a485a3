"""The package is self-contained: a wheel built from the project, installed into a fresh virtual environment,
runs `planner fit` from an unrelated folder with the catalog it carries (no file beside a checkout).

The build copies the project to a temporary folder first, so nothing (build/, *.egg-info) lands in the
checkout, and runs without build isolation, so nothing downloads: setuptools and wheel come from this
interpreter (the `test` extra). The new venv sees the packages of the interpreter running the tests for the
dependencies: a `.pth` file lists that interpreter's site-packages folders. (`--system-site-packages` would
not do: from inside a virtualenv it gives the BASE interpreter's packages, not the active venv's, and the
test failed in every virtualenv.) Those folders are plain path entries, so their own `.pth` files (an
editable install of this checkout) are not run: the venv imports the wheel's copy. The wheel itself is
installed with `--no-deps --no-index`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*command: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(the wheel, the venv's bin folder, an environment without this checkout on PYTHONPATH)."""
    base = tmp_path_factory.mktemp("wheel")
    project = base / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "planner", project / "planner", ignore=shutil.ignore_patterns("__pycache__"))
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "PLANNER_CACHE_DIR"}}
    env["PLANNER_CACHE_DIR"] = str(base / "cache")  # no refreshed catalog of the user's in the way
    env["PIP_NO_INPUT"] = "1"
    wheels = base / "wheels"
    pip = (sys.executable, "-m", "pip")
    _run(*pip, "wheel", ".", "--no-deps", "--no-build-isolation", "-w", wheels, cwd=project, env=env)
    [wheel] = wheels.glob("planner-*.whl")
    venv = base / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=base, env=env)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    purelib = _run(bin_dir / "python", "-c", PURELIB, cwd=base, env=env).stdout.strip()
    lines = [folder for folder in this_interpreters_site_folders() if folder != purelib]
    (Path(purelib) / "planner-test-deps.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _run(*pip, "--python", bin_dir / "python", "install", "--no-deps", "--no-index", wheel, cwd=base, env=env)
    return wheel, bin_dir, env


PURELIB = "import sysconfig; print(sysconfig.get_paths()['purelib'])"


def this_interpreters_site_folders() -> list[str]:
    """The site-packages folders on this interpreter's path (a venv's own, then its base's, user site)."""
    return [folder for folder in sys.path if Path(folder).name in ("site-packages", "dist-packages")]


def test_the_venv_takes_its_dependencies_from_the_interpreter_running_the_tests(installed, tmp_path) -> None:
    _, bin_dir, env = installed
    import pydantic

    code = "import pydantic; print(pydantic.__file__)"
    where = _run(bin_dir / "python", "-c", code, cwd=tmp_path, env=env).stdout.strip()
    assert Path(where) == Path(pydantic.__file__)  # the active interpreter's copy, venv or not


def test_wheel_carries_the_catalog_snapshot_and_no_repository_data(installed) -> None:
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "planner/data/catalog.json" in names
    assert "planner/data/estimate_factors.json" in names
    assert {"planner/data/llama3_tokenizer.json.gz", "planner/data/qwen3_5_tokenizer.json.gz"} <= set(names)
    assert not [name for name in names if name.startswith(("data/", "tests/", "scripts/"))]


def test_installed_planner_fit_runs_from_an_unrelated_folder(installed, tmp_path) -> None:
    _, bin_dir, env = installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(bin_dir / "python", "-c", "import planner; print(planner.__file__)", cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent), where.stdout  # the wheel's copy
    result = _run(bin_dir / "planner", "fit", "--input-tokens", "1000", "--json", cwd=elsewhere, env=env)
    document = json.loads(result.stdout)
    # Hermes 4 405B, the default model: 131,072 tokens (data/SOURCES.md), 1,000 in leaves room for any answer
    assert document["model"] == "nousresearch/hermes-4-405b"
    assert document["context_window"] == 131_072
    assert document["input_tokens"] == 1_000
    assert document["fits"] is True
    human = _run(bin_dir / "planner", "fit", "--input-tokens", "1000", cwd=elsewhere, env=env)
    assert "131,072" in human.stdout
    info = json.loads(_run(bin_dir / "planner", "catalog", "info", "--json", cwd=elsewhere, env=env).stdout)
    assert info["origin"] == "shipped" and Path(info["path"]).is_relative_to(bin_dir.parent)


def test_the_wheel_carries_the_app_and_planner_app_serves_it(installed, tmp_path) -> None:
    wheel, bin_dir, env = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert {"planner/app/main.py", "planner/app/views/fit.py", "planner/app/views/compare.py"} <= set(names)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "from planner.cli.serve_app import app_script; print(app_script())"
    script = Path(_run(bin_dir / "python", "-c", code, cwd=elsewhere, env=env).stdout.strip())
    assert script.is_file() and script.is_relative_to(bin_dir.parent)  # the wheel's copy, not the checkout
    assert "streamlit options" in _run(bin_dir / "planner", "app", "--help", cwd=elsewhere, env=env).stdout


def browser_helpers() -> ModuleType:
    """tests/app/test_app_browser.py, the browser tests' server and Chromium helpers (tests/app is not a
    package, and the checkout's app.py holds the name "app")."""
    if "test_app_browser" in sys.modules:
        return sys.modules["test_app_browser"]
    spec = importlib.util.spec_from_file_location(
        "test_app_browser", ROOT / "tests" / "app" / "test_app_browser.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["test_app_browser"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.browser
def test_planner_app_from_the_wheel_draws_the_verdict_in_chromium(installed, tmp_path) -> None:
    """`planner app`, run from an unrelated folder with the wheel's copy, serves a page that Chromium draws
    with the verdict: the app is whole in the package, not only its script."""
    from playwright.sync_api import expect

    browser = browser_helpers()
    browser.require_chromium()
    browser_page, settled = browser.browser_page, browser.settled
    _wheel, bin_dir, env = installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = [str(bin_dir / "planner"), "app"]
    log = tmp_path / "streamlit.log"
    with browser.streamlit_server(command, elsewhere, env, log) as url, browser_page(390, 844) as page:
        page.goto(url)
        expect(page.get_by_text("This model accepts 131K tokens in one request")).to_be_visible()
        strip = page.locator('[data-testid="stAlert"]').filter(has_text="Fits: The input fits with")
        expect(strip.first).to_be_visible()
        settled(page)
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
