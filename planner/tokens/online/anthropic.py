"""Anthropic's token counting endpoint, ``POST /v1/messages/count_tokens``.

Documented at https://docs.anthropic.com/en/api/messages-count-tokens and typed in the official SDK
(PyPI ``anthropic`` 2.17.0: ``resources/messages/messages.py`` ``count_tokens`` posts to
"/v1/messages/count_tokens"; ``types/message_tokens_count.py``: the answer is ``{"input_tokens": int}``).
Request: ``model``, ``messages`` (``role`` user / assistant, ``content`` blocks ``{"type": "text", "text"}``
and ``{"type": "image", "source": {"type": "base64", "media_type", "data"}}``), ``system`` and ``tools``
(``name``, ``description``, ``input_schema``). Headers: ``x-api-key`` and ``anthropic-version: 2023-06-01``.
The count is of the whole request, so it includes what Anthropic adds around the messages.
Base URL: ``PLANNER_ANTHROPIC_URL``, else ``ANTHROPIC_BASE_URL`` (as the SDK), else https://api.anthropic.com.
Size: the Messages API takes requests up to 32 MB (https://docs.anthropic.com/en/api/overview, "Request size
limits"); a larger input is not sent.
"""

from __future__ import annotations

import re
from typing import Any

from planner.tokens.online.request import CountRequest, Turn
from planner.tokens.online.vendor import Bodies, Vendor, catalog_tail, whole_number

API_VERSION = "2023-06-01"
# Bedrock / Vertex spellings of the same models: "anthropic.claude-3-5-sonnet-20240620-v1:0",
# "claude-3-5-sonnet-v2@20241022"
_HOST_PREFIX = re.compile(r"^(?:[a-z-]+\.)?anthropic\.")
_HOST_SUFFIX = re.compile(r"(?:-v\d+(?::\d+)?|@\d{8})$")


def model_name(model_id: str) -> str:
    """Anthropic's id of a catalog id: without a host prefix or suffix, dots in versions as dashes
    ("anthropic/claude-sonnet-4.5" -> "claude-sonnet-4-5")."""
    name = _HOST_SUFFIX.sub("", _HOST_PREFIX.sub("", catalog_tail(model_id)))
    return re.sub(r"(?<=\d)\.(?=\d)", "-", name)


def _content(turn: Turn) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "text", "text": text} for text in turn.texts if text]
    blocks += [
        {"type": "image", "source": {"type": "base64", "media_type": image.media_type, "data": image.data}}
        for image in turn.images
    ]
    return blocks or [{"type": "text", "text": ""}]


def bodies(model: str, request: CountRequest) -> Bodies:
    body: dict[str, Any] = {
        "model": model,
        "messages": [{"role": turn.role, "content": _content(turn)} for turn in request.turns],
    }
    if request.system:
        body["system"] = request.system
    if request.tools:
        body["tools"] = [
            {"name": tool.name, "description": tool.description, "input_schema": tool.schema}
            for tool in request.tools
        ]
    return [("/v1/messages/count_tokens", body)]


def headers(key: str) -> dict[str, str]:
    return {"x-api-key": key, "anthropic-version": API_VERSION}


def read(answer: Any) -> int:
    return whole_number(answer, "input_tokens")


VENDOR = Vendor(
    name="Anthropic",
    endpoint="POST /v1/messages/count_tokens",
    key_vars=("ANTHROPIC_API_KEY",),
    url_vars=("PLANNER_ANTHROPIC_URL", "ANTHROPIC_BASE_URL"),
    default_url="https://api.anthropic.com",
    max_request_bytes=32 * 1024 * 1024,
    bodies=bodies,
    headers=headers,
    read=read,
    model_name=model_name,
)
