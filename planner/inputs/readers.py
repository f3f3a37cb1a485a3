"""Reading files as bytes and decoding them to the text a model would be sent.

Files are always read as bytes (text mode would translate ``\\r\\n`` and change counts). Decoding order:
a byte order mark (UTF-8, UTF-16, UTF-32), then strict UTF-8, then UTF-8 with the bad bytes replaced when the
file is clearly UTF-8 with damage, else a legacy single-byte encoding detected by charset-normalizer.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

SNIFF_BYTES = 8192
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Magic numbers of common binary formats that may contain no NUL byte in their first kilobytes.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL = bytes(code for code in range(256) if code not in _CONTROL_BYTES)
_SURROGATE_ESCAPES = re.compile("[\udc80-\udcff]")
_ESCAPES_TO_REPLACEMENT = {code: "\ufffd" for code in range(0xDC80, 0xDD00)}

KIND_BY_EXTENSION: dict[str, str] = {
    **dict.fromkeys([".html", ".htm", ".xhtml"], "html"),
    ".pdf": "pdf",
    ".docx": "docx",
    **dict.fromkeys([".md", ".markdown", ".rst", ".adoc"], "markdown"),
    **dict.fromkeys([".json", ".jsonl", ".ndjson", ".geojson"], "json"),
    **dict.fromkeys([".csv", ".tsv"], "csv"),
    **dict.fromkeys(
        [
            ".py",
            ".pyi",
            ".js",
            ".mjs",
            ".cjs",
            ".ts",
            ".tsx",
            ".jsx",
            ".java",
            ".kt",
            ".go",
            ".rs",
            ".c",
            ".h",
            ".cc",
            ".cpp",
            ".hpp",
            ".cs",
            ".rb",
            ".php",
            ".swift",
            ".scala",
            ".sh",
            ".bash",
            ".zsh",
            ".sql",
            ".r",
            ".lua",
            ".pl",
            ".hs",
            ".ml",
            ".ex",
            ".exs",
            ".clj",
            ".dart",
            ".vue",
            ".svelte",
            ".css",
            ".scss",
            ".toml",
            ".yaml",
            ".yml",
            ".ini",
            ".cfg",
            ".xml",
            ".ipynb",
            ".tf",
            ".proto",
        ],
        "code",
    ),
}


class SkipFile(Exception):
    """This file cannot be counted; ``reason`` says why in a few words a user understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def extension_of(path: str | Path) -> str:
    """The lower-case suffix with its dot, as ``Path.suffix`` gives it ("" for ".bashrc"), but cheaper."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def kind_of(path: str | Path) -> str:
    return KIND_BY_EXTENSION.get(extension_of(path), "text")


def special_file_reason(mode: int) -> str | None:
    """Why a file that is not a regular file cannot be read as one (sockets, FIFOs, devices)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISSOCK(mode):
        return "socket, not a regular file"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode):
        return "character device, not a regular file"
    if stat.S_ISBLK(mode):
        return "block device, not a regular file"
    if stat.S_ISDIR(mode):
        return "directory, not a file"
    return "not a regular file"


def os_error_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "vanished: the file no longer exists"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "directory, not a file"
    return f"unreadable: {error.strerror or error}"


def stat_regular(path: str | Path) -> os.stat_result:
    """``os.stat`` of a file that must be a regular file; anything else raises SkipFile."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise SkipFile(os_error_reason(error)) from None
    reason = special_file_reason(info.st_mode)
    if reason:
        raise SkipFile(reason)
    return info


def read_bytes(path: str | Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise SkipFile(os_error_reason(error)) from None


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when ``data`` starts with a byte order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def binary_reason(data: bytes) -> str | None:
    """Why bytes (with no BOM) are not text: a binary format, or NUL bytes inside what is otherwise text."""
    head = data[:SNIFF_BYTES]
    if head.startswith(_BINARY_MAGIC):
        return "binary file"
    nul_count = data.count(b"\x00")
    controls = len(head.translate(None, _NOT_CONTROL))  # deleting every other byte leaves the controls
    if nul_count == 0:
        return "binary file" if controls > len(head) * 0.10 else None
    other_controls = controls - head.count(b"\x00")
    if nul_count > len(data) * 0.10 or other_controls > len(head) * 0.05:
        return "binary file"
    first = data.index(b"\x00")
    return f"NUL bytes in text ({nul_count}, first at byte {first})"


def decode_utf8_flagged(data: bytes) -> tuple[str, int]:
    """Decode UTF-8; each invalid byte becomes U+FFFD. Returns (text, number of invalid bytes)."""
    text = data.decode("utf-8", errors="surrogateescape")
    return replace_escapes(text)


def replace_escapes(text: str) -> tuple[str, int]:
    escapes = len(_SURROGATE_ESCAPES.findall(text))
    if escapes:
        text = text.translate(_ESCAPES_TO_REPLACEMENT)
    return text, escapes


def invalid_utf8_warning(count: int) -> str:
    return f"invalid UTF-8: {count} byte{'s' if count != 1 else ''} replaced with U+FFFD"


def decode_bytes(data: bytes) -> Decoded:
    """The text in ``data``; raises SkipFile for binary data or NUL bytes in text."""
    bom = bom_encoding(data)
    if bom:
        codec, length = bom
        text = data[length:].decode(codec, errors="replace")
        warnings = ["invalid bytes replaced with U+FFFD"] if "\ufffd" in text else []
        return Decoded(text, codec.removesuffix("-le").removesuffix("-be"), warnings)
    reason = binary_reason(data)
    if reason:
        raise SkipFile(reason)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text, invalid = decode_utf8_flagged(data)
    if _has_valid_multibyte(text):
        return Decoded(text, "utf-8", [invalid_utf8_warning(invalid)])
    return _decode_legacy(data, text, invalid)


def _has_valid_multibyte(text: str) -> bool:
    return any(ord(ch) > 0x7F and ch != "\ufffd" for ch in text)


def _decode_legacy(data: bytes, replaced: str, invalid: int) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return Decoded(replaced, "utf-8", [invalid_utf8_warning(invalid)])
    return Decoded(str(best), best.encoding.replace("_", "-"))


def detect_stream_codec(head: bytes) -> tuple[str, int, list[str]]:
    """Codec, BOM length and warnings for a file too big to decode at once, judged from its first bytes.

    Raises SkipFile for binary data. The codec is "utf-8" unless a BOM or charset-normalizer says otherwise.
    """
    bom = bom_encoding(head)
    if bom:
        return bom[0], bom[1], []
    reason = binary_reason(head)
    if reason:
        raise SkipFile(reason)
    # The head may end inside a multi-byte character: ignore a short tail when judging.
    probe = head[: len(head) - 3] if len(head) > 3 else head
    try:
        probe.decode("utf-8")
        return "utf-8", 0, []
    except UnicodeDecodeError:
        pass
    text, _ = decode_utf8_flagged(probe)
    if _has_valid_multibyte(text):
        return "utf-8", 0, []
    decoded = _decode_legacy(probe, text, 0)
    codec = "utf-8" if decoded.encoding == "utf-8" else decoded.encoding
    return codec, 0, []
