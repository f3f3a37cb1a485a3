"""Uploaded files: size limits, writing them where planner.inputs can read them, and their table rows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import InputError, LimitError

if TYPE_CHECKING:
    pass

# How the app's user has images of a folder counted (the command line's way is --images).
IMAGES_LEFT_OUT_CHANGE = "(pick a model that takes images, and they are counted)"

# The largest upload the app accepts, per file (also `server.maxUploadSize` in .streamlit/config.toml).
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024


def safe_upload_name(name: str) -> str:
    """The base name of an uploaded file, with no directories and no leading dot (it stays in its folder)."""
    return Path(name.replace("\\", "/")).name.lstrip(".") or "upload"


def check_upload_size(name: str, size: int, limit: int = MAX_UPLOAD_BYTES) -> None:
    """LimitError with what to do when one upload is over the limit."""
    if size > limit:
        raise LimitError(
            f"{name} is {size / 1024 / 1024:.1f} MB, over the {limit // (1024 * 1024)} MB upload limit: "
            "count it with the command line instead (`planner count FILE`), or upload a part of it"
        )


def folder_parts(name: str) -> list[str]:
    """The parts of a path inside an uploaded folder ("proj/src/a.py"), with no way out of it (no "..",
    no root, no empty part); dot files such as .gitignore are kept, so the folder's ignore rules apply."""
    return [part for part in name.replace("\\", "/").split("/") if part not in ("", ".", "..")] or ["upload"]


def write_folder(files: list[tuple[str, bytes]], root: Path, limit: int = MAX_UPLOAD_BYTES) -> Path:
    """Write the files of an uploaded folder (their paths inside it, content) under ``root``, as they were
    laid out, so planner.inputs walks it as it walks a folder named on the command line."""
    for name, content in files:
        check_upload_size(name, len(content), limit)
        path = root.joinpath(*folder_parts(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def write_uploads(
    files: list[tuple[str, bytes]], folder: Path, limit: int = MAX_UPLOAD_BYTES
) -> dict[Path, str]:
    """Write uploaded files (name, content) into ``folder``, one sub-folder each so equal names do not clash.

    Returns each written path with the name the user uploaded. An oversized file raises LimitError.
    """
    if not files:
        raise InputError("no files were uploaded")
    written: dict[Path, str] = {}
    for index, (name, content) in enumerate(files):
        check_upload_size(name, len(content), limit)
        path = folder / f"{index:03d}" / safe_upload_name(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written[path] = name
    return written
