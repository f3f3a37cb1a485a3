"""Images as inputs: their width and height, read from the file header with Pillow (never fully decoded).

Image references in chat messages: a ``data:`` URL (base64) or a local path (relative to the messages file,
or ``file://``) is read; an ``http(s)://`` URL is never fetched: it is counted only under a rule that gives
every image the same tokens whatever its size (planner.tokens.image_rules.size_free_tokens: OpenAI's low
detail) and reported as not counted under every other rule. Bounded: more
than ``MAX_IMAGE_BYTES`` bytes, more than ``MAX_IMAGE_PIXELS`` pixels (a decompression bomb) or a corrupt
header is one skip reason, never an exception. The token rules are planner.tokens.image_rules.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import unquote, urlparse

from planner.errors import SkipFile
from planner.inputs.readers import os_error_reason
from planner.inputs.report import ImageReport
from planner.tokens.counts import TokenCount
from planner.tokens.image_rules import (
    SOURCES,
    Detail,
    ImageRule,
    ImageTokens,
    image_tokens,
    page_tokens,
    rule_for,
    size_free_tokens,
)

MAX_IMAGE_BYTES = 64 * 1024 * 1024  # vendors take at most 20 MB (OpenAI) or 5 MB (Anthropic) per image
MAX_IMAGE_PIXELS = 89_478_485  # Pillow's own decompression-bomb bound (Image.MAX_IMAGE_PIXELS)
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")


@dataclass
class ImageInfo:
    """One image found in the input: its size, or why it could not be read (``skipped``)."""

    where: str  # the file, or "message 2, part 3"
    width: int = 0
    height: int = 0
    detail: str = "auto"  # OpenAI's detail setting of the part: low, high or auto
    skipped: str | None = None
    page: bool = False  # a PDF page sent as an image (--pdf-as images)
    remote: bool = False  # an http(s) URL, never fetched: its size is not known


def is_image_data(data: bytes) -> bool:
    return data.startswith(_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of an encoded image; raises SkipFile for a corrupt, unknown or oversized image."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_IMAGE_BYTES:
        raise SkipFile(f"image larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                image.verify()  # checks the structure (PNG chunk CRCs, ...) without decoding the pixels
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise SkipFile(f"image over {MAX_IMAGE_PIXELS:,} pixels (a decompression bomb?)") from None
    except UnidentifiedImageError:
        raise SkipFile("not an image Pillow can read (corrupt or unknown format)") from None
    except Exception as error:  # Pillow raises many kinds of error on damaged files
        raise SkipFile(f"corrupt image ({type(error).__name__})") from None
    if width <= 0 or height <= 0:
        raise SkipFile("corrupt image (no width or height)")
    if width * height > MAX_IMAGE_PIXELS:
        raise SkipFile(f"image over {MAX_IMAGE_PIXELS:,} pixels (a decompression bomb?)")
    return width, height


def image_file(path: str) -> ImageInfo:
    """An image file named or found as an input."""
    info = ImageInfo(where=path)
    try:
        if os.path.getsize(path) > MAX_IMAGE_BYTES:
            raise SkipFile(f"image larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMAGE_BYTES + 1)
        info.width, info.height = image_size(data)
    except OSError as error:
        info.skipped = os_error_reason(error)
    except SkipFile as skip:
        info.skipped = skip.reason
    return info


# Pages as images at 150 dpi: A4 / Letter is then above every vendor's resize limit, so the rule decides.
PDF_DPI = 150


def pdf_page_images(path: str, data: bytes) -> list[ImageInfo]:
    """Each page of a PDF as the image a vision model is sent (size from the page box, never rendered)."""
    from planner.inputs.documents import pdf_page_sizes

    return [
        ImageInfo(
            where=f"{path} page {number}",
            width=max(1, round(width * PDF_DPI / 72)),
            height=max(1, round(height * PDF_DPI / 72)),
            page=True,
        )
        for number, (width, height) in enumerate(pdf_page_sizes(data), 1)
    ]


REMOTE_NOT_COUNTED = "remote image URL: not fetched, and its size decides its tokens, so not counted"


def image_reference(reference: str, where: str, base_dir: Path | None, detail: str = "auto") -> ImageInfo:
    """An image named in a chat message: a data URL, a local path or file:// URL (remote: never fetched)."""
    info = ImageInfo(where=where, detail=detail if detail in ("low", "high") else "auto")
    if urlparse(reference).scheme in ("http", "https"):
        info.remote, info.skipped = True, REMOTE_NOT_COUNTED
        return info
    try:
        info.width, info.height = image_size(_reference_bytes(reference, base_dir))
    except SkipFile as skip:
        info.skipped = skip.reason
    return info


def _reference_bytes(reference: str, base_dir: Path | None) -> bytes:
    if reference.startswith("data:"):
        return _data_url_bytes(reference)
    parsed = urlparse(reference)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
    elif parsed.scheme and len(parsed.scheme) > 1:
        raise SkipFile(f"image URL scheme '{parsed.scheme}:' is not supported (use a data: URL or a path)")
    else:
        path = Path(reference)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise SkipFile(f"image larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
        return path.read_bytes()
    except OSError as error:
        raise SkipFile(f"{path}: {os_error_reason(error)}") from None


def _data_url_bytes(url: str) -> bytes:
    header, _, payload = url.partition(",")
    if ";base64" not in header:
        raise SkipFile("data: URL of an image is not base64")
    if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise SkipFile(f"image larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        return base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError):
        raise SkipFile("data: URL with invalid base64") from None


class ImageTally:
    """Image tokens per family, added up as images are met (build_report calls ``add`` per input)."""

    def __init__(self, families: Sequence[str], rules: Mapping[str, ImageRule]) -> None:
        self.families = list(families)
        self.rules = {family: rules.get(family) or rule_for(family) for family in self.families}
        self.rows: list[ImageReport] = []
        self._counts: dict[str, list[ImageTokens]] = {family: [] for family in self.families}

    def add(self, images: Sequence[ImageInfo]) -> dict[str, int]:
        """Count ``images`` for every family; returns their tokens per family (for the file's row)."""
        added = dict.fromkeys(self.families, 0)
        for info in images:
            row = ImageReport(where=info.where, width=info.width, height=info.height, detail=info.detail)
            row.skipped = info.skipped
            if info.skipped is None or info.remote:
                for family in self.families:
                    count = self._count(info, family)
                    if count is None:
                        row.not_counted[family] = info.skipped or ""
                        continue
                    self._counts[family].append(count)
                    row.tokens[family] = count.tokens
                    row.basis[family] = count.basis
                    added[family] += count.tokens
                if row.tokens:  # some family counted it: the reason is kept for the others only
                    row.skipped = None
                else:
                    row.not_counted = {}
            self.rows.append(row)
        return added

    def _count(self, info: ImageInfo, family: str) -> ImageTokens | None:
        """The image's tokens under ``family``'s rule; None for a remote image whose size decides."""
        rule, detail = self.rules[family], cast(Detail, info.detail)
        if info.remote:
            return size_free_tokens(rule, detail)
        return (page_tokens if info.page else image_tokens)(info.width, info.height, rule, detail)

    def total(self, family: str) -> TokenCount | None:
        counts = self._counts[family]
        if not counts:
            return None
        bases = {count.basis for count in counts}
        rule = self.rules[family]
        many = f"{len(counts)} images, {rule.name} rule ({SOURCES[rule.name]})"
        basis = bases.pop() if len(bases) == 1 else many
        return TokenCount(
            tokenizer=family,
            method="exact" if all(count.method == "exact" for count in counts) else "estimate",
            tokens=sum(count.tokens for count in counts),
            tokens_low=sum(count.tokens_low for count in counts),
            tokens_high=sum(count.tokens_high for count in counts),
            basis=f"images: {basis}",
        )
