"""`planner mcp` driven by the MCP SDK's own client over stdio: it lists the five tools, each tool returns the
document the CLI's --json prints for the same input (tests/corpus), and a path outside the roots, a link out
of them or a device file is refused with a tool error."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import mcp.types as types
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from planner.cli import run_app

pytestmark = pytest.mark.slow  # every test here starts an MCP server in a process (seconds each)

ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"count_tokens", "check_fit", "estimate_cost", "compare_models", "model_info"}


def cli_json(args: list[str]) -> Any:
    """What `planner ARGS --json` prints, parsed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = run_app([*args, "--json"])
    assert code in (0, 1), (code, args)
    return json.loads(out.getvalue())


def server(*args: str) -> StdioServerParameters:
    env = {"PYTHONPATH": str(ROOT), "PLANNER_CACHE_DIR": os.environ.get("PLANNER_CACHE_DIR", "")}
    env = {key: value for key, value in env.items() if value}
    return StdioServerParameters(command=sys.executable, args=["-m", "planner", "mcp", *args], env=env)


async def session_calls(
    params: StdioServerParameters,
    calls: dict[str, tuple[str, dict[str, Any]]],
    roots: list[Path] | None = None,
) -> dict[str, Any]:
    """Each named call's result, from one session with the server (and the tool list, under "tools")."""

    async def list_roots(context: Any) -> types.ListRootsResult:
        return types.ListRootsResult(roots=[types.Root(uri=root.as_uri()) for root in roots or []])

    results: dict[str, Any] = {}
    callback = list_roots if roots is not None else None
    with open(os.devnull, "w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write, list_roots_callback=callback) as session,
        ):
            await session.initialize()
            results["tools"] = await session.list_tools()
            for name, (tool, arguments) in calls.items():
                results[name] = await session.call_tool(tool, arguments)
    return results


def document(result: types.CallToolResult) -> Any:
    assert not result.is_error, result.content
    text = json.loads(result.content[0].text)
    assert text == result.structured_content  # the text is the structured content, as the CLI prints it
    return text


def error_text(result: types.CallToolResult) -> str:
    assert result.is_error
    return result.content[0].text


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A root holding a copy of the corpus, a link out of the root and a named pipe."""
    base = tmp_path_factory.mktemp("root")
    shutil.copytree(ROOT / "tests" / "corpus", base / "corpus")
    (base / "outside-link.txt").symlink_to(ROOT / "pyproject.toml")
    os.mkfifo(base / "pipe")
    return base


@pytest.fixture(scope="module")
def served(root) -> dict[str, Any]:
    corpus = str(root / "corpus")
    german = str(root / "corpus" / "prose_de.txt")
    calls = {
        "count": ("count_tokens", {"paths": [corpus]}),
        "count_text": ("count_tokens", {"text": "How many tokens is this?", "model": "openai/gpt-4o"}),
        "count_relative": ("count_tokens", {"paths": ["corpus/prose_en.txt"]}),
        "fit": ("check_fit", {"paths": [corpus], "output_tokens": 4000}),
        "fit_over": ("check_fit", {"input_tokens": 300_000, "output_tokens": 1000}),
        "cost": (
            "estimate_cost",
            {
                "paths": [german],
                "model": "gpt-4o",
                "provider": "openai",
                "cached_tokens": 1000,
                "requests": 30,
            },
        ),
        "compare": ("compare_models", {"input_tokens": 150_000, "provider": "openai", "limit": None}),
        "compare_limited": ("compare_models", {"input_tokens": 150_000, "provider": "openai", "limit": 3}),
        "model": ("model_info", {"model": "gpt-4o", "provider": "openai"}),
        "outside": ("count_tokens", {"paths": [str(ROOT / "pyproject.toml")]}),
        "dotdot": ("count_tokens", {"paths": [str(root / "corpus" / ".." / ".." / "x")]}),
        "link_out": ("check_fit", {"paths": [str(root / "outside-link.txt")]}),
        "device": ("count_tokens", {"paths": [str(root / "pipe")]}),
        "dev_null": ("count_tokens", {"paths": ["/dev/null"]}),
        "stdin": ("count_tokens", {"paths": ["-"]}),
        "unknown_model": ("model_info", {"model": "no-such-model-anywhere"}),
        "no_batch_price": (
            "estimate_cost",
            {"input_tokens": 1000, "model": "claude-sonnet-4", "batch": True},
        ),
    }
    return anyio.run(session_calls, server("--root", str(root)), calls)


def test_the_server_lists_the_five_tools(served) -> None:
    assert {tool.name for tool in served["tools"].tools} == TOOLS


def test_each_tool_returns_the_cli_json_for_the_corpus(served, root) -> None:
    corpus, german = str(root / "corpus"), str(root / "corpus" / "prose_de.txt")
    assert document(served["count"]) == cli_json(["count", corpus])
    assert document(served["count_text"]) == cli_json(
        ["count", "--text", "How many tokens is this?", "-m", "openai/gpt-4o"]
    )
    assert document(served["fit"]) == cli_json(["fit", corpus, "-o", "4000"])
    tokens = document(served["count"])["tokens"]
    assert (
        document(served["fit"])["headroom_tokens"] == 131_072 - tokens - 4_000
    )  # Hermes 4's window, by hand
    assert document(served["fit_over"]) == cli_json(["fit", "-i", "300000", "-o", "1000"])
    assert document(served["fit_over"])["verdict"] == "does_not_fit"
    cost_args = [
        "cost",
        german,
        "-m",
        "gpt-4o",
        "--provider",
        "openai",
        "--cached-tokens",
        "1000",
        "-n",
        "30",
    ]
    assert document(served["cost"]) == cli_json(cost_args)
    assert document(served["compare"]) == cli_json(["compare", "-i", "150000", "--provider", "openai"])
    assert document(served["model"]) == cli_json(["model", "gpt-4o", "--provider", "openai"])


def test_relative_paths_start_at_the_root_and_limit_keeps_the_first_rows(served, root) -> None:
    relative = document(served["count_relative"])
    assert relative == cli_json(["count", str(root / "corpus" / "prose_en.txt")])
    everything = document(served["compare"])["models"]
    first = document(served["compare_limited"])["models"]
    assert len(everything) > 3 and first == everything[:3]


def test_paths_outside_the_root_are_refused(served, root) -> None:
    assert "is outside the roots this server may read" in error_text(served["outside"])
    assert str(ROOT / "pyproject.toml") in error_text(served["outside"])
    assert "no such file or folder" in error_text(served["dotdot"]) or "outside the roots" in error_text(
        served["dotdot"]
    )
    assert "symbolic link that leads out of the roots" in error_text(served["link_out"])
    assert "not a regular file or folder" in error_text(served["device"])
    assert "outside the roots" in error_text(served["dev_null"])
    assert "standard input is the MCP channel" in error_text(served["stdin"])


def test_a_planner_error_is_one_line_tool_error(served) -> None:
    message = error_text(served["unknown_model"])
    assert message.startswith("Error executing tool model_info: unknown model 'no-such-model-anywhere'")
    assert "\n" not in message and "Traceback" not in message


def test_a_missing_batch_price_names_the_tools_own_parameter(served) -> None:
    """The answer says how to price at list prices in the words of this presenter: the CLI's "drop --batch"
    is no option of an MCP tool."""
    message = error_text(served["no_batch_price"])
    assert (
        "the cost is unknown - set batch to false (to price it at list prices) or pick another model"
        in message
    )
    assert "--batch" not in message


def test_client_roots_confine_paths_without_a_server_root(root) -> None:
    calls = {
        "inside": ("count_tokens", {"paths": [str(root / "corpus" / "emoji.txt")]}),
        "outside": ("count_tokens", {"paths": [str(ROOT / "README.md")]}),
    }
    results = anyio.run(session_calls, server(), calls, [root / "corpus"])
    assert document(results["inside"]) == cli_json(["count", str(root / "corpus" / "emoji.txt")])
    assert "outside the roots" in error_text(results["outside"])


def test_no_roots_means_text_only() -> None:
    calls = {
        "path": ("count_tokens", {"paths": [str(ROOT / "README.md")]}),
        "text": ("count_tokens", {"text": "hello world"}),
    }
    results = anyio.run(session_calls, server(), calls)
    assert "no roots were granted" in error_text(results["path"])
    assert document(results["text"])["tokens"] == 2  # "hello" + " world" in Llama 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_http_transport_serves_the_same_tools_on_localhost(root) -> None:
    """`planner mcp --http PORT`: streamable HTTP on 127.0.0.1; the server is ready when uvicorn says so."""
    port = free_port()
    params = server("--root", str(root), "--http", str(port))
    process = subprocess.Popen(
        [params.command, *params.args],
        env={**os.environ, **(params.env or {})},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:  # ends when the process does: a server that failed to start fails here
            if f"http://127.0.0.1:{port}" in line:
                break
        else:
            pytest.fail(f"planner mcp --http exited with {process.wait()}")

        async def call() -> tuple[set[str], types.CallToolResult]:
            async with (
                streamable_http_client(f"http://127.0.0.1:{port}/mcp") as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                listed = await session.list_tools()
                result = await session.call_tool(
                    "count_tokens", {"paths": [str(root / "corpus" / "prose_ja.txt")]}
                )
                return {tool.name for tool in listed.tools}, result

        names, result = anyio.run(call)
        assert names == TOOLS
        assert document(result) == cli_json(["count", str(root / "corpus" / "prose_ja.txt")])
    finally:
        process.terminate()
        process.wait()
