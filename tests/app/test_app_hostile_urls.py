"""Hostile links to the Streamlit app (SECURITY.md): values no form would produce are named in a warning and
replaced by the default, never an exception, never markup injected into the page, and the page still drawn."""

from __future__ import annotations

import pytest
from apptest_support import run_app


@pytest.mark.parametrize(
    ("params", "meant"),
    [
        ({"tokens": "1" + "0" * 400, "source": "tokens"}, ["Ignored tokens="]),  # past every int64 widget
        ({"output": "9" * 5000}, ["Ignored output="]),  # more digits than int() converts
        (
            {"view": "model", "model": "<img src=x onerror=alert(1)>"},
            ["The link asks for the model `<img src=x onerror=alert(1)>`, which is not in the catalog"],
        ),
        (
            {"view": "compare", "f_max_price": "1e999999999", "f_min_window": "-1"},
            ["Ignored f_min_window=`-1`", "a number of US dollars per million tokens"],
        ),
        (
            {"cache_hit": "NaN", "batch": "\x00", "sort": "../../etc/passwd"},
            ["Ignored cache_hit=`NaN`", "Ignored batch=", "Ignored sort=`../../etc/passwd`"],
        ),
    ],
    ids=["tokens-10e400", "output-5000-digits", "model-markup", "compare-filters", "nan-nul-path"],
)
@pytest.mark.slow
def test_hostile_link_values_are_ignored_with_a_warning(params, meant):
    app = run_app(**params)
    assert not app.exception, [item.value for item in app.exception]
    shown = [str(item.value) for item in (*app.warning, *app.error, *app.info)]
    # each hostile value is named by its own message (the stale-price warning every page shows is not one)
    for message in meant:
        assert any(message in text for text in shown), (message, shown)
    html = [item.body for item in app.markdown]
    assert not any("<img src=x" in body for body in html)  # never rendered as markup
    assert any(item.label == "Tokens" for item in app.metric)  # the page is still drawn


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"model": "gpt-4o", "provider": "bogus"}, "The link asks for the model"),
        ({"view": "side", "other": "gpt-4o", "other_provider": "bogus"}, "The link asks to compare with"),
    ],
)
@pytest.mark.slow
def test_a_host_that_does_not_offer_the_model_is_a_message_not_a_crash(params, said) -> None:
    app = run_app(**params)
    assert not app.exception, [item.value for item in app.exception]
    shown = [item.value for item in (*app.error, *app.warning, *app.markdown, *app.info)]
    assert any(said in str(text) and "gpt-4o on bogus" in str(text) for text in shown), shown
