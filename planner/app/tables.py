"""The app's tables, chart data and downloads, laid out from the advice core's rows (planner.advice.answers,
planner.advice.compare, planner.advice.model_page). Formatting only: the one number made here is the position
of each segment on the fit bar."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from planner import wording
from planner.advice import model_page as model_pages
from planner.advice.prices import decimal_str
from planner.wording import VERDICT_LABELS, VERDICT_UNKNOWN, count_of, signed_usd, yes_no
from planner.wording import usd as format_usd

if TYPE_CHECKING:
    from datetime import date

    from planner.advice.answers import CostAdvice
    from planner.advice.compare import Comparison, ComparisonRow, Selection
    from planner.advice.fit_rule import FitResult
    from planner.advice.hosts import HostRow, HostsAnswer
    from planner.advice.model_page import ModelPage
    from planner.advice.spend import SpendReport
    from planner.catalog.ledger import LedgerEntry
    from planner.catalog.schema import Pricing
    from planner.inputs.report import FileReport, RequestParts

VERDICT_TEXT = {key: label.capitalize() for key, label in VERDICT_LABELS.items()}  # planner.wording's labels
VERDICT_UNKNOWN_TEXT = VERDICT_UNKNOWN.capitalize()

# Colours of the fit bar, in stacking order.
FIT_PARTS: tuple[tuple[str, str], ...] = (
    ("Input", "#1f77b4"),
    ("Text", "#1f77b4"),
    ("Images", "#17becf"),
    ("Tools", "#8c564b"),
    ("Estimate band (upper)", "#9ecae1"),
    ("Reserved output", "#ff7f0e"),
    ("Reasoning reserve", "#9467bd"),
    ("Free room", "#d9d9d9"),
)
OVERFLOW_COLOR = "#d62728"


def file_rows(files: list[FileReport], family: str) -> list[dict[str, str]]:
    """One row per uploaded file: its tokens for the model's tokenizer and words, or why it was skipped."""
    return [
        {
            "File": item.path,
            "Kind": item.kind,
            "Tokens": "" if item.skipped else f"{item.tokens.get(family, 0):,}",
            "Words": "" if item.skipped else f"{item.words:,}",
            "Note": item.skipped or "; ".join(item.warnings),
        }
        for item in files
    ]


headroom_text = wording.headroom_text  # "87,356" when there is room, "1 over" when the input is over


def fit_bar_rows(fit: FitResult, parts: RequestParts | None = None) -> list[dict[str, Any]]:
    """The segments of the window bar, left to right: input, the estimate's upper band, the reserves and the
    free room, each with its start and end in tokens; then, when the request is larger than the window, a
    red "Over the window" segment drawn over the part that does not fit; when the model's input limit binds
    (``FitResult.limited_by``) and the input is above it, a red "Over the input limit" segment over the input.

    The reserves always count against the window (an input-only limit is judged as the whole window, see
    planner.advice.fit_rule). With ``parts`` that hold images or tools, the input is drawn as its text, image
    and tool segments (they add up to the input).
    """
    split = parts if parts is not None and (parts.images is not None or parts.tools is not None) else None
    sizes = {
        "Input": 0 if split else fit.input_tokens,
        "Text": split.text.tokens if split else 0,
        "Images": split.images.tokens if split and split.images else 0,
        "Tools": split.tools.tokens if split and split.tools else 0,
        "Estimate band (upper)": fit.input_tokens_high - fit.input_tokens,
        "Reserved output": fit.output_tokens,
        "Reasoning reserve": fit.reasoning_tokens,
        "Free room": max(fit.headroom_tokens, 0),
    }
    rows, start = [], 0
    for order, (part, color) in enumerate(FIT_PARTS):
        if sizes[part] > 0 or (part == "Input" and not split):
            rows.append(_segment(part, sizes[part], start, color, order))
            start += sizes[part]
    if start > fit.context_window:
        over = start - fit.context_window
        rows.append(_segment("Over the window", over, fit.context_window, OVERFLOW_COLOR, len(rows)))
    if fit.limited_by == "input_limit" and fit.input_tokens_high > fit.input_limit:  # the input's own cap
        over = fit.input_tokens_high - fit.input_limit
        rows.append(_segment("Over the input limit", over, fit.input_limit, OVERFLOW_COLOR, len(rows)))
    return rows


def _segment(part: str, tokens: int, start: int, color: str, order: int) -> dict[str, Any]:
    return {
        "bar": "window",
        "part": part,
        "tokens": tokens,
        "start": start,
        "end": start + tokens,
        "order": order,
        "color": color,
    }


COST_PART_LABELS = {
    "input": "Input",
    "cache_read": "Cached input (reads)",
    "cache_write": "Cache writes",
    "output": "Output",
    "reasoning": "Reasoning",
    "request_fee": "Per-request fee",
}


def cost_rows(advice: CostAdvice) -> list[dict[str, str]]:
    """One row per billed part of a request (planner.advice.answers's lines) and the total."""
    cached = advice.cost.cached_tokens or advice.cost.cache_write_tokens
    rows = []
    for line in advice.lines:
        label = "Input (not cached)" if line.part == "input" and cached else COST_PART_LABELS[line.part]
        tokens = "" if line.tokens is None else f"{line.tokens:,}"
        rows.append({"Part": label, "Tokens": tokens, "Cost per request": format_usd(line.cost, 6)})
    rows.append({"Part": "Total", "Tokens": "", "Cost per request": format_usd(advice.cost.total_cost, 6)})
    return rows


# ------------------------------------------------------------------------------------------------ model page
def price_rows(page: ModelPage) -> list[dict[str, str]]:
    return [{"Price": row.label, "US dollars": row.value} for row in model_pages.price_rows(page)]


def spec_rows(page: ModelPage) -> list[dict[str, str]]:
    rows = model_pages.specification_rows(page)
    return [{"Specification": row.label, "Value": row.value} for row in rows]


def capability_rows(page: ModelPage) -> list[dict[str, str]]:
    marks = {True: "✓ yes", False: "✗ no", None: "unknown"}
    rows = model_pages.capability_rows(page.model)
    return [
        {
            "Capability": row.label,
            "Supported": marks[row.supported],
            "What it means": page.capability_notes.get(row.name, ""),
        }
        for row in rows
    ]


# --------------------------------------------------------------------------------------------------- compare
def comparison_account(selection: Selection, provider: str = "") -> str:
    """One line on what the compare view shows and hides, from the advice core's counts (Selection):
    "7,962 offers: 310 not answering in text, 1,472 free or preview hidden; 6,180 shown, 5,804 of them fit
    your input, 3,845 priced"."""
    parts = [f"**{count_of(selection.offers, 'offer')}**" + (f" on {provider}" if provider else "") + ":"]
    hidden = []
    if selection.not_text_left_out:
        hidden.append(f"{selection.not_text_left_out:,} not answering in text")
    if selection.not_fitting_left_out:
        hidden.append(f"{selection.not_fitting_left_out:,} that do not fit")
    if selection.free_left_out:
        hidden.append(f"{selection.free_left_out:,} free or preview")
    account = [f"{', '.join(hidden)} hidden" if hidden else "none hidden"]
    account.append(
        f"**{selection.shown:,} shown**, {selection.fitting:,} of them fit your input, "
        f"{selection.priced:,} priced"
    )
    return " ".join(parts) + " " + "; ".join(account) + "."


def row_label(row: ComparisonRow) -> str:
    """A chart's label of a row: the name without the catalog's "Maker: " prefix (the host follows it), so a
    phone's 150 px hold more of what tells offers apart."""
    from planner.advice.model_facts import display_name

    return f"{display_name(row.name)} · {row.provider}"


def chart_labels(rows: list[ComparisonRow]) -> list[str]:
    """One distinct label per row, so a chart never stacks two offers on one bar: "name · provider", plus
    the id when two rows share that, plus "#2", "#3" for offers identical even in their id."""
    plain = [row_label(row) for row in rows]
    shared = Counter(plain)
    labels: list[str] = []
    used: Counter[str] = Counter()
    for row, label in zip(rows, plain, strict=True):
        if shared[label] > 1:
            label = f"{label} ({row.id})"
        used[label] += 1
        labels.append(label if used[label] == 1 else f"{label} #{used[label]}")
    return labels


def comparison_table(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per model for a sortable table (numbers stay numbers; the cost stays a Decimal)."""
    return [
        {
            "Model": row.name,
            "Fits": VERDICT_TEXT.get(row.verdict, VERDICT_UNKNOWN_TEXT),
            "Cost per request ($)": row.total_cost,
            "Provider": row.provider,
            "Id": row.id,
            "Window": row.context_window,
            "Input tokens": row.input_tokens,
            "Headroom": row.headroom_text,
            "vs default (%)": row.context_vs_default_pct,
            "Tokenizer": f"{row.tokenizer} ({row.method})",
        }
        for row in comparison.models
    ]


CSV_FIELDS = (
    "id",
    "name",
    "provider",
    "tokenizer",
    "method",
    "input_tokens",
    "input_tokens_high",
    "context_window",
    "fits",
    "verdict",
    "headroom_tokens",
    "total_cost",
    "context_vs_default_pct",
    "note",
)


def comparison_csv(comparison: Comparison) -> str:
    """Every compared model as CSV; money as decimal strings in US dollars, unknown as an empty cell."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in comparison.models:
        record = row.model_dump(mode="json")
        writer.writerow({name: "" if record[name] is None else record[name] for name in CSV_FIELDS})
    return buffer.getvalue()


def comparison_json(comparison: Comparison) -> str:
    """The comparison as the CLI's `planner compare --json` document (money as decimal strings)."""
    return json.dumps(comparison.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def window_chart_rows(comparison: Comparison, rows: list[ComparisonRow]) -> list[dict[str, Any]]:
    """Bars of context windows, each with the tokens this input needs on that model (its upper band plus the
    reserves), for the windows chart; models with no known window are left out."""
    return [
        {
            "model": label,
            "window": row.context_window,
            "needed": comparison.tokens_needed(row),
            "verdict": VERDICT_TEXT.get(row.verdict, VERDICT_UNKNOWN_TEXT),
        }
        for row, label in zip(rows, chart_labels(rows), strict=True)
        if row.context_window
    ]


def window_axis_from(chart_rows: list[dict[str, Any]], start: int = 1_000) -> int:
    """Where the windows chart's log axis starts: ``start``, or the power of ten at or below the smallest
    window drawn (a 256-token window is drawn from 100, never as a bar running backwards)."""
    smallest = min((row["window"] for row in chart_rows), default=start)
    while start > 1 and start > smallest:
        start //= 10
    return start


def drawn_caption(drawn: int, shown: int, missing: str) -> str:
    """ "the first 25 models" or "22 of the first 25 models (3 with no known window are left out)"."""
    if drawn == shown:
        return f"the first {shown} models"
    return f"{drawn} of the first {shown} models ({shown - drawn} with {missing} left out)"


def usd_label(amount: Decimal) -> str:
    """US dollars to 6 places, or to two significant digits when that would show a non-zero amount as $0."""
    return format_usd(amount, 6)  # planner.wording's money rule (tiny amounts: two significant digits)


def cost_chart_rows(rows: list[ComparisonRow]) -> list[dict[str, Any]]:
    """Bars of cost per request; unknown costs are left out (never drawn as $0)."""
    return [
        # float only for the bar's length in pixels; the label shows the exact Decimal
        {"model": label, "cost": float(row.total_cost), "cost_label": usd_label(row.total_cost)}
        for row, label in zip(rows, chart_labels(rows), strict=True)
        if row.total_cost is not None
    ]


def host_rows(answer: HostsAnswer) -> list[dict[str, str]]:
    """The hosts of the same weights (planner.advice.hosts), cheapest first: as `planner hosts` lists them."""
    from planner.catalog.display import context_text
    from planner.catalog.outliers import outlier_mark as mark
    from planner.wording import usd_per_million as format_usd_per_million

    return [
        {
            "Host": row.offer.provider,
            "Fits": VERDICT_TEXT.get(row.verdict, VERDICT_UNKNOWN_TEXT),
            "Cost / request": format_usd(row.total_cost, 6),
            "Id": row.offer.id,
            "Window": context_text(row.offer) + mark(row.offer, "context_window"),
            "Max output": (f"{row.offer.max_output_tokens:,}" if row.offer.max_output_tokens else "unknown")
            + mark(row.offer, "max_output_tokens"),
            "Input $/M": format_usd_per_million(row.prices_per_million["input"])
            + mark(row.offer, "pricing.input"),
            "Output $/M": format_usd_per_million(row.prices_per_million["output"])
            + mark(row.offer, "pricing.output"),
            "Batch": yes_no(row.batch),
            "Cache": yes_no(row.cache),
            "Prices from": row.offer.priced_by,
            "Prices as of": row.offer.as_of.isoformat(),
            "Note": host_note(row),
        }
        for row in answer.hosts
    ]


def host_note(row: HostRow) -> str:
    """The hosts table's note: the long-context tier that priced the row, or that none is listed, and the
    host's retirement warning (the line `planner hosts` prints)."""
    from planner.advice.hosts import TIER_MISSING

    tier = TIER_MISSING if row.tier_missing else ""
    if row.price_tier:
        tier = f"long-context tier ({row.price_tier})"
    return "; ".join(note for note in (tier, row.freshness.retirement_warning) if note)


def price_history_rows(
    entries: list[LedgerEntry], known_on: date | None = None, in_force: Pricing | None = None
) -> list[dict[str, Any]]:
    """Points of the price-over-time chart: one per dated input or output price, in US dollars per million
    tokens (a float only for the point's height; the label shows the exact price); then the prices
    ``in_force`` on ``known_on`` (the day the offer's prices are as of: planner.catalog.ledger.prices_on),
    each again on that day when it is after the price's last point (``held``): the line runs to the day the
    price is known to hold, not only to its last change."""
    rows = [
        _price_point(entry.as_of, entry.field, entry.new, entry.source)
        for entry in entries
        if entry.field in ("input", "output") and entry.new is not None
    ]
    if known_on is None or in_force is None:
        return rows
    last = {row["price"]: row for row in rows}  # each price's newest point (entries are oldest first)
    for field in ("input", "output"):
        price = getattr(in_force, field)
        if price is not None and field in last and last[field]["date"] < known_on.isoformat():
            rows.append({**_price_point(known_on, field, price, last[field]["source"]), "held": True})
    return rows


def _price_point(day: date, field: str, price: Decimal, source: str) -> dict[str, Any]:
    from planner.advice.prices import price_per_million
    from planner.wording import per_million_text

    return {
        "date": day.isoformat(),
        "price": field,
        "usd_per_million": float(price_per_million(price) or 0),
        "label": per_million_text(price),
        "source": source,
        "held": False,
    }


def fit_bar_sentence(fit: FitResult, parts: RequestParts | None = None) -> str:
    """The fit bar's numbers in words, after the chart: "Input 22,601 + answer 4,000 + thinking 0 = 26,601
    of the 131,072-token window (20.3%); 104,471 free." """
    rows = fit_bar_rows(fit, parts)
    pieces = [f"{row['part'].lower()} {row['tokens']:,}" for row in rows if row["part"] not in ("Free room",)]
    pieces = [piece for piece in pieces if not piece.startswith("over the")]
    total = f"{fit.total_tokens:,} of the {fit.context_window:,}-token window ({fit.used_percent})"
    room = headroom_text(fit.headroom_tokens)
    tail = f"{room} free" if fit.headroom_tokens >= 0 else f"{room} the limit"
    return f"The bar: {' + '.join(pieces)} = {total}; {tail}."


def price_history_sentence(rows: list[dict[str, Any]]) -> str:
    """The price chart's points in words: "input: $1.00 (2026-06-13), $0.80 (2026-11-01); output: ..."."""
    by_price: dict[str, list[str]] = {}
    for row in rows:
        point = (
            f"still {row['label']} on {row['date']}" if row.get("held") else f"{row['label']} ({row['date']})"
        )
        by_price.setdefault(row["price"], []).append(point)
    return "; ".join(f"{price}: {', '.join(points)}" for price, points in by_price.items()) + "."


def window_chart_table(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "Model": row["model"],
            "Window": f"{row['window']:,}",
            "Your input + reserves": f"{row['needed']:,}",
            "Fits": row["verdict"],
        }
        for row in rows
    ]


def cost_chart_table(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"Model": row["model"], "Cost per request": row["cost_label"]} for row in rows]


# ---------------------------------------------------------------- spend (planner.advice.spend)


def spend_chart_rows(report: SpendReport) -> list[dict[str, Any]]:
    """One row per day and model for the stacked chart: the day, the model, its cost (a float for drawing
    only: the exact figure is in ``cost_label`` and in the tables below the chart)."""
    return [
        {
            "day": day.day.isoformat(),
            "model": f"{model.id} ({model.provider})",
            "cost": float(model.total_cost),
            "cost_label": format_usd(model.total_cost),
        }
        for day in report.by_day
        for model in day.by_model
    ]


def spend_day_rows(report: SpendReport) -> list[dict[str, str]]:
    return [
        {"Day": day.day.isoformat(), "Rows": f"{day.rows:,}", "Cost": format_usd(day.total_cost)}
        for day in report.by_day
    ]


def spend_model_rows(report: SpendReport) -> list[dict[str, str]]:
    """As billed, per model; the export's own cost and the difference where it has one (LiteLLM)."""
    reported = any(item.reported_cost is not None for item in report.by_model)
    rows = []
    for item in report.by_model:
        row = {
            "Model": f"{item.id} ({item.provider})",
            "Rows": f"{item.rows:,}",
            "Requests": "not counted" if item.requests is None else f"{item.requests:,}",
            "Input": f"{item.input_tokens:,}",
            "Cached": f"{item.cached_tokens:,}",
            "Cache writes": f"{item.cache_write_tokens:,}",
            "Output": f"{item.output_tokens:,}",
            "Cost": format_usd(item.total_cost),
        }
        if reported:
            none = item.reported_cost is None
            row["Reported"] = "" if none else format_usd(item.reported_cost)
            row["Difference"] = "" if none else signed_usd(item.reported_difference)
        rows.append(row)
    return rows


def spend_as_if_rows(report: SpendReport) -> list[dict[str, str]]:
    return [
        {
            "As if on": f"{item.id} ({item.provider})",
            "Input": f"{item.input_tokens:,}",
            "Cost": format_usd(item.total_cost),
            "Difference": signed_usd(item.difference),
            "Over the window": "unknown"
            if item.requests_over_window is None
            else count_of(item.requests_over_window, "request"),
        }
        for item in report.as_if
    ]


def spend_csv(report: SpendReport) -> str:
    """The table to download: as billed per model, then each re-pricing, money as exact decimal strings."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["kind", "model", "provider", "input_tokens", "cost_usd", "difference_usd", "requests_over_window"]
    )
    for item in report.by_model:
        writer.writerow(
            ["as billed", item.id, item.provider, item.input_tokens, decimal_str(item.total_cost), "", ""]
        )
    for option in report.as_if:
        over = "" if option.requests_over_window is None else option.requests_over_window
        writer.writerow(
            [
                "as if",
                option.id,
                option.provider,
                option.input_tokens,
                decimal_str(option.total_cost),
                decimal_str(option.difference),
                over,
            ]
        )
    writer.writerow(["total as billed", "", "", "", decimal_str(report.total_cost), "", ""])
    return out.getvalue()
