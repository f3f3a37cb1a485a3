"""The dated price ledger (planner.catalog.ledger): started by the shipped snapshot, appended by refreshes.

The end-to-end test serves the pinned excerpts from a real HTTP server on 127.0.0.1 with Hermes 4 405B's
prompt price moved to $1.20 per million, refreshes, and reads the change back with
`planner catalog history`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from planner.catalog import ledger, store
from planner.catalog.build import SourceDocument, build
from planner.catalog.ledger import LedgerEntry
from planner.catalog.refresh import refresh_catalog
from planner.catalog.schema import ModelOffer
from planner.cli import run_app
from planner.errors import PriceUnknownError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"
FILES = {
    "openrouter": ("/api/v1/models", "openrouter-excerpt.json"),
    "models.dev": ("/api.json", "models-dev-excerpt.json"),
    "litellm": ("/litellm.json", "litellm-excerpt.json"),
}
HERMES = "nousresearch/hermes-4-405b"


pytestmark = pytest.mark.usefixtures("isolated_cache")


def offer(**pricing) -> ModelOffer:
    return ModelOffer(
        id="acme/m", name="M", provider="acme", source="litellm", as_of=date(2026, 6, 1), pricing=pricing
    )


def test_changes_list_every_moved_appeared_or_vanished_price():
    old = [offer(input="0.000001", output="0.000003", cache_read="0.0000001")]
    new = [offer(input="0.0000012", output="0.000003", cache_write="0.00000125")]
    found = {(e.field, e.old, e.new) for e in ledger.changes(old, new, date(2026, 12, 1))}
    assert found == {
        ("input", Decimal("0.000001"), Decimal("0.0000012")),
        ("cache_read", Decimal("0.0000001"), None),
        ("cache_write", None, Decimal("0.00000125")),
    }


def test_refresh_price_moves_are_the_ledger_changes_less_the_appeared_ones():
    from planner.catalog.refresh import price_moves
    from planner.catalog.store import Catalog, CatalogInfo

    old = [offer(input="0.000001", output="0.000003", cache_read="0.0000001")]
    moved = offer(input="0.0002", output="0.000003", cache_write="0.00000125")
    moved = moved.model_copy(update={"provider": "ACME", "id": "ACME/M"})  # the same offer, other letter case
    info = CatalogInfo(date(2026, 6, 1), sources=[], model_count=0, path=Path("o.json"), origin="shipped")
    changed, extreme = price_moves(Catalog(info=info).overlay(old), [moved])
    assert {(c.field, c.old, c.new) for c in changed} == {
        ("input", Decimal("0.000001"), Decimal("0.0002")),
        ("cache_read", Decimal("0.0000001"), None),
    }
    assert [(c.field, c.new) for c in extreme] == [("input", Decimal("0.0002"))]  # 200x


def test_append_keeps_every_earlier_byte_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "ledger.jsonl"
    first = ledger.changes([offer(input="0.000001")], [offer(input="0.000002")], date(2026, 7, 1))
    ledger.append_entries(path, first)
    before = path.read_bytes()
    second = ledger.changes([offer(input="0.000002")], [offer(input="0.000003")], date(2026, 8, 1))
    ledger.append_entries(path, second)
    assert path.read_bytes().startswith(before)
    assert [e.new for e in ledger.read_ledger(path)] == [Decimal("0.000002"), Decimal("0.000003")]
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.jsonl"]
    assert json.loads(before)["new"] == "0.000002"  # money is a decimal string


def test_a_damaged_ledger_line_is_skipped_with_one_warning(tmp_path):
    path = tmp_path / "ledger.jsonl"
    good = ledger.changes([offer(input="0.000002")], [offer(input="0.000003")], date(2026, 8, 1))
    path.write_text('{"as_of": "2026-07-01"}\nnot json\n', encoding="utf-8")
    ledger.append_entries(path, good)
    problems: list[str] = []
    assert [e.new for e in ledger.read_ledger(path, problems)] == [Decimal("0.000003")]
    assert problems == [
        f"price ledger {path}: skipped 2 lines that are not a ledger entry (line 1, 2); the history shown "
        "leaves them out"
    ]


def test_prices_on_a_date_take_the_newest_entry_on_or_before_it():
    current = offer(input="0.000003", output="0.000004")
    entries = [
        LedgerEntry(
            as_of=date(2026, 6, 1),
            provider="acme",
            id="acme/m",
            field="input",
            new=Decimal("1E-6"),
            source="litellm",
        ),
        LedgerEntry(
            as_of=date(2026, 6, 1),
            provider="acme",
            id="acme/m",
            field="output",
            new=Decimal("4E-6"),
            source="litellm",
        ),
        LedgerEntry(
            as_of=date(2026, 9, 1),
            provider="acme",
            id="acme/m",
            field="input",
            old=Decimal("1E-6"),
            new=Decimal("3E-6"),
            source="litellm",
        ),
    ]
    assert ledger.prices_on(current, date(2026, 8, 31), entries).input == Decimal("0.000001")
    assert ledger.prices_on(current, date(2026, 9, 1), entries).input == Decimal("0.000003")
    assert ledger.prices_on(current, date(2026, 9, 1), entries).output == Decimal("0.000004")
    with pytest.raises(PriceUnknownError, match="history starts on 2026-06-01"):
        ledger.prices_on(current, date(2026, 5, 31), entries)


def test_the_shipped_snapshot_starts_the_history_with_the_pinned_dates(capsys):
    assert run_app(["catalog", "history", HERMES, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    # data/genai-prices-0.2.5.json, provider openrouter, model nousresearch/hermes-4-405b: an undated
    # $1 / $3 per million (dated by the model's release, 2025-08-26 in data/SOURCES.md), then from
    # 2026-11-03 the same with cache reads at $0.2 per million
    assert [(r["as_of"], r["field"], r["old"], r["new"], r["source"]) for r in rows] == [
        ("2025-08-26", "input", None, "0.000001", "genai-prices"),
        ("2025-08-26", "output", None, "0.000003", "genai-prices"),
        ("2026-11-03", "cache_read", None, "0.0000002", "genai-prices"),
    ]


# ---------------------------------------------------------------- a refresh from 127.0.0.1


def _bodies(prompt: str) -> dict[str, bytes]:
    bodies = {path: (FIXTURES / file).read_bytes() for path, file in FILES.values()}
    document = json.loads(bodies["/api/v1/models"])
    for model in document["data"]:
        if model["id"] == HERMES:
            model["pricing"]["prompt"] = prompt
    bodies["/api/v1/models"] = json.dumps(document).encode()
    return bodies


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, bytes]]]:
    bodies = _bodies("0.0000012")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = bodies.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", bodies
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def in_use():
    """The catalog in use before the refresh: built from the excerpts (Hermes at $1 per million)."""
    documents = [
        SourceDocument(name, file, date(2026, 11, 1), json.loads((FIXTURES / file).read_bytes()))
        for name, (_, file) in FILES.items()
    ]
    store.write_snapshot(store.refreshed_snapshot_path(), build(documents).document())
    store.clear_catalog_cache()
    return store.load_catalog()


@pytest.mark.slow
def test_a_refresh_moving_hermes_to_1_20_leaves_a_dated_entry_history_shows(server, in_use, capsys):
    base, _ = server
    urls = {name: base + path for name, (path, _) in FILES.items()}
    # the trusted baseline of this test is the excerpts too (the shipped catalog has far more models)
    refresh_catalog(
        urls=urls, timeout=5.0, retries=0, current=in_use, baseline=in_use, today=date(2026, 12, 1)
    )
    path = ledger.ledger_path()
    assert path == store.refreshed_snapshot_path().parent / "price-ledger.jsonl"
    [entry] = ledger.read_ledger(path)
    assert (entry.as_of, entry.provider, entry.id, entry.field) == (
        date(2026, 12, 1),
        "openrouter",
        HERMES,
        "input",
    )
    assert (entry.old, entry.new, entry.source) == (Decimal("0.000001"), Decimal("0.0000012"), "openrouter")

    store.clear_catalog_cache()
    assert run_app(["catalog", "history", HERMES, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {
        "as_of": "2026-12-01",
        "field": "input",
        "old": "0.000001",
        "new": "0.0000012",
        "source": "openrouter",
    }.items() <= rows[-1].items()
    assert rows[0]["as_of"] == "2025-08-26"  # the shipped snapshot's record starts it
    assert run_app(["catalog", "history", HERMES]) == 0
    table = capsys.readouterr().out
    assert "2026-12-01" in table and "$1.00" in table and "$1.20" in table

    # a second refresh with the same data changes nothing and appends nothing
    before = path.read_bytes()
    store.clear_catalog_cache()
    refresh_catalog(urls=urls, timeout=5.0, retries=0, baseline=in_use, today=date(2026, 12, 2))
    assert path.read_bytes() == before
