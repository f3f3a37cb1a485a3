"""`planner app [streamlit options]`: start the app that ships inside the package, from any install.

It runs `python -m streamlit run <planner/app/main.py> [options]` with the same interpreter, so a wheel or
`pip install .` user needs no copy of the repository; options after `app` go to Streamlit unchanged
(`planner app --server.port 8502 --server.headless true`). Streamlit is imported by the child process only:
the CLI itself never loads it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import typer

from planner.cli._app import app, fail
from planner.errors import EXIT_USAGE, EXTRA_OF_MODULE, MissingExtraError

APP_HELP = """Start the planner app in the browser (Streamlit), from any install:
planner app [streamlit options].

Options after `app` are Streamlit's own. Started from any folder, the app keeps the repository's
.streamlit/config.toml settings (the upload limit of planner.app.uploads, no usage statistics, no watching
of its source files) unless an option given here sets them.

\b
Examples:
  planner app
  planner app --server.port 8502 --server.headless true
  planner app --server.address 127.0.0.1
"""


def app_script() -> Path:
    """The app's entry script inside the installed package."""
    return Path(__file__).resolve().parents[1] / "app" / "main.py"


def default_options() -> dict[str, str]:
    """The settings of the repository's .streamlit/config.toml, which a run from another folder would miss."""
    from planner.app.uploads import MAX_UPLOAD_MB

    return {
        "--server.maxUploadSize": str(MAX_UPLOAD_MB),
        "--server.showEmailPrompt": "false",
        "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "minimal",
        "--server.fileWatcherType": "none",  # served, not edited (the config file says why)
        "--runner.postScriptGC": "false",
    }


def streamlit_command(options: list[str]) -> list[str]:
    """The child's command line: the defaults not set by ``options``, then ``options`` as given."""
    given = {option.split("=", 1)[0] for option in options if option.startswith("--")}
    defaults = [
        part for name, value in default_options().items() if name not in given for part in (name, value)
    ]
    return [sys.executable, "-m", "streamlit", "run", str(app_script()), *defaults, *options]


@app.command(
    "app",
    help=APP_HELP,
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def app_command(context: typer.Context) -> int:
    if importlib.util.find_spec("streamlit") is None:  # found, not imported: the child process imports it
        raise MissingExtraError("the app", "streamlit", EXTRA_OF_MODULE["streamlit"])
    if not app_script().is_file():
        fail(f"the app's script {app_script()} is missing from this install: reinstall planner", EXIT_USAGE)
    return run_streamlit(streamlit_command(list(context.args)))


def run_streamlit(command: list[str]) -> int:
    """Run the app's command. On POSIX this process becomes Streamlit (exec), so a stop signal (a service
    manager's SIGTERM, a test's terminate) reaches the server itself: as a child of subprocess.call it was
    left serving after `planner app` had been stopped. Elsewhere (Windows has no exec that keeps the
    process) the command runs as a child and its status is returned."""
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 130
