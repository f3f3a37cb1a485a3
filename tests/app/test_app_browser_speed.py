"""What a click costs in a real browser (Chromium, as test_app_browser.py starts it): a view switch sends only
the view (the views are one fragment), a model link inside a view still changes the whole page, the cost
view's cache rate reprices the strip on the same click, and a 1 MB paste shows its status line every time.
Every wait is on the page's state (a text on screen, Streamlit's run finished), never on a time; what is
compared is how many messages the server sent, not how long anything took."""

from __future__ import annotations

import re

import pytest
from test_app_browser import (  # the server fixture and the page helpers of the browser test
    app_url,  # noqa: F401 - a pytest fixture, used by name
    browser_page,
    metric_value,
    settled,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Counts the server's messages (one per element drawn, plus a few per run) as the page receives them.
COUNT_MESSAGES = """
window.__messages = 0;
const Socket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new Socket(...args);
  socket.addEventListener("message", () => { window.__messages += 1; });
  return socket;
};
window.WebSocket.prototype = Socket.prototype;
Object.assign(window.WebSocket, Socket);
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


def messages_for(page, action) -> int:  # noqa: ANN001 - playwright's Page and a callable
    """How many messages the server sent for ``action`` (from a settled page to a settled page)."""
    settled(page)
    page.evaluate("window.__messages = 0")
    action()
    settled(page)
    return int(page.evaluate("window.__messages"))


def test_a_view_switch_sends_only_the_view_and_a_reserve_change_the_whole_page(app_url: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    with browser_page(1400, 900) as page:
        page.add_init_script(COUNT_MESSAGES)
        page.goto(app_url)
        expect(page.locator('[data-testid="stAlert"]').filter(has_text="Fits").first).to_be_visible()
        headroom = metric_value(page, "Headroom (tokens)")
        before = headroom.inner_text()

        def to_cost() -> None:
            page.get_by_text("Cost", exact=True).click()
            expect(page.get_by_text("What will it cost on")).to_be_visible()

        def reserve() -> None:
            answer = page.get_by_role("spinbutton", name="Reserved for the answer (tokens)")
            answer.fill("3000")
            answer.press("Enter")
            expect(headroom).not_to_have_text(before)

        def to_fit() -> None:
            page.get_by_text("Does it fit?", exact=True).click()
            expect(page.get_by_text("Does the example")).to_be_visible()

        switch, whole = messages_for(page, to_cost), messages_for(page, reserve)
        back = messages_for(page, to_fit)
        # The whole page is the top (title, picker, reserves, strip, input, count: over 30 elements) and
        # the view; a switch sends the view alone. The strip is still on screen, untouched.
        assert whole > 40, whole
        assert switch < whole - 25 and back < whole - 25, (switch, back, whole)
        expect(headroom).to_have_text(f"{int(before.replace(',', '')) - 1_000:,}")
        # one view control: a fragment that moved down the page left a stale copy of it behind
        expect(page.locator('[data-testid="stButtonGroup"]')).to_have_count(1)


def test_a_model_link_in_a_view_changes_the_whole_page(app_url: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    with browser_page(1400, 900) as page:
        # 200,000 typed tokens do not fit Hermes 4 405B's 131,072: the fit view suggests other models
        page.goto(f"{app_url}/?source=tokens&tokens=200000")
        expect(page.locator('[data-testid="stAlert"]').filter(has_text="Does not fit").first).to_be_visible()
        link = page.get_by_role("button", name=re.compile(r"^Check it on ")).first
        expect(link).to_be_visible()
        settled(page)
        link.click()
        # The link lives in the view (a fragment); the strip, the headline and the link follow it.
        expect(page).to_have_url(re.compile(r"[?&]model="))
        expect(page.get_by_text("This model accepts 131K tokens")).to_be_hidden()
        expect(page.locator('[data-testid="stAlert"]').filter(has_text="Does not fit")).to_have_count(0)


def test_the_cache_rate_in_the_cost_view_reprices_the_strip_on_the_same_click(app_url: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    with browser_page(1400, 900) as page:
        page.goto(f"{app_url}/?view=cost&model=gpt-4o&provider=openai&source=tokens&tokens=100000")
        cost = metric_value(page, "Cost per request")
        expect(cost).to_have_text("$0.270000")  # 100,000 x $2.50/M + 2,000 x $10/M
        settled(page)
        page.get_by_text("Batch API", exact=True).click()  # a widget of the view (a fragment)
        expect(cost).to_have_text("$0.135000")  # 100,000 x $1.25/M + 2,000 x $5/M, at the top


def test_a_one_megabyte_paste_shows_its_status_line(app_url: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    document = ("Status test.\n" + PARAGRAPH * (1_000_000 // len(PARAGRAPH) + 1))[:1_000_000]
    with browser_page(1400, 900) as page:
        page.goto(f"{app_url}/?view=cost&source=paste")
        box = page.get_by_role("textbox", name="Paste your text")
        expect(box).to_be_editable()
        settled(page)
        box.evaluate(PASTE, document)
        box.press("Control+Enter")
        # the expanders' headings only: a page-wide text search reads the text area's 1 MB on every poll
        headings = page.locator("summary")
        status = headings.filter(has_text=re.compile(r"Count(ing|ed) the tokens of 1,000,000 characters"))
        expect(status.first).to_be_visible()
        done = re.compile(r"Counted the tokens of 1,000,000 characters in \d+\.\d s")
        expect(headings.filter(has_text=done)).to_be_visible()
        expect(headings.filter(has_text="pasted text, ")).to_be_visible()
