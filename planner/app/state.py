"""The session's shareable settings: read from the URL once, bound to widgets, written back to the URL.

State a user would share (model, reserves, view, filters, cost settings, the chosen example) lives in the
URL's query parameters (parsers in planner.app.urlstate); pasted text and uploads stay in the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from planner import DEFAULT_MODEL
from planner.app import examples, filters, urlstate

VIEWS = {
    "fit": "Does it fit?",
    "model": "Model page",
    "side": "Side by side",
    "compare": "Compare models",
    "cost": "Cost",
    "spend": "Spend",
}
SOURCES = {
    "example": "Example document",
    "paste": "Paste text",
    "upload": "Upload files",
    "tokens": "Type a token count",
}
DEFAULT_OTHER = "gpt-4o"  # the side-by-side view's second model when the link names none

# Shareable settings: URL parameter -> (default, parser). Pasted text and uploads stay private.
SETTINGS: dict[str, tuple[Any, urlstate.UrlParser]] = {
    "model": (DEFAULT_MODEL, urlstate.url_text),  # checked against the catalog by the picker
    "provider": ("", urlstate.url_text),
    "view": ("fit", urlstate.url_choice(VIEWS)),
    "source": ("example", urlstate.url_choice(SOURCES)),
    "example": ("long_document", urlstate.url_choice(example.key for example in examples.EXAMPLES)),
    "tokens": (100_000, urlstate.url_whole_number()),
    "output": (2_000, urlstate.url_whole_number()),
    "reasoning": (0, urlstate.url_whole_number()),
    "sort": ("cost", urlstate.url_choice(filters.SORT_LABELS)),
    "fit_only": (True, urlstate.url_flag),
    "hide_free": (True, urlstate.url_flag),
    "include_free": (False, urlstate.url_flag),
    "f_search": ("", urlstate.url_text),
    "f_provider": (filters.DEFAULT_PROVIDER_FILTER, urlstate.url_text),  # checked against the catalog's hosts
    "f_capability": ([], urlstate.url_choices(filters.CAPABILITIES)),
    "f_min_window": (0, urlstate.url_whole_number()),
    "f_max_price": ("", urlstate.url_text),  # checked (with a message) by the compare view
    "other": ("", urlstate.url_text),  # the side-by-side view's second model, checked against the catalog
    "other_provider": ("", urlstate.url_text),
    "requests_per_day": (1_000, urlstate.url_whole_number()),
    "cache_hit": (0, urlstate.url_whole_number(0, 100)),
    "batch": (False, urlstate.url_flag),
    "as": ([], urlstate.url_texts),  # the spend view's models to re-price on (the exports are not carried)
}


def settings() -> dict[str, Any]:
    """The shareable settings of this session, read from the URL once, then kept across reruns."""
    if "settings" not in st.session_state:
        values: dict[str, Any] = {}
        bad: list[str] = []
        for name, (default, parse) in SETTINGS.items():
            raw = urlstate.query_value(st.query_params, name)
            if raw is None:
                values[name] = default
                continue
            try:
                values[name] = parse(raw)
            except ValueError as error:
                values[name] = default
                bad.append(f"Ignored {name}={urlstate.literal(raw)} in the link ({error}).")
        st.session_state["settings"] = values
        st.session_state["url_problems"] = bad
    return st.session_state["settings"]


def bound(name: str, widget: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A widget whose value is the shareable setting ``name``: seeded from it, written back to it.

    Widget keys are forgotten by Streamlit when the widget is not drawn (another view is shown); the settings
    dict is not, so a filter keeps its value when the user comes back.
    """
    key = f"w_{name}"
    state = settings()
    if key not in st.session_state:
        st.session_state[key] = state[name]
    value = widget(*args, key=key, **kwargs)
    state[name] = value
    return value


def url_params() -> dict[str, str]:
    """Every setting that differs from its default, as the URL's query parameters."""
    state = settings()
    return {
        name: urlstate.url_value(state[name])
        for name, (default, _parse) in SETTINGS.items()
        if state[name] != default
    }


def write_url() -> None:
    """Put every setting that differs from its default into the URL, so a copied link reopens this view."""
    params = url_params()
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
