"""OpenAI's input token counting endpoint, ``POST /v1/responses/input_tokens``.

Documented at https://platform.openai.com/docs/api-reference/responses/input-tokens and typed in the official
SDK (PyPI ``openai`` 3.63.0: ``resources/responses/input_tokens.py`` posts ``model``, ``input``,
``instructions``, ``tools`` to "/responses/input_tokens"; ``types/responses/input_token_count_response.py``:
``{"object": "response.input_tokens", "input_tokens": int}``). ``input`` is a list of messages (``role``,
``content`` a string or parts ``{"type": "input_text", "text"}`` / ``{"type": "input_image", "image_url"}``);
``instructions`` is the system text; a tool is ``{"type": "function", "name", "description",
"parameters"}``. The count includes the formatting tokens OpenAI adds around messages and tools, which the
offline count can only approximate. Bearer key ``OPENAI_API_KEY``. Base URL (with its ``/v1``, as the SDK's):
``PLANNER_OPENAI_URL``, else ``OPENAI_BASE_URL``, else https://api.openai.com/v1. Size: no published limit
for this endpoint; 32 MB, as Anthropic's, is the cap here.
"""

from __future__ import annotations

from typing import Any

from planner.tokens.online.request import CountRequest, Turn
from planner.tokens.online.vendor import Bodies, Vendor, catalog_tail, whole_number


def model_name(model_id: str) -> str:
    """OpenAI's id of a catalog id ("openai/gpt-4o" -> "gpt-4o")."""
    return catalog_tail(model_id)


def _message(turn: Turn) -> dict[str, Any]:
    if not turn.images:
        return {"role": turn.role, "content": "".join(turn.texts)}
    parts: list[dict[str, Any]] = [{"type": "input_text", "text": text} for text in turn.texts if text]
    parts += [
        {"type": "input_image", "image_url": f"data:{image.media_type};base64,{image.data}"}
        for image in turn.images
    ]
    return {"role": turn.role, "content": parts}


def bodies(model: str, request: CountRequest) -> Bodies:
    if request.is_plain_text:  # one user message, one input_text part per input
        parts = [{"type": "input_text", "text": text} for text in request.texts if text]
        body: dict[str, Any] = {"model": model, "input": [{"role": "user", "content": parts}]}
    else:
        body = {"model": model, "input": [_message(turn) for turn in request.turns]}
    if request.system:
        body["instructions"] = request.system
    if request.tools:
        body["tools"] = [
            {
                "type": "function",
                "name": tool.name,
                "description": tool.description,
                "parameters": tool.schema,
            }
            for tool in request.tools
        ]
    return [("/responses/input_tokens", body)]


def headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def read(answer: Any) -> int:
    return whole_number(answer, "input_tokens")


VENDOR = Vendor(
    name="OpenAI",
    endpoint="POST /v1/responses/input_tokens",
    key_vars=("OPENAI_API_KEY",),
    url_vars=("PLANNER_OPENAI_URL", "OPENAI_BASE_URL"),
    default_url="https://api.openai.com/v1",
    max_request_bytes=32 * 1024 * 1024,
    bodies=bodies,
    headers=headers,
    read=read,
    model_name=model_name,
)
