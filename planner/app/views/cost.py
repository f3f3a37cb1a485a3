"""What will it cost? Per request, per day and per month (planner.advice.answers.advise_cost); its controls
rerun only this part of the page (a fragment)."""

from __future__ import annotations

import streamlit as st

from planner.advice.answers import advise_cost
from planner.advice.model_facts import display_name
from planner.advice.prices import cached_tokens
from planner.app import tables
from planner.app.state import bound
from planner.app.user_input import images_left_out_note
from planner.app.verdict import APP_DROP_BATCH, APP_VISION_MODELS
from planner.app.views.common import ViewInput, blocked_note, show_warnings
from planner.errors import PlannerError
from planner.tokens.families import family_for
from planner.wording import usd as format_usd


def render(view: ViewInput) -> None:
    offer = view.offer
    st.subheader(f"What will it cost on {display_name(offer.name)}?")
    images_left_out_note(view.user)  # images of an uploaded folder the model cannot take
    if view.blocked:
        blocked_note(view, "The bill")
        return
    count = view.user.count(family_for(offer))
    left, middle, right = st.columns(3)
    per_day = bound("requests_per_day", left.number_input, "Requests per day", min_value=0, step=100)
    hit = bound(
        "cache_hit",
        middle.slider,
        "Cache hit rate (%)",
        0,
        100,
        help="The share of each prompt read from the provider's prompt cache (e.g. a long system prompt or "
        "document sent again and again).",
    )
    batch = bound("batch", right.toggle, "Batch API", help="Asynchronous requests, usually at half price.")
    st.caption(
        f"Each request is billed for its input, the answer reserved at the top ({view.output:,} output "
        f"tokens) and the thinking reserved there ({view.reasoning:,} tokens): change them there; the fit "
        "and the model page use the same lengths."
    )
    try:
        advice = advise_cost(
            offer,
            count,
            view.output,
            reasoning_tokens=view.reasoning,
            cached_tokens=cached_tokens(count.tokens, int(hit)),
            batch=batch,
            requests_per_day=int(per_day),
            images=view.user.images,
            find_vision=APP_VISION_MODELS,
            drop_batch=APP_DROP_BATCH,
        )
    except PlannerError as error:
        st.error(error.message)
        return
    if advice.image_refusal is not None:  # the strip says it too; the bill is not drawn
        st.error(advice.image_refusal)
        return
    cost, volume = advice.cost, advice.volume
    columns = st.columns(3)
    columns[0].metric("Per request", format_usd(cost.total_cost, 6))
    columns[1].metric("Per day", format_usd(volume.per_day, 2), help=f"{int(per_day):,} requests")
    columns[2].metric(
        "Per month (30 days)", format_usd(volume.per_month, 2), help=f"{volume.requests:,} requests"
    )
    for note in advice.notes:  # planner.advice.notes: the sentences `planner cost` prints beside its number
        (st.warning if note.level == "warning" else st.info)(note.text[:1].upper() + note.text[1:] + ".")
    st.table(tables.cost_rows(advice), hide_index=True)
    age = advice.freshness
    st.caption(f"Prices as of {age.as_of} ({age.price_age_days:,} days old), from {offer.priced_by}.")
    show_warnings(age.warnings)
