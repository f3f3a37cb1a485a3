"""A prompt part given on the command line (``planner conversation --system/--user/--answer``): a token
count, a file to read (with the input readers of ``planner count``), or the text itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from planner.errors import InputError, NothingCountedError, UsageError
from planner.inputs.count_run import count_inputs
from planner.tokens.counts import count_tokens
from planner.tokens.quantities import parse_token_count

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


class PromptPart(NamedTuple):
    tokens: int
    images: int  # image files and image parts met (counted or not), for the model's image check


def part_tokens(value: str, option: str, family: str) -> PromptPart:
    """The tokens of a --system/--user/--answer value for ``family``: a token count (``1500``, ``2k``), else a
    file read by the same input readers as ``planner count`` (a PDF's text layer, a DOCX's text, an HTML
    page's visible text, an image's tokens, any encoding), else the value itself as text. InputError (exit 3)
    for a value that looks like a path (``looks_like_path``) but is not a file, and for a folder;
    NothingCountedError (exit 5, as every command whose input was all skipped) for a file ``planner count``
    would skip (binary, unreadable), with its reason. ``images``: the images the value holds (an image file,
    a PDF's or DOCX's pictures), for the caller to refuse for a model that takes none."""
    part = _token_count_or_path(value, option)
    if isinstance(part, int):
        return PromptPart(part, 0)
    if isinstance(part, Path):
        report = count_inputs([part], [family])
        skipped = next((row.skipped for row in report.files if row.skipped), None)
        if skipped:
            raise NothingCountedError(f"cannot read {option} {value}: {skipped}")
        return PromptPart(report.tokens(family), len(report.images))
    return PromptPart(count_tokens(part, family).tokens, 0)


def _token_count_or_path(value: str, option: str) -> int | Path | str:
    try:
        return parse_token_count(value, option)
    except UsageError:
        if value.strip().startswith("-") and value.strip()[1:].replace(",", "").isdigit():
            raise
    path = Path(value) if len(value) < 4096 and "\n" not in value else None
    if path is not None and path.is_dir():
        raise InputError(f"{option} {value} is a folder; give a file, a token count or the text itself")
    if path is not None and path.is_file():
        return path
    if looks_like_path(value):
        raise InputError(
            f"{option} {value}: no such file; check the name, or give text with a space in it "
            "(or a token count)"
        )
    return value
