"""What is sent to a vendor's count endpoint, before any vendor's shape: a system text, turns of text and
inline images, and tool definitions. Each vendor module (``anthropic``, ``gemini``, ``openai``, ``xai``)
turns a ``CountRequest`` into its own documented request body."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class InlineImage:
    media_type: str  # e.g. "image/png"
    data: str  # base64, as a data URL carries it


@dataclass(frozen=True)
class Turn:
    role: Role
    texts: tuple[str, ...] = ()
    images: tuple[InlineImage, ...] = ()


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)  # a JSON Schema object

    @property
    def schema(self) -> dict[str, Any]:
        """The parameters, or an object with no properties (Anthropic and OpenAI require a schema)."""
        return self.parameters or {"type": "object", "properties": {}}


@dataclass(frozen=True)
class CountRequest:
    """A whole request: ``system`` (may be empty), the ``turns`` in order, the ``tools`` offered."""

    turns: tuple[Turn, ...]
    system: str = ""
    tools: tuple[ToolSpec, ...] = ()

    @classmethod
    def of_texts(cls, texts: list[str]) -> CountRequest:
        """Plain inputs (files, standard input, a string): one user turn, one text block per input."""
        return cls(turns=(Turn("user", tuple(texts)),))

    @property
    def is_plain_text(self) -> bool:
        """Only user text: no system, no tools, no images, no assistant turn."""
        return (
            not self.system
            and not self.tools
            and all(turn.role == "user" and not turn.images for turn in self.turns)
        )

    @property
    def texts(self) -> list[str]:
        return [text for turn in self.turns for text in turn.texts]

    @property
    def size(self) -> int:
        """UTF-8 bytes of the text, image data and tool schemas: what decides whether a request is too big."""
        tools = sum(
            len(json.dumps(tool.parameters)) + len(tool.name) + len(tool.description) for tool in self.tools
        )
        text = sum(len(text.encode("utf-8", "surrogatepass")) for text in [self.system, *self.texts])
        return text + tools + sum(len(image.data) for turn in self.turns for image in turn.images)
