"""Presentation helpers for the Streamlit app (``app.py``): example inputs, upload handling, URL settings,
table rows, chart data and downloads.

Verdicts, costs and comparisons come from ``planner.plans`` / ``planner.costs`` / ``planner.compare`` /
``planner.model_pages``; these functions lay the results out for a page, a chart or a download. The few
numbers made here are about presentation or about turning a page's controls into planner arguments:
positions of the segments on the fit bar, a price typed per million tokens as a price per token
(``parse_price_per_million``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from planner.catalog.display import usd_per_million_as_per_token
from planner.catalog.schema import Capabilities, ModelOffer, PriceTier
from planner.errors import InputError, LimitError, UsageError

if TYPE_CHECKING:
    from planner.catalog.store import Catalog
    from planner.compare import Comparison, ComparisonRow
    from planner.costs import RequestCost
    from planner.inputs.report import FileReport
    from planner.model_pages import ModelPage
    from planner.plans import DropPlan, FitResult

# The largest upload the app accepts, per file (also `server.maxUploadSize` in .streamlit/config.toml).
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024

ExampleKind = Literal["prose", "code"]

# Original text written for these examples (no licence needed); repeated to reach a reference size.
_PROSE = """\
Before a team sends a long report to a language model, somebody has to answer three plain questions. \
Does the whole thing fit in one request, with room left for the answer? What will it cost to do this \
every day for a month? And which model gives the best answer for the money? The report in this \
example is made of ordinary paragraphs like this one: it describes a project, the people who worked \
on it, what went well and what did not, and what the next quarter should look like.
The first section lists the goals agreed in the spring. Each goal has an owner, a date and a short \
note on how progress will be measured. Some goals were met early; others slipped because a supplier \
delivered late or because the work turned out to be larger than anyone had guessed. The notes say \
which, and why.
The second section covers the budget. Spending stayed close to the plan for most of the year, with \
two exceptions: travel rose when the team met customers in person, and the cost of computing rose \
when the models grew. Both are explained with figures, and both have a proposal for the coming year.
The last section is about people. New colleagues joined in the summer, two moved to other teams, and \
the group now meets once a week to review open questions. The report ends with a list of decisions \
the board is asked to make, each with the options considered and the reasons for the recommendation.
"""

_CODE = '''\
from dataclasses import dataclass, field


@dataclass
class Order:
    """One customer order with its lines and a running total."""

    number: int
    customer: str
    lines: list[tuple[str, int, float]] = field(default_factory=list)

    def add(self, item: str, quantity: int, unit_price: float) -> None:
        if quantity <= 0:
            raise ValueError(f"quantity must be positive, got {quantity}")
        self.lines.append((item, quantity, unit_price))

    def total(self) -> float:
        return sum(quantity * unit_price for _, quantity, unit_price in self.lines)


def load_orders(rows: list[dict[str, str]]) -> dict[int, Order]:
    """Group CSV rows into orders, keyed by order number."""
    orders: dict[int, Order] = {}
    for row in rows:
        number = int(row["order"])
        order = orders.setdefault(number, Order(number, row["customer"]))
        order.add(row["item"], int(row["quantity"]), float(row["unit_price"]))
    return orders


def largest_customers(orders: dict[int, Order], top: int = 10) -> list[tuple[str, float]]:
    """The customers with the highest spend, largest first."""
    spend: dict[str, float] = {}
    for order in orders.values():
        spend[order.customer] = spend.get(order.customer, 0.0) + order.total()
    return sorted(spend.items(), key=lambda pair: pair[1], reverse=True)[:top]
'''


@dataclass(frozen=True)
class Example:
    """An example input the size of one of the model page's reference documents."""

    key: str
    label: str
    words: int
    kind: ExampleKind


def example_text(words: int, kind: ExampleKind = "prose") -> str:
    """A deterministic text of exactly ``words`` whitespace-separated words, built from a shipped sample.

    Prose repeats the sample report paragraph by paragraph (numbered, so no two paragraphs are identical);
    code repeats the sample module line by line.
    """
    if words <= 0:
        return ""
    sample = _PROSE if kind == "prose" else _CODE
    lines = sample.splitlines(keepends=True)
    out: list[str] = []
    remaining = words
    for number, line in enumerate(itertools.cycle(lines)):
        if kind == "prose" and number % len(lines) == 0:
            line = f"Part {number // len(lines) + 1}. {line}"
        line_words = line.split()
        if len(line_words) >= remaining:
            out.append(_first_words(line, remaining))
            break
        out.append(line)
        remaining -= len(line_words)
    return "".join(out).rstrip() + "\n"


def _first_words(line: str, count: int) -> str:
    """The start of ``line`` up to and including its ``count``-th word (layout kept)."""
    if count <= 0:
        return ""
    match = list(itertools.islice(re.finditer(r"\S+", line), count))[-1]
    return line[: match.end()]


def safe_upload_name(name: str) -> str:
    """The base name of an uploaded file, with no directories and no leading dot (it stays in its folder)."""
    return Path(name.replace("\\", "/")).name.lstrip(".") or "upload"


def check_upload_size(name: str, size: int, limit: int = MAX_UPLOAD_BYTES) -> None:
    """LimitError with what to do when one upload is over the limit."""
    if size > limit:
        raise LimitError(
            f"{name} is {size / 1024 / 1024:.1f} MB, over the {limit // (1024 * 1024)} MB upload limit: "
            "count it with the command line instead (`planner count FILE`), or upload a part of it"
        )


def write_uploads(
    files: list[tuple[str, bytes]], folder: Path, limit: int = MAX_UPLOAD_BYTES
) -> dict[Path, str]:
    """Write uploaded files (name, content) into ``folder``, one sub-folder each so equal names do not clash.

    Returns each written path with the name the user uploaded. An oversized file raises LimitError.
    """
    if not files:
        raise InputError("no files were uploaded")
    written: dict[Path, str] = {}
    for index, (name, content) in enumerate(files):
        check_upload_size(name, len(content), limit)
        path = folder / f"{index:03d}" / safe_upload_name(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written[path] = name
    return written


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


# ------------------------------------------------------------------------------------------- URL parameters
# Parsers of the app's shareable settings: each returns the value or raises ValueError naming what is allowed
UrlParser = Callable[[str], Any]


def url_whole_number(minimum: int = 0, maximum: int | None = None) -> UrlParser:
    def parse(raw: str) -> int:
        try:
            value = int(raw.replace(",", "").replace("_", ""))
        except ValueError:
            raise ValueError("use a whole number") from None
        if value < minimum or (maximum is not None and value > maximum):
            allowed = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            raise ValueError(f"use a whole number {allowed}")
        return value

    return parse


def url_choice(options: Iterable[str]) -> UrlParser:
    allowed = list(options)

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"use one of {', '.join(repr(option) for option in allowed)}")
        return raw

    return parse


def url_choices(options: Iterable[str]) -> UrlParser:
    """A comma-separated list, each item one of ``options``."""
    one = url_choice(options)

    def parse(raw: str) -> list[str]:
        return [one(part.strip()) for part in raw.split(",") if part.strip()]

    return parse


def url_flag(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("use true or false")


def url_text(raw: str) -> str:
    return raw


def url_value(value: bool | int | str | list[str]) -> str:
    """A setting as it is written into the URL (the parsers above read it back)."""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def content_digest(*parts: bytes | str) -> str:
    """A sha256 over the parts, used as the cache key of a count (the text itself is not hashed twice)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", errors="surrogatepass") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


# Example inputs the size of the model page's reference documents (names and words from planner.model_pages).
def _examples() -> tuple[Example, ...]:
    from planner.model_pages import REFERENCE_DOCUMENTS

    return tuple(
        Example(
            key=name.replace(" ", "_"),
            label=f"{name.capitalize()} (~{words:,} words)",
            words=words,
            kind="code" if "codebase" in name else "prose",
        )
        for name, words in REFERENCE_DOCUMENTS
    )


EXAMPLES = _examples()

VERDICT_TEXT = {"fits": "Fits", "tight": "Tight", "does_not_fit": "Does not fit"}

# Colours of the fit bar, in stacking order.
FIT_PARTS: tuple[tuple[str, str], ...] = (
    ("Input", "#1f77b4"),
    ("Estimate band (upper)", "#9ecae1"),
    ("Reserved output", "#ff7f0e"),
    ("Reasoning reserve", "#9467bd"),
    ("Free room", "#d9d9d9"),
)
OVERFLOW_COLOR = "#d62728"


ALTERNATIVE_HEADROOM = "0.1"  # "models that fit" must leave 10 % of their window free


def headroom_text(amount: int, prefix: str = "") -> str:
    """Headroom as shown on the page: "87,356" when there is room, "1 over" when the input is over."""
    return f"{prefix}{amount:,}" if amount >= 0 else f"{prefix}{-amount:,} over"


def fit_bar_rows(fit: FitResult) -> list[dict[str, Any]]:
    """The segments of the window bar, left to right: input, the estimate's upper band, the reserves and the
    free room, each with its start and end in tokens; then, when the request is larger than the window, a
    red "Over the window" segment drawn over the part that does not fit.

    The reserves always count against the window (an input-only limit is judged as the whole window, see
    planner.plans).
    """
    sizes = {
        "Input": fit.input_tokens,
        "Estimate band (upper)": fit.input_tokens_high - fit.input_tokens,
        "Reserved output": fit.output_tokens,
        "Reasoning reserve": fit.reasoning_tokens,
        "Free room": max(fit.headroom_tokens, 0),
    }
    rows, start = [], 0
    for order, (part, color) in enumerate(FIT_PARTS):
        if sizes[part] > 0 or part == "Input":
            rows.append(_segment(part, sizes[part], start, color, order))
            start += sizes[part]
    if start > fit.context_window:
        over = start - fit.context_window
        rows.append(_segment("Over the window", over, fit.context_window, OVERFLOW_COLOR, len(rows)))
    return rows


def _segment(
    part: str, tokens: int, start: int, color: str, order: int, opacity: float = 1.0
) -> dict[str, Any]:
    return {
        "bar": "window",
        "part": part,
        "tokens": tokens,
        "start": start,
        "end": start + tokens,
        "order": order,
        "color": color,
    }


def drop_suggestion(files: list[FileReport], family: str, budget: int) -> DropPlan | None:
    """Which uploaded files to leave out (largest first) so the rest fits ``budget`` input tokens; None when
    there are fewer than two counted files (nothing sensible to drop)."""
    from planner.plans import FileTokens, suggest_file_drops

    counted = [
        FileTokens(path=item.path, tokens=item.tokens.get(family, 0)) for item in files if not item.skipped
    ]
    return suggest_file_drops(counted, budget)


def cost_rows(cost: RequestCost) -> list[dict[str, str]]:
    """One row per billed part of a request (tokens and US dollars); zero-token parts are left out."""
    from planner.costs import format_usd

    parts = [
        (
            "Input (not cached)" if cost.cached_tokens or cost.cache_write_tokens else "Input",
            cost.plain_input_tokens,
            cost.input_cost,
        ),
        ("Cached input (reads)", cost.cached_tokens, cost.cached_cost),
        ("Cache writes", cost.cache_write_tokens, cost.cache_write_cost),
        ("Output", cost.output_tokens, cost.output_cost),
        ("Reasoning", cost.reasoning_tokens, cost.reasoning_cost),
    ]
    rows = [
        {"Part": name, "Tokens": f"{tokens:,}", "Cost per request": format_usd(amount, 6)}
        for name, tokens, amount in parts
        if tokens
    ]
    if cost.request_fee:
        rows.append(
            {"Part": "Per-request fee", "Tokens": "", "Cost per request": format_usd(cost.request_fee, 6)}
        )
    rows.append({"Part": "Total", "Tokens": "", "Cost per request": format_usd(cost.total_cost, 6)})
    return rows


# ------------------------------------------------------------------------------------------------ model page
def what_fits_rows(page: ModelPage) -> list[dict[str, str]]:
    """The model page's "what fits in one request" list as table rows."""
    marks = {"fits": "✓ fits", "tight": "⚠ tight", "does_not_fit": "✗ won't fit"}
    return [
        {
            "Document": row.name.capitalize(),
            "Words": f"~{row.words:,}" if row.name != "your input" else f"{row.words:,}",
            "Tokens": f"~{row.tokens:,}" if row.name != "your input" else f"{row.tokens:,}",
            "In one request": marks[row.verdict],
        }
        for row in page.what_fits
    ]


PRICE_LABELS = {
    "input": "Input",
    "output": "Output",
    "cache_read": "Cached input (read)",
    "cache_write": "Cache write (5 min)",
    "cache_write_1h": "Cache write (1 hour)",
    "reasoning": "Reasoning",
    "batch_input": "Batch input",
    "batch_output": "Batch output",
    "per_request": "Per request (fee)",
}


def price_rows(page: ModelPage) -> list[dict[str, str]]:
    """Prices per million tokens (the fee per request as it is); unknown prices are shown as unknown."""
    from planner.costs import format_usd, format_usd_per_million

    rows = []
    for name, label in PRICE_LABELS.items():
        value = page.prices_per_million.get(name)
        if value is None and name not in ("input", "output"):
            continue
        shown = format_usd(value) if name == "per_request" else format_usd_per_million(value)
        rows.append({"Price": label, "US dollars": shown})
    for tier in page.model.pricing.tiers:
        rows.append({"Price": f"Prompts over {tier.above_tokens:,} tokens", "US dollars": _tier_text(tier)})
    return rows


def _tier_text(tier: PriceTier) -> str:
    from planner.costs import format_usd_per_million, price_per_million

    parts = [
        f"{name} {format_usd_per_million(price_per_million(getattr(tier, name)))}"
        for name in ("input", "output", "cache_read", "cache_write")
        if getattr(tier, name) is not None
    ]
    return "whole request at: " + ", ".join(parts) + " per million"


def spec_rows(offer: ModelOffer) -> list[dict[str, str]]:
    def text(value: object) -> str:
        return "unknown" if value in (None, "", []) else str(value)

    window_kind = {"total": "input + output", "input": "input only"}.get(offer.context_window_kind or "", "")
    return [
        {"Specification": "Model id", "Value": offer.id},
        {"Specification": "Provider (host)", "Value": offer.provider},
        {"Specification": "Creator", "Value": text(offer.creator)},
        {"Specification": "Context window counts", "Value": text(window_kind)},
        {
            "Specification": "Max input tokens",
            "Value": text(f"{offer.max_input_tokens:,}" if offer.max_input_tokens else None),
        },
        {"Specification": "Input", "Value": text(", ".join(offer.input_modalities))},
        {"Specification": "Output", "Value": text(", ".join(offer.output_modalities))},
        {"Specification": "Mode", "Value": text(offer.mode)},
        {"Specification": "Released", "Value": text(offer.release_date)},
        {"Specification": "Knowledge cutoff", "Value": text(offer.knowledge_cutoff)},
        {"Specification": "Source (as of)", "Value": f"{offer.source} ({offer.as_of})"},
    ]


CAPABILITIES: tuple[str, ...] = tuple(Capabilities.model_fields)


def capability_label(name: str) -> str:
    return {"batch_api": "Batch API"}.get(name, name.replace("_", " ").capitalize())


def capability_rows(offer: ModelOffer) -> list[dict[str, str]]:
    marks = {True: "✓ yes", False: "✗ no", None: "unknown"}
    return [
        {"Capability": capability_label(name), "Supported": marks[getattr(offer.capabilities, name)]}
        for name in CAPABILITIES
    ]


def comparison_lines(page: ModelPage) -> list[str]:
    """ "212 % larger context window than Amazon Titan Text Express (42,000 tokens)" lines."""
    lines = []
    for row in page.comparisons:
        window = f"{row.context_window:,} tokens, {row.provider}"
        if row.percent_larger > 0:
            lines.append(f"{row.percent_larger} % larger context window than {row.name} ({window})")
        elif row.percent_smaller > 0:
            lines.append(f"{row.percent_smaller} % smaller context window than {row.name} ({window})")
        else:
            lines.append(f"the same context window as {row.name} ({window})")
    return lines


# --------------------------------------------------------------------------------------------------- compare
SORT_LABELS = {
    "cost": "Cost per request (cheapest first)",
    "window": "Context window (largest first)",
    "headroom": "Headroom (most room first)",
    "name": "Name",
}
CHART_MODELS = 25  # bars in each compare chart; the table and the downloads hold every model
WINDOW_AXIS_FROM = 1_000  # the windows chart's log axis starts here (no window is smaller)
# The compare view starts with every provider ("" = any).
DEFAULT_PROVIDER_FILTER = ""


def parse_price_per_million(text: str) -> Decimal | None:
    """A price typed in US dollars per million tokens ("3", "$0.50") as US dollars per token, or None."""
    if not text.strip():
        return None
    try:
        return usd_per_million_as_per_token(text)
    except ValueError:
        raise UsageError(
            f"max price must be a number of US dollars per million tokens, 0 or more, such as 3 or 0.5; "
            f"got {text!r}"
        ) from None


def filter_offers(
    catalog: Catalog,
    *,
    provider: str,
    capability: list[str],
    min_window: int,
    max_price: str,
    search: str = "",
) -> list[ModelOffer]:
    """The catalog's offers that pass the compare view's filters (Catalog.search and Catalog.filter do the
    work); ``search`` empty means every offer."""
    return catalog.filter(
        provider=provider or None,
        capability=capability or None,
        min_context=min_window or None,
        max_input_price=parse_price_per_million(max_price),
        offers=catalog.search(search) if search else None,
    )


def comparison_summary(comparison: Comparison, provider: str = "") -> str:
    fitting = sum(1 for row in comparison.models if row.fits)
    where = f" on {provider}" if provider else ""
    models = f"**{fitting:,} of {len(comparison.models):,} models**{where}"
    return f"{models} fit your input with the reserves you chose."


def row_label(row: ComparisonRow) -> str:
    return f"{row.name} · {row.provider}"


def comparison_table(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per model for a sortable table (numbers stay numbers; the cost stays a Decimal)."""
    return [
        {
            "Model": row.name,
            "Provider": row.provider,
            "Id": row.id,
            "Fits": VERDICT_TEXT.get(row.verdict, "Unknown window"),
            "Window": row.context_window,
            "Input tokens": row.input_tokens,
            "Headroom": row.headroom_tokens,
            "Cost per request ($)": row.total_cost,
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
            "model": row_label(row),
            "window": row.context_window,
            "needed": comparison.tokens_needed(row),
            "verdict": VERDICT_TEXT.get(row.verdict, "Unknown"),
        }
        for row in rows
        if row.context_window
    ]


def usd_label(amount: Decimal) -> str:
    """US dollars to 6 places, or to two significant digits when that would show a non-zero amount as $0."""
    from planner.costs import format_usd

    if amount and abs(amount) < Decimal("0.000001"):
        return format_usd(amount, min(12, 1 - amount.adjusted()))
    return format_usd(amount, 6)


def cost_chart_rows(rows: list[ComparisonRow]) -> list[dict[str, Any]]:
    """Bars of cost per request; unknown costs are left out (never drawn as $0)."""

    return [
        # float only for the bar's length in pixels; the label shows the exact Decimal
        {"model": row_label(row), "cost": float(row.total_cost), "cost_label": usd_label(row.total_cost)}
        for row in rows
        if row.total_cost is not None
    ]
