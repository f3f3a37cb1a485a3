"""Walking folders: recursive, honouring .gitignore files (nested ones too), skipping what a model never needs

Left out by default, and listed as left out (one entry per folder, not an error): ``.git`` and other VCS
folders, virtual environments (any folder with ``pyvenv.cfg``), ``node_modules``, ``__pycache__``, tool
caches (``LEFT_OUT_DIRS``); such a folder named as the path to count is counted. Left out silently: whatever
.gitignore or ``--exclude`` excludes (the user's own rules). Reported as skipped (with a
reason, by the reader): binary files, special files, unreadable files, and symbolic links that lead out of
the folder being walked (a link to ``/etc`` or ``~/.ssh`` in a downloaded folder), which are followed only
with ``follow_links`` (``--follow-links``). Links inside the folder are followed; a folder already visited
(same device and inode) is never entered twice, so link loops are safe. A path named on the command line is
always read, link or not: the user chose it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import UsageError
from planner.inputs.readers import display_path, os_error_reason
from planner.inputs.report import LeftOutFolder

if TYPE_CHECKING:
    import pathspec

# Folders a walk leaves out by default (name -> what they hold); each one met is listed in
# InputReport.left_out, and naming such a folder as a path counts it (the user chose it).
LEFT_OUT_DIRS: dict[str, str] = {
    ".git": "version control data",
    ".hg": "version control data",
    ".svn": "version control data",
    ".bzr": "version control data",
    "node_modules": "JavaScript packages",
    "__pycache__": "Python bytecode",
    ".venv": "virtual environment",
    ".tox": "test environments",
    ".nox": "test environments",
    ".mypy_cache": "tool cache",
    ".pytest_cache": "tool cache",
    ".ruff_cache": "tool cache",
    ".hypothesis": "tool cache",
    ".eggs": "build dependencies",
    ".ipynb_checkpoints": "notebook checkpoints",
}
VIRTUALENV = "virtual environment: has pyvenv.cfg"


def left_out_folder(path: str, name: str, holds: str) -> LeftOutFolder:
    reason = f"folder left out by default: {name} ({holds}); name it as a path to count it"
    return LeftOutFolder(path=display_path(path), name=name, reason=reason)


@dataclass(frozen=True)
class FoundFile:
    path: str  # as shown to the user: the folder given plus the relative path
    size: int
    skipped: str | None = None  # a reason known while walking (special file, unreadable folder, ...)
    identity: tuple[int, int] | None = None  # (device, inode): the same file reached twice is counted once


@dataclass(frozen=True)
class _Ignore:
    base: str  # folder of the .gitignore, relative to the walk root ("" for the root)
    spec: pathspec.GitIgnoreSpec


class Filters:
    """--include / --exclude globs (gitignore syntax: ``*.py`` matches at any depth, ``docs/`` a folder)."""

    def __init__(self, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> None:
        for pattern in [*include, *exclude]:
            check_glob(pattern)
        self.include = _gitignore_spec(include) if include else None
        self.exclude = _gitignore_spec(exclude) if exclude else None

    def wants_file(self, relative: str) -> bool:
        if self.exclude is not None and self.exclude.match_file(relative):
            return False
        return self.include is None or self.include.match_file(relative)

    def wants_dir(self, relative: str) -> bool:
        return self.exclude is None or not self.exclude.match_file(relative + "/")


def check_glob(pattern: str) -> None:
    """Raise UsageError for a glob that can never mean what was meant: empty, or with an unclosed ``[``
    (pathspec accepts both silently and they match nothing)."""
    if not pattern.strip():
        raise UsageError("invalid glob '': an empty pattern matches nothing")
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            # a "]" right after "[" or "[!" is part of the set, as in fnmatch and git
            close = pattern.find("]", index + (3 if pattern[index + 1 : index + 2] == "!" else 2))
            if close == -1:
                raise UsageError(
                    f"invalid glob '{pattern}': '[' is never closed (write '\\[' for a literal '[')"
                )
            index = close
        index += 1


def is_ignored(relative: str, is_dir: bool, ignores: Sequence[_Ignore]) -> bool:
    """Git's rule: the deepest .gitignore with a matching pattern decides (negations included)."""
    decided = False
    for ignore in ignores:
        inner = relative[len(ignore.base) + 1 :] if ignore.base else relative
        result = ignore.spec.check_file(inner + "/" if is_dir else inner)
        if result.include is not None:
            decided = result.include
    return decided


def _read_gitignore(folder: str, base: str, notes: list[str]) -> _Ignore | None:
    path = os.path.join(folder, ".gitignore")
    try:
        with open(path, "rb") as handle:
            lines = handle.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return _Ignore(base, _gitignore_spec(lines, display_path(path), notes))


# The longest pattern line used: a path longer than PATH_MAX (4,096 bytes on Linux) cannot exist, and a
# regular expression compiled from a megabyte-long line costs a minute. A longer line is refused, said once.
MAX_PATTERN_CHARS = 4_096


def _gitignore_spec(
    lines: Sequence[str], where: str = "", notes: list[str] | None = None
) -> pathspec.GitIgnoreSpec:
    """The patterns of ``lines`` (a .gitignore at ``where``, or --include/--exclude globs when ``notes`` is
    None), matched in time linear in the path whatever the pattern: pathspec parses each line to a regular
    expression and RE2 (google-re2, no backtracking) runs it, because Python's ``re`` backtracks
    exponentially on a line of many ``*`` (``*********a``: 37 s per file). A line git ignores (only ``!``,
    only a backslash) is ignored silently, as git does; a line longer than MAX_PATTERN_CHARS or that RE2
    cannot compile is refused with one note in ``notes`` (a glob typed by the user: UsageError)."""
    import pathspec  # only when a folder or a glob needs it: counting one file does not (start-up)
    import re2
    from pathspec.patterns.gitignore.base import GitIgnorePatternError
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    patterns = []
    for number, line in enumerate(lines, 1):
        try:
            pattern = GitIgnoreSpecPattern(line)
        except GitIgnorePatternError:
            continue  # git ignores a line that is no pattern ("!", "\\")
        if pattern.regex is None:
            continue  # a blank line or a comment
        problem = "longer than 4,096 characters" if len(line) > MAX_PATTERN_CHARS else None
        if problem is None:
            try:
                pattern.regex = re2.compile(pattern.regex.pattern)
            except re2.error:
                problem = "too complex to match in bounded time"
        if problem is not None:
            if notes is None:
                raise UsageError(f"invalid glob {line[:80]!r}: {problem}")
            notes.append(f"{where} line {number:,}: pattern refused ({problem}); the other lines apply")
            continue
        patterns.append(pattern)
    return pathspec.GitIgnoreSpec(patterns, backend="simple")


def _is_virtualenv(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


LINK_OUT_REASON = "symbolic link out of the folder, not followed (--follow-links follows it)"


@dataclass
class _Walk:
    """What one walk carries: the filters, the folders already entered, and where links may lead."""

    filters: Filters
    seen: set[tuple[int, int]]
    root: str  # the real path of the folder walked
    follow_links: bool
    left_out: list[LeftOutFolder]
    notes: list[str]  # ignore-file lines refused (planner.inputs.report.InputReport.notes)

    def leads_out(self, entry: os.DirEntry) -> bool:
        """A symbolic link whose target is outside the walked folder (and links are not followed)."""
        if self.follow_links or not entry.is_symlink():
            return False
        target = os.path.realpath(entry.path)
        return target != self.root and not target.startswith(self.root.rstrip(os.sep) + os.sep)


def walk_folder(
    root: str | Path,
    filters: Filters | None = None,
    *,
    follow_links: bool = False,
    left_out: list[LeftOutFolder] | None = None,
    notes: list[str] | None = None,
) -> Iterator[FoundFile]:
    """Every file under ``root`` that should be counted (or reported as skipped), in sorted order; the
    folders left out by default (``LEFT_OUT_DIRS``, virtual environments) are appended to ``left_out``, the
    .gitignore lines refused to ``notes``."""
    root = str(root)
    try:
        info = os.stat(root)
    except OSError:
        return
    seen = {(info.st_dev, info.st_ino)}
    walk = _Walk(
        filters or Filters(),
        seen,
        os.path.realpath(root),
        follow_links,
        [] if left_out is None else left_out,
        [] if notes is None else notes,
    )
    yield from _walk(root, "", [], walk)


def _walk(folder: str, relative: str, ignores: list[_Ignore], walk: _Walk) -> Iterator[FoundFile]:
    own = _read_gitignore(folder, relative, walk.notes)
    if own is not None:
        ignores = [*ignores, own]
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield FoundFile(folder, 0, f"folder {os_error_reason(error)}")
        return
    for entry in entries:
        child = f"{relative}/{entry.name}" if relative else entry.name
        yield from _visit(entry, child, ignores, walk)


def _visit(entry: os.DirEntry, child: str, ignores: list[_Ignore], walk: _Walk) -> Iterator[FoundFile]:
    filters, seen = walk.filters, walk.seen
    try:
        is_dir = entry.is_dir()  # follows symbolic links
    except OSError:
        is_dir = False
    if walk.leads_out(entry):
        wanted = filters.wants_dir(child) if is_dir else filters.wants_file(child)
        if wanted and not is_ignored(child, is_dir, ignores) and entry.name not in LEFT_OUT_DIRS:
            yield FoundFile(entry.path, 0, LINK_OUT_REASON)
        return
    if is_dir:
        if not filters.wants_dir(child) or is_ignored(child, True, ignores):
            return  # the user's own rule (--exclude, .gitignore): silent
        if entry.name in LEFT_OUT_DIRS:
            walk.left_out.append(left_out_folder(entry.path, entry.name, LEFT_OUT_DIRS[entry.name]))
            return
        if _is_virtualenv(entry.path):
            walk.left_out.append(left_out_folder(entry.path, entry.name, VIRTUALENV))
            return
        try:
            info = entry.stat()
        except OSError as error:
            yield FoundFile(entry.path, 0, f"folder {os_error_reason(error)}")
            return
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return  # a symbolic link back to a folder already walked
        seen.add(key)
        yield from _walk(entry.path, child, ignores, walk)
        return
    if is_ignored(child, False, ignores) or not filters.wants_file(child):
        return
    try:
        info = entry.stat()
    except FileNotFoundError:
        yield FoundFile(entry.path, 0, "broken symbolic link" if entry.is_symlink() else "vanished")
        return
    except OSError as error:
        yield FoundFile(entry.path, 0, os_error_reason(error))
        return
    yield FoundFile(entry.path, info.st_size, identity=(info.st_dev, info.st_ino))
