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

from planner.catalog import ledger, refresh, sources, store
from planner.catalog.build import SourceDocument, build
from planner.catalog.refresh import refresh_catalog
from planner.cli import run_app
from planner.errors import CatalogError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"
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
def seeded_cache(tmp_path, monkeypatch) -> bytes:
    """A last good refreshed copy built from the excerpts; returns its bytes."""
    documents = [
        SourceDocument(
            name, FILES[name], date(2026, 11, 1), json.loads((FIXTURES / FILES[name]).read_bytes())
        )
        for name in FILES
    ]
    store.write_snapshot(store.refreshed_snapshot_path(), build(documents).document())
    shipped = tmp_path / "shipped-catalog.json"  # the trusted baseline of these tests: the same excerpts
    store.write_snapshot(shipped, build(documents).document())
    monkeypatch.setattr(refresh, "shipped_catalog", lambda: store.read_snapshot(shipped, "shipped"))
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


@pytest.mark.slow
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


# ---------------------------------------------------------------- hostile sources (issue 12, items 5-8)


def openrouter_hermes(change) -> bytes:
    def transform(document) -> None:
        for model in document["data"]:
            if model["id"] == HERMES:
                change(model)

    return openrouter_with(transform)


def _nested_arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    "body",
    [
        openrouter_hermes(lambda m: m.update(architecture="text")),
        openrouter_hermes(lambda m: m.update(pricing="free")),
        openrouter_hermes(lambda m: m.update(top_provider=[1])),
        openrouter_hermes(lambda m: m.update(context_length="Infinity")),
        openrouter_hermes(lambda m: m.update(context_length=10**400)),
        openrouter_with(lambda d: d["data"][0].update(created=10**30)),
        openrouter_with(lambda d: d["data"][0].update(created=-(10**30))),
    ],
    ids=[
        "architecture-text",
        "pricing-text",
        "top-provider-list",
        "context-infinity",
        "context-10e400",
        "created-1e30",
        "created-minus-1e30",
    ],
)
def test_wrong_inner_shapes_skip_that_record(seeded_cache, body):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = body
    transport, _ = mock_transport(bodies=bodies)
    result = refresh_with(transport)  # no traceback: the record is skipped or its bad value unknown
    assert result.info.model_count >= len(json.loads(seeded_cache)["models"]) - 1


def test_created_nan_is_an_unknown_release_date(seeded_cache):
    body = openrouter_hermes(lambda m: m.update(created="NaN")).replace(b'"NaN"', b"NaN")
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = body
    transport, _ = mock_transport(bodies=bodies)
    refresh_with(transport)
    store.clear_catalog_cache()
    hermes = store.load_catalog().offer_for("openrouter", HERMES)
    assert hermes is not None and hermes.release_date == date(2025, 8, 26)  # models.dev's date fills it
    assert sources.date_from_timestamp(float("nan")) is None
    assert sources.date_from_timestamp(10**30) is None
    assert sources.date_from_timestamp(1756235463) == date(2025, 8, 26)


def test_models_dev_modalities_list_skips_that_record(seeded_cache):
    bodies = good_bodies()
    models_dev = json.loads(bodies[PATHS["models.dev"]])
    first = next(iter(models_dev["openai"]["models"]))
    models_dev["openai"]["models"][first]["modalities"] = ["text"]
    models_dev["openai"]["models"][first]["limit"] = "big"
    bodies[PATHS["models.dev"]] = json.dumps(models_dev).encode()
    transport, _ = mock_transport(bodies=bodies)
    result = refresh_with(transport)
    assert result.info.model_count >= len(json.loads(seeded_cache)["models"]) - 1


def test_deeply_nested_arrays_are_refused_in_one_line(seeded_cache):
    transport, _ = mock_transport({PATHS["litellm"]: [httpx.Response(200, content=_nested_arrays(100_000))]})
    with pytest.raises(CatalogError, match="litellm sent JSON nested too deeply"):
        refresh_with(transport)
    assert_in_use_intact(seeded_cache)


def test_redirect_loop_is_refused_in_one_line(seeded_cache):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": str(request.url)})

    with pytest.raises(CatalogError, match="openrouter redirected too many times"):
        refresh_with(httpx.MockTransport(handler))
    assert_in_use_intact(seeded_cache)


def test_cli_redirect_loop_is_one_error_line(server, seeded_cache, capsys):
    _Handler.routes[PATHS["openrouter"]] = [(302, {"Location": PATHS["openrouter"]}, b"", 0.0)]
    argv = ["catalog", "refresh", "--timeout", "2", "--retries", "0"]
    argv += [f"--{name.replace('.', '-')}-url={server}{path}" for name, path in PATHS.items()]
    assert run_app(argv) == 6
    err = capsys.readouterr().err
    assert (
        err.startswith("error: refresh failed: openrouter redirected too many times") and err.count("\n") == 1
    )
    assert_in_use_intact(seeded_cache)


def test_response_size_is_capped_while_streaming(seeded_cache):
    produced = []

    def endless():
        for _ in range(10_000):  # 640 MB if read whole; the cap stops it after about 1 MB
            produced.append(1)
            yield b" " * 65536

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == PATHS["openrouter"]:
            return httpx.Response(200, content=endless())
        return httpx.Response(200, content=good_bodies()[request.url.path])

    with pytest.raises(CatalogError, match=r"openrouter sent more than 1,000,000 bytes"):
        refresh_with(httpx.MockTransport(handler), max_bytes=1_000_000)
    assert len(produced) < 20
    assert_in_use_intact(seeded_cache)


def test_declared_length_over_the_cap_is_refused_before_reading(seeded_cache):
    transport, _ = mock_transport(
        {PATHS["models.dev"]: [httpx.Response(200, headers={"Content-Length": "2000000000"}, content=b"{}")]}
    )
    with pytest.raises(CatalogError, match=r"models.dev sent more than 500,000 bytes"):
        refresh_with(transport, max_bytes=500_000)
    assert_in_use_intact(seeded_cache)


class _DripHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        try:
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(1000):  # 10 bytes a second: 100 s in all
                self.wfile.write(b"          ")
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.mark.slow
def test_timeout_bounds_the_whole_request_against_a_dripping_server(seeded_cache):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _DripHandler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    started = time.monotonic()
    try:
        with pytest.raises(CatalogError, match="openrouter timed out after 1 attempts"):
            refresh_from(base, timeout=1.0, retries=0)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert time.monotonic() - started < 10  # each read came within 1 s, yet the whole request is bounded
    assert_in_use_intact(seeded_cache)


def _scaled_prices(factor: Decimal):
    def transform(document) -> None:
        for model in document["data"]:
            for key in ("prompt", "completion"):
                price = model["pricing"].get(key)
                if price not in (None, "-1", "0"):
                    model["pricing"][key] = str(Decimal(price) * factor)

    return transform


def test_repeated_50x_moves_are_refused_against_the_shipped_baseline(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_with(_scaled_prices(Decimal(50)))
    refresh_with(mock_transport(bodies=bodies)[0])  # 50x from the baseline: accepted
    kept = store.refreshed_snapshot_path().read_bytes()
    bodies[PATHS["openrouter"]] = openrouter_with(_scaled_prices(Decimal(2500)))
    with pytest.raises(CatalogError, match="more than 100x .* against the catalog in the shipped catalog"):
        refresh_with(mock_transport(bodies=bodies)[0])  # only 50x from the last refresh, 2,500x from baseline
    assert store.refreshed_snapshot_path().read_bytes() == kept


def test_repeated_60_percent_shrinks_are_refused_against_the_shipped_baseline(seeded_cache):
    openrouter = json.loads(good_bodies()[PATHS["openrouter"]])["data"]
    bodies = good_bodies()
    models_dev, litellm = json.loads(bodies[PATHS["models.dev"]]), json.loads(bodies[PATHS["litellm"]])
    previous = len(json.loads(seeded_cache)["models"])
    kept_fraction = Decimal(1)
    for step in range(4):
        keep = max(1, int(len(openrouter) * 0.6 ** (step + 1)))
        bodies[PATHS["openrouter"]] = json.dumps({"data": openrouter[:keep]}).encode()
        for document, path in ((models_dev, "models.dev"), (litellm, "litellm")):
            if path == "models.dev":
                shrunk = {
                    p: {
                        **v,
                        "models": dict(
                            list(v["models"].items())[: max(1, int(len(v["models"]) * 0.6 ** (step + 1)))]
                        ),
                    }
                    for p, v in document.items()
                }
            else:
                shrunk = dict(list(document.items())[: max(1, int(len(document) * 0.6 ** (step + 1)))])
            bodies[PATHS[path]] = json.dumps(shrunk).encode()
        try:
            result = refresh_with(mock_transport(bodies=bodies)[0])
        except CatalogError as error:
            assert "fewer than half" in error.message
            break
        kept_fraction = Decimal(result.info.model_count) / previous
    else:
        pytest.fail("four 60 % shrinks in a row were all accepted")
    assert kept_fraction >= Decimal("0.5")


def test_a_source_replaced_by_one_entry_is_refused(seeded_cache):
    bodies = good_bodies()
    litellm = json.loads(bodies[PATHS["litellm"]])
    first = next(
        key for key, value in litellm.items() if isinstance(value, dict) and value.get("mode") == "chat"
    )
    bodies[PATHS["litellm"]] = json.dumps({first: litellm[first]}).encode()
    with pytest.raises(CatalogError, match=r"litellm has 1 models?, fewer than half of the"):
        refresh_with(mock_transport(bodies=bodies)[0])
    assert_in_use_intact(seeded_cache)


LLAMA = "meta-llama/llama-3.1-8b-instruct"  # priced by OpenRouter alone in the excerpts


def openrouter_model(model_id: str, change) -> bytes:
    def transform(document) -> None:
        for model in document["data"]:
            if model["id"] == model_id:
                change(model)

    return openrouter_with(transform)


def test_a_price_that_vanishes_counts_as_a_change(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_model(
        LLAMA, lambda m: m["pricing"].update(prompt="0", completion="0")
    )
    result = refresh_with(mock_transport(bodies=bodies)[0])
    changes = {(c.id, c.field): (c.old, c.new) for c in result.price_changes if c.provider == "openrouter"}
    before = store.read_snapshot(store.refreshed_snapshot_path())  # the kept refresh; the seed had it priced
    seeded = json.loads(seeded_cache)
    [was] = [m for m in seeded["models"] if m["provider"] == "openrouter" and m["id"] == LLAMA]
    assert changes[(LLAMA, "input")] == (Decimal(was["pricing"]["input"]), None)
    assert changes[(LLAMA, "output")] == (Decimal(was["pricing"]["output"]), None)
    assert before.offer_for("openrouter", LLAMA).pricing.input is None


def test_a_source_that_still_prices_the_offer_keeps_its_price(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_hermes(lambda m: m["pricing"].update(prompt="0", completion="0"))
    refresh_with(mock_transport(bodies=bodies)[0])
    store.clear_catalog_cache()
    offer = store.load_catalog().offer_for("openrouter", HERMES)
    assert offer is not None
    # the models.dev excerpt: openrouter nousresearch/hermes-4-405b at $1 / $3 per million
    assert (offer.pricing.input, offer.pricing.output) == (Decimal("0.000001"), Decimal("0.000003"))
    assert offer.price_source == "models.dev"


def test_cli_prints_a_vanished_price_as_unknown(server, seeded_cache, capsys):
    _Handler.routes[PATHS["openrouter"]] = [
        (200, {}, openrouter_model(LLAMA, lambda m: m["pricing"].update(prompt="-1")), 0.0)
    ]
    argv = ["catalog", "refresh", "--timeout", "2", "--retries", "0", "--json"]
    argv += [f"--{name.replace('.', '-')}-url={server}{path}" for name, path in PATHS.items()]
    assert run_app(argv) == 0
    changes = json.loads(capsys.readouterr().out)["price_changes"]
    assert {"provider": "openrouter", "id": LLAMA, "field": "input", "new": None}.items() <= next(
        c for c in changes if c["id"] == LLAMA and c["field"] == "input"
    ).items()


class _HeaderDripHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for number in range(1000):  # a header line every 0.1 s: each read comes in time, forever
                self.wfile.write(b"X-Drip-%d: a\r\n" % number)
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.mark.slow
def test_timeout_bounds_a_server_dripping_its_headers(seeded_cache):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _HeaderDripHandler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    started = time.monotonic()
    try:
        with pytest.raises(CatalogError, match="openrouter timed out after 2 attempts"):
            refresh_from(base, timeout=1.0, retries=1)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert time.monotonic() - started < 10  # was about 40 s per attempt
    assert_in_use_intact(seeded_cache)


# ---------------------------------------------------------------- prices turning unknown


def _every_price(value: str):
    def transform(document) -> None:
        for model in document["data"]:
            for name in model["pricing"]:
                model["pricing"][name] = value

    return openrouter_with(transform)


@pytest.mark.parametrize("value", ["NaN", "-1", "Infinity", "-0.5"])
def test_a_source_whose_prices_all_turn_unknown_is_refused(seeded_cache, value):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = _every_price(value)
    with pytest.raises(
        CatalogError, match=r"openrouter leaves 8 of the 8 offers .* without a price"
    ) as caught:
        refresh_with(mock_transport(bodies=bodies)[0])
    assert caught.value.exit_code == 6
    assert_in_use_intact(seeded_cache)
    assert not ledger.ledger_path(store.refreshed_snapshot_path().parent).exists()


def test_a_nan_price_rejects_its_record_and_one_of_eight_is_within_the_share(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_model(LLAMA, lambda m: m["pricing"].update(prompt="NaN"))
    result = refresh_with(mock_transport(bodies=bodies)[0])  # 1 of 8 priced offers: 12.5 %, under 20 %
    assert f"OpenRouter: {LLAMA}: rejected: price prompt = 'NaN' is not a price" in result.skipped
    assert f"openrouter/{LLAMA}" in result.removed


def test_two_of_eight_lost_is_over_the_share(seeded_cache):
    def transform(document) -> None:
        for model in document["data"]:
            if model["id"] in (LLAMA, "mistralai/mistral-large"):
                model["pricing"].update(prompt="-7")

    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_with(transform)
    with pytest.raises(CatalogError, match=r"leaves 2 of the 8 offers .* \(over 20%"):
        refresh_with(mock_transport(bodies=bodies)[0])
    assert_in_use_intact(seeded_cache)


def test_a_refresh_leaving_the_default_model_unpriced_is_refused(seeded_cache):
    bodies = good_bodies()
    bodies[PATHS["openrouter"]] = openrouter_hermes(lambda m: m["pricing"].update(prompt="-1"))
    with pytest.raises(CatalogError, match="default model nousresearch/hermes-4-405b would be left without"):
        refresh_with(mock_transport(bodies=bodies)[0])
    assert_in_use_intact(seeded_cache)


def test_the_nan_refresh_exits_6_on_the_command_line(server, seeded_cache, capsys):
    _Handler.routes[PATHS["openrouter"]] = [(200, {}, _every_price("NaN"), 0.0)]
    argv = ["catalog", "refresh", "--timeout", "2", "--retries", "0"]
    argv += [f"--{name.replace('.', '-')}-url={server}{path}" for name, path in PATHS.items()]
    assert run_app(argv) == 6
    err = capsys.readouterr().err
    assert err.startswith("error: refresh refused: openrouter leaves") and err.count("\n") == 1
    assert_in_use_intact(seeded_cache)
