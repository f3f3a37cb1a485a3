"""The `planner` command line: gathers input, calls `planner`'s logic, presents tables or JSON.

Each group of commands lives in its own module and registers itself on ``app``.
"""

from __future__ import annotations

import gc
import os
import sys

# The CLI uses no pydantic plugins; looking for them reads the entry points of every installed package (20-40
# ms of each start-up). Set before the command modules build their models; a user's own setting wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# Importing the command modules registers their commands on `app`, in the order `planner --help` lists them.
# isort: off
from planner.cli import catalog as _catalog  # noqa: F401
from planner.cli import count as _count  # noqa: F401
from planner.cli import fit as _fit  # noqa: F401
from planner.cli import cost as _cost  # noqa: F401
from planner.cli import batch as _batch  # noqa: F401
from planner.cli import spend as _spend  # noqa: F401
from planner.cli import compare as _compare  # noqa: F401
from planner.cli import model as _model  # noqa: F401
from planner.cli import hosts as _hosts  # noqa: F401
from planner.cli import conversation as _conversation  # noqa: F401
from planner.cli import serve_app as _serve_app  # noqa: F401
from planner.cli import mcp as _mcp  # noqa: F401
from planner.cli import schema as _schema  # noqa: F401

# isort: on
from planner.cli._app import app, run_app


def main(argv: list[str] | None = None) -> None:
    """The console entry point. What the imports built lives until the process ends, so it is frozen out of
    the cyclic garbage collector (gc.freeze): no collection walks it again, the final one at exit included
    (~20 % of a one-line `planner count`; objects are still freed by reference counting)."""
    gc.freeze()
    code = run_app(argv)
    gc.freeze()
    sys.exit(code)


__all__ = ["app", "main"]
