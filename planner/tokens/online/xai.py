"""xAI's tokenizer endpoint, ``POST /v1/tokenize-text``.

xAI's REST API (https://docs.x.ai/docs/api-reference, "Tokenize text"): the body is ``{"text", "model"}``,
the answer ``{"token_ids": [{"token_id", "string_token", "token_bytes"}, ...]}``: one entry per token. The
official SDK (PyPI ``xai-sdk`` 1.21.0: ``sync/tokenizer.py`` ``tokenize_text(text, model)``, proto
``TokenizeTextRequest`` / ``TokenizeTextResponse.tokens``) calls the same method over gRPC. It tokenizes plain
text only: no chat template, system, tools or images, so a request body is not counted here (the offline
estimate is kept, said so). Each input text is one request and the counts are summed, as the offline count
sums its files. Bearer key ``XAI_API_KEY``. Base URL (with its ``/v1``): ``PLANNER_XAI_URL``, else
https://api.x.ai/v1. Size: no published limit; the answer lists every token (~70 bytes of JSON each), so a
text is sent only up to 1 MB (about 250,000 tokens) and the answer may be 64 times the usual cap.
"""

from __future__ import annotations

import re
from typing import Any

from planner.tokens.online.request import CountRequest
from planner.tokens.online.vendor import Bodies, Vendor, catalog_tail

_HOST_PREFIX = re.compile(r"^(?:[a-z-]+\.)?xai\.")  # Bedrock's "us.xai.grok-4.6"


def model_name(model_id: str) -> str:
    """xAI's id of a catalog id ("x-ai/grok-4" -> "grok-4")."""
    return _HOST_PREFIX.sub("", catalog_tail(model_id))


def bodies(model: str, request: CountRequest) -> Bodies:
    return [("/tokenize-text", {"text": text, "model": model}) for text in request.texts if text]


def headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def read(answer: Any) -> int:
    tokens = answer.get("token_ids") if isinstance(answer, dict) else None
    if not isinstance(tokens, list) or not all(isinstance(token, dict) for token in tokens):
        raise ValueError("no list 'token_ids' in the answer")
    return len(tokens)


VENDOR = Vendor(
    name="xAI",
    endpoint="POST /v1/tokenize-text",
    key_vars=("XAI_API_KEY",),
    url_vars=("PLANNER_XAI_URL",),
    default_url="https://api.x.ai/v1",
    max_request_bytes=1024 * 1024,
    bodies=bodies,
    headers=headers,
    read=read,
    model_name=model_name,
    plain_text_only=True,
    answer_scale=64,
)
