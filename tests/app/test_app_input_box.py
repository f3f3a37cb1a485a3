"""The input box folds to a one-line summary once a text or files are given, so that the count and the answer
move up the page; it stays open while there is nothing, and for the example and a typed count (one control).
Counts are worked out here with the Llama 3 encoder itself."""

from __future__ import annotations

import pytest
from apptest_support import run_app
from streamlit.testing.v1 import AppTest

from planner.catalog import load_catalog
from planner.tokens.encoders import get_encoding

TEXT = "The auditors asked for the March invoices, the vendor contracts and the payroll summary.\n" * 25


def input_box(app: AppTest):  # noqa: ANN201 - streamlit's Expander
    assert not app.exception, [item.value for item in app.exception]
    [box] = [item for item in app.expander if item.label.startswith("**Your input")]
    return box


def tokens(app: AppTest) -> str:
    return next(item.value for item in app.metric if item.label == "Tokens")


@pytest.mark.slow
def test_the_box_is_open_for_the_example_and_folds_once_a_text_is_pasted() -> None:
    app = run_app()
    assert (input_box(app).label, input_box(app).proto.expanded) == ("**Your input**", True)
    app.radio(key="w_source").set_value("paste").run()
    assert input_box(app).proto.expanded  # nothing pasted yet: the box stays open
    app.text_area(key="pasted_text").input(TEXT).run()
    box = input_box(app)
    counted = len(get_encoding("llama3").encode_ordinary(TEXT))
    summary = f"pasted text, {counted:,} tokens ({len(TEXT):,} characters)"
    assert (box.label, box.proto.expanded) == (f"**Your input:** {summary} (open to change it)", False)
    assert tokens(app) == f"{counted:,}"  # the count stays in view
    app.text_area(key="pasted_text").input("   \n").run()  # only whitespace: nothing given, open again
    assert input_box(app).proto.expanded
    assert any("Nothing to check yet**: your input is empty" in item.value for item in app.info)


@pytest.mark.slow
def test_uploaded_files_are_named_in_the_folded_box_as_written() -> None:
    app = run_app(source="upload")
    assert input_box(app).proto.expanded
    files = [(f"part{index}.txt", TEXT.encode("utf-8"), "text/plain") for index in range(4)]
    files[0] = ("**bold**.txt", TEXT.encode("utf-8"), "text/plain")
    app.file_uploader(key="uploads").set_value(files).run()
    box = input_box(app)
    assert not box.proto.expanded
    summary = "4 uploaded files: `**bold**.txt`, `part1.txt`, `part2.txt` and 1 more"
    assert box.label == f"**Your input:** {summary} (open to change it)"
    assert tokens(app) == f"{4 * len(get_encoding('llama3').encode_ordinary(TEXT)):,}"


@pytest.mark.slow
def test_a_typed_count_keeps_its_one_control_in_view() -> None:
    app = run_app(source="tokens", tokens="50000")
    assert input_box(app).proto.expanded
    assert tokens(app) == "50,000"


@pytest.mark.slow
def test_an_estimated_count_is_summarised_as_about_the_count_shown() -> None:
    claude = next(
        offer for offer in load_catalog().offers if offer.tokenizer == "claude" and offer.context_window
    )
    app = run_app(model=claude.id, provider=claude.provider, source="paste")
    app.text_area(key="pasted_text").input(TEXT).run()
    assert next(item.value for item in app.metric if item.label == "Method") == "estimate"
    summary = f"pasted text, ~{tokens(app)} tokens ({len(TEXT):,} characters)"
    assert input_box(app).label == f"**Your input:** {summary} (open to change it)"
