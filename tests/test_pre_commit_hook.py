"""The `planner-fit` pre-commit hook (.pre-commit-hooks.yaml), run by `pre-commit try-repo` on a temporary
git repository: a commit whose files do not fit Hermes 4's 131,072-token window is refused, a small one
passes. The hook is `language: system`, so pre-commit builds no virtualenv and downloads nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow  # every test here makes git commits through the hook (seconds each)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"


def test_the_hook_is_declared_as_documented() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "planner-fit" and hook["language"] == "system"
    assert hook["entry"].startswith("planner fit") and hook["pass_filenames"] is True
    assert "planner-fit" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hook")
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "-q")
    return work


def git(where: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=where, check=True, capture_output=True)


def environment(tmp_path: Path) -> dict[str, str]:
    """This interpreter's `planner` first on PATH, running this checkout's code; pre-commit's cache in tmp."""
    scripts = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": scripts + os.pathsep + os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }


def try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo CHECKOUT planner-fit` over what is staged in ``repo``."""
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "planner-fit", "--verbose"]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def test_a_commit_that_fits_passes(repo, tmp_path) -> None:
    shutil.copy(CORPUS / "prose_en.txt", repo / "prompt.txt")
    shutil.copy(CORPUS / "README.md", repo / "notes.md")
    git(repo, "add", "prompt.txt", "notes.md")
    done = try_repo(repo, environment(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout and "nousresearch/hermes-4-405b: fits" in done.stdout


def test_an_oversized_commit_is_refused(repo, tmp_path) -> None:
    prose = (CORPUS / "prose_en.txt").read_text(encoding="utf-8")
    copies = 60  # prose_en.txt is ~2,400 Llama 3 tokens: 60 copies are ~145,000, over the 131,072 window
    (repo / "big.txt").write_text(prose * copies, encoding="utf-8")
    git(repo, "add", "big.txt")
    done = try_repo(repo, environment(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and "does not fit" in done.stdout
    assert "over the 131,072 input tokens the reserves leave" in " ".join(done.stdout.split())
