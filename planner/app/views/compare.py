"""Compare models: filters, a chart of windows with the input's size marked, a chart of cost per request,
each followed by its numbers, a sortable table and downloads. A fragment: its controls rerun only this
view, not the page above it."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from planner.advice.compare import select
from planner.advice.model_page import capability_label
from planner.app import charts, filters, resources, tables, urlstate
from planner.app.state import bound, settings, write_url
from planner.app.views.common import ViewInput, blocked_note, show_warnings
from planner.catalog.freshness import today_utc
from planner.errors import PlannerError

COMPARISON_COLUMNS = {
    "Window": st.column_config.NumberColumn(format="localized"),
    "Input tokens": st.column_config.NumberColumn(format="localized"),
    "Headroom": st.column_config.TextColumn(
        help="Tokens left free after the input and the reserves; 'over' when the request does not fit. "
        "'Sort by' above orders by it."
    ),
    "Cost per request ($)": st.column_config.NumberColumn(format="$%.6f"),
    "vs default (%)": st.column_config.NumberColumn(format="%d %%"),
}


def compare_filters() -> dict[str, Any]:
    providers = [""] + resources.catalog_providers()
    if settings()["f_provider"] not in providers:
        asked = urlstate.literal(settings()["f_provider"])
        st.warning(f"No provider {asked} in the catalog: showing every provider.")
        settings()["f_provider"] = ""
    search = bound(
        "f_search",
        st.text_input,
        "Search models (words in the name, id or provider)",
        placeholder="e.g. claude, llama 70b, gpt-4o ... (empty: every model)",
    )
    columns = st.columns(4)
    provider = bound(
        "f_provider",
        columns[0].selectbox,
        "Provider",
        providers,
        format_func=lambda name: name or "any provider",
    )
    capability = bound(
        "f_capability",
        columns[1].multiselect,
        "Must support",
        filters.CAPABILITIES,
        format_func=capability_label,
    )
    min_window = bound(
        "f_min_window", columns[2].number_input, "Min window (tokens)", min_value=0, step=8_192
    )
    max_price = bound(
        "f_max_price", columns[3].text_input, "Max input price ($ per million tokens)", placeholder="any"
    )
    return {
        "search": search.strip(),
        "provider": provider,
        "capability": tuple(capability),
        "min_window": int(min_window),
        "max_price": max_price,
    }


def render(view: ViewInput) -> None:
    st.subheader("Compare models")
    if view.blocked:
        blocked_note(view, "The comparison")
        return
    compare_part(view)


@st.fragment
def compare_part(view: ViewInput) -> None:
    """Filters, charts and table: a click here reruns only this function (and writes the URL)."""
    try:
        draw_comparison(view)
    finally:
        write_url()


def draw_comparison(view: ViewInput) -> None:
    chosen = compare_filters()
    try:
        offers, families = resources.filtered_offers(**chosen)
    except PlannerError:  # one clear line, and the other filters still applied, at any price
        st.error(
            f"The max input price {urlstate.literal(chosen['max_price'])} is not a price: type a number of "
            "US dollars per million tokens, 0 or more (such as 3 or 0.5), or leave it empty for any price. "
            "Showing every price meanwhile."
        )
        offers, families = resources.filtered_offers(**{**chosen, "max_price": ""})
    if not offers:
        st.warning(
            "No model matches these filters: loosen them (other search words, any provider, fewer "
            "capabilities, a smaller window)."
        )
        return
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    sort_by = bound(
        "sort", left.selectbox, "Sort by", list(filters.SORT_LABELS), format_func=filters.SORT_LABELS.get
    )
    fit_only = bound("fit_only", middle.toggle, "Only models that fit")
    hide_free = bound(
        "hide_free",
        right.toggle,
        "Hide free and preview offers",
        help="Free tiers, subscription plans listed at $0 and previews; hide them to compare paid prices.",
    )
    counts = view.user.count_for(families)
    try:
        whole = resources.cached_comparison(
            view.user.key,
            tuple(chosen.values()),
            view.output,
            view.reasoning,
            sort_by,
            today_utc().isoformat(),
            offers,
            counts,
        )
    except PlannerError as error:
        st.error(error.message)
        return
    # the advice core's default policy: only general models that answer in text are ranked
    selection = select(whole, fits_only=fit_only, hide_free=hide_free, text_only=True)
    comparison = selection.comparison
    st.markdown(tables.comparison_account(selection, chosen["provider"]))
    show_warnings(comparison.price_warnings)
    shown = comparison.models[: filters.CHART_MODELS]
    if not shown:
        st.warning(
            "No model is left to show: turn off 'Only models that fit' or 'Hide free and preview offers'."
        )
        return
    windows = tables.window_chart_rows(comparison, shown)
    st.markdown(
        f"**Context windows** of {tables.drawn_caption(len(windows), len(shown), 'no known window')} in this "
        "order (log scale); the black tick is what your input needs on each model: its tokens in that "
        "model's tokenizer plus the reserves."
    )
    axis_from = tables.window_axis_from(windows, filters.WINDOW_AXIS_FROM)
    charts.draw(charts.window_chart(windows, axis_from), charts.chart_height(windows))
    with st.expander("The numbers of this chart"):
        st.table(tables.window_chart_table(windows), hide_index=True)
    costs = tables.cost_chart_rows(shown)
    st.markdown(
        f"**Cost per request** of {tables.drawn_caption(len(costs), len(shown), 'an unknown price')} "
        "(US dollars)"
    )
    charts.draw(charts.cost_chart(costs), charts.chart_height(costs))
    with st.expander("The numbers of this chart"):
        st.table(tables.cost_chart_table(costs), hide_index=True)
    st.markdown(f"**The {len(comparison.models):,} models shown** (click a column heading to sort)")
    st.dataframe(
        tables.comparison_table(comparison),
        hide_index=True,
        width="stretch",
        column_config=COMPARISON_COLUMNS,
    )
    left, right = st.columns(2)
    # The files are written only when a button is clicked, not on every rerun.
    left.download_button(
        "Download CSV", partial(tables.comparison_csv, comparison), "comparison.csv", "text/csv"
    )
    right.download_button(
        "Download JSON", partial(tables.comparison_json, comparison), "comparison.json", "application/json"
    )
