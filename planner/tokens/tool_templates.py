"""Tool (function) definitions of a request body, and the text each chat template renders them into.

A request sends its tools with every call; the model sees them as text its chat template writes. Accepted
shapes: OpenAI ``tools`` (``[{"type": "function", "function": {name, description, parameters}}]``), the
legacy ``functions`` list, and Anthropic tools (``{name, description, input_schema}``). The templates and
their sources (planner.inputs.messages renders them into the conversation and counts them):

- ``openai``: OpenAI Cookbook, "How to count tokens with tiktoken", section "Counting tokens for chat
  completions with tool calls" (``num_tokens_for_tools``): per function 7 tokens (10 for GPT-3.5 / GPT-4,
  cl100k_base) + the tokens of ``name:description``; when it has properties 3, then per property 3 + the
  tokens of ``name:type:description`` (enums: -3, then 3 + the item's tokens per item); 12 at the end.
  A trailing "." of a description is dropped. OpenAI does not publish the rendering itself: approximate.
- ``llama3`` / ``llama4``: Meta's Llama 3.1 chat template (the chat_template of
  meta-llama/Llama-3.1-8B-Instruct, ``tools_in_user_message``): the first user message is prefixed with
  "Given the following functions, please respond with a JSON for a function call with its proper arguments
  that best answers the given prompt.\\n\\nRespond in the format {"name": function name, "parameters":
  dictionary of argument name and its value}.Do not use variables.\\n\\n" and each tool as JSON indented by 4,
  followed by a blank line.
- ``chatml`` (Hermes 4 / 3): a system turn with the Hermes function-calling prompt, tools inside
  ``<tools> </tools>``: the "Prompt Format for Function Calling" of the Hermes 3 model card
  (huggingface.co/NousResearch/Hermes-3-Llama-3.1-405B), as NousResearch/Hermes-Function-Calling writes it.
- ``estimate`` (Claude, Gemini, Qwen, ...): the ChatML tools block of Qwen2.5's chat template
  (Qwen/Qwen2.5-7B-Instruct tokenizer_config.json): "# Tools" and one JSON line per tool inside
  ``<tools></tools>`` in the system turn, counted with the family's estimate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from planner.errors import SkipFile


@dataclass(frozen=True)
class Tool:
    """One function a request offers the model."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)  # a JSON Schema object
    raw: dict[str, Any] = field(default_factory=dict)  # the definition as the request sent it

    @property
    def as_openai(self) -> dict[str, Any]:
        """The OpenAI ``tools`` entry of this function (what open-model templates serialise)."""
        if self.raw.get("type") == "function" and isinstance(self.raw.get("function"), dict):
            return self.raw
        function: dict[str, Any] = {"name": self.name, "description": self.description}
        if self.parameters:
            function["parameters"] = self.parameters
        return {"type": "function", "function": function}


def parse_tools(document: dict[str, Any]) -> list[Tool]:
    """The ``tools`` (or legacy ``functions``) of a request body; a wrong shape raises SkipFile."""
    items = document.get("tools")
    if items is None:
        items = document.get("functions")
    if items is None:
        return []
    if not isinstance(items, list):
        raise SkipFile("request body: 'tools' is not a list")
    return [_tool(item, index) for index, item in enumerate(items)]


def _tool(item: Any, index: int) -> Tool:
    if not isinstance(item, dict):
        raise SkipFile(f"request body: tool {index} is not an object")
    function: dict[str, Any] = item["function"] if isinstance(item.get("function"), dict) else item
    name = function.get("name")
    if not isinstance(name, str):
        raise SkipFile(f"request body: tool {index} has no 'name'")
    description = function.get("description") or ""
    parameters = function.get("parameters", function.get("input_schema")) or {}
    if not isinstance(description, str) or not isinstance(parameters, dict):
        raise SkipFile(f"request body: tool {index} ('{name}') has a description or schema of the wrong type")
    return Tool(name=name, description=description, parameters=parameters, raw=item)


def _strip_dot(text: str) -> str:
    return text[:-1] if text.endswith(".") else text


def openai_tool_pieces(tools: list[Tool], legacy_gpt4: bool) -> tuple[list[str], int]:
    """(texts to encode one by one, fixed tokens) of the Cookbook's ``num_tokens_for_tools``."""
    func_init = 10 if legacy_gpt4 else 7
    prop_init, prop_key, enum_init, enum_item, func_end = 3, 3, -3, 3, 12
    pieces: list[str] = []
    fixed = func_end if tools else 0
    for tool in tools:
        fixed += func_init
        pieces.append(f"{tool.name}:{_strip_dot(tool.description)}")
        properties = tool.parameters.get("properties") or {}
        if properties:
            fixed += prop_init
        for key, spec in properties.items():
            spec = spec if isinstance(spec, dict) else {}
            fixed += prop_key
            enum = spec.get("enum")
            if isinstance(enum, list):
                fixed += enum_init
                for item in enum:
                    fixed += enum_item
                    pieces.append(str(item))
            kind = spec.get("type", "")
            pieces.append(f"{key}:{kind if isinstance(kind, str) else json.dumps(kind)}:")
            pieces[-1] += _strip_dot(str(spec.get("description", "")))
    return pieces, fixed


LLAMA3_TOOLS_PREFIX = (
    "Given the following functions, please respond with a JSON for a function call with its proper arguments "
    "that best answers the given prompt.\n\n"
    'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.'
    "Do not use variables.\n\n"
)


def llama3_tools_text(tools: list[Tool]) -> str:
    """The text Meta's Llama 3.1 template puts before the first user message."""
    return LLAMA3_TOOLS_PREFIX + "".join(
        json.dumps(tool.as_openai, indent=4, ensure_ascii=False) + "\n\n" for tool in tools
    )


HERMES_TOOLS_PROMPT = (
    "You are a function calling AI model. You are provided with function signatures within <tools></tools> "
    "XML tags. You may call one or more functions to assist with the user query. Don't make assumptions "
    "about what values to plug into functions. Here are the available tools: <tools> TOOLS </tools> Use the "
    'following pydantic model json schema for each tool call you will make: {"properties": {"arguments": '
    '{"title": "Arguments", "type": "object"}, "name": {"title": "Name", "type": "string"}}, "required": '
    '["arguments", "name"], "title": "FunctionCall", "type": "object"} For each function call return a json '
    "object with function name and arguments within <tool_call></tool_call> XML tags as follows:\n"
    '<tool_call>\n{"arguments": <args-dict>, "name": <function-name>}\n</tool_call>'
)


def hermes_tools_text(tools: list[Tool]) -> str:
    """The system turn's text of the Hermes function-calling prompt."""
    listed = " ".join(json.dumps(tool.as_openai, ensure_ascii=False) for tool in tools)
    return HERMES_TOOLS_PROMPT.replace(" TOOLS ", f" {listed} ")


def chatml_tools_text(tools: list[Tool]) -> str:
    """Qwen2.5's tools block, appended to the system turn (which it opens when there is none)."""
    listed = "".join("\n" + json.dumps(tool.as_openai, ensure_ascii=False) for tool in tools)
    return (
        "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
        "You are provided with function signatures within <tools></tools> XML tags:\n"
        f"<tools>{listed}\n</tools>"
        "\n\nFor each function call, return a json object with function name and arguments within "
        '<tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": '
        "<args-json-object>}\n</tool_call>"
    )


TOOL_SOURCES: dict[str, str] = {
    "openai": "OpenAI Cookbook, How to count tokens with tiktoken (num_tokens_for_tools), approximate",
    "llama3": "Meta Llama 3.1 chat template (tools_in_user_message)",
    "llama4": "Meta Llama 3.1 chat template (tools_in_user_message), Llama 4 markers",
    "chatml": "Hermes function-calling prompt (Hermes 3 model card)",
    "estimate": "Qwen2.5 ChatML tools block, counted with the family's estimate",
}
