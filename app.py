"""planner in the browser: does it fit, what will it cost, which model.  Run with `streamlit run app.py`.

This script only gathers input and presents results: every number on the page comes from `planner`
(counts from planner.inputs, the fit and cost answers from planner.advice.answers, comparisons from
planner.advice.compare, the model page from planner.advice.model_page). Layout helpers live in planner.app
(examples, uploads, URL state, filters, tables).

State a user would share (model, reserves, view, filters, cost settings, the chosen example) lives in the
URL's query parameters; counts are cached by the text's sha256 and the tokenizer family, so moving a slider
re-plans without re-tokenizing, and the compare view's comparison is kept per input, filters, reserves and
sort (`python scripts/benchmark_app.py` measures the server time of each click).
"""

from __future__ import annotations

import gc
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
import streamlit as st

from planner import DEFAULT_MODEL
from planner.advice.answers import advise_cost, advise_fit
from planner.advice.compare import Comparison, compare_models, select_rows
from planner.advice.fit_rule import DropPlan, FitResult, file_tokens, tokens_to_words, words_per_token
from planner.advice.hosts import TIER_MISSING, host_families, hosts_of
from planner.advice.model_page import (
    capability_label,
    context_comparisons,
    headline,
    model_page,
    reserve_note,
    side_by_side,
)
from planner.advice.notes import image_refusal
from planner.advice.policy import OfferClass, picker_order
from planner.advice.prices import cached_tokens
from planner.advice.suggestions import Suggestions, suggestable
from planner.app import examples, filters, tables, uploads, urlstate
from planner.app import model_view as pages
from planner.catalog import Catalog, load_catalog
from planner.catalog.freshness import today_utc
from planner.catalog.ledger import offer_history
from planner.catalog.schema import ModelOffer
from planner.errors import PlannerError, UnknownModelError
from planner.inputs import count_inputs, count_text_input
from planner.inputs.report import FileReport, InputReport, RequestParts
from planner.tokens.counts import TokenCount, typed_counts
from planner.tokens.families import families_of, family_for
from planner.tokens.image_rules import accepts_images, rule_for
from planner.wording import usd as format_usd

VERDICT_SCALE = alt.Scale(
    domain=["Fits", "Tight", "Does not fit", "Unknown"], range=["#2ca02c", "#ffbf00", "#d62728", "#bbbbbb"]
)
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
VIEWS = {
    "fit": "Does it fit?",
    "model": "Model page",
    "side": "Side by side",
    "compare": "Compare models",
    "cost": "Cost",
}
# Where the app lists models that take images, in the words of its own controls.
APP_VISION_MODELS = "Compare models with 'Must support: Vision', then pick one in the Model box"
DEFAULT_OTHER = "gpt-4o"  # the side-by-side view's second model when the link names none
SOURCES = {
    "example": "Example document",
    "paste": "Paste text",
    "upload": "Upload files",
    "tokens": "Type a token count",
}

# Shareable settings: URL parameter -> (default, parser). Pasted text and uploads stay private.
SETTINGS: dict[str, tuple[Any, urlstate.UrlParser]] = {
    "model": (DEFAULT_MODEL, urlstate.url_text),  # checked against the catalog by choose_model
    "provider": ("", urlstate.url_text),
    "view": ("fit", urlstate.url_choice(VIEWS)),
    "source": ("example", urlstate.url_choice(SOURCES)),
    "example": ("long_document", urlstate.url_choice(example.key for example in examples.EXAMPLES)),
    "tokens": (100_000, urlstate.url_whole_number()),
    "output": (2_000, urlstate.url_whole_number()),
    "reasoning": (0, urlstate.url_whole_number()),
    "sort": ("cost", urlstate.url_choice(filters.SORT_LABELS)),
    "fit_only": (True, urlstate.url_flag),
    "hide_free": (True, urlstate.url_flag),
    "include_free": (False, urlstate.url_flag),
    "f_search": ("", urlstate.url_text),
    "f_provider": (filters.DEFAULT_PROVIDER_FILTER, urlstate.url_text),  # checked against the catalog's hosts
    "f_capability": ([], urlstate.url_choices(filters.CAPABILITIES)),
    "f_min_window": (0, urlstate.url_whole_number()),
    "f_max_price": ("", urlstate.url_text),  # checked (with a message) by the compare view
    "other": ("", urlstate.url_text),  # the side-by-side view's second model, checked against the catalog
    "other_provider": ("", urlstate.url_text),
    "requests_per_day": (1_000, urlstate.url_whole_number()),
    "cache_hit": (0, urlstate.url_whole_number(0, 100)),
    "batch": (False, urlstate.url_flag),
}


# ---------------------------------------------------------------------------------------------- shared state
def settings() -> dict[str, Any]:
    """The shareable settings of this session, read from the URL once, then kept across reruns."""
    if "settings" not in st.session_state:
        values: dict[str, Any] = {}
        bad: list[str] = []
        for name, (default, parse) in SETTINGS.items():
            raw = urlstate.query_value(st.query_params, name)
            try:
                values[name] = default if raw is None else parse(raw)
            except ValueError as error:
                values[name] = default
                bad.append(f"Ignored {name}={urlstate.literal(raw)} in the link ({error}).")
        st.session_state["settings"] = values
        st.session_state["url_problems"] = bad
    return st.session_state["settings"]


def bound(name: str, widget: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A widget whose value is the shareable setting ``name``: seeded from it, written back to it.

    Widget keys are forgotten by Streamlit when the widget is not drawn (another view is shown); the settings
    dict is not, so a filter keeps its value when the user comes back.
    """
    key = f"w_{name}"
    state = settings()
    if key not in st.session_state:
        st.session_state[key] = state[name]
    value = widget(*args, key=key, **kwargs)
    state[name] = value
    return value


def url_params() -> dict[str, str]:
    """Every setting that differs from its default, as the URL's query parameters."""
    state = settings()
    return {
        name: urlstate.url_value(state[name])
        for name, (default, _parse) in SETTINGS.items()
        if state[name] != default
    }


def write_url() -> None:
    """Put every setting that differs from its default into the URL, so a copied link reopens this view."""
    params = url_params()
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


# --------------------------------------------------------------------------------------------------- caching
@st.cache_resource(show_spinner="Loading the model catalog...")
def catalog() -> Catalog:
    loaded = load_catalog()
    # The catalog lives as long as the process: its ~8,000 offers leave the collector's generations, so the
    # garbage collections a re-plan triggers do not walk them again (a third of a compare view's time).
    gc.freeze()
    return loaded


@st.cache_data(show_spinner=False, max_entries=32)
def example_text(words: int, kind: str) -> str:
    return examples.example_text(words, kind)  # type: ignore[arg-type]


@st.cache_data(show_spinner="Counting tokens...", max_entries=256)
def count_text(digest: str, families: tuple[str, ...], _text: str) -> InputReport:
    """The count of a text for some families, cached on the text's sha256 (``_text`` itself is not hashed)."""
    return count_text_input(_text, list(families), name="pasted text")


@st.cache_data(show_spinner="Counting the uploaded files...", max_entries=64)
def count_uploads(
    digest: str,
    families: tuple[str, ...],
    _files: tuple[tuple[str, bytes], ...],
    model_id: str = "",
    as_request: bool = False,
) -> InputReport:
    """Counts of uploaded files: written to a private temporary folder and read by planner.inputs, so PDFs,
    DOCX, images, encodings and binary files are handled exactly as on the command line; ``as_request``: each
    file is a chat request (messages, tools, images), as `planner count --messages`."""
    with tempfile.TemporaryDirectory(prefix="planner-upload-") as folder:
        written = uploads.write_uploads(list(_files), Path(folder))
        rules = {family: rule_for(family, model_id) for family in families}
        report = count_inputs(list(written), list(families), messages=as_request, image_rules=rules)
        names = {str(path): name for path, name in written.items()}
        files = [item.model_copy(update={"path": names.get(item.path, item.path)}) for item in report.files]
    return report.model_copy(update={"files": files})


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_comparison(
    input_key: str,
    chosen: tuple[Any, ...],
    output: int,
    reasoning: int,
    sort_by: str,
    today: str,
    _offers: list[ModelOffer],
    _counts: dict[str, TokenCount],
) -> Comparison:
    """The compare view's comparison, kept per input (``input_key``: what determines its counts), filters,
    reserves, sort and day (price ages), so that a toggle, a table sort or coming back to the view does not
    judge every offer again. Shared, never changed: select_rows copies it."""
    return compare_models(
        _offers,
        _counts,
        default=catalog().get(DEFAULT_MODEL),
        output_tokens=output,
        reasoning_tokens=reasoning,
        sort_by=sort_by,  # type: ignore[arg-type]
    )


def draw(chart: alt.TopLevelMixin | dict[str, Any], height: int) -> None:
    """A chart drawn from its Vega-Lite spec without Altair's schema check on every rerun (the specs' shapes
    are fixed here; tests/app/test_app_cache.py checks the drawn specs against the schema)."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    spec.pop("config", None)  # Altair's default theme sizes; Streamlit's theme and the width apply instead
    st.vega_lite_chart(spec, width="stretch", height=height)


# ----------------------------------------------------------------------------------------------------- input
@dataclass
class UserInput:
    """What the user asked about, counted lazily per tokenizer family."""

    label: str  # what the page calls it: "your pasted text", "the example long document", ...
    count_for: Callable[[tuple[str, ...]], dict[str, TokenCount]]
    key: str  # what determines its counts (a digest of the text or files, or the typed count): a cache key
    words: int | None = None  # None: not counted (a typed token count)
    files: list[FileReport] = field(default_factory=list)
    empty: bool = False
    parts_for: Callable[[str], RequestParts | None] = lambda family: None  # text / image / tool split
    images: int = 0  # images in the input (image files, image parts), counted or not

    def count(self, family: str) -> TokenCount:
        return self.count_for((family,))[family]


def text_input(text: str, label: str, family: str) -> UserInput:
    digest = urlstate.content_digest(text)

    def count_for(families: tuple[str, ...]) -> dict[str, TokenCount]:
        return count_text(digest, families, text).counts

    stats = count_text(digest, (family,), text)
    return UserInput(
        label=label, count_for=count_for, key=f"text:{digest}", words=stats.words, empty=not text.strip()
    )


def typed_input(tokens: int, label: str | None = None) -> UserInput:
    def count_for(families: tuple[str, ...]) -> dict[str, TokenCount]:
        return typed_counts(tokens, families, "typed by you")

    return UserInput(
        label=label or f"your {tokens:,} tokens",
        count_for=count_for,
        key=f"tokens:{tokens}",
        empty=tokens == 0,
    )


def upload_input(uploaded: list[Any], family: str, model_id: str, as_request: bool) -> UserInput | None:
    too_big = False
    for item in uploaded:
        try:
            uploads.check_upload_size(item.name, item.size)
        except PlannerError as error:
            st.error(error.message)
            too_big = True
    if too_big:
        return None
    files = tuple((item.name, item.getvalue()) for item in uploaded)
    digest = urlstate.content_digest(*(part for name, content in files for part in (name, content)))

    def count_for(families: tuple[str, ...]) -> dict[str, TokenCount]:
        return count_uploads(digest, families, files, model_id, as_request).counts

    def parts_for(name: str) -> RequestParts | None:
        return count_uploads(digest, (name,), files, model_id, as_request).parts.get(name)

    report = count_uploads(digest, (family,), files, model_id, as_request)
    for item in report.files:
        if item.skipped:
            st.warning(f"{urlstate.literal(item.path)} was not counted: {item.skipped}")
        for note in item.warnings:
            st.warning(f"{urlstate.literal(item.path)}: {note}")
    counted = [item for item in report.files if not item.skipped]
    if len(report.files) > 1:
        with st.expander(f"Per-file breakdown ({len(report.files)} files)"):
            st.table(tables.file_rows(report.files, family), hide_index=True)
    label = f"your {len(counted)} uploaded file{'s' if len(counted) != 1 else ''}"
    return UserInput(
        label=label,
        count_for=count_for,
        key=f"upload:{digest}:{model_id}:{as_request}",
        words=report.words,
        files=report.files,
        empty=not counted or (report.chars == 0 and not report.images),
        parts_for=parts_for,
        images=len(report.images),
    )


def input_summary(family: str) -> str | None:
    """A one-line account of a pasted text or uploaded files already given (read before the controls are
    drawn, from this session's widget state), or None while there is none: the input box stays open then."""
    source = st.session_state.get("w_source", settings()["source"])
    if source == "paste":
        text = st.session_state.get("pasted_text") or ""
        if not text.strip():
            return None
        counted = count_text(urlstate.content_digest(text), (family,), text)  # cached: counted once
        count = counted.counts[family]
        about = "~" if count.method == "estimate" else ""
        return f"pasted text, {about}{count.tokens:,} tokens ({len(text):,} characters)"
    if source == "upload":
        files = st.session_state.get("uploads") or []
        if not files:
            return None
        names = ", ".join(urlstate.literal(item.name) for item in files[:3])
        more = f" and {len(files) - 3:,} more" if len(files) > 3 else ""
        return f"{len(files):,} uploaded file{'s' if len(files) != 1 else ''}: {names}{more}"
    return None


def input_section(family: str, model_id: str = "") -> UserInput:
    """The input controls, in a box that folds to a one-line summary once a text or files are given, so
    that the count and the answer move up the page (open it to change the input)."""
    summary = input_summary(family)
    label = "**Your input**" if summary is None else f"**Your input:** {summary} (open to change it)"
    box = st.expander(label, expanded=summary is None)
    with box:
        source = bound(
            "source",
            st.radio,
            "What do you want to check?",
            list(SOURCES),
            format_func=SOURCES.get,
            horizontal=True,
        )
    if source == "paste":
        with box:
            text = st.text_area(
                "Paste your text (press Ctrl+Enter or click outside the box to count it)",
                height=130,
                key="pasted_text",
                placeholder="Paste a document, a prompt, a chat log or code here.",
            )
        if not text.strip():
            st.warning("The text box is empty: paste some text, or choose an example document above.")
        return text_input(text, "your pasted text", family)
    if source == "upload":
        with box:
            uploaded = st.file_uploader(
                "Upload text, code, Markdown, JSON, CSV, HTML, PDF, DOCX or image files "
                f"(up to {uploads.MAX_UPLOAD_MB} MB each)",
                accept_multiple_files=True,
                key="uploads",
            )
            as_request = st.toggle(
                "JSON files are chat requests (messages, images, tools)",
                key="as_request",
                help="Count each file as `planner count --messages` does: the chat template, image parts and "
                "the tool definitions of a request body.",
            )
        if not uploaded:
            st.info("No files yet: drop one or more files above.")
            return typed_input(0, "nothing yet")
        result = upload_input(uploaded, family, model_id, as_request)
        if result is None:
            return typed_input(0, "nothing yet")
        if result.empty:
            st.warning("Nothing in the uploaded files could be counted; see the reasons above.")
        return result
    if source == "tokens":
        with box:
            tokens = bound(
                "tokens",
                st.number_input,
                "Input tokens (your prompt, documents and history)",
                min_value=0,
                step=1_000,
            )
        return typed_input(int(tokens))
    choices = {item.key: item for item in examples.EXAMPLES}
    with box:
        key = bound(
            "example",
            st.selectbox,
            "Example document",
            list(choices),
            format_func=lambda name: choices[name].label,
        )
    example = choices[key]
    return text_input(
        example_text(example.words, example.kind),
        f"the example {example.label.split(' (')[0].lower()}",
        family,
    )


def show_count(user: UserInput, offer: ModelOffer) -> TokenCount:
    family = family_for(offer)
    count = user.count(family)
    columns = st.columns(4)
    columns[0].metric("Tokens", f"{count.tokens:,}")
    if user.words is None and count.tokens == 0:
        columns[1].metric("Words", "0")
    elif user.words is None:
        words = tokens_to_words(count.tokens, words_per_token(family).value)
        columns[1].metric("Words", f"~{words:,}", help=words_per_token(family).basis)
    else:
        columns[1].metric("Words", f"{user.words:,}")
    columns[2].metric("Tokenizer", family, help=f"The tokenizer of {offer.name}")
    if count.method == "exact":
        columns[3].metric("Method", "exact", help=count.basis)
    else:
        columns[3].metric("Method", "estimate", help=count.basis)
        st.caption(
            f"Estimate: between {count.tokens_low:,} and {count.tokens_high:,} tokens ({count.basis})."
        )
    return count


# ----------------------------------------------------------------------------------------------------- model
def offer_key(offer: ModelOffer) -> str:
    return f"{offer.provider}::{offer.id}"


@st.cache_resource(show_spinner=False)
def picker_offers() -> dict[str, ModelOffer]:
    """The picker's offers by key, in planner.advice.policy's order (usable first, identical twins left
    out)."""
    return {offer_key(offer): offer for offer in picker_order(catalog().offers)}


@st.cache_resource(show_spinner=False)
def picker_labels() -> dict[str, str]:
    """ "name · provider" per listed offer, with its id when two listed offers would read the same."""
    offers = picker_offers()
    shared = Counter(f"{offer.name} · {offer.provider}" for offer in offers.values())
    labels = {}
    for key, offer in offers.items():
        label = f"{offer.name} · {offer.provider}"
        labels[key] = f"{label} ({offer.id})" if shared[label] > 1 else label
    return labels


def choose_model(place: Any) -> ModelOffer:
    """The model picker; an unknown id in the URL is reported and the default model is shown."""
    state = settings()
    offers = picker_offers()
    try:
        current = catalog().get(state["model"], provider=state["provider"] or None)
    except UnknownModelError as error:
        st.session_state["model_error"] = (
            f"The link asks for the model {urlstate.literal(error.query)}, which is not in the catalog."
            + (f" Did you mean: {', '.join(error.suggestions)}?" if error.suggestions else "")
            + f" Showing {DEFAULT_MODEL} instead."
        )
        current = catalog().get(DEFAULT_MODEL)
    if current.id.lower() != state["model"].strip().lower() and "model_error" not in st.session_state:
        closest = f"{current.name} (`{current.id}`)"
        asked = urlstate.literal(state["model"])
        st.info(f"The link asks for {asked}: showing the closest match, {closest}.")
    if st.session_state.get("model_error"):
        st.error(st.session_state["model_error"])
    key = "w_model"
    if offer_key(current) not in offers:  # an identical twin of a listed offer, asked for by its id
        offers = {offer_key(current): current, **offers}
    if key not in st.session_state or st.session_state[key] not in offers:
        st.session_state[key] = offer_key(current)
    labels = picker_labels()

    def changed() -> None:
        st.session_state.pop("model_error", None)

    chosen = offers[
        place.selectbox(
            f"Model ({len(catalog().offers):,} in the catalog; type to search)",
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
    state["provider"] = "" if catalog().get(chosen.id) == chosen else chosen.provider
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


# ------------------------------------------------------------------------------------------------------ fit
def fit_chart(fit: FitResult, parts: RequestParts | None = None) -> dict[str, Any]:
    """One bar of the window: input, reserves and free room; the window's end is the red line. A Vega-Lite
    spec written out (building it with Altair takes longer than the rest of a re-plan)."""
    rows = tables.fit_bar_rows(fit, parts)
    names = [row["part"] for row in rows]
    title = f"tokens (the red line is the end of the {fit.context_window:,}-token context window)"
    limits = [{"tokens": fit.context_window, "label": f"context window: {fit.context_window:,}"}]
    if fit.limited_by == "input_limit":
        title = f"tokens (red lines: the {fit.input_limit:,}-token input limit, the end of the window)"
        limits.append({"tokens": fit.input_limit, "label": f"input limit: {fit.input_limit:,}"})
    bar = {
        "data": {"values": rows},
        "mark": {"type": "bar", "size": 34},
        "encoding": {
            "x": {
                "field": "start",
                "type": "quantitative",
                "title": title,
                "axis": {"format": "~s", "labelFontSize": 12, "titleFontSize": 13},
            },
            "x2": {"field": "end"},
            "y": {"field": "bar", "type": "nominal", "axis": None},
            "color": {
                "field": "part",
                "type": "nominal",
                "scale": {"domain": names, "range": [row["color"] for row in rows]},
                "sort": names,
                "legend": {"orient": "top", "title": None, "labelFontSize": 13},
            },
            "tooltip": [
                {"field": "part", "type": "nominal"},
                {"field": "tokens", "type": "quantitative", "format": ","},
            ],
        },
    }
    rule = {
        "data": {"values": limits},
        "mark": {"type": "rule", "color": "#d62728", "strokeWidth": 3},
        "encoding": {
            "x": {"field": "tokens", "type": "quantitative"},
            "tooltip": [{"field": "label", "type": "nominal"}],
        },
    }
    return {"$schema": alt.SCHEMA_URL, "layer": [bar, rule]}


NOTHING_TO_CHECK = (
    "Nothing to check yet: your input is empty. Paste some text, upload a text file, type a token "
    "count or choose an example document, and the verdict appears here."
)


def fit_view(user: UserInput, offer: ModelOffer, output: int, reasoning: int, top: Any = st) -> None:
    """The fit answer; its verdict goes to ``top`` (the first screen of the page), the details below."""
    st.subheader(f"Does {'your input' if user.empty else user.label} fit {offer.name}?")
    if user.empty:
        top.info(NOTHING_TO_CHECK)
        return
    family = family_for(offer)
    include_free = bound(
        "include_free",
        st.toggle,
        "Suggest free and preview offers too",
        help="Models suggested when it does not fit are paid offers by default; free tiers and previews are "
        "listed apart.",
    )
    if user.images and accepts_images(offer.capabilities.vision, offer.input_modalities) is False:
        st.error(image_refusal(offer.id, user.images, APP_VISION_MODELS))
        return
    try:
        advice = advise_fit(
            offer,
            user.count(family),
            output,
            reasoning,
            files=file_tokens(user.files, family),
            pools=suggestion_pools(),
            counts_for=lambda families: user.count_for(tuple(families)),
            include_free=include_free,
        )
    except PlannerError as error:
        st.error(error.message)
        return
    fit = advice.fit
    verdict = tables.VERDICT_TEXT[fit.verdict]
    message = f"**{verdict}** - {fit.reason}."
    {"fits": top.success, "tight": top.warning, "does_not_fit": top.error}[fit.verdict](message)
    capped = fit.limited_by == "input_limit"
    columns = st.columns(5 if capped else 4)
    columns[0].metric("Context window", f"{fit.context_window:,}")
    columns[1].metric(
        "Used", fit.used_percent, help="of the window; the input limit binds" if capped else "of the window"
    )
    columns[2].metric("Headroom (tokens)", tables.headroom_text(fit.headroom_tokens))
    columns[3].metric(
        "Headroom (words)", tables.headroom_text(fit.headroom_words, "~"), help=fit.words_per_token_basis
    )
    if capped:
        columns[4].metric(
            "Input limit",
            f"{fit.input_limit:,}",
            help=f"the most input tokens the model takes; {fit.input_limit_used_percent} of it used",
        )
    draw(fit_chart(fit, user.parts_for(family)), 150)
    show_warnings(advice.freshness.warnings if advice.freshness else [])
    if not fit.fits:
        what_then(advice.fit, advice.drop_plan, advice.suggestions)


def what_then(fit: FitResult, drops: DropPlan | None, found: Suggestions | None) -> None:
    st.markdown("**What you can do**")
    st.markdown(f"- Split it into **{fit.chunks_needed:,} chunks** of at most {fit.input_limit:,} tokens.")
    if drops is not None and drops.fits:
        names = ", ".join(f"{urlstate.literal(item.path)} ({item.tokens:,} tokens)" for item in drops.drop)
        st.markdown(f"- Or leave out {len(drops.drop)} of your files, largest first: {names}.")
    if found is None:
        return
    room = f"{found.headroom_fraction:.0%}"
    if found.none_found:
        st.markdown(f"- No model in the catalog takes it whole with {room} to spare: split it.")
    rows = [("smallest window", found.paid.smallest_window), ("cheapest", found.paid.cheapest)]
    if not found.include_free:
        rows.append(("free or preview, smallest window", found.free.smallest_window))
    for label, row in rows:
        if row is not None:
            st.markdown(
                f"- Or use a model that fits with {room} to spare - {label}: **{row.name}** "
                f"({row.provider}, `{row.id}`): window {row.context_window:,}, "
                f"{format_usd(row.total_cost, 6)} per request."
            )


@st.cache_resource(show_spinner=False)
def suggestion_pools() -> dict[OfferClass, list[ModelOffer]]:
    """The offers planner.advice.policy lets the app suggest, paid and free apart (sorted out once per
    process)."""
    return suggestable(catalog().offers)


# ------------------------------------------------------------------------------------------------------ cost
def cost_view(user: UserInput, offer: ModelOffer, output: int, reasoning: int) -> None:
    st.subheader(f"What will it cost on {offer.name}?")
    if user.empty:
        st.info(NOTHING_TO_CHECK.replace("the verdict", "the cost of a request"))
        return
    count = user.count(family_for(offer))
    answer, thinking = output, reasoning  # one answer length: the reserves at the top are what is billed
    left, middle, right = st.columns(3)
    per_day = bound("requests_per_day", left.number_input, "Requests per day", min_value=0, step=100)
    hit = bound(
        "cache_hit",
        middle.slider,
        "Cache hit rate (%)",
        0,
        100,
        help="The share of each prompt read from the provider's prompt cache (e.g. a long system prompt or "
        "document sent again and again).",
    )
    batch = bound("batch", right.toggle, "Batch API", help="Asynchronous requests, usually at half price.")
    st.caption(
        f"Each request is billed for its input, the answer reserved at the top ({answer:,} output tokens) "
        f"and the thinking reserved there ({thinking:,} tokens): change them there; the fit and the model "
        "page use the same lengths."
    )
    try:
        advice = advise_cost(
            offer,
            count,
            int(answer),
            reasoning_tokens=int(thinking),
            cached_tokens=cached_tokens(count.tokens, int(hit)),
            batch=batch,
            requests_per_day=int(per_day),
        )
    except PlannerError as error:
        st.error(error.message)
        return
    cost, volume = advice.cost, advice.volume
    columns = st.columns(3)
    columns[0].metric("Per request", format_usd(cost.total_cost, 6))
    columns[1].metric("Per day", format_usd(volume.per_day, 2), help=f"{int(per_day):,} requests")
    columns[2].metric(
        "Per month (30 days)", format_usd(volume.per_month, 2), help=f"{volume.requests:,} requests"
    )
    if cost.missing_prices:
        st.warning(
            f"{offer.name} on {offer.provider} lists no {', '.join(cost.missing_prices)} price, so the cost "
            "is unknown (never counted as $0): turn off the option that needs it, or compare other models."
        )
    if advice.fit is not None and not advice.fit.fits:
        st.warning(f"This request does not fit {offer.name}'s window: {advice.fit.reason}.")
    if advice.cache_read_at_input_price:
        st.info(f"{offer.name} lists no cached-input price: cached tokens are billed as plain input.")
    if advice.price_tier is not None:
        st.info(f"The prompt is {advice.price_tier}: the whole request is billed at the long-context price.")
    st.table(tables.cost_rows(advice), hide_index=True)
    age = advice.freshness
    st.caption(f"Prices as of {age.as_of} ({age.price_age_days:,} days old), from {offer.source}.")
    show_warnings(age.warnings)


def show_warnings(lines: list[str]) -> None:
    """Stale prices or a retiring model (planner.catalog.freshness), one warning each."""
    for line in lines:
        st.warning(line)


# ----------------------------------------------------------------------------------------------- model page
def model_view(user: UserInput, offer: ModelOffer, output: int, reasoning: int) -> None:
    """The model page (planner.advice.model_page): what fits with the reserves at the top, specifications,
    capabilities, prices with their source, comparisons that open the side-by-side view, More from the
    creator."""
    count = user.count(family_for(offer))
    try:
        page = model_page(offer, catalog(), None if user.empty else count, user.words, output, reasoning)
    except PlannerError as error:
        st.error(error.message)
        return
    st.subheader(offer.name)  # its headline sentence is at the top of the page, with the verdict
    st.caption(
        f"{urlstate.literal(offer.id)} on {offer.provider}"
        + (f", made by {pages.markdown_text(offer.creator)}" if offer.creator else "")
        + f". Source: {offer.source}, as of {offer.as_of}."
    )
    columns = st.columns(5)
    window = f"{offer.context_window:,}" if offer.context_window else "unknown"
    columns[0].metric("Context window (tokens)", window)
    columns[1].metric("Context window (words)", page.words_label, help=page.words_per_token_basis)
    max_output = f"{offer.max_output_tokens:,}" if offer.max_output_tokens else "unknown"
    columns[2].metric("Max output tokens", max_output)
    columns[3].metric("Tokenizer", page.tokenizer)
    columns[4].metric("Speed tier", page.speed_tier, help=page.speed_tier_note)
    links = pages.shared_input(url_params(), settings()["source"], count.tokens)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**What fits in one request** ({page.reserve_note}: the reserves at the top)")
        if page.what_fits:
            st.table(pages.what_fits_rows(page), hide_index=True)
        else:
            st.info("The catalog has no context window for this offer, so nothing can be judged against it.")
        st.markdown("**Prices** (US dollars per million tokens)")
        st.table(tables.price_rows(page), hide_index=True)
        st.caption(f"Prices from {page.prices_source}.")
        if page.comparisons:
            st.markdown("**Context window compared** (each link opens the two models side by side)")
            st.markdown("\n".join(pages.comparison_links(page, links)))
    with right:
        st.markdown("**Specifications**")
        st.table(tables.spec_rows(page), hide_index=True)
        st.markdown("**Capabilities**")
        st.table(tables.capability_rows(page), hide_index=True)
        st.caption(f"Speed tier: {page.speed_tier_note}.")
        if page.more_from_creator:
            shown = len(page.more_from_creator)
            st.markdown(
                f"**More from {pages.markdown_text(offer.creator or '')}** ({shown} of "
                f"{page.more_from_creator_total:,} models in the catalog, newest first)"
            )
            st.markdown("\n".join(pages.creator_links(page, links)))
    show_warnings(page.freshness.warnings if page.freshness else [])
    hosts_section(user, offer, output, reasoning)
    price_history_section(offer)


def choose_other(offer: ModelOffer) -> ModelOffer:
    """The side-by-side view's second model: from the link (``other``, ``other_provider``), else GPT-4o (on
    GPT-4o's own page, the first model that page compares with); an unknown one is reported, the default
    shown."""
    state = settings()
    asked = state["other"] or DEFAULT_OTHER
    try:
        other = catalog().get(asked, provider=state["other_provider"] or None)
    except UnknownModelError as error:
        st.error(
            f"The link asks to compare with {urlstate.literal(error.query)}, which is not in the catalog."
        )
        other = catalog().get(DEFAULT_OTHER)
    if not state["other"] and other == offer:  # GPT-4o's own page: the first model its page compares with
        first = next(iter(context_comparisons(offer, catalog())), None)
        other = catalog().get(first.id, provider=first.provider) if first else other
    offers = picker_offers()
    if offer_key(other) not in offers:
        offers = {offer_key(other): other, **offers}
    if st.session_state.get("w_other") not in offers:
        st.session_state["w_other"] = offer_key(other)
    labels = picker_labels()
    chosen = offers[
        st.selectbox(
            f"Next to {offer.name}, show (type to search)",
            list(offers),
            key="w_other",
            format_func=lambda name: labels.get(name) or f"{offers[name].name} · {offers[name].provider}",
        )
    ]
    state["other"] = chosen.id
    state["other_provider"] = "" if catalog().get(chosen.id) == chosen else chosen.provider
    return chosen


def side_view(user: UserInput, offer: ModelOffer, output: int, reasoning: int) -> None:
    """Two models next to each other (planner.advice.model_page.side_by_side): window, prices, capabilities
    and the
    fit and cost of your input on both, with the reserves at the top."""
    heading = st.empty()  # filled once the second model is known, above its picker
    other = choose_other(offer)
    counts = None if user.empty else user.count_for(tuple(families_of([offer, other])))
    pair = side_by_side(offer, other, counts, output, reasoning)
    names = f"{pages.markdown_text(offer.name)} and {pages.markdown_text(other.name)}"
    heading.subheader(f"{names}, side by side")
    st.markdown(f"**{pages.markdown_text(offer.name)}**: {pages.markdown_text(pair.summary)}.")
    for section, title in pages.SIDE_SECTIONS.items():
        rows = pages.side_rows(pair, section)
        if section == "input" and not rows:
            st.info(NOTHING_TO_CHECK.replace("the verdict", "its fit on both models"))
            continue
        heading = f"{title} ({page_reserves(output, reasoning)})" if section == "input" else title
        st.markdown(f"**{heading}**")
        st.table(rows, hide_index=True)
    for fit in pair.fits:
        if fit.verdict == "does_not_fit":
            st.warning(f"{fit.id} ({fit.provider}): {fit.reason}.")
    links = pages.shared_input(url_params(), settings()["source"], user.count(family_for(offer)).tokens)
    st.markdown(
        " · ".join(
            f"[Model page of {pages.markdown_text(item.name)}]"
            f"({pages.link(links, view='model', **pages.model_params(item.id, item.provider))})"
            for item in (offer, other)
        )
    )


def page_reserves(output: int, reasoning: int) -> str:
    return reserve_note(output, reasoning) + ", as set at the top"


def hosts_section(user: UserInput, offer: ModelOffer, output: int, reasoning: int) -> None:
    """The same weights on other hosts, cheapest first, with this input's fit and cost on each."""
    counts = user.count_for(tuple(host_families(catalog(), offer)))
    answer = hosts_of(catalog(), offer, counts, output_tokens=output, reasoning_tokens=reasoning)
    if len(answer.hosts) < 2:
        return
    st.markdown(f"**The same weights on {len(answer.hosts)} hosts** (cheapest first for your input)")
    st.table(tables.host_rows(answer), hide_index=True)
    if answer.tier_note:
        st.caption(f'Hosts noted "{TIER_MISSING}": {answer.tier_note}.')


def price_history_section(offer: ModelOffer) -> None:
    """Input and output prices over time: the shipped snapshot's, then each refresh's changes."""
    try:
        entries = offer_history(catalog(), offer)
    except PlannerError as error:
        st.warning(error.message)
        return
    rows = tables.price_history_rows(entries)
    if not rows:
        return
    st.markdown("**Price over time** (US dollars per million tokens; `planner catalog refresh` adds points)")
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("usd_per_million:Q", title="$ per million tokens"),
            color=alt.Color("price:N", title=None),
            tooltip=["date:T", "price:N", alt.Tooltip("label:N", title="price"), "source:N"],
        )
    )
    draw(chart, 220)


# -------------------------------------------------------------------------------------------------- compare
def compare_filters() -> dict[str, Any]:
    providers = [""] + catalog_providers()
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


@st.cache_resource(show_spinner=False, max_entries=32)
def filtered_offers(
    search: str, provider: str, capability: tuple[str, ...], min_window: int, max_price: str
) -> tuple[list[ModelOffer], tuple[str, ...]]:
    """The offers that pass the compare filters and their tokenizer families, kept per set of filters."""
    offers = filters.filter_offers(
        catalog(),
        search=search,
        provider=provider,
        capability=list(capability),
        min_window=min_window,
        max_price=max_price,
    )
    return offers, tuple(families_of(offers))


@st.cache_data(show_spinner=False)
def catalog_providers() -> list[str]:
    return sorted({offer.provider for offer in catalog().offers})


def compare_view(user: UserInput, offer: ModelOffer, output: int, reasoning: int) -> None:
    st.subheader("Compare models")
    chosen = compare_filters()
    try:
        offers, families = filtered_offers(**chosen)
    except PlannerError as error:
        st.error(urlstate.literal(error.message))  # it quotes the price typed in the link
        return
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
    counts = user.count_for(families)
    try:
        comparison = cached_comparison(
            user.key,
            tuple(chosen.values()),
            output,
            reasoning,
            sort_by,
            today_utc().isoformat(),
            offers,
            counts,
        )
    except PlannerError as error:
        st.error(error.message)
        return
    st.markdown(tables.comparison_summary(comparison, chosen["provider"]))
    # the advice core's default policy: only general models that answer in text are ranked
    comparison = select_rows(comparison, fits_only=fit_only, hide_free=hide_free, text_only=True)
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
    draw(window_chart(windows), chart_height(windows))
    costs = tables.cost_chart_rows(shown)
    st.markdown(
        f"**Cost per request** of {tables.drawn_caption(len(costs), len(shown), 'an unknown price')} "
        "(US dollars)"
    )
    draw(cost_chart(costs), chart_height(costs))
    st.markdown(f"**All {len(comparison.models):,} models** (click a column heading to sort)")
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


def window_chart(rows: list[dict[str, Any]]) -> alt.LayerChart:
    data = alt.Data(values=rows)
    axis_from = tables.window_axis_from(rows, filters.WINDOW_AXIS_FROM)
    order = [row["model"] for row in data.values]
    y = alt.Y(
        "model:N", sort=order, title=None, axis=alt.Axis(labelLimit=360, labelOverlap=False, labelFontSize=12)
    )
    x = alt.X(
        "window:Q",
        scale=alt.Scale(type="log", domainMin=axis_from),
        axis=alt.Axis(format="~s"),
        title="context window (tokens, log scale)",
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            x2=alt.datum(axis_from),  # bars start at the axis, not at 0 (log scale)
            y=y,
            color=alt.Color("verdict:N", scale=VERDICT_SCALE, legend=alt.Legend(orient="top", title=None)),
            tooltip=[
                "model:N",
                alt.Tooltip("window:Q", format=",", title="window"),
                alt.Tooltip("needed:Q", format=",", title="your input + reserves"),
                "verdict:N",
            ],
        )
    )
    ticks = alt.Chart(data).mark_tick(color="black", thickness=3, size=16).encode(x="needed:Q", y=y)
    return bars + ticks


def cost_chart(rows: list[dict[str, Any]]) -> alt.LayerChart:
    data = alt.Data(values=rows)
    order = [row["model"] for row in data.values]
    base = alt.Chart(data).encode(
        x=alt.X("cost:Q", title="US dollars per request"),
        y=alt.Y(
            "model:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelLimit=360, labelOverlap=False, labelFontSize=12),
        ),
        tooltip=["model:N", alt.Tooltip("cost_label:N", title="per request")],
    )
    bars = base.mark_bar(color="#2ca02c")
    labels = base.mark_text(align="left", dx=4, color="#333333").encode(text="cost_label:N")
    return bars + labels


def chart_height(rows: list[dict[str, Any]]) -> int:
    return 90 + 24 * len(rows)  # a readable row per model plus the axis and legend


def choose_view() -> str:
    """The view control. A click that lands while a run is being cut short (a busy server) can come back as
    no choice at all, even with ``required``: the last view shown is kept then, never a KeyError."""
    last = st.session_state.get("last_view") or settings()["view"] or "fit"
    if st.session_state.get("w_view", last) not in VIEWS:
        st.session_state["w_view"] = last
    view = bound(
        "view",
        st.segmented_control,
        "Show",
        list(VIEWS),
        format_func=VIEWS.get,
        required=True,
        width="stretch",
    )
    if view not in VIEWS:
        view = settings()["view"] = last
    st.session_state["last_view"] = view
    return view


def main() -> None:
    st.set_page_config(page_title="planner: does it fit, what will it cost", page_icon="📐", layout="wide")
    st.markdown("### planner: does it fit, what will it cost, which model?")
    settings()
    for problem in st.session_state.get("url_problems", []):
        st.warning(problem)
    try:
        catalog()
    except PlannerError as error:
        st.error(f"The model catalog could not be loaded: {error.message}")
        st.stop()
    model_place, output_place, reasoning_place = st.columns([3, 1, 1])
    offer = choose_model(model_place)
    output, reasoning = reserves(output_place, reasoning_place)
    top = st.container()  # the headline and the verdict, on the first screen whatever the input below
    top.markdown(f"**{headline(offer)}**")
    user = input_section(family_for(offer), offer.id)
    show_count(user, offer)
    st.divider()
    view = choose_view()
    views = {
        "fit": partial(fit_view, top=top),
        "model": model_view,
        "side": side_view,
        "compare": compare_view,
        "cost": cost_view,
    }
    views[view](user, offer, output, reasoning)
    st.caption(
        "Pick a model, give it your text, files or a token count, and see whether it fits the context window "
        "with room for the answer, what it costs, and how other models compare. Everything is computed "
        "offline by the `planner` package from its shipped catalog. "
        "The address bar keeps the model, the reserves, the view, the filters and the example: copy it to "
        "share this view. Pasted text and uploaded files stay in this browser session."
    )
    write_url()


main()
