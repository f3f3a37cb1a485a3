"""Tool definitions in a request body: each family's template, written out independently in the test and
counted with the exact encoder (markers as special tokens), against `planner count --messages`."""

from __future__ import annotations

import json
from pathlib import Path

import tiktoken

from planner.cli import run_app
from planner.tokens.encoders import get_encoding

TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
    },
}
MESSAGES = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Weather in Paris?"}]


def count(capsys, tmp_path: Path, body: object, model: str) -> dict:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    code = run_app(["count", "--messages", str(path), "--model", model, "--json"])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def special(family: str, extra: tuple[str, ...] = ()) -> tiktoken.Encoding:
    base = get_encoding(family)
    specials = {**base._special_tokens, **{text: 200_000 + i for i, text in enumerate(extra)}}
    return tiktoken.Encoding(
        name=f"{family}-tools-test",
        pat_str=base._pat_str,
        mergeable_ranks=base._mergeable_ranks,
        special_tokens=specials,
    )


def test_llama3_tools_follow_meta_template(capsys, tmp_path):
    # Meta's Llama 3.1 chat template, tools_in_user_message: the tools go before the first user message
    tools_text = (
        "Given the following functions, please respond with a JSON for a function call with its proper "
        "arguments that best answers the given prompt.\n\n"
        'Respond in the format {"name": function name, "parameters": dictionary of argument name and its '
        "value}.Do not use variables.\n\n" + json.dumps(TOOL, indent=4) + "\n\n"
    )

    def rendered(prefix: str) -> str:
        return (
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
            f"<|start_header_id|>user<|end_header_id|>\n\n{prefix}Weather in Paris?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n"
        )

    encoding = get_encoding("llama3")
    with_tools = len(encoding.encode(rendered(tools_text), allowed_special="all"))
    without = len(encoding.encode(rendered(""), allowed_special="all"))
    body = {"model": "x", "messages": MESSAGES, "tools": [TOOL], "max_tokens": 100}
    doc = count(capsys, tmp_path, body, "meta-llama/llama-3.3-70b-instruct")
    plain = count(capsys, tmp_path, {"messages": MESSAGES}, "meta-llama/llama-3.3-70b-instruct")
    assert doc["tokens"] == with_tools and plain["tokens"] == without
    assert doc["tool_tokens"] == with_tools - without > 0
    assert doc["text_tokens"] == without and "Llama 3.1 chat template" in doc["tool_basis"]
    assert doc["max_tokens"] == 100 and plain["max_tokens"] is None  # the body's answer limit, reported


def test_hermes_tools_follow_the_function_calling_prompt(capsys, tmp_path):
    prompt = (
        "You are a function calling AI model. You are provided with function signatures within "
        "<tools></tools> XML tags. You may call one or more functions to assist with the user query. "
        "Don't make assumptions about what values to plug into functions. Here are the available tools: "
        f"<tools> {json.dumps(TOOL)} </tools> Use the following pydantic model json schema for each tool "
        'call you will make: {"properties": {"arguments": {"title": "Arguments", "type": "object"}, "name": '
        '{"title": "Name", "type": "string"}}, "required": ["arguments", "name"], "title": "FunctionCall", '
        '"type": "object"} For each function call return a json object with function name and arguments '
        "within <tool_call></tool_call> XML tags as follows:\n<tool_call>\n"
        '{"arguments": <args-dict>, "name": <function-name>}\n</tool_call>'
    )
    tools_turn = f"<|im_start|>system\n{prompt}<|im_end|>\n"
    encoding = special("llama3", ("<|im_start|>", "<|im_end|>"))
    expected = len(encoding.encode(tools_turn, allowed_special="all"))
    doc = count(capsys, tmp_path, {"messages": MESSAGES, "tools": [TOOL]}, "nousresearch/hermes-4-405b")
    assert doc["tool_tokens"] == expected


def test_openai_tools_by_the_cookbook_rule(capsys, tmp_path):
    # OpenAI Cookbook num_tokens_for_tools for gpt-4o: 7 per function, 3 for its properties, 3 per
    # property, enum -3 then 3 per item, 12 at the end; lines name:description and name:type:description
    encoding = get_encoding("o200k_base")

    def n(text: str) -> int:
        return len(encoding.encode(text))

    expected = 7 + n("get_weather:Get the current weather for a city") + 3
    expected += 3 + n("city:string:City name")
    expected += 3 - 3 + 3 + n("celsius") + 3 + n("fahrenheit") + n("unit:string:")
    expected += 12
    doc = count(capsys, tmp_path, {"messages": MESSAGES, "tools": [TOOL]}, "gpt-4o")
    assert doc["tool_tokens"] == expected
    legacy = count(capsys, tmp_path, {"messages": MESSAGES, "functions": [TOOL["function"]]}, "gpt-4o")
    assert legacy["tool_tokens"] == expected  # the legacy `functions` list counts the same


def test_anthropic_shaped_tools_and_bad_shapes(capsys, tmp_path):
    anthropic_tool = {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "input_schema": TOOL["function"]["parameters"],
    }
    doc = count(capsys, tmp_path, {"messages": MESSAGES, "tools": [anthropic_tool]}, "claude-sonnet-4")
    assert doc["tool_tokens"] > 0 and doc["method"] == "estimate"
    assert doc["tokens"] == doc["text_tokens"] + doc["tool_tokens"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"messages": MESSAGES, "tools": [{"description": "no name"}]}))
    code = run_app(["count", "--messages", str(path), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 5 and "has no 'name'" in doc["files"][0]["skipped"]


def test_fit_counts_the_tools(capsys, tmp_path):
    path = tmp_path / "body.json"
    path.write_text(json.dumps({"messages": MESSAGES, "tools": [TOOL]}), encoding="utf-8")
    run_app(["count", "--messages", str(path), "--model", "gpt-4o", "--json"])
    counted = json.loads(capsys.readouterr().out)
    run_app(["fit", "--messages", str(path), "--model", "gpt-4o", "--json"])
    fit = json.loads(capsys.readouterr().out)
    assert fit["input_tokens"] == counted["tokens"] and fit["tool_tokens"] == counted["tool_tokens"]
