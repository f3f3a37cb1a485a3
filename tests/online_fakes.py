"""A 127.0.0.1 fake of the four vendors' count endpoints, following their documented shapes:

- Anthropic ``POST /v1/messages/count_tokens`` (headers ``x-api-key``, ``anthropic-version``; body ``model``,
  ``messages`` of ``role`` / ``content`` blocks, optional ``system``, ``tools``) -> ``{"input_tokens": n}``
  (docs.anthropic.com/en/api/messages-count-tokens).
- Google ``POST /v1beta/models/{model}:countTokens`` (header ``x-goog-api-key``; ``contents`` or
  ``generateContentRequest``, never both) -> ``{"totalTokens": n, "promptTokensDetails": [...]}``
  (ai.google.dev/api/tokens).
- OpenAI ``POST /v1/responses/input_tokens`` (Bearer; ``model``, ``input``, optional ``instructions``,
  ``tools``) -> ``{"object": "response.input_tokens", "input_tokens": n}`` (platform.openai.com, Responses
  API, "Get input token counts").
- xAI ``POST /v1/tokenize-text`` (Bearer; ``text``, ``model``) -> ``{"token_ids": [{"token_id",
  "string_token", "token_bytes"}]}`` (docs.x.ai, "Tokenize text").

The fake's count is simple enough to check by hand: one token per whitespace-separated word of every text it
is sent (texts, system, tool names, descriptions and parameter schemas as JSON), plus a fixed framing per
request (``FRAMING``) and ``IMAGE_TOKENS`` per image; xAI gets one token per word and no framing. A body
that breaks the documented shape is answered 400, as a vendor would. Tests script answers per request with
``FakeVendors.script`` (``"429"``, ``"401"``, ``"403"``, ``"404"``, ``"500"``, ``"hang"``, ``"huge"``,
``"malformed"``, ``"nocount"``, ``"drip"``: a header line every 0.1 s for 30 s, each read in time), and
read ``requests`` (path, headers, body) after.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FRAMING = {"anthropic": 7, "gemini": 2, "openai": 9, "xai": 0}
IMAGE_TOKENS = 100
KEYS = {
    "ANTHROPIC_API_KEY": "sk-ant-fake",
    "GOOGLE_API_KEY": "fake-google",
    "OPENAI_API_KEY": "sk-fake",
    "XAI_API_KEY": "xai-fake",
}


def words(text: str) -> int:
    return len(text.split())


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeVendors:
    base: str = ""
    requests: list[Seen] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # scripted, used first to last; then "ok"
    release: threading.Event = field(default_factory=threading.Event)  # ends every "hang"

    def script(self, *modes: str) -> None:
        self.answers.extend(modes)

    def env(self) -> dict[str, str]:
        """The variables that point every vendor at this fake, with a key each."""
        return {
            **KEYS,
            "PLANNER_ANTHROPIC_URL": self.base,
            "PLANNER_GEMINI_URL": self.base,
            "PLANNER_OPENAI_URL": self.base + "/v1",
            "PLANNER_XAI_URL": self.base + "/v1",
        }


def _texts_anthropic(body: dict[str, Any]) -> tuple[list[str], int]:
    texts, images = [], 0
    for message in body["messages"]:
        if message["role"] not in ("user", "assistant"):
            raise ValueError("messages: role must be user or assistant")
        content = message["content"]
        for block in [{"type": "text", "text": content}] if isinstance(content, str) else content:
            if block["type"] == "text":
                texts.append(block["text"])
            elif block["type"] == "image" and block["source"]["type"] == "base64":
                images += 1
            else:
                raise ValueError(f"unknown block {block['type']}")
    system = body.get("system", "")
    texts.append(system if isinstance(system, str) else " ".join(b["text"] for b in system))
    for tool in body.get("tools", []):
        texts += [tool["name"], tool.get("description", ""), json.dumps(tool["input_schema"])]
    return texts, images


def _texts_gemini(body: dict[str, Any]) -> tuple[list[str], int]:
    if "contents" in body and "generateContentRequest" in body:
        raise ValueError("contents and generateContentRequest are mutually exclusive")
    whole = body.get("generateContentRequest", body)
    texts, images = [], 0
    for content in whole["contents"]:
        if content.get("role", "user") not in ("user", "model"):
            raise ValueError("role must be user or model")
        for part in content["parts"]:
            if "text" in part:
                texts.append(part["text"])
            elif "inlineData" in part:
                images += 1
            else:
                raise ValueError("unknown part")
    texts += [part["text"] for part in whole.get("systemInstruction", {}).get("parts", [])]
    for tool in whole.get("tools", []):
        for function in tool["functionDeclarations"]:
            texts += [
                function["name"],
                function.get("description", ""),
                json.dumps(function.get("parameters", {})),
            ]
    return texts, images


def _texts_openai(body: dict[str, Any]) -> tuple[list[str], int]:
    texts, images = [], 0
    items = body["input"]
    for item in [{"role": "user", "content": items}] if isinstance(items, str) else items:
        content = item["content"]
        for part in [{"type": "input_text", "text": content}] if isinstance(content, str) else content:
            if part["type"] in ("input_text", "output_text"):
                texts.append(part["text"])
            elif part["type"] == "input_image":
                images += 1
            else:
                raise ValueError("unknown part")
    texts.append(body.get("instructions") or "")
    for tool in body.get("tools", []):
        if tool["type"] != "function":
            raise ValueError("tool type")
        texts += [tool["name"], tool.get("description", ""), json.dumps(tool["parameters"])]
    return texts, images


def answer_for(path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
    """(status, JSON) the documented endpoint gives for a well-formed request."""
    if path == "/v1/messages/count_tokens":
        if headers.get("x-api-key") != KEYS["ANTHROPIC_API_KEY"] or not headers.get("anthropic-version"):
            return 401, {
                "type": "error",
                "error": {"type": "authentication_error", "message": "invalid x-api-key"},
            }
        texts, images = _texts_anthropic(body)
        return 200, {"input_tokens": sum(map(words, texts)) + FRAMING["anthropic"] + IMAGE_TOKENS * images}
    if path.startswith("/v1beta/models/") and path.endswith(":countTokens"):
        if headers.get("x-goog-api-key") != KEYS["GOOGLE_API_KEY"]:
            return 400, {
                "error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT"}
            }
        texts, images = _texts_gemini(body)
        total = sum(map(words, texts)) + FRAMING["gemini"] + IMAGE_TOKENS * images
        return 200, {"totalTokens": total, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": total}]}
    if path == "/v1/responses/input_tokens":
        if headers.get("authorization") != f"Bearer {KEYS['OPENAI_API_KEY']}":
            return 401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
        texts, images = _texts_openai(body)
        count = sum(map(words, texts)) + FRAMING["openai"] + IMAGE_TOKENS * images
        return 200, {"object": "response.input_tokens", "input_tokens": count}
    if path == "/v1/tokenize-text":
        if headers.get("authorization") != f"Bearer {KEYS['XAI_API_KEY']}":
            return 400, {"error": "Incorrect API key provided"}
        if not isinstance(body.get("text"), str) or not isinstance(body.get("model"), str):
            raise ValueError("text and model are required")
        pieces = body["text"].split()
        tokens = [
            {"token_id": i, "string_token": w, "token_bytes": list(w.encode())} for i, w in enumerate(pieces)
        ]
        return 200, {"token_ids": tokens}
    return 404, {"error": {"message": f"no route {path}"}}


def _handler(fake: FakeVendors) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {key.lower(): value for key, value in self.headers.items()}
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            fake.requests.append(Seen(self.path, headers, body))
            mode = fake.answers.pop(0) if fake.answers else "ok"
            if mode == "hang":
                fake.release.wait()
                return
            if mode == "drip":
                return self._drip()
            if mode == "huge":
                return self._send(200, b'{"input_tokens": 1, "pad": "' + b"x" * (2 << 20) + b'"}')
            if mode == "malformed":
                return self._send(200, b'{"input_tokens": 12')
            if mode == "nocount":
                return self._send(200, b'{"usage": {}}')
            if mode in ("401", "403", "404", "429", "500"):
                message = {"401": "invalid key", "403": "forbidden", "404": "model not found"}.get(
                    mode, "busy"
                )
                extra = {"Retry-After": "0"} if mode == "429" else {}
                return self._send(int(mode), json.dumps({"error": {"message": message}}).encode(), extra)
            try:
                status, document = answer_for(self.path.split("?")[0], headers, body)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                status, document = 400, {"error": {"message": f"invalid request: {error}"}}
            self._send(status, json.dumps(document).encode())

        def _drip(self) -> None:
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for number in range(300):
                    self.wfile.write(b"X-Drip-%d: a\r\n" % number)
                    self.wfile.flush()
                    if fake.release.wait(0.1):
                        return
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _send(self, status: int, payload: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@contextmanager
def fake_vendors() -> Iterator[FakeVendors]:
    """The fake, serving on 127.0.0.1 on a free port until the block ends."""
    fake = FakeVendors()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    fake.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield fake
    finally:
        fake.release.set()
        httpd.shutdown()
        httpd.server_close()
