"""The `planner` command line: gathers input, calls `planner`'s logic, presents tables or JSON.

Each group of commands lives in its own module and registers itself on ``app`` when imported; ``run_app``
imports only the module of the command it runs (planner.cli._app.COMMAND_MODULES), so a one-line `planner
count` builds no other command.
"""

from __future__ import annotations

import gc
import os
import sys

# The CLI uses no pydantic plugins; looking for them reads the entry points of every installed package (20-40
# ms of each start-up). Set before the command modules build their models; a user's own setting wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
# numpy (a big count's figures, gigatoken's ids) loads OpenBLAS, which starts a thread per core at import (~20
# ms of CPU, measured: numpy's import 50 ms instead of 72) and must stop them again before every fork; the CLI
# does no linear algebra. Set before numpy is imported; a user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from planner.cli import _app
from planner.cli._app import app, run_app


def main(argv: list[str] | None = None) -> None:
    """The console entry point. What the imports built lives until the process ends, so it is frozen out of
    the cyclic garbage collector (gc.freeze): no collection walks it again, the final one at exit included
    (~20 % of a one-line `planner count`; objects are still freed by reference counting)."""
    gc.freeze()
    _app.ONE_SHOT = True
    code = run_app(argv)
    gc.freeze()
    sys.exit(code)


__all__ = ["app", "main"]
