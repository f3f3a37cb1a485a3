"""`planner count --json`'s document (files, folders, standard input, a string or chat messages), apart from
planner.cli.documents (which re-exports it) so that a count builds only its own models (start-up)."""

from __future__ import annotations

from pydantic import BaseModel

from planner.cli.document_base import Document, Method, OnlineKeys, PartsKeys
from planner.inputs.report import ImageReport, LeftOutFolder


class CountedFile(BaseModel):
    path: str
    kind: str
    tokens: int | None  # null when the file was skipped
    words: int
    chars: int
    skipped: str | None
    warnings: list[str]


class ExtensionRow(BaseModel):
    files: int
    tokens: int
    words: int
    bytes: int


class DuplicateRow(BaseModel):
    path: str
    same_as: str


class CountDocument(PartsKeys, OnlineKeys, Document):
    """`planner count --json` for files, folders, standard input, a string or chat messages."""

    model: str
    provider: str
    tokenizer: str
    method: Method
    tokens: int
    tokens_low: int
    tokens_high: int
    basis: str
    words: int
    chars: int
    bytes: int  # the UTF-8 size of the text counted, not the files' size on disk
    lines: int
    files: list[CountedFile]
    by_extension: dict[str, ExtensionRow]
    skipped_count: int
    warning_count: int
    is_messages: bool
    images_not_counted: int
    accepts_images: bool | None
    max_tokens: int | None
    images: list[ImageReport]
    duplicates: list[DuplicateRow]
    left_out: list[LeftOutFolder]
    notes: list[str]  # ignore-file lines refused (too long to match in bounded time)
    images_left_out: list[str]  # images found in folders and left out (--images)
