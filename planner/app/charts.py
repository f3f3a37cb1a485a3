"""Every chart of the app, as Vega-Lite specs, and how they are drawn. Chart text is dark enough to read
(#31333F on white: 12.6:1, above the 4.5:1 small text needs; Streamlit's default axis grey is 3.7:1), labels
are cut to fit a phone, and each chart is followed by its numbers on the page (the views draw a table or a
sentence after it)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.advice.fit_rule import FitResult
from planner.app import tables
from planner.inputs.report import RequestParts

# The Vega-Lite schema the specs are written for: Altair's (tests/app/test_app_imports.py checks they are the
# same), named here so that drawing a chart does not import Altair (0.6 s and ~26 MB of the server's memory;
# Streamlit takes a spec as a dict).
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
TEXT_COLOR = "#31333F"  # Streamlit's own text colour: 12.6:1 on white
VERDICT_DOMAIN = ["Fits", "Tight", "Does not fit", "Unknown"]
VERDICT_RANGE = ["#2ca02c", "#ffbf00", "#d62728", "#bbbbbb"]
LABEL_LIMIT = 150  # pixels of a model's name on a compare chart: two thirds of a phone went to labels
READABLE = {
    "axis": {
        "labelColor": TEXT_COLOR,
        "titleColor": TEXT_COLOR,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleLimit": 0,
    },
    "legend": {"labelColor": TEXT_COLOR, "titleColor": TEXT_COLOR, "labelFontSize": 12, "columns": 2},
    "text": {"color": TEXT_COLOR},
}


def drawn_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as it is drawn: with the readable text colours of ``READABLE`` as its config."""
    spec = dict(spec)
    spec.pop("config", None)
    spec["config"] = READABLE
    return spec


def draw(spec: dict[str, Any], height: int) -> None:
    """A chart drawn from its Vega-Lite spec (no Altair schema check on every rerun: the specs' shapes are
    fixed here; tests/app/test_app_cache.py checks the drawn specs against the schema), with readable
    text colours (tests/app/test_app_accessibility.py measures them); the container's width applies."""
    st.vega_lite_chart(drawn_spec(spec), width="stretch", height=height, theme=None)


def fit_chart(fit: FitResult, parts: RequestParts | None = None) -> dict[str, Any]:
    """One bar of the window: input, reserves and free room; the window's end is a black dashed line, drawn
    over the bars (the red over-the-window segment does not hide it); the axis title says "dashes"."""
    rows = tables.fit_bar_rows(fit, parts)
    names = [row["part"] for row in rows]
    title = f"tokens (dashes: the end of the {fit.context_window:,}-token window)"
    limits = [{"tokens": fit.context_window, "label": f"context window: {fit.context_window:,}"}]
    if fit.limited_by == "input_limit":
        title = f"tokens (dashes: the {fit.input_limit:,}-token input limit, the window's end)"
        limits.append({"tokens": fit.input_limit, "label": f"input limit: {fit.input_limit:,}"})
    bar = {
        "data": {"values": rows},
        "mark": {"type": "bar", "size": 34},
        "encoding": {
            "x": {
                "field": "start",
                "type": "quantitative",
                "title": title,
                "axis": {"format": "~s", "labelFontSize": 12, "titleFontSize": 12},
            },
            "x2": {"field": "end"},
            "y": {"field": "bar", "type": "nominal", "axis": None},
            "color": {
                "field": "part",
                "type": "nominal",
                "scale": {"domain": names, "range": [row["color"] for row in rows]},
                "sort": names,
                "legend": {"orient": "top", "title": None, "labelFontSize": 12, "columns": 3},
            },
            "tooltip": [
                {"field": "part", "type": "nominal"},
                {"field": "tokens", "type": "quantitative", "format": ","},
            ],
        },
    }
    rule = {
        "data": {"values": limits},
        "mark": {"type": "rule", "color": "#000000", "strokeWidth": 3, "strokeDash": [6, 3]},
        "encoding": {
            "x": {"field": "tokens", "type": "quantitative"},
            "tooltip": [{"field": "label", "type": "nominal"}],
        },
    }
    return {"$schema": SCHEMA_URL, "layer": [bar, rule]}


def _model_axis(order: list[str]) -> dict[str, Any]:
    return {
        "field": "model",
        "type": "nominal",
        "sort": order,
        "title": None,
        "axis": {"labelLimit": LABEL_LIMIT, "labelOverlap": False, "labelFontSize": 12},
    }


def window_chart(rows: list[dict[str, Any]], axis_from: int) -> dict[str, Any]:
    """Context windows on a log axis (bars start at ``axis_from``), the black tick at what the input needs."""
    order = [row["model"] for row in rows]
    y = _model_axis(order)
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "window",
                "type": "quantitative",
                "scale": {"type": "log", "domainMin": axis_from},
                # a label a power of ten, none past the chart's edge: no "1M2M" on a phone
                "axis": {"format": "~s", "tickCount": 5, "labelOverlap": "greedy", "labelBound": True},
                "title": "context window (tokens, log scale)",
            },
            "x2": {"datum": axis_from},
            "y": y,
            "color": {
                "field": "verdict",
                "type": "nominal",
                "scale": {"domain": VERDICT_DOMAIN, "range": VERDICT_RANGE},
                "legend": {"orient": "top", "title": None, "columns": 2},
            },
            "tooltip": [
                {"field": "model", "type": "nominal"},
                {"field": "window", "type": "quantitative", "format": ",", "title": "window"},
                {"field": "needed", "type": "quantitative", "format": ",", "title": "your input + reserves"},
                {"field": "verdict", "type": "nominal"},
            ],
        },
    }
    ticks = {
        "mark": {"type": "tick", "color": "black", "thickness": 3, "size": 16},
        "encoding": {"x": {"field": "needed", "type": "quantitative"}, "y": y},
    }
    return {"$schema": SCHEMA_URL, "data": {"values": rows}, "layer": [bars, ticks]}


def cost_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Cost per request, one bar per model, its exact label inside the chart's room (the axis is padded so
    a label never runs past the right edge)."""
    order = [row["model"] for row in rows]
    top = max((row["cost"] for row in rows), default=0.0)
    x = {
        "field": "cost",
        "type": "quantitative",
        "title": "US dollars per request",
        "scale": {"domainMax": top * 1.6 if top else 1},
        "axis": {"format": "$.2~g", "tickCount": 4, "labelBound": True},  # no label past the chart's edge
    }
    y = _model_axis(order)
    tooltip = [
        {"field": "model", "type": "nominal"},
        {"field": "cost_label", "type": "nominal", "title": "per request"},
    ]
    return {
        "$schema": SCHEMA_URL,
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar", "color": "#2ca02c"}, "encoding": {"x": x, "y": y, "tooltip": tooltip}},
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": TEXT_COLOR},
                "encoding": {"x": x, "y": y, "text": {"field": "cost_label", "type": "nominal"}},
            },
        ],
    }


def chart_height(rows: list[dict[str, Any]]) -> int:
    return 110 + 24 * len(rows)  # a readable row per model plus the axis and a legend of two lines


def price_history_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Input and output prices over time, stepped; dates as "Aug 2026", never a weekday."""
    return {
        "$schema": SCHEMA_URL,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True, "interpolate": "step-after"},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": None, "axis": {"format": "%b %Y"}},
            "y": {"field": "usd_per_million", "type": "quantitative", "title": "$ per million tokens"},
            "color": {"field": "price", "type": "nominal", "title": None, "legend": {"orient": "top"}},
            "tooltip": [
                {"field": "date", "type": "temporal", "format": "%Y-%m-%d"},
                {"field": "price", "type": "nominal"},
                {"field": "label", "type": "nominal", "title": "price"},
                {"field": "source", "type": "nominal"},
            ],
        },
    }


def spend_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the traffic cost each day, one stacked bar per day, a colour per model."""
    return {
        "$schema": SCHEMA_URL,
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "day", "type": "ordinal", "title": "day (UTC)", "axis": {"labelAngle": 0}},
            "y": {
                "aggregate": "sum",
                "field": "cost",
                "type": "quantitative",
                "title": "US dollars as billed",
                "axis": {"format": "$.2~g", "tickCount": 4},
            },
            "color": {
                "field": "model",
                "type": "nominal",
                "title": "model",
                # one entry a line: whole ids with their host, none cut off at a phone's edge
                "legend": {"orient": "bottom", "columns": 1, "labelLimit": 320},
            },
            "tooltip": [
                {"field": "day", "type": "ordinal"},
                {"field": "model", "type": "nominal"},
                {"field": "cost_label", "type": "nominal", "title": "cost"},
            ],
        },
    }
