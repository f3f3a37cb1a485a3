"""The app against a bare Streamlit page, in real Chromium, in the same run: each figure as a ratio.

    python scripts/benchmark_app_browser.py [--repeat 5] [--json]

Two servers are started on 127.0.0.1 (the app, `app.py`, and a bare page of a title, a button and a
segmented control written to a temporary folder), both driven by headless Chromium (Debian's
/usr/bin/chromium) through Playwright. Each measure is the median of ``--repeat`` runs, each in a new browser
page, from the action to the moment its answer is on screen:

  first load          the bare page's title                   | the app's verdict strip and its controls
  rerun               the bare page's button -> its counter   |
  view switch                                                 | "Cost" clicked -> the cost view's heading
  reserve change                                              | answer reserve typed -> the new headroom
  model change                                                | GPT-4o picked -> its headline
  1 MB paste          (ratio to a bare rerun)                 | 1,000,000 characters pasted -> counted
                      and whether the status line "Counting the tokens of ..." was on screen meanwhile

Ratios: app first verdict / bare first load; each app click / bare rerun. The server's resident memory
(VmRSS of the app's process) after the walk is printed in MB. The machine's load (``uptime``) is printed
before and after: figures from a loaded machine are slower (ratios less so: both pages share the load).

Goals of issue #20: each click at most 3x a bare rerun, first verdict at most 1.3x a bare first load, the
1 MB paste under 2 s of server time (see scripts/benchmark_app.py for server time) with a visible status,
RSS at most 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
TIMEOUT_MS = 120_000
BARE_PAGE = """import streamlit as st

st.title("Bare page")
if "clicks" not in st.session_state:
    st.session_state.clicks = 0
if st.button("Click"):
    st.session_state.clicks += 1
st.write(f"Clicks: {st.session_state.clicks}")
st.segmented_control("Show", ["one", "two"], key="view")
"""
PARAGRAPH = (
    "The committee reviewed the quarterly figures, the hiring plan and the roadmap for the next release; "
    "revenue grew by twelve per cent while costs stayed flat.\n"
)
# Sets a React-controlled text area's value in one step and tells React, as a paste from the clipboard does.
PASTE = """(box, text) => {
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
  setter.call(box, text);
  box.dispatchEvent(new Event("input", { bubbles: true }));
}"""
GOALS = {"first verdict": 1.3, "view switch": 3.0, "reserve change": 3.0, "model change": 3.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def streamlit_server(script: Path, cwd: Path) -> Iterator[tuple[str, int]]:
    """A Streamlit server of ``script`` on a free port: (its URL, its process id)."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false"]
    server = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit {script} did not start")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)  # not listening yet
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=20)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(action: Callable[[], None], done: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    done()
    return (time.perf_counter() - start) * 1000


def metric_value(page, label: str):  # noqa: ANN001, ANN201 - Playwright's Page and Locator
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return card.first.locator('[data-testid="stMetricValue"]')


def bare_runs(browser, url: str, repeat: int) -> dict[str, list[float]]:  # noqa: ANN001
    from playwright.sync_api import expect

    found: dict[str, list[float]] = {"first load": [], "rerun": []}
    for _ in range(repeat + 1):  # the first is a warm-up, left out
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        load = timed(
            lambda page=page: page.goto(url),
            lambda page=page: expect(page.get_by_text("Clicks: 0")).to_be_visible(timeout=TIMEOUT_MS),
        )
        found["first load"].append(load)
        for clicks in (1, 2):
            found["rerun"].append(
                timed(
                    lambda page=page: page.get_by_role("button", name="Click").click(),
                    lambda page=page, clicks=clicks: expect(
                        page.get_by_text(f"Clicks: {clicks}")
                    ).to_be_visible(timeout=TIMEOUT_MS),
                )
            )
        page.close()
    found["first load"] = found["first load"][1:]
    found["rerun"] = found["rerun"][2:]
    return found


def app_runs(browser, url: str, repeat: int) -> tuple[dict[str, list[float]], int]:  # noqa: ANN001
    from playwright.sync_api import expect

    found: dict[str, list[float]] = {
        name: [] for name in ("first verdict", "view switch", "reserve change", "model change", "1 MB paste")
    }
    status_seen = 0
    for run in range(repeat + 1):  # the first is a warm-up (the catalog loads once per server), left out
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        expect.set_options(timeout=TIMEOUT_MS)
        verdict = page.locator('[data-testid="stAlert"]').filter(has_text="Fits")

        def first(page=page, verdict=verdict) -> None:  # noqa: ANN001
            expect(verdict.first).to_be_visible()
            expect(page.get_by_role("spinbutton", name="Reserved for the answer (tokens)")).to_be_visible()

        times = {"first verdict": timed(lambda page=page: page.goto(url), first)}
        times["view switch"] = timed(
            lambda page=page: page.get_by_text("Cost", exact=True).click(),
            lambda page=page: expect(page.get_by_text("What will it cost on")).to_be_visible(),
        )
        answer = page.get_by_role("spinbutton", name="Reserved for the answer (tokens)")
        headroom = metric_value(page, "Headroom (tokens)")
        before = headroom.inner_text()

        def change_reserve(answer=answer) -> None:  # noqa: ANN001
            answer.fill("3000")
            answer.press("Enter")

        times["reserve change"] = timed(
            change_reserve, lambda headroom=headroom, before=before: expect(headroom).not_to_have_text(before)
        )

        search = page.get_by_role("textbox", name="Find a model")
        search.fill("gpt-4o")
        search.press("Enter")  # the search's rerun is not timed: the pick is
        picker = page.get_by_role("combobox", name="Model")
        expect(picker).to_be_visible()

        def pick_gpt4o(page=page, picker=picker) -> None:  # noqa: ANN001
            picker.click()
            page.get_by_role("option", name="GPT-4o · openai", exact=True).click()

        times["model change"] = timed(
            pick_gpt4o,
            lambda page=page: expect(page.get_by_text("This model accepts 128K tokens")).to_be_visible(),
        )
        document = (f"Run {run}.\n" + PARAGRAPH * (1_000_000 // len(PARAGRAPH) + 1))[:1_000_000]
        page.get_by_text("Paste text", exact=True).click()
        box = page.get_by_role("textbox", name="Paste your text")
        try:
            expect(box).to_be_editable()
        except AssertionError:
            page.screenshot(path="/tmp/bench-fail.png", full_page=True)
            raise
        box.evaluate(PASTE, document)  # as a paste does: the whole value at once (fill types it in pieces)
        status = page.get_by_text("Counting the tokens of 1,000,000 characters")

        def counted(page=page) -> None:  # noqa: ANN001
            expect(page.get_by_text("pasted text, ")).to_be_visible()

        start = time.perf_counter()
        box.press("Control+Enter")
        try:
            status.wait_for(state="visible", timeout=TIMEOUT_MS)
            status_seen += run > 0
        except Exception:  # noqa: BLE001 - counted before the status could be seen: not seen
            pass
        counted()
        times["1 MB paste"] = (time.perf_counter() - start) * 1000
        if run:
            for name, value in times.items():
                found[name].append(value)
        page.close()
    return found, status_seen


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load before: {load()}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE_PAGE, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                with streamlit_server(bare, Path(folder)) as (bare_url, _):
                    bare_times = bare_runs(browser, bare_url, args.repeat)
                with streamlit_server(ROOT / "app.py", ROOT) as (app_url, pid):
                    app_times, status_seen = app_runs(browser, app_url, args.repeat)
                    memory = rss_mb(pid)
            finally:
                browser.close()
    print(f"load after: {load()}", file=sys.stderr)
    medians = {name: statistics.median(values) for name, values in {**bare_times, **app_times}.items()}
    ratios = {
        "first verdict": medians["first verdict"] / medians["first load"],
        **{
            name: medians[name] / medians["rerun"]
            for name in ("view switch", "reserve change", "model change", "1 MB paste")
        },
    }
    report = {
        "medians_ms": {name: round(value) for name, value in medians.items()},
        "ratios": {name: round(value, 2) for name, value in ratios.items()},
        "paste_status_seen": f"{status_seen} of {args.repeat}",
        "server_rss_mb": round(memory),
        "repeat": args.repeat,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, value in report["medians_ms"].items():
        print(f"{name:<16} {value:>7,} ms (median)")
    for name, ratio in report["ratios"].items():
        goal = GOALS.get(name)
        verdict = "" if goal is None else ("  PASS" if ratio <= goal else "  FAIL") + f" (goal <= {goal}x)"
        base = "a bare first load" if name == "first verdict" else "a bare rerun"
        print(f"{name:<16} {ratio:>6.2f}x {base}{verdict}")
    print(f"1 MB paste status on screen while counting: {report['paste_status_seen']} runs")
    rss_verdict = "PASS" if memory <= 400 else "FAIL"
    print(f"server RSS after the walk: {memory:,.0f} MB  {rss_verdict} (goal <= 400 MB)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    main()
