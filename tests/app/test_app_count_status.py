"""A long text shows a status line while it is counted ("Counting the tokens of N characters...") that stays,
as "Counted ... in N s", until the next click, so a quick count is seen too; a text already counted shows
none. The browser side (the line on screen for a 1 MB paste) is in test_app_browser_speed.py."""

from __future__ import annotations

import re

import pytest
from apptest_support import APP, metric, no_exceptions
from streamlit.testing.v1 import AppTest

from planner.app.user_input import STATUS_FROM_CHARS
from planner.tokens.encoders import get_encoding

PARAGRAPH = "The status line says the count is running, then that it is done, in plain words.\n"


def long_text(tag: str) -> str:
    """A text over the status threshold, unique per test (the counts are cached per process)."""
    text = f"{tag}\n" + PARAGRAPH * (STATUS_FROM_CHARS // len(PARAGRAPH) + 1)
    assert len(text) >= STATUS_FROM_CHARS
    return text


def pasted(text: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=300)
    app.query_params.update(source="paste", view="cost")
    app.run()
    app.text_area(key="pasted_text").input(text).run()
    no_exceptions(app)
    return app


@pytest.mark.slow
def test_a_long_paste_leaves_a_counted_status_and_its_count_is_exact() -> None:
    text = long_text("status-test-one")
    app = pasted(text)
    [status] = [item for item in app.status if "characters" in item.label]
    assert re.fullmatch(rf"Counted the tokens of {len(text):,} characters in \d+\.\d s", status.label)
    assert status.state == "complete"
    assert metric(app, "Tokens") == f"{len(get_encoding('llama3').encode_ordinary(text)):,}"


@pytest.mark.slow
def test_a_text_counted_already_shows_no_status_on_the_next_click() -> None:
    app = pasted(long_text("status-test-two"))
    app.number_input(key="w_output").set_value(3_000).run()
    no_exceptions(app)
    assert not [item for item in app.status if "characters" in item.label]


@pytest.mark.slow
def test_a_short_text_shows_no_status() -> None:
    app = pasted("A short text is counted before a status could be read.")
    assert not [item for item in app.status if "characters" in item.label]
