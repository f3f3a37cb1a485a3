"""A prompt part given on the command line (``planner conversation --system/--user/--answer``): a token
count, a file to read, or the text itself."""

from __future__ import annotations

import re
from pathlib import Path

from planner.errors import InputError, UsageError
from planner.plans import parse_token_count

# A file extension: a dot, a letter, then up to 7 letters or digits, at the very end ("notes.md", "a.json").
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")


def looks_like_path(value: str) -> bool:
    """Whether a --system/--user/--answer value names a file rather than being the text itself.

    The rule (documented in ``planner conversation --help``): one line, and either no spaces with a path
    separator or a file extension at the end ("prompt.md", "docs/x"), or a path separator and a file
    extension ("my notes/prompt.md"). "You are terse." is text: it has spaces and ends in a bare dot.
    """
    if "\n" in value or not value.strip():
        return False
    has_separator = "/" in value or "\\" in value
    has_extension = _EXTENSION.search(value.strip()) is not None
    if not any(char.isspace() for char in value.strip()):
        return has_separator or has_extension
    return has_separator and has_extension


def part_text_or_tokens(value: str, option: str) -> int | str:
    """A --system/--user/--answer value as a token count (``1500``, ``2k``), else the text to count: a file's
    text, or the value itself. InputError (exit 3) for a value that looks like a path (``looks_like_path``)
    but is not a readable file, and for a folder."""
    try:
        return parse_token_count(value, option)
    except UsageError:
        if value.strip().startswith("-") and value.strip()[1:].replace(",", "").isdigit():
            raise
    path = Path(value) if len(value) < 4096 and "\n" not in value else None
    if path is not None and path.is_dir():
        raise InputError(f"{option} {value} is a folder; give a file, a token count or the text itself")
    if path is not None and path.is_file():
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise InputError(f"cannot read {option} {value}: {error.strerror}") from None
    if looks_like_path(value):
        raise InputError(
            f"{option} {value}: no such file; check the name, or give text with a space in it "
            "(or a token count)"
        )
    return value
