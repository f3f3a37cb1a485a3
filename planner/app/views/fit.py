"""Does it fit? The window bar with its numbers, and when it does not fit, what then (planner.advice)."""

from __future__ import annotations

import streamlit as st

from planner.advice.answers import advise_fit
from planner.advice.fit_rule import DropPlan, FitResult, file_tokens
from planner.advice.model_facts import display_name
from planner.advice.suggestions import Suggestions
from planner.app import charts, links, resources, tables, urlstate
from planner.app.navigation import model_button
from planner.app.state import bound
from planner.app.user_input import images_left_out_note
from planner.app.verdict import APP_VISION_MODELS
from planner.app.views.common import ViewInput, blocked_note, show_warnings
from planner.errors import PlannerError
from planner.tokens.families import family_for
from planner.wording import usd as format_usd


def render(view: ViewInput) -> None:
    user, offer = view.user, view.offer
    what = "your input" if user.empty else user.label
    name = display_name(offer.name)  # the model page's heading: "Hermes 4 405B", not "Nous: Hermes 4 405B"
    st.subheader(f"{'Do' if what.endswith('files') else 'Does'} {what} fit {name}?")  # "your 21 files"
    images_left_out_note(user)  # images of an uploaded folder the model cannot take
    if view.blocked or view.answer.fit is None:
        blocked_note(view, "The window bar")
        return
    family = family_for(offer)
    try:
        advice = advise_fit(  # the fit alone first: the bar is drawn before any other tokenizer counts
            offer,
            user.count(family),
            view.output,
            view.reasoning,
            images=user.images,
            find_vision=APP_VISION_MODELS,
        )
    except PlannerError as error:
        st.error(error.message)
        return
    if advice.image_refusal is not None:  # the strip says it too; no fit is drawn
        st.error(advice.image_refusal)
        return
    fit = advice.fit
    capped = fit.limited_by == "input_limit"
    columns = st.columns(5 if capped else 4)
    columns[0].metric("Context window", f"{fit.context_window:,}")
    columns[1].metric(
        "Used", fit.used_percent, help="of the window; the input limit binds" if capped else "of the window"
    )
    columns[2].metric("Headroom (tokens)", tables.headroom_text(fit.headroom_tokens))
    columns[3].metric(
        "Headroom (words)", tables.headroom_text(fit.headroom_words, "~"), help=fit.words_per_token_basis
    )
    if capped:
        columns[4].metric(
            "Input limit",
            f"{fit.input_limit:,}",
            help=f"the most input tokens the model takes; {fit.input_limit_used_percent} of it used",
        )
    parts = user.parts_for(family)
    charts.draw(charts.fit_chart(fit, parts), 170)
    st.caption(tables.fit_bar_sentence(fit, parts))
    if fit.fits:
        show_warnings(advice.freshness.warnings if advice.freshness else [])
        return
    what_then_part(view, family)


def what_then_part(view: ViewInput, family: str) -> None:
    """What then, after the bar: the models that take it whole need the input counted in their tokenizers
    too (seconds for a long text, under the status line of planner.app.user_input)."""
    user, offer = view.user, view.offer
    include_free = bound(
        "include_free",
        st.toggle,
        "Suggest free and preview offers too",
        help="Models suggested when it does not fit are paid offers by default; free tiers and previews are "
        "listed apart.",
    )
    try:
        advice = advise_fit(
            offer,
            user.count(family),
            view.output,
            view.reasoning,
            files=file_tokens(user.files, family),
            pools=resources.suggestion_pools(),
            counts_for=lambda families: user.count_for(tuple(families)),
            include_free=include_free,
            images=user.images,
            find_vision=APP_VISION_MODELS,
        )
    except PlannerError as error:
        st.error(error.message)
        return
    show_warnings(advice.freshness.warnings if advice.freshness else [])
    what_then(advice.fit, advice.drop_plan, advice.suggestions, view)


def what_then(fit: FitResult, drops: DropPlan | None, found: Suggestions | None, view: ViewInput) -> None:
    st.markdown("**What you can do**")
    st.markdown(f"- Split it into **{fit.chunks_needed:,} chunks** of at most {fit.input_limit:,} tokens.")
    if drops is not None and drops.fits:
        names = ", ".join(f"{urlstate.literal(item.path)} ({item.tokens:,} tokens)" for item in drops.drop)
        st.markdown(f"- Or leave out {len(drops.drop)} of your files, largest first: {names}.")
    if found is None:
        return
    room = f"{found.headroom_fraction:.0%}"
    if found.none_found:
        st.markdown(f"- No model in the catalog takes it whole with {room} to spare: split it.")
    rows = [("smallest window", found.paid.smallest_window), ("cheapest", found.paid.cheapest)]
    if not found.include_free:
        rows.append(("free or preview, smallest window", found.free.smallest_window))
    for label, row in rows:
        if row is not None:
            st.markdown(
                f"- Or use a model that fits with {room} to spare - {label}: "
                f"**{links.markdown_text(row.name)}** "
                f"({links.markdown_text(row.provider)}, `{row.id}`): window {row.context_window:,}, "
                f"{format_usd(row.total_cost, 6)} per request."
            )
            model_button(
                f"Check it on {links.markdown_text(row.name)} ({links.markdown_text(row.provider)})",
                f"suggest-{label}",
                "fit",
                row.id,
                row.provider,
            )
