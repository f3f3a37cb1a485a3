"""Two models next to each other (planner.advice.model_page.side_by_side): window, prices, capabilities and
the fit and cost of your input on both, with the reserves at the top."""

from __future__ import annotations

import streamlit as st

from planner.advice.model_facts import display_name
from planner.advice.model_page import context_comparisons, side_by_side
from planner.app import links, resources, urlstate
from planner.app.navigation import model_button
from planner.app.picker import searchable_picker
from planner.app.state import DEFAULT_OTHER, settings
from planner.app.views.common import ViewInput, page_reserves
from planner.catalog.schema import ModelOffer
from planner.errors import UnknownModelError
from planner.tokens.families import families_of


def choose_other(offer: ModelOffer) -> ModelOffer:
    """The second model: from the link (``other``, ``other_provider``), else GPT-4o (on GPT-4o's own page,
    the first model that page compares with); an unknown one is reported, the default shown."""
    state = settings()
    catalog = resources.catalog()
    asked = state["other"] or DEFAULT_OTHER
    try:
        other = catalog.get(asked, provider=state["other_provider"] or None)
    except UnknownModelError as error:
        st.error(
            f"The link asks to compare with {urlstate.literal(error.query)}, which is not in the catalog."
        )
        other = catalog.get(DEFAULT_OTHER)
    if not state["other"] and other == offer:  # GPT-4o's own page: the first model its page compares with
        first = next(iter(context_comparisons(offer, catalog)), None)
        other = catalog.get(first.id, provider=first.provider) if first else other
    chosen = searchable_picker(
        st.columns([2, 3]),
        f"Next to {display_name(offer.name)}, show",
        "w_other",
        other,
        search_label="Find the model to show next to it",  # a name of its own beside the top's search
    )
    state["other"] = chosen.id
    state["other_provider"] = "" if catalog.get(chosen.id) == chosen else chosen.provider
    return chosen


def render(view: ViewInput) -> None:
    offer, user = view.offer, view.user
    heading = st.empty()  # filled once the second model is known, above its picker
    other = choose_other(offer)
    counts = None if view.blocked else user.count_for(tuple(families_of([offer, other])))
    reserves = (0, 0) if view.answer.state.startswith("reserve") else (view.output, view.reasoning)
    pair = side_by_side(offer, other, counts, *reserves)
    name, other_name = display_name(offer.name), display_name(other.name)
    heading.subheader(f"{links.markdown_text(name)} and {links.markdown_text(other_name)}, side by side")
    st.markdown(f"**{links.markdown_text(name)}**: {links.markdown_text(pair.summary)}.")
    for section, title in links.SIDE_SECTIONS.items():
        rows = links.side_rows(pair, section)
        if section == "input" and not rows:
            st.caption(f"Your input on both models: see the answer at the top ({view.answer.label.lower()}).")
            continue
        heading_text = (
            f"{title} ({page_reserves(view.output, view.reasoning)})" if section == "input" else title
        )
        st.markdown(f"**{heading_text}**")
        st.table(rows, hide_index=True)
        if section == "input" and any(fit.method == "estimate" for fit in pair.fits):
            st.caption(
                "An estimate is judged on its upper band (the count could be that high), so the headroom "
                "is counted from it: a central count that would fit can still read 'over'."
            )
    for fit in pair.fits:
        if fit.verdict == "does_not_fit":
            st.warning(f"{fit.id} ({fit.provider}): {fit.reason}.")
    columns = st.columns(2)
    for index, item in enumerate((offer, other)):
        with columns[index]:
            model_button(
                f"Model page of {links.markdown_text(display_name(item.name))}",
                f"side-page-{index}",
                "model",
                item.id,
                "" if resources.catalog().get(item.id) == item else item.provider,
            )
