"""The controls at the top: the model picker and the answer and thinking reserves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from planner import DEFAULT_MODEL
from planner.app import resources, urlstate
from planner.app.state import bound, settings
from planner.catalog.schema import ModelOffer
from planner.errors import UnknownModelError


def choose_model(search_place: Any, list_place: Any) -> ModelOffer:
    """The model picker; an unknown id in the URL is reported and the default model is shown."""
    state = settings()
    catalog = resources.catalog()
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

    def changed() -> None:
        st.session_state.pop("model_error", None)

    chosen = searchable_picker((search_place, list_place), "Model", "w_model", current, on_change=changed)
    # The provider goes into the link only when the id alone would pick another host's offer.
    state["model"] = chosen.id
    state["provider"] = "" if catalog.get(chosen.id) == chosen else chosen.provider
    return chosen


def choices(search: str, current: ModelOffer) -> dict[str, ModelOffer]:
    """The entries of a picker: the current model, then the search's (planner.app.resources.found_offers)."""
    found = {resources.offer_key(offer): offer for offer in resources.found_offers(search)}
    if resources.offer_key(current) not in found:
        found = {resources.offer_key(current): current, **found}
    return found


def searchable_picker(
    places: Sequence[Any],
    label: str,
    key: str,
    current: ModelOffer,
    on_change: Callable[[], None] | None = None,
    search_label: str = "Find a model",
) -> ModelOffer:
    """A search box and a list of the offers it finds (the rule of `planner models --search`), in the two
    ``places`` (columns side by side: the caller's own, not columns nested in one, three elements fewer to
    send on every click): the list holds a few dozen entries, never the whole catalog (which made every
    click send 270 KB)."""
    search_place, list_place = places
    search = search_place.text_input(
        f"{search_label} ({len(resources.catalog()):,} offers)",  # len: no list of every offer per click
        key=f"{key}_search",
        placeholder="e.g. gpt-4o, claude, qwen 32b",
        help="Words in the name, id or host; the maker's own host first, as `planner models --search`.",
    )
    offers = choices(search, current)
    if st.session_state.get(key) not in offers:
        st.session_state[key] = resources.offer_key(current)
    labels = resources.picker_labels()
    total = resources.search_total(search)
    shown = min(total, resources.PICKER_SIZE)
    chosen = list_place.selectbox(
        label,
        list(offers),
        key=key,
        on_change=on_change,
        format_func=lambda name: (
            labels.get(name) or f"{offers[name].name} · {offers[name].provider} ({offers[name].id})"
        ),
        help=f"{total:,} offers match; the first {shown:,} are listed: type more words to narrow."
        if search.strip()
        else "The usable offers first, each maker's own host first: search to find any other.",
    )
    return offers[chosen]


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
