"""planner.mcp.roots.confine: which paths an MCP client may have read, checked without a server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.mcp.roots import PathRefused, confine, path_of_file_uri


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "root" / "docs").mkdir(parents=True)
    (tmp_path / "root" / "docs" / "a.md").write_text("hello", encoding="utf-8")
    (tmp_path / "root" / "inner-link.md").symlink_to(tmp_path / "root" / "docs" / "a.md")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    (tmp_path / "root" / "out-link.txt").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "root" / "out-folder").symlink_to(tmp_path)
    os.mkfifo(tmp_path / "root" / "fifo")
    return tmp_path


def test_inside_the_root_is_allowed_and_relative_paths_start_there(tree) -> None:
    root = tree / "root"
    assert confine(str(root / "docs" / "a.md"), [[root]]) == str(root / "docs" / "a.md")
    assert confine("docs", [[root]], base=root) == str(root / "docs")
    # a link that stays inside
    assert confine(str(root / "inner-link.md"), [[root]]) == str(root / "inner-link.md")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("out-link.txt", "symbolic link that leads out of the roots"),
        ("out-folder", "symbolic link that leads out of the roots"),
        ("fifo", "not a regular file or folder"),
    ],
)
def test_links_out_and_special_files_are_refused(tree, name, message) -> None:
    with pytest.raises(PathRefused, match=message):
        confine(str(tree / "root" / name), [[tree / "root"]])


def test_outside_dotdot_stdin_urls_and_no_roots_are_refused(tree) -> None:
    root = tree / "root"
    with pytest.raises(PathRefused, match="is outside the roots"):
        confine(str(tree / "secret.txt"), [[root]])
    with pytest.raises(PathRefused, match="is outside the roots"):
        confine("../secret.txt", [[root]], base=root)
    with pytest.raises(PathRefused, match="standard input is the MCP channel"):
        confine("-", [[root]])
    with pytest.raises(PathRefused, match="not URLs"):
        confine("s3://bucket/data.jsonl", [[root]])
    with pytest.raises(PathRefused, match="no roots were granted"):
        confine(str(root / "docs" / "a.md"), [])
    with pytest.raises(InputError, match="no such file or folder"):
        confine(str(root / "missing.md"), [[root]])


def test_with_two_grants_a_path_must_be_inside_both(tree) -> None:
    root, docs = tree / "root", tree / "root" / "docs"
    assert confine(str(docs / "a.md"), [[root], [docs]]) == str(docs / "a.md")
    with pytest.raises(PathRefused, match="is outside the roots"):
        confine(str(root / "fifo"), [[root], [docs]])


def test_file_uri_roots() -> None:
    assert path_of_file_uri("file:///home/me/my%20project") == Path("/home/me/my project")
    with pytest.raises(PathRefused, match="not a file:// URI"):
        path_of_file_uri("https://example.com/")
