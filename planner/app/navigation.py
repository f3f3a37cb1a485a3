"""Switching the model or the view in the same tab: buttons that look like links and set the shared
settings (the URL follows on the same run), never a new tab per click."""

from __future__ import annotations

import streamlit as st

from planner.app.state import settings

WHOLE_PAGE = "whole_page"  # set by a click that switches the model, read by planner.app.main


def switch(view: str, model: str, provider: str, other: str = "", other_provider: str = "") -> None:
    """A click's callback: the model (and the side-by-side view's second model) and the view; the widgets
    that show them are seeded again from the settings on this run."""
    state = settings()
    state.update(model=model, provider=provider, view=view)
    if other:
        state.update(other=other, other_provider=other_provider)
        st.session_state.pop("w_other", None)
    st.session_state.pop("w_model", None)
    st.session_state.pop("model_error", None)
    st.session_state["w_view"] = view
    st.session_state[WHOLE_PAGE] = True  # the click may come from a view (a fragment): the top changes too


def whole_page_asked() -> bool:
    """Whether a click asked to redraw the whole page (read once: a whole run clears it)."""
    return bool(st.session_state.pop(WHOLE_PAGE, False))


def model_button(
    label: str, key: str, view: str, model: str, provider: str, other: str = "", other_provider: str = ""
) -> bool:
    """A link-styled button that opens ``view`` of ``model`` in this tab."""
    return st.button(
        label,
        key=key,
        type="tertiary",
        on_click=switch,
        args=(view, model, provider, other, other_provider),
    )
