"""The model page (planner.advice.model_page): what fits with the reserves at the top, specifications,
capabilities, prices with their source, comparisons that open the side-by-side view, More from the
creator, the same weights on other hosts and the price over time."""

from __future__ import annotations

import json

import streamlit as st

from planner.advice.hosts import TIER_MISSING, host_families, hosts_of
from planner.advice.model_facts import display_name
from planner.advice.model_page import ModelPage, model_page
from planner.app import charts, links, resources, tables, urlstate
from planner.app.navigation import model_button
from planner.app.views.common import ViewInput, show_warnings
from planner.catalog.ledger import offer_history, prices_on
from planner.catalog.outliers import OUTLIER_MARK, outlier_note
from planner.catalog.schema import ModelOffer
from planner.errors import PlannerError
from planner.tokens.families import family_for


def render(view: ViewInput) -> None:
    user, offer = view.user, view.offer
    count = None if user.empty or view.blocked else user.count(family_for(offer))
    output, reasoning = view.output, view.reasoning
    judged_by = "the reserves at the top"
    if view.answer.state in ("reserve_above_max_output", "reserve_too_large"):
        output, reasoning = 0, 0  # the page itself needs no reserve: the strip above says what is wrong
        judged_by = "the reserves at the top are too large, see the answer there"
    try:
        page = model_page(offer, resources.catalog(), count, user.words, output, reasoning)
    except PlannerError as error:
        st.error(error.message)
        return
    st.subheader(page.display_name or offer.name)
    st.caption(
        (f"By {links.markdown_text(offer.creator)} · " if offer.creator else "")
        + f"{urlstate.literal(offer.id)} on {offer.provider}. Record from {offer.source}; prices from "
        f"{page.prices_source}."
    )
    note = outlier_note(offer)
    if note:  # planner.catalog.outliers: a value most hosts of the same weights contradict
        st.warning(f"Cross-host outlier: {note}.")
    describe(page)
    columns = st.columns(5)
    window = f"{offer.context_window:,}" if offer.context_window else "unknown"
    columns[0].metric("Context window (tokens)", window)
    columns[1].metric("Context window (words)", page.words_label, help=page.words_per_token_basis)
    max_output = f"{offer.max_output_tokens:,}" if offer.max_output_tokens else "unknown"
    columns[2].metric("Max output tokens", max_output)
    columns[3].metric("Tokenizer", page.tokenizer)
    columns[4].metric("Speed tier", page.speed_tier, help=page.speed_tier_note)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**What fits in one request** ({page.reserve_note}: {judged_by})")
        if page.what_fits:
            st.table(links.what_fits_rows(page), hide_index=True)
        else:
            st.info("The catalog has no context window for this offer, so nothing can be judged against it.")
        st.markdown("**Prices** (US dollars per million tokens)")
        st.table(tables.price_rows(page), hide_index=True)
        st.caption(f"Prices from {page.prices_source}.")
        if page.comparisons:
            st.markdown("**Context window compared** (each opens the two models side by side)")
            for index, row in enumerate(page.comparisons):
                model_button(
                    f"**{links.markdown_text(row.title)}**: {links.markdown_text(row.summary)} "
                    f"({links.markdown_text(row.provider)}, {row.context_window:,} tokens)",
                    f"compare-{index}",
                    "side",
                    offer.id,
                    provider_of(offer),
                    row.id,
                    row.provider,
                )
    with right:
        st.markdown("**Specifications**")
        st.table(tables.spec_rows(page), hide_index=True)
        st.markdown("**Capabilities**")
        st.table(tables.capability_rows(page), hide_index=True)
        st.caption(f"Speed tier: {page.speed_tier_note}.")
        if page.more_from_creator:
            shown = len(page.more_from_creator)
            st.markdown(
                f"**More from {links.markdown_text(offer.creator or '')}** ({shown} of "
                f"{page.more_from_creator_total:,} models in the catalog, newest first)"
            )
            for index, item in enumerate(page.more_from_creator):
                released = f"; released {item.release_date.isoformat()}" if item.release_date else ""
                model_button(
                    f"{links.markdown_text(display_name(item.name))} ({links.markdown_text(item.provider)}, "
                    f"{item.window_label}{released})",
                    f"more-{index}",
                    "model",
                    item.id,
                    item.provider,
                )
    questions_and_record(page)
    show_warnings(page.freshness.warnings if page.freshness else [])
    if count is not None:
        hosts_section(view)
    price_history_section(offer)


def describe(page: ModelPage) -> None:
    """The source's whole description and what the model is best for, by the rule the page states."""
    if page.description:
        cut = page.description.rstrip().endswith(("...", "…"))
        st.markdown(links.markdown_text(page.description))
        if cut:
            st.caption(f"The description ends there in {page.model.source}'s own record.")
    if page.best_for is not None:
        uses = ", ".join(page.best_for.uses) if page.best_for.uses else page.best_for.note
        st.markdown(f"**Best for:** {uses}.")
        st.caption(page.best_for.rule)


def questions_and_record(page: ModelPage) -> None:
    """The FAQ answered from the record, the identifiers and provenance, and the raw record."""
    with st.expander(f"Questions about {page.display_name}, answered from its record"):
        for item in page.faq:
            st.markdown(f"**{links.markdown_text(item.question)}** {links.markdown_text(item.answer)}")
    st.markdown("**Identifiers and where each figure comes from**")
    st.table([{"": row.label, "Value": row.value} for row in page.identifiers], hide_index=True)
    if page.raw_record is not None:
        with st.expander(f"Raw record ({page.raw_record.source}, as OpenRouter publishes it)"):
            # plain text: st.json's viewer and st.code's JSON colours draw keys, numbers, booleans and nulls
            # at 2.7-3.9:1 against their background
            record = json.dumps(page.raw_record.record, indent=2, ensure_ascii=False)
            st.code(record, language=None, wrap_lines=True)


def provider_of(offer: ModelOffer) -> str:
    """The provider a link needs: empty when the id alone picks this offer."""
    return "" if resources.catalog().get(offer.id) == offer else offer.provider


def hosts_section(view: ViewInput) -> None:
    """The same weights on other hosts, cheapest first, with this input's fit and cost on each."""
    catalog = resources.catalog()
    counts = view.user.count_for(tuple(host_families(catalog, view.offer)))
    answer = hosts_of(catalog, view.offer, counts, output_tokens=view.output, reasoning_tokens=view.reasoning)
    if len(answer.hosts) < 2:
        return
    st.markdown(f"**The same weights on {len(answer.hosts)} hosts** (cheapest first for your input)")
    st.table(tables.host_rows(answer), hide_index=True)
    for row in answer.hosts:
        flagged = outlier_note(row.offer)
        if flagged:
            st.caption(f"{OUTLIER_MARK} {flagged}.")
    if answer.tier_note:
        st.caption(f'Hosts noted "{TIER_MISSING}": {answer.tier_note}.')


def price_history_section(offer: ModelOffer) -> None:
    """Input and output prices over time: the shipped snapshot's, then each refresh's changes."""
    try:
        entries = offer_history(resources.catalog(), offer)
    except PlannerError as error:
        st.warning(error.message)
        return
    try:
        in_force = prices_on(offer, offer.as_of, entries)
    except PlannerError:  # the history starts after the record's date: no price to carry to it
        in_force = None
    rows = tables.price_history_rows(entries, offer.as_of, in_force)
    if not rows:
        return
    st.markdown("**Price over time** (US dollars per million tokens; `planner catalog refresh` adds points)")
    charts.draw(charts.price_history_chart(rows), 220)
    st.caption(tables.price_history_sentence(rows))
