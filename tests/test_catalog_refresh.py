"""`planner catalog refresh` against httpx.MockTransport and a real HTTP server on 127.0.0.1.

After every failure the catalog in use (the last good refreshed copy) must be byte-for-byte intact.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from planner.catalog import store
from planner.catalog.build import SourceDocument, build
from planner.catalog.refresh import refresh_catalog
from planner.cli import run_app
from planner.errors import CatalogError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catalog"
PATHS = {
    "openrouter": "/api/v1/models",
    "models.dev": "/api.json",
    "litellm": "/litellm.json",
}
FILES = {
    "openrouter": "openrouter-excerpt.json",
    "models.dev": "models-dev-excerpt.json",
    "litellm": "litellm-excerpt.json",
}
HERMES = "nousresearch/hermes-4-405b"


def good_bodies() -> dict[str, bytes]:
    return {PATHS[name]: (FIXTURES / file).read_bytes() for name, file in FILES.items()}


def openrouter_with(transform) -> bytes:
    document = json.loads((FIXTURES / FILES["openrouter"]).read_text())
    transform(document)
    return json.dumps(document).encode()


def hermes_price(document, price: str) -> None:
    for model in document["data"]:
        if model["id"] == HERMES:
            model["pricing"]["prompt"] = price


def all_prices_times_1000(document) -> None:
    for model in document["data"]:
        prompt = model["pricing"]["prompt"]
        if prompt not in ("-1", "0"):
            model["pricing"]["prompt"] = str(Decimal(prompt) * 1000)


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PLANNER_MODELS_FILE", raising=False)
    for variable in ("PLANNER_OPENROUTER_URL", "PLANNER_MODELS_DEV_URL", "PLANNER_LITELLM_URL"):
        monkeypatch.delenv(variable, raising=False)
    store.clear_catalog_cache()
    yield
    store.clear_catalog_cache()


@pytest.fixture
def seeded_cache() -> bytes:
    """A last good refreshed copy built from the excerpts; returns its bytes."""
    documents = [
        SourceDocument(
            name, FILES[name], date(2026, 11, 1), json.loads((FIXTURES / FILES[name]).read_bytes())
        )
        for name in FILES
    ]
    store.write_snapshot(store.refreshed_snapshot_path(), build(documents).document())
    return store.refreshed_snapshot_path().read_bytes()


def assert_in_use_intact(previous: bytes) -> None:
    assert store.refreshed_snapshot_path().read_bytes() == previous
    store.clear_catalog_cache()
    catalog = store.load_catalog()
    assert catalog.info.origin == "refreshed"
    assert catalog.get(HERMES).pricing.input == Decimal("0.000001")
    leftovers = [p.name for p in store.refreshed_snapshot_path().parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


# ---------------------------------------------------------------- MockTransport


def mock_urls() -> dict[str, str]:
    return {name: f"https://example.test{path}" for name, path in PATHS.items()}


def mock_transport(responses: dict[str, list[httpx.Response]] | None = None, bodies=None):
    """Serve queued responses per path (the last one repeats), else the good excerpt bodies."""
    bodies = bodies or good_bodies()
    queues = {path: list(queue) for path, queue in (responses or {}).items()}
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        queue = queues.get(request.url.path)
        if queue:
            return queue.pop(0) if len(queue) > 1 else queue[0]
        return httpx.Response(200, content=bodies[request.url.path])

    return httpx.MockTransport(handler), calls


def refresh_with(transport, sleeps=None, **options):
    sleeps = sleeps if sleeps is not None else []
    return refresh_catalog(
        urls=mock_urls(),
        transport=transport,
        retries=options.pop("retries", 2),
        backoff=options.pop("backoff", 0.01),
        max_retry_after=options.pop("max_retry_after", 5.0),
        sleep=sleeps.append,
        today=date(2026, 11, 21),
        **options,
    )


def test_mock_good_refresh_reports_changes(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_with(lambda d: hermes_price(d, "0.0000012"))
    transport, _ = mock_transport(bodies=bodies)
    result = refresh_with(transport)
    assert result.info.origin == "refreshed" and result.info.as_of == date(2026, 11, 21)
    changes = [(c.provider, c.id, c.field, c.old, c.new) for c in result.price_changes]
    assert changes == [("openrouter", HERMES, "input", Decimal("0.000001"), Decimal("0.0000012"))]
    assert result.added == [] and result.removed == []
    store.clear_catalog_cache()
    assert store.load_catalog().get(HERMES).pricing.input == Decimal("0.0000012")


def test_mock_new_and_removed_models_are_listed(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_with(
        lambda d: (
            d["data"].append({**d["data"][0], "id": "acme/new-model", "name": "Acme: New"})
            or d["data"].pop(0)
        )
    )
    transport, _ = mock_transport(bodies=bodies)
    result = refresh_with(transport)
    assert result.added == ["openrouter/acme/new-model"]
    assert result.removed == ["openrouter/anthropic/claude-sonnet-4.5"]


def test_mock_retries_500_then_succeeds(seeded_cache):
    transport, calls = mock_transport(
        {
            PATHS["litellm"]: [
                httpx.Response(500),
                httpx.Response(503),
                httpx.Response(200, content=good_bodies()[PATHS["litellm"]]),
            ]
        }
    )
    sleeps: list[float] = []
    refresh_with(transport, sleeps=sleeps, backoff=0.5)
    assert calls.count(PATHS["litellm"]) == 3
    assert sleeps == [0.5, 1.0]  # backoff * 2**attempt


def test_mock_429_honours_retry_after_with_a_cap(seeded_cache):
    transport, _ = mock_transport(
        {
            PATHS["openrouter"]: [
                httpx.Response(429, headers={"Retry-After": "3"}),
                httpx.Response(429, headers={"Retry-After": "3600"}),
                httpx.Response(200, content=good_bodies()[PATHS["openrouter"]]),
            ]
        }
    )
    sleeps: list[float] = []
    refresh_with(transport, sleeps=sleeps, max_retry_after=10.0)
    assert sleeps == [3.0, 10.0]


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ([httpx.Response(500)], r"openrouter server error \(HTTP 500\) after 3 attempts"),
        ([httpx.Response(404)], "openrouter answered HTTP 404"),
        ([httpx.Response(200, content=b'{"data": [{"id": "a"')], "openrouter sent invalid JSON"),
        ([httpx.Response(200, json={"models": []})], 'expected a JSON object with a "data" list'),
    ],
)
def test_mock_failures_keep_the_catalog_in_use(seeded_cache, responses, message):
    transport, _ = mock_transport({PATHS["openrouter"]: responses})
    with pytest.raises(CatalogError, match=message):
        refresh_with(transport)
    assert_in_use_intact(seeded_cache)


def test_mock_timeout_is_retried_then_refused(seeded_cache):
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.path)
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(CatalogError, match=r"openrouter timed out after 2 attempts"):
        refresh_with(httpx.MockTransport(handler), retries=1)
    assert attempts == [PATHS["openrouter"]] * 2
    assert_in_use_intact(seeded_cache)


def test_mock_price_1000x_off_is_refused(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_with(all_prices_times_1000)
    transport, _ = mock_transport(bodies=bodies)
    with pytest.raises(CatalogError, match=r"prices moved by more than 100x \(e\.g\. openrouter"):
        refresh_with(transport)
    assert_in_use_intact(seeded_cache)


def test_mock_half_the_models_missing_is_refused(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_with(lambda d: d.update(data=d["data"][:1]))
    litellm = json.loads(bodies[PATHS["litellm"]])
    bodies[PATHS["litellm"]] = json.dumps({key: litellm[key] for key in list(litellm)[:3]}).encode()
    models_dev = json.loads(bodies[PATHS["models.dev"]])
    bodies[PATHS["models.dev"]] = json.dumps({"openai": models_dev["openai"]}).encode()
    transport, _ = mock_transport(bodies=bodies)
    with pytest.raises(CatalogError, match="fewer than half"):
        refresh_with(transport)
    assert_in_use_intact(seeded_cache)


def test_refresh_against_the_shipped_catalog_refuses_a_tiny_one():
    transport, _ = mock_transport()
    with pytest.raises(CatalogError, match=r"fewer than half of the [\d,]+ in use"):
        refresh_with(transport)
    assert not store.refreshed_snapshot_path().exists()
    assert store.load_catalog().info.origin == "shipped"


# ---------------------------------------------------------------- a real server on 127.0.0.1


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, list[tuple[int, dict[str, str], bytes, float]]] = {}
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        queue = type(self).routes.get(self.path) or [(404, {}, b"not found", 0.0)]
        status, headers, body, delay = queue.pop(0) if len(queue) > 1 else queue[0]
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.routes = {path: [(200, {}, body, 0.0)] for path, body in good_bodies().items()}
    _Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def refresh_from(base: str, **options):
    return refresh_catalog(
        urls={name: base + path for name, path in PATHS.items()},
        timeout=options.pop("timeout", 2.0),
        retries=options.pop("retries", 1),
        backoff=0.01,
        max_retry_after=options.pop("max_retry_after", 0.05),
        **options,
    )


def test_server_good_data(server, seeded_cache):
    result = refresh_from(server)
    assert result.info.model_count == len(json.loads(seeded_cache)["models"])
    assert result.price_changes == []
    assert store.refreshed_snapshot_path().read_bytes() != seeded_cache  # new as-of dates
    assert _Handler.hits.count(PATHS["openrouter"]) == 1


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ((200, {}, good_bodies()[PATHS["openrouter"]], 0.6), "openrouter timed out after 2 attempts"),
        ((500, {}, b"oops", 0.0), r"openrouter server error \(HTTP 500\)"),
        ((429, {"Retry-After": "30"}, b"slow down", 0.0), r"openrouter rate limited \(HTTP 429\)"),
        ((200, {}, good_bodies()[PATHS["openrouter"]][:5000], 0.0), "openrouter sent invalid JSON"),
        ((200, {}, b'{"object": "list", "items": []}', 0.0), 'expected a JSON object with a "data" list'),
        ((200, {}, openrouter_with(all_prices_times_1000), 0.0), "prices moved by more than 100x"),
    ],
)
def test_server_bad_answers_keep_the_catalog_in_use(server, seeded_cache, route, message):
    _Handler.routes[PATHS["openrouter"]] = [route]
    started = time.monotonic()
    with pytest.raises(CatalogError, match=message):
        refresh_from(server, timeout=0.3)
    assert time.monotonic() - started < 5  # Retry-After: 30 was capped at 0.05 s
    assert_in_use_intact(seeded_cache)


def test_server_half_the_models_missing(server, seeded_cache):
    _Handler.routes[PATHS["openrouter"]] = [(200, {}, openrouter_with(lambda d: d.update(data=[])), 0.0)]
    _Handler.routes[PATHS["litellm"]] = [(200, {}, b'{"gpt-4o": {"litellm_provider": "openai"}}', 0.0)]
    with pytest.raises(CatalogError, match="fewer than half"):
        refresh_from(server)
    assert_in_use_intact(seeded_cache)


def test_server_429_then_good(server, seeded_cache):
    body = good_bodies()[PATHS["models.dev"]]
    _Handler.routes[PATHS["models.dev"]] = [(429, {"Retry-After": "1"}, b"", 0.0), (200, {}, body, 0.0)]
    refresh_from(server, max_retry_after=0.05)
    assert _Handler.hits.count(PATHS["models.dev"]) == 2


def test_cli_refresh_prints_changes(server, seeded_cache, capsys):
    _Handler.routes[PATHS["openrouter"]] = [
        (200, {}, openrouter_with(lambda d: hermes_price(d, "0.0000009")), 0.0)
    ]
    argv = ["catalog", "refresh", "--timeout", "2", "--retries", "0"]
    argv += [f"--{name.replace('.', '-')}-url={server}{path}" for name, path in PATHS.items()]
    assert run_app(argv) == 0
    out = capsys.readouterr().out
    assert "new: 0   removed: 0" in out
    assert f"openrouter {HERMES} input: $1.00/M -> $0.90/M" in out
    assert run_app(["catalog", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["origin"] == "refreshed" and info["sources"][0]["file"].startswith(server)


def test_cli_refresh_failure_is_one_line_and_exit_6(server, seeded_cache, capsys):
    _Handler.routes[PATHS["litellm"]] = [(500, {}, b"", 0.0)]
    argv = ["catalog", "refresh", "--timeout", "2", "--retries", "0"]
    argv += [f"--{name.replace('.', '-')}-url={server}{path}" for name, path in PATHS.items()]
    assert run_app(argv) == 6
    err = capsys.readouterr().err
    assert err.startswith("error: refresh failed: litellm server error") and err.count("\n") == 1
    assert_in_use_intact(seeded_cache)


def test_source_urls_come_from_environment_variables(seeded_cache, monkeypatch):
    monkeypatch.setenv("PLANNER_OPENROUTER_URL", "https://mirror.test/api/v1/models")
    monkeypatch.setenv("PLANNER_MODELS_DEV_URL", "https://mirror.test/api.json")
    monkeypatch.setenv("PLANNER_LITELLM_URL", "https://mirror.test/litellm.json")
    hosts: list[str] = []
    bodies = good_bodies()

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(200, content=bodies[request.url.path])

    refresh_catalog(transport=httpx.MockTransport(handler), retries=0)
    assert hosts == ["mirror.test"] * 3


def test_schema_errors_are_listed_and_the_rest_kept(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_with(lambda d: d["data"].append({"id": 7}))
    models_dev = json.loads(bodies[PATHS["models.dev"]])
    models_dev["openai"]["models"]["gpt-broken"] = {"name": {"en": "x"}, "modalities": {"output": ["text"]}}
    bodies[PATHS["models.dev"]] = json.dumps(models_dev).encode()
    transport, _ = mock_transport(bodies=bodies)
    result = refresh_with(transport)
    assert "OpenRouter: data[9]: not a model object with an id" in result.skipped
    assert any(line.startswith("models.dev: openai/gpt-broken: name:") for line in result.skipped)
    assert result.info.model_count == len(json.loads(seeded_cache)["models"])
