"""Accessibility and layout of the app (issue 20, items 5 and 8): chart text, and every other text of
every view, at least 4.5:1 against its background (the WCAG 2.x contrast ratio, for small text); chart text
whole (no label or axis title cut at the chart's edge); every control with an accessible name; each chart
followed by its numbers as a table or a sentence; tables that keep fit and cost first; and no sideways
scroll on any view at 1400x900 or 390x844.

The colours are measured twice: in the Vega-Lite specs the app draws (``charts.drawn_spec``), and in Chromium
from the computed styles of the chart text it rendered and of the page behind it."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from apptest_support import run_clean
from test_app_browser import (  # noqa: F401 - app_url is the server fixture
    app_url,
    browser_page,
    save_screenshot,
    settled,
)

from planner.advice.fit_rule import check_fit
from planner.app import charts
from planner.catalog import load_catalog
from planner.tokens.counts import TokenCount

SMALL_TEXT = 4.5  # WCAG 2.x, success criterion 1.4.3: text under 18 pt (24 px), or 14 pt bold
GRAPHICS = 3.0  # WCAG 2.x, 1.4.11: an icon (Streamlit draws Material icons as glyphs of a font)
VIEWS = ("fit", "model", "side", "compare", "cost", "spend")
CHARTED = ("fit", "model", "compare", "spend")
SIZES = [(1400, 900), (390, 844)]
USAGE = Path(__file__).resolve().parents[1] / "fixtures" / "usage" / "openai_completions_usage.json"
LINKS = {"spend": "view=spend&as=openai::gpt-4.1-mini"}  # a model to re-price the export on
SHOT_NAMES = {view: view for view in VIEWS} | {"model": "model-page", "side": "side-by-side"}


# ------------------------------------------------------------------------------------------ the WCAG ratio
def channels(colour: str) -> tuple[float, float, float, float]:
    """Red, green, blue (0-255) and alpha (0-1) of "#rrggbb", "#rgb", "rgb(r, g, b)" or "rgba(r, g, b, a)"."""
    colour = colour.strip().lower()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(2 * digit for digit in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 1.0)
    numbers = [float(part) for part in re.findall(r"[\d.]+", colour)]
    if colour.startswith(("rgb(", "rgba(")) and len(numbers) in (3, 4):
        return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) == 4 else 1.0)
    raise ValueError(f"not a colour this test reads: {colour!r}")


def over(colour: str, background: str) -> tuple[float, float, float]:
    """``colour`` composited over an opaque ``background`` (a translucent text colour is seen blended)."""
    red, green, blue, alpha = channels(colour)
    back = channels(background)
    return (
        red * alpha + back[0] * (1 - alpha),
        green * alpha + back[1] * (1 - alpha),
        blue * alpha + back[2] * (1 - alpha),
    )


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.x relative luminance."""

    def linear(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(text: str, background: str) -> float:
    lighter, darker = sorted(
        (luminance(over(text, background)), luminance(over(background, background))), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_ratio_gives_the_published_figures() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # WebAIM's grey that just fails 4.5:1
    assert round(contrast("#808495", "#ffffff"), 1) == 3.7  # the figure: Streamlit's axis grey
    # half-transparent black over white is seen as the grey halfway
    assert contrast("rgba(0, 0, 0, 0.5)", "#ffffff") == pytest.approx(
        contrast("rgb(127.5, 127.5, 127.5)", "#fff")
    )


# ------------------------------------------------------------------------------ the colours of the specs
def chart_specs() -> dict[str, dict[str, Any]]:
    """Every chart the app draws, from small rows of the shapes the views give them."""
    hermes = load_catalog().get("nousresearch/hermes-4-405b")
    fit = check_fit(hermes, TokenCount.exact("llama3", 41_716), 2_000)
    models = [
        {"model": "Hermes 4 405B · openrouter", "window": 131_072, "needed": 43_716, "verdict": "Fits"},
        {
            "model": "Titan Text Express · bedrock",
            "window": 42_000,
            "needed": 45_000,
            "verdict": "Does not fit",
        },
    ]
    costs = [
        {"model": "Hermes 4 405B · openrouter", "cost": 0.047716, "cost_label": "$0.047716"},
        {"model": "GPT-4o · openai", "cost": 0.12, "cost_label": "$0.120000"},
    ]
    history = [
        {"date": "2026-08-17", "usd_per_million": 1.0, "price": "input", "label": "$1.00", "source": "x"},
        {"date": "2026-09-10", "usd_per_million": 3.0, "price": "output", "label": "$3.00", "source": "x"},
    ]
    spend = [{"day": date(2026, 11, 1).isoformat(), "cost": 1.5, "model": "gpt-4o", "cost_label": "$1.50"}]
    assert Decimal(str(costs[0]["cost"])) == Decimal("0.047716")
    return {
        "fit": charts.drawn_spec(charts.fit_chart(fit)),
        "windows": charts.drawn_spec(charts.window_chart(models, 1_000)),
        "costs": charts.drawn_spec(charts.cost_chart(costs)),
        "price history": charts.drawn_spec(charts.price_history_chart(history)),
        "spend": charts.drawn_spec(charts.spend_chart(spend)),
    }


def text_colours(spec: dict[str, Any]) -> dict[str, str]:
    """Every colour the spec gives text: axis and legend labels and titles, and text marks."""
    found: dict[str, str] = {}
    config = spec["config"]
    for part in ("axis", "legend"):
        for key in ("labelColor", "titleColor"):
            assert key in config[part], f"{part}.{key} is not set: Vega's default grey would be drawn"
            found[f"config.{part}.{key}"] = config[part][key]
    found["config.text.color"] = config["text"]["color"]

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            mark = node.get("mark")
            if isinstance(mark, dict) and mark.get("type") == "text":
                found[f"{path}.mark.color"] = mark.get("color", config["text"]["color"])
            for key, value in node.items():
                if key in ("labelColor", "titleColor"):
                    found[f"{path}.{key}"] = value
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk({key: value for key, value in spec.items() if key != "config"}, "spec")
    return found


@pytest.mark.parametrize("name", ["fit", "windows", "costs", "price history", "spend"])
def test_every_text_colour_of_every_chart_is_at_least_4_5_to_1_on_white(name: str) -> None:
    spec = chart_specs()[name]
    background = spec.get("background", spec["config"].get("background", "#ffffff"))  # Vega-Lite: white
    colours = text_colours(spec)
    assert colours
    low = {where: round(contrast(colour, background), 2) for where, colour in colours.items()}
    assert all(ratio >= SMALL_TEXT for ratio in low.values()), low


def test_the_fit_charts_title_describes_the_window_line_as_it_is_drawn() -> None:
    # the title named a "red line" while the rule was drawn black and dashed (so the red over-the-window
    # segment cannot hide it): a reader looked for a red line that is not there
    spec = chart_specs()["fit"]
    bar, rule = spec["layer"]
    mark = rule["mark"]
    assert mark["type"] == "rule" and mark["strokeDash"] and contrast(mark["color"], "#ffffff") >= SMALL_TEXT
    title = bar["encoding"]["x"]["title"]
    assert "dashes" in title and "red" not in title, title
    assert "131,072-token window" in title


# ----------------------------------------------------------------------- each chart followed by numbers
def flat(node: Any) -> list[Any]:
    """The page's elements in order; an expander stays one item (its table is inside it)."""
    children = getattr(node, "children", None)
    if not children or getattr(node, "type", "") == "expandable":
        return [node]
    return [item for key in sorted(children) for item in flat(children[key])]


def holds_numbers(node: Any) -> bool:
    kind = getattr(node, "type", "")
    if kind == "table":
        return True
    if kind in ("caption", "markdown"):
        return bool(re.search(r"\d", node.value))
    if kind == "expandable":
        return any(getattr(item, "type", "") == "table" for item in flat_inside(node))
    return False


def flat_inside(node: Any) -> list[Any]:
    children = getattr(node, "children", {}) or {}
    return [item for key in sorted(children) for item in flat(children[key])]


@pytest.mark.slow
@pytest.mark.parametrize(
    "params",
    [
        {"view": "fit"},
        {"view": "model"},
        {"view": "compare", "f_provider": "openrouter"},
        {"view": "spend"},
    ],
    ids=["fit", "model", "compare", "spend"],
)
def test_each_chart_is_followed_by_its_numbers(params: dict[str, str]) -> None:
    app = run_clean(**params)
    if params["view"] == "spend":  # the traffic of a usage export: the chart by day, then its tables
        export = [(USAGE.name, USAGE.read_bytes(), "application/json")]
        app = app.file_uploader(key="spend_uploads").set_value(export).run()
    items = flat(app.main)
    drawn = [index for index, item in enumerate(items) if getattr(item, "type", "") == "vega_lite_chart"]
    assert drawn, "the view draws a chart"
    for index in drawn:
        following = items[index + 1] if index + 1 < len(items) else None
        assert following is not None and holds_numbers(following), (params, index, following)


@pytest.mark.slow
def test_the_compare_and_hosts_tables_put_fit_and_cost_next_to_the_name() -> None:
    compare = run_clean(view="compare", f_provider="openrouter")
    table = next(frame.value for frame in compare.dataframe if "Fits" in frame.value.columns)
    assert list(table.columns[:3]) == ["Model", "Fits", "Cost per request ($)"]
    model = run_clean(view="model")
    hosts = next(frame.value for frame in model.table if "Host" in frame.value.columns)
    assert list(hosts.columns[:3]) == ["Host", "Fits", "Cost / request"]


# ------------------------------------------------------------------------------------------ the browser
INTERACTIVE = {
    "button",
    "checkbox",
    "combobox",
    "link",
    "listbox",
    "menuitem",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "tab",
    "textbox",
}
CHART_TEXT = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text'))
  .filter(text => getComputedStyle(text).opacity !== '0' && text.textContent.trim() !== '')
  .map(text => {
    let node = text.closest('svg'), back = 'rgba(0, 0, 0, 0)';
    while (node && (back === 'rgba(0, 0, 0, 0)' || back === 'transparent')) {
      back = getComputedStyle(node).backgroundColor;
      node = node.parentElement;
    }
    const style = getComputedStyle(text);
    const box = text.getBoundingClientRect(), frame = text.closest('svg').getBoundingClientRect();
    const slack = 3;  // a text's box is its line box: up to 2 px of leading beyond the glyphs
    const inside = box.left >= frame.left - slack && box.right <= frame.right + slack
      && box.top >= frame.top - slack && box.bottom <= frame.bottom + slack;
    return {text: text.textContent, fill: style.fill, opacity: style.opacity, background: back, inside};
  })"""
PAGE_TEXT = """() => {
  const found = [], seen = new Set();
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(element) || element.closest('svg')) continue;
    // a slider's value floats above its thumb, over the page, not over the thumb that holds it
    if (element.closest('[data-testid="stSliderThumbValue"]')) continue;
    seen.add(element);
    const box = element.getBoundingClientRect();
    // not drawn, or a screen reader's text drawn in 1 px (the words of an icon button)
    if (box.width <= 1 || box.height <= 1 || !element.checkVisibility({visibilityProperty: true})) continue;
    let opacity = 1;
    for (let node = element; node; node = node.parentElement) {
      opacity *= parseFloat(getComputedStyle(node).opacity);
    }
    if (opacity === 0) continue;
    const backgrounds = [];  // from the text outwards, to the first opaque one
    for (let node = element; node; node = node.parentElement) {
      const back = getComputedStyle(node).backgroundColor;
      if (back === 'transparent' || back === 'rgba(0, 0, 0, 0)') continue;
      backgrounds.push(back);
      if (!back.startsWith('rgba')) break;
    }
    const text = walker.currentNode.textContent.trim().slice(0, 60);
    const icon = element.closest('[data-testid="stIconMaterial"]') !== null;  // a glyph, not words
    found.push({text, colour: getComputedStyle(element).color, opacity, backgrounds, icon});
  }
  return found;
}"""
HEADINGS = """() => Array.from(document.querySelectorAll('[data-testid="stTable"] thead th'))
  .map(cell => [cell.textContent.trim(), cell.getBoundingClientRect().right])"""
WIDTHS = """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
  document.querySelector('[data-testid="stMain"]').scrollWidth]"""


def seen_against(backgrounds: list[str]) -> str:
    """The colour behind a text: its translucent backgrounds laid over the first opaque one (else white)."""
    colour = "#ffffff"
    for back in reversed(backgrounds):
        red, green, blue = over(back, colour)
        colour = f"rgb({red}, {green}, {blue})"
    return colour


def low_contrast_text(page, view: str) -> list[str]:  # noqa: ANN001 - playwright's Page
    """Every text of the page (charts apart) under 4.5:1, with its opacity and backgrounds composited."""
    problems = []
    for item in page.evaluate(PAGE_TEXT):
        red, green, blue, alpha = channels(item["colour"])
        colour = f"rgba({red}, {green}, {blue}, {alpha * item['opacity']})"
        back = seen_against(item["backgrounds"])
        ratio = contrast(colour, back)
        if ratio < (GRAPHICS if item["icon"] else SMALL_TEXT):
            problems.append(f"{view}: {item['text']!r} {colour} on {back}: {ratio:.2f}")
    return problems


FIELDS = {"checkbox", "combobox", "searchbox", "slider", "spinbutton", "switch", "textbox"}


def unnamed_controls(page) -> list[str]:  # noqa: ANN001 - playwright's Page
    """The interactive nodes of Chromium's accessibility tree that have no accessible name, and the fields
    (text boxes, lists, numbers, switches) whose name another field of the page has too."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    missing = []
    fields: Counter[str] = Counter()
    for node in nodes:
        role = node.get("role", {}).get("value")
        name = node.get("name", {}).get("value", "").strip()
        if role in INTERACTIVE and not node.get("ignored") and not name:
            missing.append(f"no name: {role} (DOM node {node.get('backendDOMNodeId')})")
        if role in FIELDS and not node.get("ignored") and name:
            fields[f"{role} {name!r}"] += 1
    return missing + [f"one name, {count} fields: {field}" for field, count in fields.items() if count > 1]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_every_view_named_readable_and_without_sideways_scroll(
    app_url: str,  # noqa: F811 - the browser test's server fixture
    tmp_path: Path,
    width: int,
    height: int,
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    with browser_page(width, height) as page:
        for view in VIEWS:
            page.goto(f"{app_url}/?{LINKS.get(view, f'view={view}')}")
            expect(page.locator('[data-testid="stMetric"]').first).to_be_visible()
            if view == "spend":  # the traffic of a usage export, as `planner spend` reads it
                page.locator('input[type="file"]').set_input_files(str(USAGE))
            if view in CHARTED:
                chart = page.locator('[data-testid="stVegaLiteChart"] svg text').first
                expect(chart).to_be_attached()
            if view == "compare":
                expect(page.locator('[data-testid="stDataFrame"] canvas').first).to_be_attached()
            if view == "model":  # the hosts table, drawn after the page's other tables
                heading = page.locator('[data-testid="stTable"] thead th', has_text="Cost / request")
                expect(heading.first).to_be_attached()
            settled(page)
            widths = page.evaluate(WIDTHS)
            if widths[0] > widths[1] or widths[2] > width:
                problems.append(f"{view}: sideways scroll {widths}")
            problems += [f"{view}: {item}" for item in unnamed_controls(page)]
            problems += low_contrast_text(page, view)
            if view == "model":  # the hosts table keeps fit and cost on screen, whatever else scrolls
                edges = dict(page.evaluate(HEADINGS))
                shown = page.locator('[data-testid="stMain"]').inner_text()[:2000]
                assert "Fits" in edges and "Cost / request" in edges, f"{edges}; the page shows: {shown}"
                for heading in ("Fits", "Cost / request"):
                    if edges[heading] > width:
                        problems.append(f"model: the hosts table's {heading} is off screen")
            texts = page.evaluate(CHART_TEXT)
            if view in CHARTED:
                assert texts, f"{view}: no chart text rendered"
            for item in texts:
                if not item["inside"]:  # a label or title cut at the chart's edge
                    problems.append(f"{view}: {item['text']!r} runs past its chart's edge")
                colour = item["fill"]
                if item["opacity"] not in ("1", ""):
                    red, green, blue, alpha = channels(colour)
                    colour = f"rgba({red}, {green}, {blue}, {alpha * float(item['opacity'])})"
                ratio = contrast(colour, item["background"])
                if ratio < SMALL_TEXT:
                    problems.append(f"{view}: {item['text']!r} {colour} on {item['background']} {ratio:.2f}")
            phone = "" if width > 800 else "-phone"  # the names of docs/ (PLANNER_SCREENSHOT_DIR=docs)
            save_screenshot(page, tmp_path, f"screenshot-{SHOT_NAMES[view]}{phone}.png")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_the_model_pages_folded_parts_opened_are_readable_too(
    app_url: str,  # noqa: F811 - the browser test's server fixture
    width: int,
    height: int,
) -> None:
    """The FAQ and the raw record open (closed, the walk above never reads them): every text at 4.5:1,
    every control named, no sideways scroll."""
    from playwright.sync_api import expect

    with browser_page(width, height) as page:
        page.goto(f"{app_url}/?view=model")
        for title in ("Questions about Hermes 4 405B", "Raw record ("):
            page.locator('[data-testid="stExpander"] summary', has_text=title).click()
        expect(page.get_by_text("Can it read images?")).to_be_visible()
        expect(page.get_by_text('"is_moderated"')).to_be_visible()  # the raw record, drawn
        settled(page)
        problems = low_contrast_text(page, "model") + unnamed_controls(page)
        widths = page.evaluate(WIDTHS)
        if widths[0] > widths[1] or widths[2] > width:
            problems.append(f"sideways scroll {widths}")
    assert not problems, "\n".join(problems)
