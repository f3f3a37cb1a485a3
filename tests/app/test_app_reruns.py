"""What a click reruns: the views are one fragment (planner.app.main.view_part), so a click in a view redraws
only the view, and a click that changes the top (the cost view's cache and batch settings, which price the
verdict strip; a link to another model) redraws the whole page on the same click. The browser side of it
(what is sent) is in test_app_browser_speed.py."""

from __future__ import annotations

import pytest
from apptest_support import metric, no_exceptions, run_app

from planner.app import main
from planner.app.navigation import WHOLE_PAGE, switch, whole_page_asked

# 100,000 typed tokens and a 2,000-token answer on GPT-4o (openai): $2.50 / $1.25 cached / $10 per million,
# batch $1.25 / $5 (test_app_views checks these are the published prices).
GPT_4O = {
    "model": "gpt-4o",
    "provider": "openai",
    "source": "tokens",
    "tokens": "100000",
    "output": "2000",
    "view": "cost",
}


def test_the_views_are_one_fragment() -> None:
    assert getattr(main.view_part, "__wrapped__", None) is not None  # st.fragment's wrapper


@pytest.mark.slow
def test_the_strip_is_priced_with_the_cache_rate_set_in_the_cost_view_on_the_same_click() -> None:
    app = run_app(**GPT_4O)
    no_exceptions(app)
    # 100,000 x $2.50/M + 2,000 x $10/M = 0.25 + 0.02
    assert metric(app, "Cost per request") == "$0.270000"
    app.slider(key="w_cache_hit").set_value(50).run()
    no_exceptions(app)
    # 50,000 x $2.50/M + 50,000 x $1.25/M + 2,000 x $10/M = 0.125 + 0.0625 + 0.02 (it lagged one click behind)
    assert metric(app, "Cost per request") == "$0.207500"
    assert metric(app, "Per request") == "$0.207500"


@pytest.mark.slow
def test_the_strip_is_priced_at_batch_prices_on_the_click_that_turns_batch_on() -> None:
    app = run_app(**GPT_4O)
    app.toggle(key="w_batch").set_value(True).run()
    no_exceptions(app)
    assert metric(app, "Cost per request") == "$0.135000"  # 100,000 x $1.25/M + 2,000 x $5/M


def test_a_model_link_asks_for_the_whole_page_once(monkeypatch: pytest.MonkeyPatch) -> None:
    state: dict[str, object] = {}
    monkeypatch.setattr("planner.app.navigation.st.session_state", state)
    monkeypatch.setattr("planner.app.navigation.settings", lambda: {})
    switch("model", "gpt-4o", "openai")
    assert state[WHOLE_PAGE] is True
    assert whole_page_asked() is True
    assert whole_page_asked() is False  # read once: the whole run it causes does not ask again
