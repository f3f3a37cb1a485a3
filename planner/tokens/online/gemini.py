"""Google's Gemini API token counting endpoint, ``POST /v1beta/models/{model}:countTokens``.

Documented at https://ai.google.dev/api/tokens (``models.countTokens``): the body holds ``contents`` or, for a
request with a system instruction or tools, a whole ``generateContentRequest`` (``model``, ``contents``,
``systemInstruction``, ``tools`` with ``functionDeclarations``), never both; the answer is
``{"totalTokens": int, ...}``. The official SDK (PyPI ``google-genai`` 3.6.1: ``models.py`` posts to
"{model}:countTokens" and reads ``totalTokens`` in ``_CountTokensResponse_from_mldev``) sends ``contents``
only. Contents: ``role`` user / model, ``parts`` of ``{"text"}`` and ``{"inlineData": {"mimeType",
"data"}}``. Key header ``x-goog-api-key``; the key is ``GOOGLE_API_KEY``, else ``GEMINI_API_KEY`` (the SDK's
order, ``_api_client.py``). Base URL: ``PLANNER_GEMINI_URL``, else https://generativelanguage.googleapis.com.
Size: inline requests up to 20 MB (https://ai.google.dev/gemini-api/docs/image-understanding, "total request
size"); a larger input is not sent.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from planner.tokens.online.request import CountRequest, Turn
from planner.tokens.online.vendor import Bodies, Vendor, catalog_tail, whole_number

_HOST_PREFIX = re.compile(r"^(?:models/|google[.-])")


def model_name(model_id: str) -> str:
    """Google's id of a catalog id ("google/gemini-3.1-pro-preview" -> "gemini-3.1-pro-preview")."""
    return _HOST_PREFIX.sub("", catalog_tail(model_id))


def _content(turn: Turn) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"text": text} for text in turn.texts if text]
    parts += [{"inlineData": {"mimeType": image.media_type, "data": image.data}} for image in turn.images]
    return {"role": "model" if turn.role == "assistant" else "user", "parts": parts or [{"text": ""}]}


def bodies(model: str, request: CountRequest) -> Bodies:
    path = f"/v1beta/models/{quote(model, safe='.-_')}:countTokens"
    contents = [_content(turn) for turn in request.turns]
    if not request.system and not request.tools:
        return [(path, {"contents": contents})]
    whole: dict[str, Any] = {"model": f"models/{model}", "contents": contents}
    if request.system:
        whole["systemInstruction"] = {"parts": [{"text": request.system}]}
    if request.tools:
        declarations = [
            {"name": tool.name, "description": tool.description}
            | ({"parameters": tool.parameters} if tool.parameters else {})
            for tool in request.tools
        ]
        whole["tools"] = [{"functionDeclarations": declarations}]
    return [(path, {"generateContentRequest": whole})]


def headers(key: str) -> dict[str, str]:
    return {"x-goog-api-key": key}


def read(answer: Any) -> int:
    return whole_number(answer, "totalTokens")


VENDOR = Vendor(
    name="Google (Gemini API)",
    endpoint="POST /v1beta/models/{model}:countTokens",
    key_vars=("GOOGLE_API_KEY", "GEMINI_API_KEY"),
    url_vars=("PLANNER_GEMINI_URL",),
    default_url="https://generativelanguage.googleapis.com",
    max_request_bytes=20 * 1024 * 1024,
    bodies=bodies,
    headers=headers,
    read=read,
    model_name=model_name,
)
