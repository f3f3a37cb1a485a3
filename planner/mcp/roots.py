"""Which paths an MCP client may have counted: only files and folders inside the roots it was granted (the
client's MCP roots and the server's --root DIR; inside one of each when both are given). A path outside
them, a symbolic link that leads out of them, standard input (the protocol's own channel), a URL, or a device,
pipe or socket is refused with a message that says why.

What a folder holds is walked as `planner count` walks it: symbolic links that lead out of the folder and
special files inside it are skipped, and said (planner.inputs.folders).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from planner.errors import InputError


class PathRefused(InputError):
    """A path the client may not read through this server."""


def path_of_file_uri(uri: str) -> Path:
    """The local folder of a ``file://`` root URI."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        raise PathRefused(f"root {uri} is not a file:// URI")
    return Path(unquote(parsed.path))


def confine(path: str, grants: Sequence[Sequence[Path]], base: Path | None = None) -> str:
    """``path`` (relative paths from ``base``) if it lies inside one root of every set in ``grants``, after
    symbolic links are followed, and is a regular file or a folder; PathRefused otherwise."""
    if not grants:
        raise PathRefused(
            f"{path}: no roots were granted: start the server with --root DIR, or grant roots from the client"
        )
    if path in ("", "-"):
        raise PathRefused("standard input is the MCP channel: pass the text as `text` instead of a path")
    if "://" in path:
        raise PathRefused(f"{path}: the MCP server reads local files and folders only, not URLs")
    given = Path(path).expanduser()
    if not given.is_absolute():
        if base is None:
            raise PathRefused(f"{path}: give an absolute path (the server has no --root to start from)")
        given = base / given
    lexical = Path(os.path.abspath(given))  # '..' folded, links not followed
    try:
        real = given.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{path}: no such file or folder") from None
    except (OSError, RuntimeError) as error:  # a link loop, a permission error
        raise PathRefused(f"{path}: cannot be resolved ({error})") from None
    for roots in grants:
        if not any(_inside(real, root) for root in roots):
            named = ", ".join(str(root) for root in roots)
            if any(_inside(lexical, root) for root in roots):
                raise PathRefused(f"{path}: is a symbolic link that leads out of the roots ({named})")
            raise PathRefused(f"{path}: is outside the roots this server may read ({named})")
    mode = os.stat(real).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise PathRefused(f"{path}: is not a regular file or folder (a device, pipe or socket)")
    return str(lexical)


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is ``root`` or under it (as written, or with the root's own links followed)."""
    return any(path.is_relative_to(form) for form in (Path(os.path.abspath(root)), root.resolve()))
