"""`planner app`: the app that ships inside the package, started with Streamlit's own options."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from planner.cli.serve_app import app_script, streamlit_command

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_script_is_inside_the_package_and_app_py_runs_it() -> None:
    script = app_script()
    assert script == ROOT / "planner" / "app" / "main.py" and script.is_file()
    assert "from planner.app.main import main" in (ROOT / "app.py").read_text(encoding="utf-8")


def test_the_command_runs_streamlit_on_the_script_with_the_repository_defaults() -> None:
    command = streamlit_command(["--server.port", "8599"])
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(app_script())]
    assert command[command.index("--server.maxUploadSize") + 1] == "50"  # planner.app.uploads' limit
    assert command[-2:] == ["--server.port", "8599"]


def test_an_option_given_replaces_the_default() -> None:
    command = streamlit_command(["--server.maxUploadSize=10"])
    assert "--server.maxUploadSize" not in command and command[-1] == "--server.maxUploadSize=10"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_planner_app_serves_the_page_from_another_folder(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "planner", "app", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    server = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        answer = b""
        while time.monotonic() < deadline and server.poll() is None and answer != b"ok":
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    answer = reply.read().strip()
            except OSError:
                time.sleep(0.2)  # the server is not listening yet: ask again
        assert answer == b"ok", f"planner app did not answer (exit status {server.poll()})"
    finally:
        server.terminate()
        server.wait(timeout=20)
    # stopping `planner app` stops the app: the Streamlit it started was left serving, an orphan, after the
    # command it was started by had exited (subprocess.call and a SIGTERM nobody passed on)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)


def test_without_streamlit_it_is_one_error_naming_the_extra(monkeypatch, capsys) -> None:
    from planner.cli import run_app

    monkeypatch.setitem(sys.modules, "streamlit", None)  # find_spec now finds no Streamlit
    assert run_app(["app"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the app needs streamlit") and "pip install 'planner[app]'" in err
    assert err.count("\n") == 1


def test_planner_app_passes_every_setting_of_the_repository_config() -> None:
    """`streamlit run app.py` reads .streamlit/config.toml, `planner app` passes its settings as options (a
    wheel has no config file): the same settings both ways, so neither start is the slower one (no file
    watcher, no garbage collection after each run)."""
    import tomllib

    from planner.cli.serve_app import default_options

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    written = {
        f"--{section}.{name}": str(value).lower() if isinstance(value, bool) else str(value)
        for section, values in config.items()
        for name, value in values.items()
    }
    assert written == default_options()
    assert written["--server.fileWatcherType"] == "none" and written["--runner.postScriptGC"] == "false"


def test_the_app_benchmark_runs_apptest_with_the_served_apps_runner_settings() -> None:
    """scripts/benchmark_app.py times AppTest runs as the server runs them: without the full garbage
    collection after each run that the config file turns off (AppTest reads no config file of the app's)."""
    import benchmark_app
    from streamlit import config

    before = config.get_option("runner.postScriptGC")
    try:
        assert benchmark_app.server_settings() == {"runner.postScriptGC": False}
        assert config.get_option("runner.postScriptGC") is False
    finally:
        config.set_option("runner.postScriptGC", before)
