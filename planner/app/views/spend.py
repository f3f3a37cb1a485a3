"""Spend from real traffic (planner.advice.spend): upload usage exports, see what they cost as billed, by
model and by day, pick models to re-price the same traffic on, and download the table. The link carries only
the chosen models (``as``): the exports stay in this session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from planner.advice.spend import SpendReport, plan_spend
from planner.app import charts, resources, tables, urlstate
from planner.app.state import bound, settings
from planner.app.views.common import ViewInput
from planner.errors import PlannerError
from planner.inputs.usage_exports import FORMAT_LABELS, read_usage_bytes
from planner.wording import count_of, usd

MAX_SKIPPED_SHOWN = 20  # rows listed on the page; the CSV and `planner spend` list every one


@st.cache_data(show_spinner=False, max_entries=8)
def spend_report(files: tuple[tuple[str, bytes], ...], chosen: tuple[str, ...]) -> SpendReport:
    """The answer for these exports and chosen offers (cached: moving a control does not re-read them)."""
    offers = resources.picker_offers()
    catalog = resources.catalog()
    exports = [read_usage_bytes(name, data) for name, data in files]
    return plan_spend(exports, catalog, as_offers=[offers[key] for key in chosen if key in offers])


def render(view: ViewInput) -> None:  # noqa: ARG001 - the spend view reads its own input, not the top's
    st.subheader("What did real traffic cost, and what would it cost on another model?")
    st.caption(
        f"Reads {', '.join(FORMAT_LABELS.values())}: each row is priced on its own model and host at the "
        "prices in force on its day, with its cache reads and writes, batch and long-context tier "
        "(the numbers of `planner spend`)."
    )
    uploaded = st.file_uploader(
        "Usage exports (.json, .jsonl)",
        type=["json", "jsonl"],
        accept_multiple_files=True,
        key="spend_uploads",
    )
    chosen = choose_models()
    if not uploaded:
        st.info("Upload one or more usage exports to see what their traffic cost.")
        return
    files = tuple((file.name, file.getvalue()) for file in uploaded)
    try:
        report = spend_report(files, tuple(chosen))
    except PlannerError as error:
        st.error(error.message)
        return
    show_report(report)


def choose_models() -> list[str]:
    """The offers to re-price on (``as`` in the link); keys the catalog no longer lists are dropped."""
    offers = resources.picker_offers()
    labels = resources.picker_labels()
    state = settings()
    state["as"] = [key for key in state["as"] if key in offers]
    return list(
        bound(
            "as",
            st.multiselect,
            "Re-price the same traffic on (type to search)",
            list(offers),
            format_func=lambda key: labels.get(key, key),
            help="The same input, cached and output tokens on each chosen model, at its current prices.",
        )
    )


def show_report(report: SpendReport) -> None:
    total, rows, requests = st.columns(3)
    total.metric("As billed", usd(report.total_cost, 6))
    rows.metric("Rows priced", f"{report.rows:,}")
    requests.metric("Requests", "not counted" if report.requests is None else f"{report.requests:,}")
    chart_rows = tables.spend_chart_rows(report)
    charts.draw(charts.spend_chart(chart_rows), 320)
    st.table(tables.spend_day_rows(report), hide_index=True)
    st.table(tables.spend_model_rows(report), hide_index=True)
    if report.as_if:
        st.table(tables.spend_as_if_rows(report), hide_index=True)
        for item in report.as_if:
            for note in [*([item.count_note] if item.count_note else []), *item.notes]:
                st.caption(f"{item.id} ({item.provider}): {note}")
    st.download_button(
        "Download the table (CSV)",
        tables.spend_csv(report),
        file_name="spend.csv",
        mime="text/csv",
    )
    show_notes(report)


def show_notes(report: SpendReport) -> None:
    for match in report.matches:
        st.info(
            f"{urlstate.literal(match.export_model)} is priced as {match.id} ({match.provider}), "
            f"matched by {match.matched_by}."
        )
    for note in report.notes:  # file names and model names from the export: shown as written
        st.info(urlstate.literal(note))
    if report.skipped:
        shown: Sequence[Any] = report.skipped[:MAX_SKIPPED_SHOWN]
        literal = urlstate.literal
        lines = "\n".join(f"- {literal(item.place)}: {literal(item.reason)}" for item in shown)
        more = len(report.skipped) - len(shown)
        st.warning(
            f"{count_of(len(report.skipped), 'row')} left out of the totals:\n{lines}"
            + (f"\n- and {more:,} more (`planner spend` lists every one)" if more else "")
        )
