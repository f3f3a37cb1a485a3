"""The input: an example document, pasted text, uploaded files or a typed token count, counted lazily per
tokenizer family (planner.inputs) and cached (planner.app.resources)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from planner.advice.fit_rule import tokens_to_words, words_per_token
from planner.advice.notes import folder_images
from planner.app import examples, resources, tables, uploads, urlstate
from planner.app.state import SOURCES, bound, settings
from planner.catalog.schema import ModelOffer
from planner.errors import PlannerError
from planner.inputs.report import FileReport, InputReport, RequestParts, images_left_out_text
from planner.tokens.counts import TokenCount, typed_counts
from planner.tokens.families import family_for

# A text this long shows a status while it is counted the first time (a 1 MB paste takes seconds).
STATUS_FROM_CHARS = 100_000
MAX_REMEMBERED = 4_096  # (digest, families) kept to know a count is cached; then the set starts again


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
    images_left_out: list[str] = field(default_factory=list)  # images of an uploaded folder left out
    source: str = "example"  # the input control's choice: links carry only an example or a typed count

    def count(self, family: str) -> TokenCount:
        return self.count_for((family,))[family]


def counted_text(digest: str, families: tuple[str, ...], text: str) -> InputReport:
    """The text's count, with a visible status the first time a long text is counted in this process."""
    seen = resources.counted_keys()
    if len(text) < STATUS_FROM_CHARS or (digest, families) in seen:
        report = resources.count_text(digest, families, text)
    else:
        report = count_with_status(digest, families, text)
    if len(seen) >= MAX_REMEMBERED:  # a long-running server forgets which texts it counted, not the counts
        seen.clear()
    seen.add((digest, families))
    return report


def count_with_status(digest: str, families: tuple[str, ...], text: str) -> InputReport:
    """A long text counted under a status line: "Counting ..." while the count runs, then "Counted ... in
    N s" until the next click. A status removed once counted was never drawn when the count was quick and
    the browser busy with the pasted text (seen in 1 of 3 runs): this one is on screen every time."""
    tokenizers = f" in {len(families)} tokenizers" if len(families) > 1 else ""
    what = f"the tokens of {len(text):,} characters{tokenizers}"
    with st.status(f"Counting {what}...", expanded=False) as status:
        start = time.perf_counter()
        report = resources.count_text(digest, families, text)
        status.update(label=f"Counted {what} in {time.perf_counter() - start:.1f} s", state="complete")
    return report


def text_input(text: str, label: str, family: str, source: str) -> UserInput:
    digest = urlstate.content_digest(text)

    def count_for(families: tuple[str, ...]) -> dict[str, TokenCount]:
        return counted_text(digest, families, text).counts

    stats = counted_text(digest, (family,), text)
    return UserInput(
        label=label,
        count_for=count_for,
        key=f"text:{digest}",
        words=stats.words,
        empty=not text.strip(),
        source=source,
    )


def typed_input(tokens: int, label: str | None = None, source: str = "tokens") -> UserInput:
    def count_for(families: tuple[str, ...]) -> dict[str, TokenCount]:
        return typed_counts(tokens, families, "typed by you")

    return UserInput(
        label=label or "your token count",
        count_for=count_for,
        key=f"tokens:{tokens}",
        empty=tokens == 0,
        source=source,
    )


def upload_input(
    uploaded: list[Any], family: str, offer: ModelOffer, as_request: bool, folder: list[Any]
) -> UserInput | None:
    model_id = offer.id
    too_big = False
    for item in [*uploaded, *folder]:
        try:
            uploads.check_upload_size(item.name, item.size)
        except PlannerError as error:
            st.error(error.message)
            too_big = True
    if too_big:
        return None
    files = tuple((item.name, item.getvalue()) for item in uploaded)
    tree = tuple((item.name, item.getvalue()) for item in folder)
    digest = urlstate.content_digest(
        *(part for name, content in files for part in (name, content)),
        "folder",
        *(part for name, content in tree for part in (name, content)),
    )
    with_images = folder_images(offer) == "count"  # planner.advice.notes: none for a model without vision

    def counted(families: tuple[str, ...]) -> InputReport:
        return resources.count_uploads(digest, families, files, model_id, as_request, tree, with_images)

    def count_for(families: tuple[str, ...]) -> dict[str, TokenCount]:
        return counted(families).counts

    def parts_for(name: str) -> RequestParts | None:
        return counted((name,)).parts.get(name)

    try:
        report = counted((family,))
    except PlannerError as error:
        st.error(error.message)
        return None
    for item in report.files:
        if item.skipped:
            st.warning(f"{urlstate.literal(item.path)} was not counted: {item.skipped}")
        for note in item.warnings:
            st.warning(f"{urlstate.literal(item.path)}: {note}")
    kept = [item for item in report.files if not item.skipped]
    if len(report.files) > 1:
        with st.expander(f"Per-file breakdown ({len(report.files)} files)"):
            st.table(tables.file_rows(report.files, family), hide_index=True)
    label = "your uploaded files" if len(kept) != 1 else "your uploaded file"
    return UserInput(
        label="your uploaded folder" if tree and not files else label,
        count_for=count_for,
        key=f"upload:{digest}:{model_id}:{as_request}:{with_images}",
        words=report.words,
        files=report.files,
        empty=not kept or (report.chars == 0 and not report.images),
        parts_for=parts_for,
        images=len(report.images),
        source="upload",
        images_left_out=list(report.images_left_out),
    )


def images_left_out_note(user: UserInput) -> None:
    """The note of images left out of an uploaded folder (the words `planner fit FOLDER` prints)."""
    left_out = user.images_left_out
    if not left_out:
        return
    text = images_left_out_text(len(left_out), uploads.IMAGES_LEFT_OUT_CHANGE)
    names = ", ".join(urlstate.literal(name) for name in left_out[:5])
    more = f" and {len(left_out) - 5:,} more" if len(left_out) > 5 else ""
    st.info(f"{text[:1].upper()}{text[1:]}: {names}{more}.")


def input_summary(family: str) -> str | None:
    """A one-line account of a pasted text or uploaded files already given (read before the controls are
    drawn, from this session's widget state), or None while there is none: the input box stays open then."""
    source = st.session_state.get("w_source", settings()["source"])
    if source == "paste":
        text = st.session_state.get("pasted_text") or ""
        if not text.strip():
            return None
        counted = counted_text(urlstate.content_digest(text), (family,), text)  # cached: counted once
        count = counted.counts[family]
        about = "~" if count.method == "estimate" else ""
        return f"pasted text, {about}{count.tokens:,} tokens ({len(text):,} characters)"
    if source == "upload":
        files = [*(st.session_state.get("uploads") or []), *(st.session_state.get("folder_uploads") or [])]
        if not files:
            return None
        names = ", ".join(urlstate.literal(item.name) for item in files[:3])
        more = f" and {len(files) - 3:,} more" if len(files) > 3 else ""
        return f"{len(files):,} uploaded file{'s' if len(files) != 1 else ''}: {names}{more}"
    return None


def input_section(family: str, offer: ModelOffer) -> UserInput:
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
        return text_input(text, "your pasted text", family, source)
    if source == "upload":
        with box:
            uploaded = st.file_uploader(
                "Upload text, code, Markdown, JSON, CSV, HTML, PDF, DOCX or image files "
                f"(up to {uploads.MAX_UPLOAD_MB} MB each)",
                accept_multiple_files=True,
                key="uploads",
            )
            folder = st.file_uploader(
                "Or upload a whole folder (its .gitignore is followed; images in it are left out for a "
                "model that takes none, as `planner fit FOLDER` does)",
                accept_multiple_files="directory",
                key="folder_uploads",
            )
            as_request = st.toggle(
                "JSON files are chat requests (messages, images, tools)",
                key="as_request",
                help="Count each file as `planner count --messages` does: the chat template, image parts and "
                "the tool definitions of a request body.",
            )
        if as_request:
            folder = []  # a request body is a file of its own, never a folder's walk
        if not uploaded and not folder:
            return typed_input(0, "nothing yet", source="upload")
        result = upload_input(uploaded or [], family, offer, as_request, folder or [])
        if result is None:
            return typed_input(0, "nothing yet", source="upload")
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
        resources.example_text(example.words, example.kind),
        f"the example {example.label.split(' (')[0].lower()}",
        family,
        "example",
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
    if user.source == "tokens":
        columns[3].metric("Method", "typed", help="A token count you typed: nothing was counted.")
    elif count.method == "exact":
        columns[3].metric("Method", "exact", help=count.basis)
    else:
        columns[3].metric("Method", "estimate", help=count.basis)
        st.caption(
            f"Estimate: between {count.tokens_low:,} and {count.tokens_high:,} tokens ({count.basis})."
        )
    return count
