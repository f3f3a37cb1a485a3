"""Documents: the text a model would be sent from HTML (visible text), PDF (text layer) and DOCX.

HTML is read with the standard library's tokenizer (one pass, no tree: planner.inputs.html_text); it, pypdf
and python-docx are imported only when such a file is met, so that ``planner count`` on a text file starts
fast.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from planner.errors import SkipFile
from planner.inputs.readers import Decoded, decode_bytes

# A DOCX is a zip of XML. Its parts are refused when they would expand beyond this many times the file's size
# (and beyond DOCX_MIN_LIMIT): a zip bomb's XML expands thousands of times, real documents 5-20 times.
DOCX_MAX_RATIO = 100
DOCX_MIN_LIMIT = 16 * 1024 * 1024


def decode_html(data: bytes, raw_markup: bool) -> Decoded:
    decoded = decode_bytes(data)
    if raw_markup:
        return decoded
    from planner.inputs.html_text import html_visible_text

    return Decoded(html_visible_text(decoded.text), decoded.encoding, decoded.warnings)


def pdf_text(data: bytes) -> Decoded:
    """The PDF's text layer, page after page; a PDF locked by a password or corrupt raises SkipFile."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

    try:
        with quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise SkipFile("encrypted PDF: a password is needed to read its text")
            pages = [page.extract_text() or "" for page in reader.pages]
    except SkipFile:
        raise
    except FileNotDecryptedError:
        raise SkipFile("encrypted PDF: a password is needed to read its text") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise SkipFile(f"corrupt PDF: {_short(error)}") from None
    except Exception as error:  # pypdf raises many kinds of error on damaged files; one must not stop all
        raise SkipFile(f"corrupt PDF: {_short(error)}") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    warnings = [] if text else ["no text layer (scanned PDF?): nothing to count"]
    return Decoded(text, "pdf", warnings)


def pdf_page_sizes(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points (1/72 inch) of each page as shown (crop box, /Rotate applied); the pages
    are not rendered. A PDF that cannot be opened raises SkipFile."""
    from pypdf import PdfReader

    try:
        with quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise SkipFile("encrypted PDF: a password is needed to read its pages")
            sizes = []
            for page in reader.pages:
                box = page.cropbox
                width, height = abs(float(box.width)), abs(float(box.height))
                sizes.append((height, width) if page.rotation % 180 == 90 else (width, height))
    except SkipFile:
        raise
    except Exception as error:  # pypdf raises many kinds of error on damaged files; one must not stop all
        raise SkipFile(f"corrupt PDF: {_short(error)}") from None
    return sizes


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[None]:
    """Keep pypdf's own log lines and warnings ("EOF marker not found") off stderr: a damaged PDF becomes a
    skip reason, and its repairs are not the user's business."""
    logger = logging.getLogger("pypdf")  # the parent of pypdf._reader etc.: its level is theirs
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def check_docx_expansion(data: bytes) -> None:
    """Refuse a DOCX that is not a zip, or whose parts expand far beyond the file's size (a zip bomb).

    Declared sizes can lie, so the parts are also decompressed in a stream that stops at the limit.
    """
    limit = max(DOCX_MIN_LIMIT, DOCX_MAX_RATIO * len(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if declared > limit:
                raise SkipFile(_bomb_reason(declared, len(data)))
            expanded = 0
            for info in archive.infolist():
                with archive.open(info) as part:
                    while chunk := part.read(1 << 20):
                        expanded += len(chunk)
                        if expanded > limit:
                            raise SkipFile(_bomb_reason(expanded, len(data)))
    except zipfile.BadZipFile:
        raise SkipFile("not a DOCX: the file is not a zip archive") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        raise SkipFile(f"corrupt DOCX: {_short(error)}") from None


def docx_text(data: bytes) -> Decoded:
    """Paragraphs and table cells of a DOCX, in document order."""
    check_docx_expansion(data)
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise SkipFile(f"corrupt DOCX: {_short(error)}") from None
    except Exception as error:  # lxml / python-docx errors on damaged XML; one file must not stop all
        raise SkipFile(f"corrupt DOCX: {_short(error)}") from None
    return Decoded("\n".join(_docx_blocks(document)), "docx")


def _docx_blocks(document: Any) -> list[str]:  # python-docx's Document has no public type
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                blocks.append("\t".join(cell.text for cell in row.cells))
    return blocks


def _bomb_reason(size: int, file_size: int) -> str:
    return (
        f"DOCX expands to {size / 1_048_576:.0f}+ MiB from {file_size:,} bytes "
        "(far beyond its size: possible zip bomb)"
    )


def _short(error: BaseException) -> str:
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return message[:120]
