"""`planner mcp`: serve the planner to agents over the Model Context Protocol (planner.mcp.server)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli._app import app
from planner.errors import UsageError

HELP = """Serve count, fit, cost, compare and model pages to agents over the Model Context Protocol.

Tools: count_tokens, check_fit, estimate_cost, compare_models, model_info; each returns the JSON document of
the matching command's --json. Standard input and output carry the protocol (the default); --http PORT
serves streamable HTTP on 127.0.0.1:PORT/mcp instead.

Paths are read only inside the roots the client grants (MCP roots) and inside --root DIR (both, when both
are given); a path outside them, a symbolic link out of them or a device file is refused with a tool error.
With neither, the tools take text and token counts only.

\b
Examples:
  planner mcp --root .                         # stdio, for a client that starts the server
  planner mcp --root ~/project --http 8765     # http://127.0.0.1:8765/mcp
  claude mcp add planner -- planner mcp --root "$PWD"
"""


@app.command(help=HELP)
def mcp(
    root: Annotated[
        Path | None,
        typer.Option("--root", metavar="DIR", help="The folder whose files the tools may read."),
    ] = None,
    http: Annotated[
        int | None,
        typer.Option("--http", metavar="PORT", help="Serve streamable HTTP on 127.0.0.1:PORT (path /mcp)."),
    ] = None,
) -> None:
    if root is not None and not root.is_dir():
        raise UsageError(f"--root {root}: not a folder")
    if http is not None and not 0 < http < 65536:
        raise UsageError(f"--http must be a port from 1 to 65535, got {http}")
    from planner.mcp.server import serve

    serve(root.resolve() if root is not None else None, http)
