"""Chat messages: a JSON list of OpenAI-style messages, counted the way each chat template sends them.

Input: ``[{"role": ..., "content": "text" | [parts], "name"?: ..., "tool_calls"?: [...]}, ...]`` or an
OpenAI request body ``{"messages": [...]}``. Messages are only read as such with ``--messages`` (no guessing:
a JSON file is otherwise counted as the text it is). Text parts are counted; images (``image_url``, ``image``,
``input_image`` parts: data URLs and local paths) by each family's image rule (planner.tokens.image_rules); a
remote URL is never fetched: counted where the rule does not need its size (low detail on OpenAI tiles), else
reported in ``images_not_counted``; other non-text parts in a warning.

A conversation is rendered into plain-text pieces and template markers. Markers (``<|im_start|>``, ...)
count 1 token each: they are special tokens of the model's tokenizer, never split by the text pattern. The
plain pieces between markers are counted as ordinary text, exactly as a Hugging Face tokenizer does (it
splits the input at added tokens and encodes each piece alone). A user's text that merely looks like a marker
is counted as text.

Templates and the source of each rule:

- ``chatml`` (Nous Hermes 4 405B / 70B, Hermes 3): per message
  ``<|im_start|>{role}\\n{content}<|im_end|>\\n``, after one ``<|begin_of_text|>``; the reply is primed with
  ``<|im_start|>assistant\\n``. Source: the Hermes 4 model card, "Prompt Format"
  (huggingface.co/NousResearch/Hermes-4-405B: ChatML with ``<|im_start|>`` / ``<|im_end|>``); bos
  ``<|begin_of_text|>`` and eos ``<|im_end|>`` as special tokens in the special_tokens_map.json of the
  Hermes 3 Llama 3.1 models, whose tokenizer Hermes 4 keeps (Llama 3.1 vocabulary). Tool calls are rendered
  ``<tool_call>\\n{json}\\n</tool_call>`` and tool results ``<tool_response>\\n...\\n</tool_response>``
  (Hermes function-calling format), counted as text: approximate.
- ``llama3`` (Meta Llama 3.x instruct): ``<|begin_of_text|>``, then per message
  ``<|start_header_id|>{role}<|end_header_id|>\\n\\n{content}<|eot_id|>`` (content trimmed), then the reply
  header ``<|start_header_id|>assistant<|end_header_id|>\\n\\n``. Source: Meta's
  llama_models/llama3/chat_format.py (``encode_dialog_prompt``, ``_encode_header``: the tool role is sent as
  ``ipython``) and the chat_template of meta-llama/Meta-Llama-3-8B-Instruct (``message['content'] | trim``).
  Llama 3.1's template may add a system block with the knowledge cut-off date; it is not added here.
- ``llama4``: as llama3 with ``<|header_start|>`` / ``<|header_end|>`` / ``<|eot|>``. Source: Meta's
  llama_models/llama4/chat_format.py.
- ``openai`` (o200k_base, cl100k_base models): 3 tokens per message, +1 when a message has a ``name``, +3 to
  prime the reply, plus the tokens of each string value (role, content, name) counted apart. Source: OpenAI
  cookbook, "How to count tokens with tiktoken" (``num_tokens_from_messages``: tokens_per_message = 3,
  tokens_per_name = 1, "every reply is primed with <|start|>assistant<|message|>"). Tool calls: the function
  name and arguments are counted as values (approximate: OpenAI does not publish the exact rule).
- ``estimate`` (every other family: Claude, Gemini, Qwen, ... whose templates are not available offline): the
  ChatML rendering above, counted with the family's estimate; the markers add 1 token each.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from planner.errors import InputError, SkipFile, UsageError
from planner.inputs.files import Outcome
from planner.inputs.pictures import ImageInfo, image_reference
from planner.inputs.readers import decode_bytes, read_bytes, stat_regular
from planner.inputs.streaming import Tally
from planner.tokens.counts import (
    TokenCount,
    classify_text,
    estimate_base_family,
    estimate_from_base,
    exact_token_count,
    zero_count,
)
from planner.tokens.families import get_family, is_exact
from planner.tokens.tool_templates import (
    TOOL_SOURCES,
    Tool,
    chatml_tools_text,
    hermes_tools_text,
    llama3_tools_text,
    openai_tool_pieces,
    parse_tools,
)

TEMPLATES = ("chatml", "llama3", "llama4", "openai", "estimate")
_IMAGE_PARTS = frozenset({"image_url", "image", "input_image"})
_TEXT_PARTS = frozenset({"text", "input_text", "output_text"})


@dataclass(frozen=True)
class Marker:
    """A template marker: one special token."""

    text: str


@dataclass
class Rendering:
    """A conversation as the model receives it: plain-text pieces (each counted alone) and markers."""

    pieces: list[str] = field(default_factory=list)
    markers: int = 0
    fixed_tokens: int = 0  # overhead given as a number by the rule (OpenAI)

    def add(self, *items: str | Marker) -> None:
        """Append items; adjacent text joins into one piece, as it would in the rendered prompt."""
        for item in items:
            if isinstance(item, Marker):
                self.markers += 1
                self.pieces.append("")
            elif self.pieces:
                self.pieces[-1] += item
            else:
                self.pieces.append(item)


@dataclass
class Message:
    role: str
    text: str
    name: str | None = None
    tool_calls: list[tuple[str, str]] = field(default_factory=list)  # (function name, arguments JSON)
    images: list[tuple[str, str]] = field(default_factory=list)  # (URL or path, OpenAI detail) per image part
    other_parts: int = 0


def parse_messages(document: Any) -> list[Message]:
    """Validate an OpenAI-style message list; a wrong shape raises SkipFile with the first problem."""
    if isinstance(document, dict) and isinstance(document.get("messages"), list):
        document = document["messages"]
    if not isinstance(document, list):
        raise SkipFile("not chat messages: expected a JSON list of {role, content} objects")
    return [_parse_message(item, index) for index, item in enumerate(document)]


def _parse_message(item: Any, index: int) -> Message:
    if not isinstance(item, dict) or not isinstance(item.get("role"), str):
        raise SkipFile(f"not chat messages: item {index} has no 'role'")
    message = Message(
        role=item["role"], text="", name=item.get("name") if isinstance(item.get("name"), str) else None
    )
    content = item.get("content")
    if isinstance(content, str):
        message.text = content
    elif isinstance(content, list):
        texts = []
        for part in content:
            kind = part.get("type") if isinstance(part, dict) else None
            if kind in _TEXT_PARTS and isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif kind in _IMAGE_PARTS:
                message.images.append(_image_reference(part))
            else:
                message.other_parts += 1
        message.text = "".join(texts)
    elif content is not None:
        raise SkipFile(f"not chat messages: item {index} has content that is not text or a list of parts")
    for call in item.get("tool_calls") or []:
        function = call.get("function", {}) if isinstance(call, dict) else {}
        arguments = function.get("arguments", "")
        message.tool_calls.append(
            (
                str(function.get("name", "")),
                arguments if isinstance(arguments, str) else json.dumps(arguments),
            )
        )
    return message


def _image_reference(part: dict[str, Any]) -> tuple[str, str]:
    """(URL or path, detail) of an image part: OpenAI chat ``image_url`` ({url, detail} or a string),
    Responses ``input_image`` (``image_url`` string, ``detail``), Anthropic ``image``
    ({source: base64 | url})."""
    value = part.get("image_url", part.get("url", ""))
    detail = part.get("detail", "auto")
    if isinstance(value, dict):
        detail = value.get("detail", detail)
        value = value.get("url", "")
    source = part.get("source")
    if isinstance(source, dict):
        if source.get("type") == "base64":
            value = f"data:{source.get('media_type', 'image/png')};base64,{source.get('data', '')}"
        else:
            value = source.get("url", source.get("path", ""))
    return (value if isinstance(value, str) else "", detail if isinstance(detail, str) else "auto")


def _tool_call_json(name: str, arguments: str, key: str) -> str:
    try:
        parsed: Any = json.loads(arguments) if arguments else {}
    except json.JSONDecodeError:
        parsed = arguments
    return json.dumps({"name": name, key: parsed}, ensure_ascii=False)


def render_chatml(messages: Sequence[Message], tools: Sequence[Tool] = (), hermes: bool = True) -> Rendering:
    """ChatML; tools as Hermes' function-calling system turn (``hermes``) or Qwen2.5's tools block."""
    rendering = Rendering()
    rendering.add(Marker("<|begin_of_text|>"))
    if tools and hermes:
        prompt = hermes_tools_text(list(tools))
        rendering.add(Marker("<|im_start|>"), f"system\n{prompt}", Marker("<|im_end|>"), "\n")
    elif tools and not (messages and messages[0].role == "system"):
        block = chatml_tools_text(list(tools)).lstrip("\n")
        rendering.add(Marker("<|im_start|>"), f"system\n{block}", Marker("<|im_end|>"), "\n")
    for index, message in enumerate(messages):
        body = message.text
        if tools and not hermes and index == 0 and message.role == "system":
            body += chatml_tools_text(list(tools))
        if message.role == "tool":
            body = f"<tool_response>\n{body}\n</tool_response>"
        for name, arguments in message.tool_calls:
            body += f"\n<tool_call>\n{_tool_call_json(name, arguments, 'arguments')}\n</tool_call>"
        rendering.add(Marker("<|im_start|>"), f"{message.role}\n{body}", Marker("<|im_end|>"), "\n")
    rendering.add(Marker("<|im_start|>"), "assistant\n")
    return rendering


def render_llama(messages: Sequence[Message], generation: int, tools: Sequence[Tool] = ()) -> Rendering:
    start, end, eot = (
        ("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>")
        if generation == 3
        else ("<|header_start|>", "<|header_end|>", "<|eot|>")
    )
    rendering = Rendering()
    rendering.add(Marker("<|begin_of_text|>"))
    prefix = llama3_tools_text(list(tools)) if tools else ""
    if prefix and not any(message.role == "user" for message in messages):
        rendering.add(Marker(start), "user", Marker(end), "\n\n" + prefix.strip(), Marker(eot))
        prefix = ""
    for message in messages:
        role = "ipython" if message.role == "tool" else message.role
        body = message.text.strip()
        if prefix and message.role == "user":
            body, prefix = prefix + body, ""
        for name, arguments in message.tool_calls:
            body += _tool_call_json(name, arguments, "parameters")
        rendering.add(Marker(start), role, Marker(end), "\n\n" + body, Marker(eot))
    rendering.add(Marker(start), "assistant", Marker(end), "\n\n")
    return rendering


def render_openai(messages: Sequence[Message], tools: Sequence[Tool] = (), legacy: bool = False) -> Rendering:
    rendering = Rendering(fixed_tokens=3)  # every reply is primed with <|start|>assistant<|message|>
    if tools:
        pieces, fixed = openai_tool_pieces(list(tools), legacy)
        rendering.pieces.extend(pieces)
        rendering.fixed_tokens += fixed
    for message in messages:
        rendering.fixed_tokens += 3  # tokens_per_message
        values = [message.role, message.text]
        if message.name is not None:
            rendering.fixed_tokens += 1  # tokens_per_name
            values.append(message.name)
        for name, arguments in message.tool_calls:
            values += [name, arguments]
        rendering.pieces.extend(values)  # each value is encoded on its own
    return rendering


def render(
    messages: Sequence[Message], template: str, tools: Sequence[Tool] = (), family: str = ""
) -> Rendering:
    """The conversation (and its tool definitions) as ``template`` sends it."""
    if template in ("chatml", "estimate"):
        return render_chatml(messages, tools, hermes=template == "chatml")
    if template == "llama3":
        return render_llama(messages, 3, tools)
    if template == "llama4":
        return render_llama(messages, 4, tools)
    if template == "openai":
        return render_openai(messages, tools, legacy=family == "cl100k_base")
    raise UsageError(f"unknown chat template '{template}'; templates: {', '.join(TEMPLATES)}")


def count_rendering(rendering: Rendering, family: str, template: str) -> TokenCount:
    """Tokens of a rendered conversation: each piece counted alone, + 1 per marker + the fixed overhead."""
    overhead = rendering.markers + rendering.fixed_tokens
    note = f"{template} template, {overhead} overhead tokens"
    if is_exact(family):
        tokens = sum(exact_token_count(piece, family) for piece in rendering.pieces) + overhead
        return TokenCount.exact(family, tokens, f"exact {family} + {note}")
    text = "".join(rendering.pieces)
    base = sum(exact_token_count(piece, estimate_base_family()) for piece in rendering.pieces)
    estimate = estimate_from_base(base, family, classify_text(text)) if text else zero_count(family)
    return TokenCount(
        tokenizer=family,
        method="estimate",
        tokens=estimate.tokens + overhead,
        tokens_low=estimate.tokens_low + overhead,
        tokens_high=estimate.tokens_high + overhead,
        basis=f"{estimate.basis} + {note}",
    )


def count_conversation(messages: Sequence[Message], family: str, template: str | None = None) -> TokenCount:
    chosen = template or get_family(family).chat_template
    return count_rendering(render(messages, chosen, family=family), family, chosen)


def count_tools(
    messages: Sequence[Message], tools: Sequence[Tool], family: str, template: str | None = None
) -> TokenCount:
    """What the tool definitions add: the conversation rendered with them minus without them (so a tools
    block joined to a message is counted exactly as the model receives it)."""
    chosen = template or get_family(family).chat_template
    without = count_rendering(render(messages, chosen, family=family), family, chosen)
    with_tools = count_rendering(render(messages, chosen, tools, family), family, chosen)
    names = ", ".join(tool.name for tool in tools)
    return TokenCount(
        tokenizer=family,
        method=with_tools.method,
        tokens=with_tools.tokens - without.tokens,
        tokens_low=with_tools.tokens_low - without.tokens_low,
        tokens_high=with_tools.tokens_high - without.tokens_high,
        basis=f"tools ({names}) in the {chosen} template; {TOOL_SOURCES[chosen]}",
    )


def messages_outcome(
    path: str, data: bytes, families: Sequence[str], template: str | None, kind: str = "messages"
) -> Outcome:
    """Count one messages document: text with the chat template, and its images (``Outcome.images``)."""
    outcome = Outcome(path=path, kind=kind, extension=Path(path).suffix.lower(), size=len(data))
    try:
        decoded = decode_bytes(data)
        try:
            document = json.loads(decoded.text)
        except json.JSONDecodeError as error:
            raise SkipFile(f"not chat messages: invalid JSON ({error.msg}, line {error.lineno})") from None
        messages = parse_messages(document)
        tools = parse_tools(document) if isinstance(document, dict) else []
        outcome.max_tokens = request_max_tokens(document)
    except SkipFile as skip:
        outcome.skipped = skip.reason
        return outcome
    outcome.encoding = decoded.encoding
    outcome.warnings = list(decoded.warnings)
    other_parts = sum(message.other_parts for message in messages)
    if other_parts:
        outcome.warnings.append(f"{other_parts} non-text part(s) (audio, files) not counted")
    outcome.counts = {family: count_conversation(messages, family, template) for family in families}
    if tools:
        outcome.tool_counts = {family: count_tools(messages, tools, family, template) for family in families}
    base_dir = Path(path).parent if kind == "messages" and path != "<stdin>" else Path.cwd()
    outcome.images = message_images(messages, base_dir)
    tally = Tally()
    for message in messages:
        tally.words += len(message.text.split())
        tally.chars += len(message.text)
        tally.bytes += len(message.text.encode("utf-8", "surrogatepass"))
        tally.newlines += message.text.count("\n") + (1 if message.text else 0)
    tally.ends_with_newline = True
    outcome.tally = tally
    return outcome


def request_max_tokens(document: Any) -> int | None:
    """The answer limit a request body sets (OpenAI ``max_tokens`` / ``max_completion_tokens``, Responses
    ``max_output_tokens``, Anthropic ``max_tokens``); None for a bare message list or a missing value."""
    if not isinstance(document, dict):
        return None
    for key in ("max_completion_tokens", "max_tokens", "max_output_tokens"):
        value = document.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return None


def message_images(messages: Sequence[Message], base_dir: Path | None) -> list[ImageInfo]:
    """The size of every image part (data URLs and local paths read; remote URLs never fetched)."""
    return [
        image_reference(reference, f"message {number}, image {index}", base_dir, detail)
        for number, message in enumerate(messages, 1)
        for index, (reference, detail) in enumerate(message.images, 1)
    ]


def messages_outcomes(
    paths: Sequence[str | Path], families: Sequence[str], *, stdin: BinaryIO | None, chat_template: str | None
) -> list[Outcome]:
    """Each path (or standard input) is one conversation, counted (see the module docstring for the
    templates); planner.inputs.count_run builds the report from these outcomes."""
    if chat_template is not None and chat_template not in TEMPLATES:
        raise UsageError(f"unknown chat template '{chat_template}'; templates: {', '.join(TEMPLATES)}")
    outcomes: list[Outcome] = []
    for source in [str(path) for path in paths] or ["-"]:
        if source == "-":
            data = (stdin or sys.stdin.buffer).read()
            outcomes.append(messages_outcome("<stdin>", data, families, chat_template, kind="messages"))
        else:
            outcomes.append(_messages_file(source, families, chat_template))
    return outcomes


def _messages_file(path: str, families: Sequence[str], template: str | None) -> Outcome:
    if os.path.isdir(path):
        raise InputError(f"{path} is a folder; --messages needs a JSON file of chat messages")
    if not os.path.exists(path):
        raise InputError(f"no such file: {path}")
    try:
        stat_regular(path)
        data = read_bytes(path)
    except SkipFile as skip:
        return Outcome(path=path, kind="messages", extension=Path(path).suffix.lower(), skipped=skip.reason)
    return messages_outcome(path, data, families, template)
