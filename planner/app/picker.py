"""The controls at the top: the model picker and the answer and thinking reserves."""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner import DEFAULT_MODEL
from planner.app import resources, urlstate
from planner.app.state import bound, settings
from planner.catalog.schema import ModelOffer
from planner.errors import UnknownModelError


def choose_model(place: Any) -> ModelOffer:
    """The model picker; an unknown id in the URL is reported and the default model is shown."""
    state = settings()
    catalog = resources.catalog()
    offers = resources.picker_offers()
    try:
        current = catalog.get(state["model"], provider=state["provider"] or None)
    except UnknownModelError as error:
        st.session_state["model_error"] = (
            f"The link asks for the model {urlstate.literal(error.query)}, which is not in the catalog."
            + (f" Did you mean: {', '.join(error.suggestions)}?" if error.suggestions else "")
            + f" Showing {DEFAULT_MODEL} instead."
        )
        current = catalog.get(DEFAULT_MODEL)
    if current.id.lower() != state["model"].strip().lower() and "model_error" not in st.session_state:
        closest = f"{current.name} (`{current.id}`)"
        asked = urlstate.literal(state["model"])
        st.info(f"The link asks for {asked}: showing the closest match, {closest}.")
    if st.session_state.get("model_error"):
        st.error(st.session_state["model_error"])
    key = "w_model"
    if resources.offer_key(current) not in offers:  # an identical twin of a listed offer, asked for by its id
        offers = {resources.offer_key(current): current, **offers}
    if key not in st.session_state or st.session_state[key] not in offers:
        st.session_state[key] = resources.offer_key(current)
    labels = resources.picker_labels()

    def changed() -> None:
        st.session_state.pop("model_error", None)

    chosen = offers[
        place.selectbox(
            f"Model ({len(catalog.offers):,} in the catalog; type to search)",
            list(offers),
            key=key,
            on_change=changed,
            format_func=lambda name: (
                labels.get(name) or f"{offers[name].name} · {offers[name].provider} ({offers[name].id})"
            ),
        )
    ]
    # The provider goes into the link only when the id alone would pick another host's offer.
    state["model"] = chosen.id
    state["provider"] = "" if catalog.get(chosen.id) == chosen else chosen.provider
    return chosen


def reserves(output_place: Any, reasoning_place: Any) -> tuple[int, int]:
    output = bound(
        "output",
        output_place.number_input,
        "Reserved for the answer (tokens)",
        min_value=0,
        step=500,
        help="Output tokens kept free in the window for the model's answer.",
    )
    reasoning = bound(
        "reasoning",
        reasoning_place.number_input,
        "Reserved for thinking (tokens)",
        min_value=0,
        step=500,
        help="Tokens kept free for the model's hidden reasoning, if it thinks before answering.",
    )
    return int(output), int(reasoning)
