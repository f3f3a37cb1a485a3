"""The app takes images and request bodies: uploads counted by the model's image rule and template, the fit
bar drawn as text / images / tools, and a model without vision refused (as `planner fit` exits 8)."""

from __future__ import annotations

import io
import json

import pytest
from apptest_support import APP, metric
from PIL import Image
from streamlit.testing.v1 import AppTest

from planner.advice.fit_rule import check_fit
from planner.app import tables
from planner.catalog import load_catalog
from planner.cli import run_app as run_cli
from planner.inputs.report import RequestParts
from planner.tokens.counts import TokenCount
from planner.tokens.encoders import get_encoding


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(
    model: str, files: list[tuple[str, bytes, str]], as_request: bool = False, view: str = "fit"
) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params.update(model=model, source="upload", view=view)
    app.run()
    if as_request:
        app.toggle(key="as_request").set_value(True).run()
    app.file_uploader(key="uploads").set_value(files).run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def tokens(app: AppTest) -> int:
    return int(metric(app, "Tokens").replace(",", ""))


@pytest.mark.slow
def test_an_uploaded_image_counts_by_the_model_rule():
    app = upload("gpt-4o", [("photo.png", png(1024, 1024), "image/png")])
    assert metric(app, "Tokens") == "765"  # OpenAI: 4 tiles x 170 + 85


@pytest.mark.slow
def test_a_model_without_vision_refuses_the_image():
    app = upload("nousresearch/hermes-4-405b", [("photo.png", png(1024, 1024), "image/png")])
    assert any("does not accept images" in item.value for item in app.error), [e.value for e in app.error]
    # the app's words name its own controls, not a command line
    refusal = next(item.value for item in app.error if "does not accept images" in item.value)
    assert "Must support: Vision" in refusal and "--" not in refusal and "planner models" not in refusal


@pytest.mark.slow
def test_the_cost_view_refuses_the_image_as_planner_cost_does(tmp_path, capsys):
    photo = png(1024, 1024)
    app = upload("nousresearch/hermes-4-405b", [("photo.png", photo, "image/png")], view="cost")
    refusals = [item.value for item in app.error if "does not accept images" in item.value]
    assert refusals, [item.value for item in app.error]  # was priced at $0.012404 per request
    assert not [item for item in app.metric if item.label == "Per day"]  # no bill drawn
    (tmp_path / "photo.png").write_bytes(photo)
    code = run_cli(["cost", str(tmp_path / "photo.png"), "--model", "nousresearch/hermes-4-405b"])
    said = capsys.readouterr().err
    assert code == 8 and "nousresearch/hermes-4-405b does not accept images" in said
    # one sentence from planner.advice.notes: only where to find vision models differs
    sentence = said.removeprefix("error: ").split("; pick")[0]
    assert any(sentence in refusal for refusal in refusals), (sentence, refusals)


@pytest.mark.slow
def test_a_request_body_counts_its_tools():
    tool = {
        "type": "function",
        "function": {
            "name": "lookup",
            "description": "Look a word up.",
            "parameters": {"type": "object", "properties": {}},
        },
    }
    body = {"messages": [{"role": "user", "content": "Define 'tile'."}], "tools": [tool]}
    plain = {"messages": body["messages"]}
    with_tools = upload("gpt-4o", [("req.json", json.dumps(body).encode(), "application/json")], True)
    without = upload("gpt-4o", [("req.json", json.dumps(plain).encode(), "application/json")], True)
    # OpenAI Cookbook rule: 7 + tokens("lookup:Look a word up") + 12 more than the same request without it
    more = int(metric(with_tools, "Tokens").replace(",", "")) - int(
        metric(without, "Tokens").replace(",", "")
    )

    assert more == 7 + len(get_encoding("o200k_base").encode("lookup:Look a word up")) + 12


def test_fit_bar_shows_text_images_and_tools():
    offer = load_catalog().get("gpt-4o")
    text = TokenCount.exact("o200k_base", 100)
    parts = RequestParts(
        text=text, images=TokenCount.exact("o200k_base", 765), tools=TokenCount.exact("o200k_base", 40)
    )
    fit = check_fit(offer, parts.total, 1000)
    rows = {row["part"]: row for row in tables.fit_bar_rows(fit, parts)}
    assert "Input" not in rows
    assert (rows["Text"]["tokens"], rows["Images"]["tokens"], rows["Tools"]["tokens"]) == (100, 765, 40)
    assert rows["Images"]["start"] == 100 and rows["Tools"]["end"] == 905  # they add up to the input
    assert "Input" in {row["part"] for row in tables.fit_bar_rows(fit)}  # no split: one input segment
