"""The MCP server of `planner mcp` on the official SDK (mcp.server.mcpserver.MCPServer): five tools, each
returning the CLI's `--json` document for the same input (planner.mcp.tools), as structured content and as
the same JSON text the CLI prints. Paths are confined to the granted roots (planner.mcp.roots); a user
mistake becomes a tool error with the CLI's one-line message, never a traceback.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.shared.exceptions import MCPDeprecationWarning
from mcp.types import CallToolResult, TextContent
from pydantic import Field

from planner import DEFAULT_MODEL, __version__
from planner.cli._app import json_text
from planner.errors import PlannerError
from planner.mcp import tools
from planner.mcp.roots import confine, path_of_file_uri

INSTRUCTIONS = (
    "Context budgeting and cost planning for LLMs, offline: exact token counts for 13 tokenizer families "
    "(an estimate with a band for the others), whether an input fits a model's window with room for the "
    "answer, what requests cost in exact decimal dollars, and how every catalog model compares. Each tool "
    "returns the JSON document of the matching `planner` command's --json. Paths must lie inside the roots "
    "the client granted or the server's --root."
)

Paths = Annotated[
    list[str] | None,
    Field(description="Files or folders inside the granted roots (folders: .gitignore honoured)."),
]
Text = Annotated[str | None, Field(description="Text to count instead of paths.")]
InputTokens = Annotated[int | None, Field(ge=0, description="A token count, instead of paths or text.")]
Model = Annotated[str, Field(description="Model id or name, e.g. openai/gpt-4o (see model_info).")]
Provider = Annotated[str | None, Field(description="Host of the model when several offer it.")]
Messages = Annotated[
    bool, Field(description="The paths are chat messages or request bodies (JSON): add chat overhead.")
]
Tokens = Annotated[int | None, Field(ge=0)]


def build_server(root: Path | None = None) -> MCPServer:
    """The server; paths are confined to ``root`` (when given) and to the client's MCP roots (when it
    grants any)."""
    server = MCPServer(name="planner", version=__version__, instructions=INSTRUCTIONS)

    async def grants(context: Context) -> tuple[list[list[Path]], Path | None]:
        found: list[list[Path]] = [[root]] if root is not None else []
        capabilities = context.client_capabilities
        if capabilities is not None and capabilities.roots is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MCPDeprecationWarning)  # roots: deprecated, still served
                listed = await context.session.list_roots()
            found.append([path_of_file_uri(str(item.uri)) for item in listed.roots])
        base = root if root is not None else (found[0][0] if found and found[0] else None)
        return found, base

    async def confined(context: Context, paths: list[str] | None) -> list[str] | None:
        if not paths:
            return paths
        try:
            granted, base = await grants(context)
            return [confine(path, granted, base) for path in paths]
        except PlannerError as error:
            raise refusal(error) from None

    @server.tool(description="Tokens and words of text or files for a model's tokenizer (`planner count`).")
    async def count_tokens(
        context: Context,
        paths: Paths = None,
        text: Text = None,
        model: Model = DEFAULT_MODEL,
        messages: Messages = False,
    ) -> CallToolResult:
        allowed = await confined(context, paths)
        return await answer(lambda: tools.count_tokens(allowed, text, model, messages))

    @server.tool(description="Does the input fit the window with room for the answer (`planner fit`).")
    async def check_fit(
        context: Context,
        paths: Paths = None,
        text: Text = None,
        input_tokens: InputTokens = None,
        model: Model = DEFAULT_MODEL,
        provider: Provider = None,
        output_tokens: Annotated[Tokens, Field(description="Tokens reserved for the answer.")] = None,
        reasoning_tokens: Annotated[int, Field(ge=0, description="Tokens reserved for thinking.")] = 0,
        reasoning_effort: Annotated[str | None, Field(description="low, medium or high.")] = None,
        headroom: Annotated[str | None, Field(description="Share that must stay free: 0.1 or 10%.")] = None,
        max_input_tokens: Annotated[Tokens, Field(description="A budget the input must stay within.")] = None,
        include_free: bool = False,
        messages: Messages = False,
    ) -> CallToolResult:
        allowed = await confined(context, paths)
        return await answer(
            lambda: tools.check_fit(
                tools.input_spec(allowed, text, input_tokens, messages),
                model,
                provider,
                output_tokens=output_tokens,
                reasoning_tokens=reasoning_tokens,
                reasoning_effort=reasoning_effort,
                headroom=headroom,
                max_input_tokens=max_input_tokens,
                include_free=include_free,
            )
        )

    @server.tool(description="Cost of one request and of many, in exact decimal US dollars (`planner cost`).")
    async def estimate_cost(
        context: Context,
        paths: Paths = None,
        text: Text = None,
        input_tokens: InputTokens = None,
        model: Model = DEFAULT_MODEL,
        provider: Provider = None,
        output_tokens: Annotated[Tokens, Field(description="Answer tokens billed.")] = None,
        reasoning_tokens: Annotated[int, Field(ge=0)] = 0,
        cached_tokens: Annotated[int, Field(ge=0, description="Input tokens read from the cache.")] = 0,
        cache_write_tokens: Annotated[int, Field(ge=0)] = 0,
        requests: Annotated[int, Field(ge=1)] = 1,
        requests_per_day: Annotated[Tokens, Field(description="Gives a day's and a month's cost.")] = None,
        batch: Annotated[bool, Field(description="Batch API prices.")] = False,
        messages: Messages = False,
    ) -> CallToolResult:
        allowed = await confined(context, paths)
        return await answer(
            lambda: tools.estimate_cost(
                tools.input_spec(allowed, text, input_tokens, messages),
                model,
                provider,
                output_tokens=output_tokens,
                reasoning_tokens=reasoning_tokens,
                cached_tokens=cached_tokens,
                cache_write_tokens=cache_write_tokens,
                requests=requests,
                requests_per_day=requests_per_day,
                batch=batch,
            )
        )

    @server.tool(description="Every catalog model against one input: fits, cost, window (`planner compare`).")
    async def compare_models(
        context: Context,
        paths: Paths = None,
        text: Text = None,
        input_tokens: InputTokens = None,
        output_tokens: Tokens = None,
        model: Annotated[str, Field(description="The model whose window the others are compared with.")] = (
            DEFAULT_MODEL
        ),
        provider: Annotated[str | None, Field(description="Only this host.")] = None,
        creator: Annotated[str | None, Field(description="Only models by this maker.")] = None,
        capabilities: Annotated[list[str] | None, Field(description="tool_use, vision, ...")] = None,
        min_context: Tokens = None,
        max_input_price: Annotated[str | None, Field(description="USD per million input tokens.")] = None,
        max_output_price: Annotated[str | None, Field(description="USD per million output tokens.")] = None,
        fits_only: bool = False,
        include_free: Annotated[bool, Field(description="List free tiers and previews too.")] = False,
        sort: Annotated[str, Field(description="cost, window, headroom or name.")] = "cost",
        limit: Annotated[int | None, Field(ge=1, description="First rows only; null: every model.")] = 25,
        messages: Messages = False,
    ) -> CallToolResult:
        allowed = await confined(context, paths)
        return await answer(
            lambda: tools.compare_models(
                tools.input_spec(allowed, text, input_tokens, messages),
                model,
                limit,
                output_tokens=output_tokens,
                provider=provider,
                creator=creator,
                capabilities=capabilities,
                min_context=min_context,
                max_input_price=max_input_price,
                max_output_price=max_output_price,
                fits_only=fits_only,
                include_free=include_free,
                sort=sort,
            )
        )

    @server.tool(description="The model page: window, what fits, specs, prices (`planner model`).")
    async def model_info(model: Model = DEFAULT_MODEL, provider: Provider = None) -> CallToolResult:
        return await answer(lambda: tools.model_info(model, provider))

    return server


async def answer(build: Callable[[], dict[str, Any]]) -> CallToolResult:
    """The document ``build`` makes (in a worker thread: counting is CPU work), as structured content and as
    the CLI's JSON text; a planner error as a tool error with its one-line message."""
    try:
        document = await anyio.to_thread.run_sync(build)
    except PlannerError as error:
        raise refusal(error) from None
    return CallToolResult(
        content=[TextContent(type="text", text=json_text(document))], structured_content=document
    )


def refusal(error: PlannerError) -> ToolError:
    """A planner error as the tool error the client reads: the CLI's one-line message (the SDK puts
    "Error executing tool NAME: " before it)."""
    return ToolError(error.message)


def serve(root: Path | None = None, http_port: int | None = None) -> None:
    """Serve on stdio, or with streamable HTTP on 127.0.0.1:``http_port`` (path /mcp)."""
    server = build_server(root)
    if http_port is None:
        server.run("stdio")
    else:
        server.run("streamable-http", host="127.0.0.1", port=http_port)
