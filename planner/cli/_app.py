"""The Typer application shared by every command module, and the error boundary of the CLI."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Annotated, Any

import typer

from planner import __version__
from planner.errors import EXIT_USAGE, PlannerError


def _parser_error_types() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """(usage errors, aborts) of the click that Typer runs on: recent Typer releases vendor their own copy
    (``typer._click``), older ones use the ``click`` package. The package is imported only when there is no
    vendored copy: Typer then never raises its exceptions, and importing it costs every start-up."""
    try:
        from typer._click.exceptions import ClickException as VendoredClickException
        from typer.exceptions import Abort as VendoredAbort

        return (VendoredClickException,), (VendoredAbort,)
    except ImportError:
        import click

        return (click.ClickException,), (click.exceptions.Abort,)


PARSER_ERRORS, ABORTS = _parser_error_types()

app = typer.Typer(
    name="planner",
    help="Context budgeting and cost planner for LLMs: does it fit, what will it cost, which model.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"planner {__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Context budgeting and cost planner for LLMs: does it fit, what will it cost, which model."""


def _after_closed_pipe(error: BaseException) -> bool:
    """Whether ``error`` was raised while handling a BrokenPipeError (standard output's reader closed it)."""
    cause = error.__context__
    while cause is not None:
        if isinstance(cause, BrokenPipeError):
            return True
        cause = cause.__context__
    return False


def _silence_stdout() -> None:
    """After the reader of standard output went away: send what is left to /dev/null, so the interpreter's
    final flush does not fail again (the recipe of the Python documentation on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def json_text(document: Any) -> str:
    """A JSON document as the CLI prints it (and `planner mcp` returns it): indented, UTF-8 text kept."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout (Decimals must already be strings)."""
    sys.stdout.write(json_text(document) + "\n")


def fail(message: str, exit_code: int = EXIT_USAGE) -> None:
    """Print a one-line error on stderr and exit."""
    sys.stderr.write(f"error: {message}\n")
    raise SystemExit(exit_code)


def _parser_message(error: BaseException) -> str:
    """click's message on one line, lower-case like every other error, with where to find help."""
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    context = getattr(error, "ctx", None)
    command = context.command_path if context is not None else "planner"
    return f"{message} (see '{command} --help')"


# The command modules (planner.cli.<module>), in the order `planner --help` lists their commands, with the
# commands each registers. A command's module is imported only when that command runs (start-up: a one-line
# `planner count` does not build fit's or the catalog's commands); --help, --version or a name not listed
# here (a typo: click suggests the closest) imports them all.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "catalog": ("models", "catalog"),
    "count": ("count",),
    "fit": ("fit",),
    "cost": ("cost",),
    "batch": ("batch",),
    "spend": ("spend",),
    "compare": ("compare",),
    "model": ("model",),
    "hosts": ("hosts",),
    "conversation": ("conversation",),
    "serve_app": ("app",),
    "mcp": ("mcp",),
    "schema": ("schema",),
}


# Set by main(), the console entry point: the process ends after the command, so a command may release what it
# no longer needs for its peak memory (fit: its model's encoder once the input is counted). False when the CLI
# runs inside another program (tests, `planner mcp`), which reuses what was built.
ONE_SHOT = False


def register_commands(args: Sequence[str]) -> None:
    """Import the module of the command ``args`` names (all of them when it names none), and keep the
    commands in ``COMMAND_MODULES``' order whichever modules were imported first."""
    first = args[0] if args else None
    named = [module for module, commands in COMMAND_MODULES.items() if first in commands]
    for module in named or COMMAND_MODULES:
        import_module(f"planner.cli.{module}")
    order = {module: rank for rank, module in enumerate(COMMAND_MODULES)}
    app.registered_commands.sort(key=lambda info: order.get(_module_name(info.callback), len(order)))


def _module_name(callback: Any) -> str:
    return str(getattr(callback, "__module__", "")).rpartition(".")[2]


def run_app(argv: list[str] | None = None) -> int:
    """Run the CLI; user mistakes become one line on stderr and a documented exit status."""
    register_commands(sys.argv[1:] if argv is None else argv)
    try:
        return _run_app(argv)
    finally:
        _warn_catalog_fallback()


def _warn_catalog_fallback() -> None:
    """One ``warning:`` line per fallback from a damaged refreshed catalog this command made."""
    store = sys.modules.get("planner.catalog.store")  # never imported just to ask
    for warning in store.take_fallback_warnings() if store is not None else []:
        sys.stderr.write(f"warning: {warning}\n")


def _run_app(argv: list[str] | None) -> int:
    try:
        result = app(args=argv, prog_name="planner", standalone_mode=False)
    except PlannerError as error:
        sys.stderr.write(f"error: {error.message}\n")
        return error.exit_code
    except ABORTS:
        sys.stderr.write("error: aborted\n")
        return 130
    except PARSER_ERRORS as error:
        sys.stderr.write(f"error: {_parser_message(error)}\n")
        return int(getattr(error, "exit_code", EXIT_USAGE))
    except SystemExit as done:
        if _after_closed_pipe(done):  # click and rich exit with status 1 when the reader went away
            _silence_stdout()
            return 0
        return int(done.code or 0) if not isinstance(done.code, str) else 1
    except BrokenPipeError:  # the reader closed the pipe (`| head`): not an error
        _silence_stdout()
        return 0
    return result if isinstance(result, int) else 0
