"""One lock around a whole refresh: concurrent refreshes (separate processes) queue, and the price ledger
stays in step with the catalog in use; the ledger is appended in place and survives its own broken lines;
a damaged refreshed catalog falls back to the shipped one with a warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from planner.catalog import ledger, store
from planner.cli import run_app

DATA = Path(__file__).resolve().parents[2] / "data"
HERMES = "nousresearch/hermes-4-405b"
FILES = {
    "openrouter": "openrouter-models-2026-08-19.json",
    "models.dev": "models.dev-2026-06-13.json",
    "litellm": "litellm-1.110.2.json",
}


class _Files(BaseHTTPRequestHandler):
    bodies: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = self.bodies.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        pass


def _openrouter_with_hermes_input(price: str) -> bytes:
    document = json.loads((DATA / FILES["openrouter"]).read_text(encoding="utf-8"))
    for model in document["data"]:
        if model["id"] == HERMES:
            model["pricing"]["prompt"] = price
    return json.dumps(document).encode()


@pytest.fixture
def server() -> Iterator[str]:
    """The pinned sources on 127.0.0.1, OpenRouter's in six versions: Hermes' input at $1.01 ... $1.06."""
    bodies = {f"/{name}": (DATA / file).read_bytes() for name, file in FILES.items()}
    for index in range(1, 7):
        bodies[f"/openrouter-{index}"] = _openrouter_with_hermes_input(f"0.00000{100 + index}")
    _Files.bodies = bodies
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANNER_MODELS_FILE", raising=False)
    store.clear_catalog_cache()
    yield folder
    store.clear_catalog_cache()


def _refresh_process(server: str, version: int, cache: Path) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "planner", "catalog", "refresh", "--retries", "0", "--timeout", "60"]
    argv += [f"--openrouter-url={server}/openrouter-{version}", f"--models-dev-url={server}/models.dev"]
    argv += [f"--litellm-url={server}/litellm"]
    env = {**os.environ, "PLANNER_CACHE_DIR": str(cache)}
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _assert_ledger_in_step(cache: Path) -> None:
    """Every offer and price: the ledger's entries chain (each old is the new before it, starting from the
    shipped snapshot) and end at the price of the catalog in use."""
    shipped = store.read_snapshot(store.SHIPPED_SNAPSHOT, "shipped")
    in_use = store.read_snapshot(cache / "catalog.json", "refreshed")
    last: dict[tuple[str, str, str], Decimal | None] = {}
    for entry in ledger.read_ledger(cache / ledger.LEDGER_FILE_NAME):
        key = (*entry.offer_key(), entry.field)
        if key not in last:
            offer = shipped.offer_for(entry.provider, entry.id)
            last[key] = getattr(offer.pricing, entry.field) if offer else None
        assert entry.old == last[key], (key, entry.old, last[key])
        last[key] = entry.new
    for (provider, model_id, name), price in last.items():
        offer = in_use.offer_for(provider, model_id)
        assert offer is not None and getattr(offer.pricing, name) == price, (provider, model_id, name)


@pytest.mark.slow
def test_three_rounds_of_two_concurrent_refreshes_leave_the_ledger_in_step(server, cache):
    for round_number in range(3):
        pair = [_refresh_process(server, 2 * round_number + side, cache) for side in (1, 2)]
        for process in pair:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
        _assert_ledger_in_step(cache)
        hermes = store.read_snapshot(cache / "catalog.json", "refreshed").offer_for("openrouter", HERMES)
        # one of the pair's prices is in use, and the ledger says the same
        assert hermes.pricing.input in {Decimal(f"0.00000{100 + 2 * round_number + side}") for side in (1, 2)}
    entries = [e for e in ledger.read_ledger(cache / ledger.LEDGER_FILE_NAME) if e.id == HERMES]
    assert [e.field for e in entries if e.provider == "openrouter"].count("input") == 6  # one per refresh
    assert not list(cache.glob(".*.tmp"))


def test_the_ledger_is_appended_in_place_and_skips_its_broken_lines_with_one_warning(cache, capsys):
    path = cache / ledger.LEDGER_FILE_NAME
    entry = ledger.LedgerEntry(
        as_of="2026-12-01",
        provider="openrouter",
        id=HERMES,
        field="input",
        old="0.000001",
        new="0.0000012",
        source="openrouter",
    )
    ledger.append_entries(path, [entry])
    inode = path.stat().st_ino
    with path.open("ab") as handle:
        handle.write(b'{"as_of": "2026-12-02", "provid')  # a torn write: half a line, no newline
    later = entry.model_copy(
        update={"as_of": date(2026, 12, 3), "old": entry.new, "new": Decimal("0.0000013")}
    )
    ledger.append_entries(path, [later])
    assert path.stat().st_ino == inode  # in place, never read-and-replace
    lines = path.read_bytes().splitlines()
    assert len(lines) == 3 and lines[1].startswith(b'{"as_of": "2026-12-02"')
    problems: list[str] = []
    assert [e.as_of.isoformat() for e in ledger.read_ledger(path, problems)] == ["2026-12-01", "2026-12-03"]
    assert problems == [
        f"price ledger {path}: skipped 1 line that is not a ledger entry (line 2); "
        "the history shown leaves them out"
    ]
    assert run_app(["catalog", "history", HERMES, "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("warning:") == 1 and "line 2" in captured.err
    assert json.loads(captured.out)[-1]["new"] == "0.0000013"
    assert run_app(["cost", "-i", "1000000", "--as-of", "2026-12-04"]) == 0
    captured = capsys.readouterr()
    assert "$1.300000" in captured.out and captured.err.count("skipped 1 line") == 1


def test_a_damaged_refreshed_catalog_falls_back_with_a_warning_that_says_so(cache, capsys):
    cache.mkdir(parents=True)
    (cache / "catalog.json").write_text('{"format": 1, "models": [', encoding="utf-8")
    assert run_app(["cost", "-i", "1000"]) == 0
    captured = capsys.readouterr()
    assert "$0.001000" in captured.out  # the shipped prices: 1,000 x $1 per million
    assert captured.err.count("warning: the refreshed catalog") == 1
    assert f"{cache / 'catalog.json'} is damaged" in captured.err
    assert "answered from the shipped catalog instead" in captured.err
