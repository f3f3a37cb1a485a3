"""The verdict strip: the one answer (planner.advice.one_answer) at the top of every view - the verdict in
words, the input's tokens, the headroom and the cost of one request - and the one empty state."""

from __future__ import annotations

import streamlit as st

from planner.advice.one_answer import OneAnswer, one_answer
from planner.advice.prices import cached_tokens
from planner.app.state import settings
from planner.app.user_input import UserInput
from planner.app.views.common import BLOCKED
from planner.catalog.schema import ModelOffer
from planner.tokens.families import family_for
from planner.wording import usd as format_usd

# Where the app lists models that take images, in the words of its own controls.
APP_VISION_MODELS = "Compare models with 'Must support: Vision', then pick one in the Model box"
APP_DROP_BATCH = "turn off Batch API"  # the cost view's switch (the command line's words: "drop --batch")
EMPTY_HELP = (
    "Paste some text, upload files, type a token count or choose an example document in **Your input** "
    "below, and the verdict and the price appear here."
)
NOT_CARRIED = (
    "A link carries no uploaded files or pasted text (they stay in the browser that gave them): "
    "upload or paste them again here."
)
BOXES = {
    "fits": st.success,
    "tight": st.warning,
    "does_not_fit": st.error,
    "reserve_too_large": st.error,
    "reserve_above_max_output": st.error,
    "refused": st.error,
    "bad_input": st.error,
    "unknown_window": st.warning,
}


def billing() -> tuple[int, bool]:
    """The cost view's cache hit rate and batch switch as its widgets hold them on this run (a change is read
    on the run it is made, before the cost view draws its controls), else as the link set them."""
    state = settings()
    hit = st.session_state.get("w_cache_hit", state["cache_hit"])
    return int(hit), bool(st.session_state.get("w_batch", state["batch"]))


def strip_is_stale() -> bool:
    """Whether the strip on screen was priced with other cache and batch settings than the cost view's now:
    a change made in the view (a fragment, planner.app.main) must redraw the whole page then."""
    return st.session_state.get("strip_billing") != billing()


def answer_for(user: UserInput, offer: ModelOffer, output: int, reasoning: int) -> OneAnswer:
    """The one answer for this input on ``offer``, priced with the cost view's cache and batch settings."""
    count = None if user.empty else user.count(family_for(offer))
    hit, batch = st.session_state["strip_billing"] = billing()
    return one_answer(
        offer,
        count,
        output,
        reasoning,
        images=user.images,
        cached_tokens=cached_tokens(count.tokens, hit) if count else 0,
        batch=batch,
        find_vision=APP_VISION_MODELS,
    )


def tokens_text(answer: OneAnswer, user: UserInput) -> str:
    if answer.tokens is None:
        return "-"
    if answer.method == "estimate" and user.source != "tokens":
        return f"~{answer.tokens:,}"
    return f"{answer.tokens:,}"


def cost_text(answer: OneAnswer) -> str:
    if answer.state in BLOCKED:
        return "-"
    return format_usd(answer.cost, 6) if answer.cost_known else "unknown"


def verdict_strip(answer: OneAnswer, user: UserInput, linked_upload: bool) -> None:
    """The strip: a box with the verdict sentence, then tokens, headroom and cost per request."""
    if answer.state == "no_input":
        st.info(f"**{answer.label}**: your input is empty. {EMPTY_HELP}")
        if linked_upload:
            st.warning(NOT_CARRIED)
        return
    box = BOXES.get(answer.state, st.info)
    box(f"**{answer.label}**: {answer.sentence}")
    columns = st.columns(3)
    columns[0].metric("Input tokens", tokens_text(answer, user))
    columns[1].metric(
        "Headroom (tokens)", answer.headroom, help="Tokens left free after the input and reserves"
    )
    batch = " at batch prices" if billing()[1] else ""
    columns[2].metric(
        "Cost per request",
        cost_text(answer),
        help=f"The input and the reserves at the top, billed{batch} (the Cost view sets cache and batch).",
    )
