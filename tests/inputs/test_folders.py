"""Folders: recursion, .gitignore (nested, negations), default skips, --include / --exclude, symlink loops."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from planner.errors import InputError, UsageError
from planner.inputs import count_inputs
from planner.inputs.folders import Filters, walk_folder
from planner.tokens.encoders import get_encoding


def write(root: Path, relative: str, text: str = "text\n") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def listed(root: Path, filters: Filters | None = None) -> list[str]:
    return [os.path.relpath(found.path, root) for found in walk_folder(root, filters)]


def test_gitignore_nested_and_negated(tmp_path) -> None:
    write(tmp_path, ".gitignore", "*.log\nbuild/\n/top_only.txt\n")
    write(tmp_path, "app.py")
    write(tmp_path, "debug.log")
    write(tmp_path, "top_only.txt")
    write(tmp_path, "build/out.txt")
    write(tmp_path, "src/top_only.txt")  # anchored pattern: only the root one is ignored
    write(tmp_path, "src/.gitignore", "!keep.log\n*.tmp\n")
    write(tmp_path, "src/keep.log")
    write(tmp_path, "src/other.log")
    write(tmp_path, "src/x.tmp")
    write(tmp_path, "lib/x.tmp")  # the nested rule applies only under src/
    assert listed(tmp_path) == [
        ".gitignore",
        "app.py",
        "lib/x.tmp",
        "src/.gitignore",
        "src/keep.log",
        "src/top_only.txt",
    ]


def test_default_skips_vcs_virtualenvs_node_modules(tmp_path) -> None:
    write(tmp_path, "main.py")
    write(tmp_path, ".git/config")
    write(tmp_path, "node_modules/pkg/index.js")
    write(tmp_path, "env/pyvenv.cfg", "home = /usr\n")  # a virtualenv under any name
    write(tmp_path, "env/lib/site.py")
    write(tmp_path, ".venv/lib/x.py")
    write(tmp_path, "pkg/__pycache__/m.cpython-311.pyc")
    assert listed(tmp_path) == ["main.py"]


def test_folders_left_out_by_default_are_listed_once_each(tmp_path) -> None:
    write(tmp_path, "main.py", "print(1)\n")
    write(tmp_path, ".git/config")
    write(tmp_path, ".git/objects/ab/cdef")
    write(tmp_path, "env/pyvenv.cfg", "home = /usr\n")
    write(tmp_path, "pkg/__pycache__/m.cpython-311.pyc")
    write(tmp_path, "pkg/__pycache__/n.cpython-311.pyc")
    write(tmp_path, "pkg/sub/__pycache__/o.cpython-311.pyc")
    write(tmp_path, "build/__pycache__/p.pyc")  # under a .gitignored folder: the user's rule, not said
    write(tmp_path, ".gitignore", "build/\n")
    report = count_inputs([tmp_path], ["o200k_base"])
    left = [(os.path.relpath(folder.path, tmp_path), folder.name) for folder in report.left_out]
    assert left == [(".git", ".git"), ("env", "env"), ("pkg/__pycache__", "__pycache__"),
                    ("pkg/sub/__pycache__", "__pycache__")]  # fmt: skip
    reasons = [folder.reason for folder in report.left_out]
    assert (
        reasons[2]
        == "folder left out by default: __pycache__ (Python bytecode); name it as a path to count it"
    )
    assert "pyvenv.cfg" in reasons[1]
    assert report.skipped_count == 0 and not report.has_problems  # left out by default is not a problem
    assert [row.path for row in report.files] == [str(tmp_path / ".gitignore"), str(tmp_path / "main.py")]
    # named as the path, a left-out folder is counted: its two files of "text\n"
    named = count_inputs([tmp_path / "pkg" / "__pycache__"], ["o200k_base"])
    assert len(named.files) == 2 and not named.left_out
    assert named.tokens("o200k_base") == 2 * len(get_encoding("o200k_base").encode_ordinary("text\n"))


def test_a_folder_of_only_left_out_folders_says_so(tmp_path) -> None:
    write(tmp_path, ".git/HEAD")
    with pytest.raises(InputError, match=r"left out by default: 1 \.git folder \(name a folder as a path"):
        count_inputs([tmp_path], ["o200k_base"])


def test_include_and_exclude_globs(tmp_path) -> None:
    for name in ["a.py", "b.md", "docs/c.md", "docs/d.py", "tests/test_e.py"]:
        write(tmp_path, name)
    assert listed(tmp_path, Filters(include=["*.py"])) == ["a.py", "docs/d.py", "tests/test_e.py"]
    assert listed(tmp_path, Filters(exclude=["docs/", "*.md"])) == ["a.py", "tests/test_e.py"]
    assert listed(tmp_path, Filters(include=["*.py"], exclude=["tests/"])) == ["a.py", "docs/d.py"]


def test_symlink_loops_are_safe_and_links_followed_once(tmp_path) -> None:
    write(tmp_path, "real/file.txt", "linked\n")
    os.symlink(tmp_path, tmp_path / "real" / "loop")  # points back up: a loop
    os.symlink(tmp_path / "real", tmp_path / "alias")  # a second way into the same folder
    os.symlink(tmp_path / "missing", tmp_path / "dangling.txt")
    found = {os.path.relpath(item.path, tmp_path): item.skipped for item in walk_folder(tmp_path)}
    assert found == {"dangling.txt": "broken symbolic link", "alias/file.txt": None}


def test_folder_report_per_file_and_per_extension(tmp_path) -> None:
    texts = {
        "a.py": "def f():\n    return 1\n",
        "b.py": "print('hi')\n",
        "notes.md": "# Title\n\nSome words here.\n",
    }
    for name, text in texts.items():
        write(tmp_path, name, text)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    report = count_inputs([tmp_path], ["llama3"])
    encoding = get_encoding("llama3")
    expected = {name: len(encoding.encode_ordinary(text)) for name, text in texts.items()}
    rows = {Path(row.path).name: row for row in report.files}
    assert {name: rows[name].tokens["llama3"] for name in texts} == expected
    assert rows["image.png"].skipped.startswith("not an image Pillow can read")  # a corrupt image
    assert report.counts["llama3"].tokens == sum(expected.values())
    assert report.by_extension[".py"].files == 2
    assert report.by_extension[".py"].tokens["llama3"] == expected["a.py"] + expected["b.py"]
    assert report.by_extension[".md"].words == 5
    assert ".png" not in report.by_extension
    assert report.words == sum(len(text.split()) for text in texts.values())
    assert report.lines == 2 + 1 + 3
    assert report.skipped_count == 1


def test_progress_is_silent_unless_stderr_is_a_terminal(monkeypatch, capsys) -> None:
    from planner.inputs.progress import ScanProgress

    class _Stream:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> int:
            return len(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr("sys.stderr", _Stream(False))
    assert ScanProgress(True, 100).enabled is False
    monkeypatch.setattr("sys.stderr", _Stream(True))
    assert ScanProgress(True, 100).enabled is True
    assert ScanProgress(False, 100).enabled is False  # --json asks for none
    quick = ScanProgress(True, 100)
    quick.advance(100)  # done before the delay: no bar ever drawn
    assert quick._bar is None


def test_a_file_reached_twice_is_counted_once(tmp_path, monkeypatch) -> None:
    write(tmp_path, "docs/special.txt", "Counted once, however it is named.\n")
    write(tmp_path, "docs/other.txt", "Another file.\n")
    monkeypatch.chdir(tmp_path / "docs")
    once = get_encoding("llama3").encode_ordinary("Counted once, however it is named.\n")
    report = count_inputs(["special.txt", "./special.txt", str(tmp_path / "docs/special.txt")], ["llama3"])
    assert report.counts["llama3"].tokens == len(once)
    assert [row.path for row in report.files] == ["special.txt"]
    assert [(item.path, item.same_as) for item in report.duplicates] == [
        ("./special.txt", "special.txt"),
        (str(tmp_path / "docs/special.txt"), "special.txt"),
    ]
    assert not report.has_problems  # a warning in the output, not an error
    folder_and_file = count_inputs([".", "other.txt"], ["llama3"])
    other = get_encoding("llama3").encode_ordinary("Another file.\n")
    assert folder_and_file.counts["llama3"].tokens == len(once) + len(other)
    assert len(folder_and_file.files) == 2 and folder_and_file.duplicates[0].path == "other.txt"


def test_a_symbolic_link_to_a_counted_file_is_not_counted_again(tmp_path) -> None:
    write(tmp_path, "a.txt", "alpha beta\n")
    os.symlink(tmp_path / "a.txt", tmp_path / "link.txt")
    report = count_inputs([tmp_path], ["llama3"])
    assert [Path(row.path).name for row in report.files] == ["a.txt"]
    assert report.counts["llama3"].tokens == len(get_encoding("llama3").encode_ordinary("alpha beta\n"))


@pytest.mark.parametrize(
    ("include", "exclude", "shown"),
    [(["*.foo"], [], "--include '*.foo'"), ([], ["*"], "--exclude '*'"), ([], [], "empty")],
)
def test_nothing_to_count_is_an_input_error_naming_the_filters(tmp_path, include, exclude, shown) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    if include or exclude:
        write(folder, "a.txt")
    with pytest.raises(InputError, match="nothing to count: no file matched") as caught:
        count_inputs([folder], ["llama3"], include=include, exclude=exclude)
    assert str(folder) in caught.value.message and shown in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize("glob", ["[", "*.[ch", "src/[a-z", ""])
def test_an_invalid_glob_is_a_usage_error(tmp_path, glob: str) -> None:
    write(tmp_path, "a.txt")
    with pytest.raises(UsageError, match="invalid glob"):
        count_inputs([tmp_path], ["llama3"], include=[glob])
    with pytest.raises(UsageError, match="invalid glob"):
        Filters(exclude=[glob])


@pytest.mark.parametrize("glob", ["*.[ch]", "[!.]*", "[]]x", "\\[literal"])
def test_valid_globs_with_brackets_are_accepted(glob: str) -> None:
    Filters(include=[glob])


def test_an_empty_file_counts_as_zero_tokens_not_a_skip(tmp_path) -> None:
    (tmp_path / "empty.txt").write_text("")
    report = count_inputs([tmp_path], ["llama3"])
    assert report.files[0].skipped is None and report.files[0].tokens == {"llama3": 0}
    assert report.is_empty and report.has_problems  # the input as a whole is empty: nothing counted, exit 5
    (tmp_path / "text.txt").write_text("words\n")
    among_others = count_inputs([tmp_path], ["llama3"])
    assert among_others.files[0].tokens == {"llama3": 0} and not among_others.has_problems


def test_a_fifo_named_as_a_path_is_read_as_a_stream(tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    text = "Streamed through a named pipe.\n" * 50

    def feed() -> None:
        with open(fifo, "wb") as handle:
            handle.write(text.encode())

    writer = threading.Thread(target=feed)
    writer.start()
    report = count_inputs([str(fifo)], ["llama3"])
    writer.join(timeout=10)
    row = report.files[0]
    assert (row.path, row.kind, row.skipped) == (str(fifo), "stream", None)
    assert report.counts["llama3"].tokens == len(get_encoding("llama3").encode_ordinary(text))


def test_a_fifo_inside_a_folder_stays_skipped(tmp_path) -> None:
    write(tmp_path, "a.txt")
    os.mkfifo(tmp_path / "pipe")
    report = count_inputs([tmp_path], ["llama3"])
    skipped = {Path(row.path).name: row.skipped for row in report.files}
    assert skipped["a.txt"] is None and "FIFO" in skipped["pipe"]


def test_a_gitignore_line_of_many_stars_does_not_hang_the_walk(tmp_path) -> None:
    # Python's re backtracks exponentially on "[^/]*" repeated: 9 stars took 37 s per file, 10 never ended.
    # Run in a child process so a regression fails on the safety timeout instead of hanging the suite.
    import subprocess
    import sys

    write(tmp_path, ".gitignore", "*" * 12 + "a\n" + "*b" * 12 + "c\n")
    write(tmp_path, "x" * 60 + ".txt")
    write(tmp_path, "b" * 200 + ".txt")
    write(tmp_path, "kept.a")  # the first pattern still applies
    script = (
        "import sys; from planner.inputs.folders import walk_folder as w; print(len(list(w(sys.argv[1]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "3"  # .gitignore and the two long names; kept.a is ignored


def test_gitignore_lines_git_ignores_are_ignored(tmp_path) -> None:
    # A line that is only "!" or only "\" is no pattern for git: skipped, the other lines still apply.
    write(tmp_path, ".gitignore", "!\n\\\n*.log\n")
    write(tmp_path, "a.log")
    write(tmp_path, "a.txt")
    notes: list[str] = []
    found = [os.path.relpath(item.path, tmp_path) for item in walk_folder(tmp_path, notes=notes)]
    assert found == [".gitignore", "a.txt"]
    assert notes == []


def test_an_overlong_gitignore_line_is_refused_with_one_note(tmp_path) -> None:
    write(tmp_path, ".gitignore", "*.log\n" + "x" * 5_000 + "\n")
    write(tmp_path, "a.log")
    write(tmp_path, "a.txt")
    report = count_inputs([tmp_path], ["llama3"])
    assert [row.path for row in report.files] == [str(tmp_path / ".gitignore"), str(tmp_path / "a.txt")]
    assert len(report.notes) == 1
    assert "line 2: pattern refused (longer than 4,096 characters)" in report.notes[0]


def test_an_overlong_exclude_glob_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="longer than 4,096 characters"):
        Filters(exclude=["y" * 5_000])


def test_a_venv_package_without_pyvenv_cfg_is_counted(tmp_path) -> None:
    # The standard library has a package named venv; only a folder with pyvenv.cfg is a virtualenv.
    write(tmp_path, "lib/venv/__init__.py")
    write(tmp_path, "venv/pyvenv.cfg", "home = /usr\n")
    write(tmp_path, "venv/lib/site.py")
    left_out: list = []
    found = [os.path.relpath(item.path, tmp_path) for item in walk_folder(tmp_path, left_out=left_out)]
    assert found == ["lib/venv/__init__.py"]
    assert [folder.name for folder in left_out] == ["venv"]
