"""planner in the browser: does it fit, what will it cost, which model. The page is a frame: the model, the
reserves, the input, the one answer (the verdict strip) and the view control; each view draws itself
(planner.app.views). Run with `planner app` or `streamlit run app.py`.

Every number on the page comes from the core (counts from planner.inputs, answers from planner.advice);
counts are cached by the text's sha256 and the tokenizer family, so a click re-plans without re-tokenizing
(`python scripts/benchmark_app.py` times the server, `scripts/benchmark_app_browser.py` the browser).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from planner.advice.model_page import headline
from planner.app import resources, style
from planner.app.navigation import whole_page_asked
from planner.app.picker import choose_model, reserves
from planner.app.state import VIEWS, bound, settings, write_url
from planner.app.user_input import input_section, show_count
from planner.app.verdict import answer_for, strip_is_stale, verdict_strip
from planner.app.views import compare, cost, fit, model, side, spend
from planner.app.views.common import ViewInput
from planner.errors import PlannerError
from planner.tokens.families import family_for

RENDERERS: dict[str, Callable[[ViewInput], None]] = {
    "fit": fit.render,
    "model": model.render,
    "side": side.render,
    "compare": compare.render,
    "cost": cost.render,
    "spend": spend.render,
}
ABOUT = (
    "Pick a model, give it your text, files or a token count, and see whether it fits the context window "
    "with room for the answer, what it costs, and how other models compare. Everything is computed "
    "offline by the `planner` package from its shipped catalog. "
    "The address bar keeps the model, the reserves, the view, the filters and the example: copy it to "
    "share this view. Pasted text and uploaded files stay in this browser session."
)


def choose_view() -> str:
    """The view control. A click that lands while a run is being cut short (a busy server) can come back as
    no choice at all, even with ``required``: the last view shown is kept then, never a KeyError."""
    last = st.session_state.get("last_view") or settings()["view"] or "fit"
    if st.session_state.get("w_view", last) not in VIEWS:
        st.session_state["w_view"] = last
    view = bound(
        "view",
        st.segmented_control,
        "Show",
        list(VIEWS),
        format_func=VIEWS.get,
        required=True,
        width="stretch",
    )
    if view not in VIEWS:
        view = settings()["view"] = last
    st.session_state["last_view"] = view
    return view


def main() -> None:
    st.set_page_config(page_title="planner: does it fit, what will it cost", page_icon="📐", layout="wide")
    style.readable_text()
    # Everything above the views sits in one container, so the views' fragment starts at the same place on
    # every run whatever the top holds this time (a warning, a status line, the count): when it moved,
    # Streamlit left a stale copy of the view control on the page after a view switch.
    with st.container():
        view_input = top()
    view_part(view_input)


def top() -> ViewInput:
    """The title, the model picker and the reserves, the headline and the verdict strip, the input and its
    count: what every view shares."""
    st.markdown("### planner: does it fit, what will it cost, which model?")
    settings()
    whole_page_asked()  # this run draws the whole page already
    linked = st.session_state.setdefault("linked_source", st.query_params.get("source", ""))
    for problem in st.session_state.get("url_problems", []):
        st.warning(problem)
    try:
        resources.catalog()
    except PlannerError as error:
        st.error(f"The model catalog could not be loaded: {error.message}")
        st.stop()
    search_place, model_place, output_place, reasoning_place = st.columns([1.2, 1.8, 1, 1])
    offer = choose_model(search_place, model_place)
    output, reasoning = reserves(output_place, reasoning_place)
    top_place = st.container()  # the headline and the one answer, on the first screen whatever the input
    user = input_section(family_for(offer), offer)
    answer = answer_for(user, offer, output, reasoning)
    with top_place:
        st.markdown(f"**{headline(offer)}**")
        verdict_strip(answer, user, linked_upload=user.empty and linked in ("upload", "paste"))
    if not user.empty:
        show_count(user, offer)
    st.divider()
    return ViewInput(user, offer, output, reasoning, answer)


@st.fragment
def view_part(view_input: ViewInput) -> None:
    """The view control and the chosen view, a fragment: a view switch or a click inside a view reruns only
    this part of the page (the picker, the input and the strip above stay as they are, nothing is sent
    for them again). A click that changes what the top shows (a model link, the cost view's cache and batch
    settings, which price the strip) reruns the whole page."""
    if whole_page_asked() or strip_is_stale():
        st.rerun()
    view = choose_view()
    RENDERERS[view](view_input)
    st.caption(ABOUT)
    write_url()


if __name__ == "__main__":
    main()
