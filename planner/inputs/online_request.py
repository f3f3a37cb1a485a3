"""The input as a vendor's count endpoint is sent it (``--online``): a ``CountRequest``
(planner.tokens.online.request) made from the same files, folders, standard input or request body the offline
count read, or the reason it cannot be sent whole and exact (then the offline estimate stays, said so).

Plain inputs are one user message with one text block per file (an image file is an inline image), walked
with the offline count's rules (.gitignore, --include / --exclude, links, duplicates counted once, files it
skips left out). A request body (--messages) keeps its system text, its user and assistant turns, their
inline (data URL or local) images and its tools; tool calls, tool results and remote images are not sent
(each vendor shapes them its own way, and a remote image would have to be fetched).
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.errors import SkipFile
from planner.inputs.count_run import is_named_stream
from planner.inputs.files import STREAM_MIN_BYTES, decode_document
from planner.inputs.folders import Filters, walk_folder
from planner.inputs.messages import Message, parse_messages
from planner.inputs.pictures import IMAGE_EXTENSIONS, image_file, is_image_data
from planner.inputs.readers import decode_bytes, kind_of, read_bytes, stat_regular
from planner.tokens.online.request import CountRequest, InlineImage, Role, ToolSpec, Turn
from planner.tokens.tool_templates import parse_tools

_SYSTEM_ROLES = frozenset({"system", "developer"})


def texts_request(
    sources: Sequence[str],
    *,
    stdin_data: bytes | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    raw_markup: bool = False,
    follow_links: bool = False,
) -> CountRequest | str:
    """One user turn of the inputs' texts and images, or why they cannot be sent."""
    texts: list[str] = []
    images: list[InlineImage] = []
    seen: set[tuple[int, int]] = set()
    for source in list(sources) or ["-"]:
        if source == "-":
            if stdin_data is None:
                return "standard input was read as a stream and is not kept for a second reading"
            texts.append(_text(stdin_data, "text", raw_markup))
            continue
        if is_named_stream(source):
            return f"{source} is a pipe, read once by the offline count"
        for path in _files(source, include, exclude, follow_links, seen):
            try:
                if stat_regular(path).st_size > STREAM_MIN_BYTES:
                    return f"{path} is larger than a count request takes"
                data = read_bytes(path)
                if Path(path).suffix.lower() in IMAGE_EXTENSIONS or is_image_data(data[:16]):
                    if image_file(path).skipped is None:  # one the offline count skips is not sent
                        images.append(_image(path, data))
                else:
                    texts.append(_text(data, kind_of(path), raw_markup))
            except SkipFile:
                continue  # skipped by the offline count too, which says why
    if not any(texts) and not images:
        return "the input is empty: there is nothing to send"
    return CountRequest(turns=(Turn("user", tuple(texts), tuple(images)),))


def _files(
    source: str, include: Sequence[str], exclude: Sequence[str], follow: bool, seen: set[tuple[int, int]]
) -> list[str]:
    """The files of one input path the offline count counts, each file once."""
    if not os.path.isdir(source):
        found = [(source, _identity(source))]
    else:
        walked = walk_folder(source, Filters(include, exclude), follow_links=follow, left_out=[])
        found = [(item.path, item.identity) for item in walked if item.skipped is None]
    kept = []
    for path, identity in found:
        if identity is not None and identity in seen:
            continue
        if identity is not None:
            seen.add(identity)
        kept.append(path)
    return kept


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _text(data: bytes, kind: str, raw_markup: bool) -> str:
    return decode_document(data, kind, raw_markup).text if data else ""


def _image(path: str, data: bytes) -> InlineImage:
    media_type = mimetypes.guess_type(path)[0] or "image/png"
    return InlineImage(media_type, base64.b64encode(data).decode("ascii"))


def messages_request(data: bytes, base_dir: Path) -> CountRequest | str:
    """A request body or message list (one --messages document) as a CountRequest, or why it is not sent."""
    try:
        document = json.loads(decode_bytes(data).text)
        messages = parse_messages(document)
        tools = parse_tools(document) if isinstance(document, dict) else []
    except (SkipFile, ValueError):
        return "the request body is not chat messages (see the offline count's reason)"
    system = [_body_system(document)] + [m.text for m in messages if m.role in _SYSTEM_ROLES]
    turns: list[Turn] = []
    for message in messages:
        if message.role in _SYSTEM_ROLES:
            continue
        why = _not_sent(message)
        if why:
            return why
        images = [_inline(reference, base_dir) for reference, _detail in message.images]
        if any(isinstance(image, str) for image in images):
            return next(image for image in images if isinstance(image, str))
        role: Role = "assistant" if message.role == "assistant" else "user"
        kept = tuple(image for image in images if isinstance(image, InlineImage))
        turns.append(Turn(role, (message.text,) if message.text else (), kept))
    specs = tuple(ToolSpec(tool.name, tool.description, tool.parameters) for tool in tools)
    return CountRequest(turns=tuple(turns), system="\n\n".join(text for text in system if text), tools=specs)


def _body_system(document: Any) -> str:
    """An Anthropic body's top-level ``system`` (a string or text blocks)."""
    system = document.get("system") if isinstance(document, dict) else None
    if isinstance(system, list):
        return "".join(block.get("text", "") for block in system if isinstance(block, dict))
    return system if isinstance(system, str) else ""


def _not_sent(message: Message) -> str | None:
    if message.tool_calls or message.role in ("tool", "function"):
        return "tool calls and tool results are not sent online (each vendor shapes them its own way)"
    if message.other_parts:
        return "audio or file parts are not sent online"
    if message.role not in ("user", "assistant"):
        return f"a message with role '{message.role}' is not sent online"
    return None


def _inline(reference: str, base_dir: Path) -> InlineImage | str:
    """An image part as inline data (a data URL, a local path), or why it is not sent."""
    if reference.startswith("data:") and ";base64," in reference:
        head, data = reference[5:].split(";base64,", 1)
        return InlineImage(head or "image/png", data)
    if reference.startswith(("http://", "https://")):
        return "a remote image would have to be fetched; it is not sent online"
    path = Path(reference.removeprefix("file://"))
    path = path if path.is_absolute() else base_dir / path
    try:
        return _image(str(path), read_bytes(path))
    except SkipFile as skip:
        return f"image {reference}: {skip.reason}"
