"""Reading files as bytes and decoding them to the text a model would be sent.

Files are always read as bytes (text mode would translate ``\\r\\n`` and change counts). Decoding rule, first
that applies wins:

1. a byte order mark (UTF-8, UTF-16, UTF-32); NUL characters after it are still a skip;
2. UTF-32 or UTF-16 without a BOM: NUL bytes at the positions the high bytes of ASCII take (every other byte
   for UTF-16, three of four for UTF-32; at least ``MIN_WIDE_NUL_UNITS`` of them unless every unit has them)
   and a strict decode that gives text without control characters;
   for UTF-16 with little ASCII (CJK), bytes that are not UTF-8 without their NULs, a clean decode, and
   charset-normalizer asked only about UTF-16 (its byte order);
3. binary data (a known magic number, many NUL or control bytes) is skipped;
4. strict UTF-8;
5. damaged UTF-8 (at most ``DAMAGED_UTF8_SHARE`` of the non-ASCII bytes invalid) is decoded with U+FFFD and
   flagged;
6. a legacy encoding (``legacy_encoding``). charset-normalizer ranks near-identical code pages (cp1257,
   cp775 ...) above cp1252 for French text and gb18030 above cp932 for Shift-JIS, so its best guess is not
   taken as is: the candidates are its own plus the ``COMMON_ENCODINGS`` scored explicitly (``cp_isolation``);
   those whose chaos (mess) is within ``CHAOS_MARGIN`` of the best guess's are close; when a common encoding
   is close, only the common ones compete. The winner has the least ``chaos - COHERENCE_WEIGHT * coherence``
   (coherence: how well the text fits a language), in steps of ``SCORE_STEP``; ties going to the better
   coherence (Turkish in cp1254 over the same bytes read as cp1252), then to the earlier entry of
   ``COMMON_ENCODINGS`` (cp1252 before latin-1, cp932 before cp949). A match stands for every encoding that
   reads the bytes as the same text (``could_be_from_charset``), named by the most common of them. When
   another candidate reads other text and scores better, the guess is said to be unsure (a warning naming
   the guess). An encoding that does not read printable ASCII as itself
   (EBCDIC) is never a candidate; when no candidate fits a language (coherence 0: too little text, such as
   one byte above 0x7F among ASCII) the first common encoding that decodes the bytes wins. A single-byte
   guess is refused when the bytes hold valid UTF-8
   multi-byte characters: that is UTF-8 with damage, and the guess would be mojibake;
7. otherwise UTF-8 with the bad bytes replaced by U+FFFD, flagged.
"""

from __future__ import annotations

import codecs
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import SkipFile

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

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
_NON_ASCII = bytes(range(0x80, 0x100))
_SURROGATE_ESCAPES = re.compile("[\udc80-\udcff]")
_ESCAPES_TO_REPLACEMENT = {code: "\ufffd" for code in range(0xDC80, 0xDD00)}

# BOM-less UTF-32/16: (codec, code unit width, offsets in a unit that hold NUL for ASCII text)
_WIDE_LAYOUTS: tuple[tuple[str, int, tuple[int, ...]], ...] = (
    ("utf-32-le", 4, (2, 3)),
    ("utf-32-be", 4, (0, 1)),
    ("utf-16-le", 2, (1,)),
    ("utf-16-be", 2, (0,)),
)
WIDE_NUL_SHARE = 0.3  # share of code units with the NUL high byte(s): ASCII-heavy text has far more
MIN_WIDE_NUL_UNITS = 4  # ... and at least this many of them, unless every unit has them (a tiny "ab")
DAMAGED_UTF8_SHARE = 0.1  # invalid bytes / non-ASCII bytes at or below which the file is damaged UTF-8
CHAOS_MARGIN = 0.1
COHERENCE_WEIGHT = 1.0
SCORE_STEP = 0.05
COMMON_ENCODINGS = (
    *("cp1252", "latin_1", "iso8859_15", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "cp1256"),
    *("cp1257", "koi8_r"),
    *("cp932", "shift_jis", "gb18030", "gbk", "big5", "cp949", "euc_jp"),
)
_NOT_LEGACY = frozenset(
    {"utf_8", "ascii", "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "utf_7"}
)

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


def display_path(path: str) -> str:
    """A path as text any output can hold: bytes of a file name that are not UTF-8 (which Python keeps as
    lone surrogates) are shown as ``\\xff`` escapes, so JSON stays valid and printing never fails."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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
    """The text in ``data`` (the decoding rule is in this module's docstring); raises SkipFile for binary
    data or NUL bytes in text."""
    bom = bom_encoding(data)
    if bom:
        codec, length = bom
        text = data[length:].decode(codec, errors="replace")
        _refuse_nul_characters(text, data[length:], codec)
        warnings = ["invalid bytes replaced with U+FFFD"] if "\ufffd" in text else []
        return Decoded(text, _family_name(codec), warnings)
    wide = wide_unicode_codec(data)
    if wide:
        return Decoded(data.decode(wide), _family_name(wide))
    reason = binary_reason(data)
    if reason:
        raise SkipFile(reason)
    seven_bit = seven_bit_encoding(data)
    if seven_bit:
        return Decoded(data.decode(seven_bit), seven_bit.replace("_", "-"))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text, invalid = decode_utf8_flagged(data)
    if not _is_damaged_utf8(data, invalid):
        legacy = legacy_encoding(data, utf8_chars_present=_has_valid_multibyte(text))
        if legacy:
            doubt = unsure_alternatives(data, legacy)
            warnings = [unsure_warning(legacy, doubt)] if doubt else []
            return Decoded(data.decode(legacy), legacy.replace("_", "-"), warnings)
    return Decoded(text, "utf-8", [invalid_utf8_warning(invalid)])


# 7-bit encodings that are valid ASCII (so valid UTF-8) but mean other text: ISO-2022 announces itself with
# escape sequences, HZ wraps GB2312 in "~{" ... "~}".
_SEVEN_BIT_MARKS: tuple[tuple[tuple[bytes, ...], str], ...] = (
    ((b"\x1b$B", b"\x1b$@", b"\x1b$(D", b"\x1b$(Q"), "iso2022_jp_2004"),
    ((b"\x1b$)C",), "iso2022_kr"),
    ((b"~{",), "hz"),
)


def seven_bit_encoding(data: bytes) -> str | None:
    """ISO-2022-JP, ISO-2022-KR or HZ when ASCII ``data`` carries their marks, decodes strictly with that
    codec, and gives non-ASCII text (a bare "~{" in code decodes to ASCII or fails: not HZ)."""
    if not data.isascii():
        return None
    for marks, codec in _SEVEN_BIT_MARKS:
        if not any(mark in data for mark in marks):
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not text.isascii():
            return codec
    return None


def unsure_alternatives(data: bytes, chosen: str) -> list[str]:
    """Other encodings that read ``data`` as different text and score better than ``chosen`` (in steps of
    SCORE_STEP; it won on the order of COMMON_ENCODINGS): the guess is then unsure, and said
    (``unsure_warning``)."""
    from charset_normalizer import from_bytes

    text = data.decode(chosen)
    own = list(from_bytes(data, cp_isolation=[chosen]))
    if not own:
        return []
    mine = _rank(own[0])
    others = []
    for match in from_bytes(data, cp_isolation=list(COMMON_ENCODINGS)):
        if match.encoding == chosen or not _keeps_ascii(match.encoding) or _rank(match) >= mine:
            continue
        try:
            if data.decode(match.encoding) != text:
                others.append(match.encoding)
        except UnicodeDecodeError:
            continue
    return others


def _rank(match: CharsetMatch) -> tuple[int, float]:
    """How well a match reads the bytes, lower is better: its score bucket, then its language coherence."""
    return _score_bucket(match), -round(match.coherence, 2)


def unsure_warning(chosen: str, others: list[str]) -> str:
    return (
        f"encoding guessed as {chosen.replace('_', '-')}, unsure: {', '.join(others[:3])} also read it as "
        "other text; the count may be off (save the file as UTF-8 to be sure)"
    )


def _refuse_nul_characters(text: str, body: bytes, codec: str) -> None:
    """A BOM says "text", but NUL characters after it still mean binary data or damage: the same skip as
    without a BOM (UTF-8: the reason of ``binary_reason``; UTF-16/32: NUL characters, counted as such)."""
    if "\x00" not in text:
        return
    if codec == "utf-8":
        raise SkipFile(binary_reason(body) or "NUL bytes in text")
    raise SkipFile(f"NUL characters in text ({text.count(chr(0))}, first at character {text.index(chr(0))})")


def _family_name(codec: str) -> str:
    return codec.removesuffix("-le").removesuffix("-be")


def wide_unicode_codec(data: bytes) -> str | None:
    """The codec ("utf-32-le", "utf-16-be" ...) of BOM-less UTF-32/16 text, judged from where its NUL bytes
    are (the high bytes of ASCII characters) and confirmed by a strict decode to text without control
    characters; None otherwise."""
    head = data[:SNIFF_BYTES]
    if len(head) < 4 or b"\x00" not in head:
        return None
    for codec, width, nul_positions in _WIDE_LAYOUTS:
        if len(data) % width:
            continue
        usable = len(head) - len(head) % width
        units = usable // width
        nul_units = min(head[at:usable:width].count(0) for at in nul_positions)
        enough = nul_units == units or nul_units >= MIN_WIDE_NUL_UNITS  # "été\0" is UTF-8 with one NUL
        if enough and nul_units / units >= WIDE_NUL_SHARE and _decodes_to_clean_text(data, codec):
            return codec
    return _few_ascii_utf16_codec(data, head)


def _few_ascii_utf16_codec(data: bytes, head: bytes) -> str | None:
    """UTF-16 text with little ASCII (Chinese, Japanese), whose few NULs do not show the byte order: the bytes
    must not be UTF-8 once the NULs are dropped (UTF-8 text with a stray NUL stays a "NUL bytes in text"
    skip), must decode cleanly, and charset-normalizer, asked only about UTF-16, must find text in them."""
    if len(data) % 2:
        return None
    try:
        data.replace(b"\x00", b"").decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    head = head[: len(head) - len(head) % 2]
    if not any(_decodes_to_clean_text(head, codec) for codec in ("utf-16-le", "utf-16-be")):
        return None  # binary data: rarely even a valid UTF-16 sequence
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["utf_16_le", "utf_16_be"]).best()
    if best is None:
        return None
    codec = best.encoding.replace("_", "-")
    return codec if _decodes_to_clean_text(data, codec) else None


def _decodes_to_clean_text(data: bytes, codec: str) -> bool:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return False
    sample = text[:SNIFF_BYTES].encode("utf-8", errors="surrogatepass")
    return not sample.translate(None, _NOT_CONTROL)


def _is_damaged_utf8(data: bytes, invalid: int) -> bool:
    """UTF-8 with a few bad bytes (a cut file, a stray byte), rather than text in another encoding."""
    non_ascii = len(data) - len(data.translate(None, _NON_ASCII))
    return invalid <= non_ascii * DAMAGED_UTF8_SHARE


def _has_valid_multibyte(text: str) -> bool:
    """Whether the UTF-8 reading holds real multi-byte characters: at least a quarter as many as the bytes it
    had to replace (a few stray pairs such as 0xD9 0x85 among a hundred bad bytes of Arabic cp1256 text do
    not make it damaged UTF-8; one "ï" beside two stray bytes does)."""
    valid = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return valid > 0 and valid * 4 >= text.count("\ufffd")


def legacy_encoding(data: bytes, utf8_chars_present: bool = False) -> str | None:
    """The legacy encoding of ``data`` (Python codec name), chosen by the rule in this module's docstring, or
    None when no encoding decodes it cleanly."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding in _NOT_LEGACY:
        return None
    # charset-normalizer prunes candidates: score the common encodings explicitly as well
    matches = [*from_bytes(data), *from_bytes(data, cp_isolation=list(COMMON_ENCODINGS))]
    close = [
        match
        for match in matches
        if match.encoding not in _NOT_LEGACY
        and match.chaos <= best.chaos + CHAOS_MARGIN
        and not (utf8_chars_present and _is_single_byte(match.encoding))
        and _keeps_ascii(match.encoding)
    ]
    if not close:
        return None
    common = [match for match in close if _common_name(match) in COMMON_ENCODINGS]
    if not common and all(match.coherence == 0 for match in close):
        return _first_common_that_decodes(data)  # too little text to judge: the most common encoding
    chosen = min(
        common or close,
        key=lambda match: (*_rank(match), _preference(_common_name(match))),
    )
    return _common_name(chosen)


def _common_name(match: CharsetMatch) -> str:
    """The most common of the encodings that give this match's text (charset-normalizer keeps one match per
    distinct text: German in cp1252 comes back as cp1250, which reads it the same)."""
    names = [match.encoding, *getattr(match, "could_be_from_charset", [])]
    return min(names, key=_preference)


def _score_bucket(match: CharsetMatch) -> int:
    """chaos - coherence, in steps of SCORE_STEP: on a short text the scores move by a few hundredths between
    charset-normalizer releases (3.5 scores a one-line Shift-JIS text 0.025 as cp932 and 0.0 as Korean
    cp949), so closer scores are a tie and the order of COMMON_ENCODINGS decides."""
    return math.floor((match.chaos - COHERENCE_WEIGHT * match.coherence) / SCORE_STEP)


def _preference(encoding: str) -> int:
    return COMMON_ENCODINGS.index(encoding) if encoding in COMMON_ENCODINGS else len(COMMON_ENCODINGS)


def _first_common_that_decodes(data: bytes) -> str | None:
    for encoding in COMMON_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def _keeps_ascii(encoding: str) -> bool:
    """An encoding that reads ASCII letters, digits and punctuation as themselves: not EBCDIC (cp037,
    cp500 ...), which charset-normalizer offers for a page of "A" around one byte above 0x7F."""
    try:
        return _PRINTABLE_ASCII.decode(encoding) == _PRINTABLE_ASCII.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _is_single_byte(encoding: str) -> bool:
    from charset_normalizer.utils import is_multi_byte_encoding

    return not is_multi_byte_encoding(encoding)


def detect_stream_codec(head: bytes) -> tuple[str, int, list[str]]:
    """Codec, BOM length and warnings for a file too big to decode at once, judged from its first bytes.

    Raises SkipFile for binary data. The codec is "utf-8" unless a BOM or the decoding rule says otherwise.
    """
    bom = bom_encoding(head)
    if bom:
        return bom[0], bom[1], []
    # The head may end inside a multi-byte character: judge a cut that keeps whole 4-byte units.
    probe = head[: len(head) - 4 - len(head) % 4] if len(head) > 8 else head
    wide = wide_unicode_codec(probe)
    if wide:
        return wide, 0, []
    reason = binary_reason(head)
    if reason:
        raise SkipFile(reason)
    try:
        probe.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # ASCII may still be ISO-2022 or HZ, as decode_bytes judges a small file: whole lines only
        return seven_bit_encoding(probe[: probe.rfind(b"\n") + 1] or probe) or "utf-8", 0, []
    text, invalid = decode_utf8_flagged(probe)
    if _is_damaged_utf8(probe, invalid):
        return "utf-8", 0, []
    utf8_chars = _has_valid_multibyte(text)
    for cut in range(4):  # the probe may end inside a double-byte character: try shorter ones
        legacy = legacy_encoding(probe[: len(probe) - cut], utf8_chars_present=utf8_chars)
        if legacy:
            return legacy, 0, []
    return "utf-8", 0, []
