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


def upload_folder(model: str, files: list[tuple[str, bytes, str]], view: str = "fit") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params.update(model=model, source="upload", view=view)
    app.run()
    app.file_uploader(key="folder_uploads").set_value(files).run()
    assert not app.exception, [item.value for item in app.exception]
    return app


NOTES = "The returns policy: thirty days, receipt required, refunds to the original card.\n"


@pytest.mark.slow
@pytest.mark.parametrize("view", ["fit", "cost"])
def test_images_in_an_uploaded_folder_are_left_out_for_a_model_without_vision(view: str):
    folder = [
        ("shop/notes.txt", NOTES.encode(), "text/plain"),
        ("shop/pictures/photo.png", png(1024, 1024), "image/png"),
    ]
    app = upload_folder("nousresearch/hermes-4-405b", folder, view)
    # the text is counted, the picture left out with a note (not refused, as `planner fit FOLDER`)
    assert tokens(app) == len(get_encoding("llama3").encode_ordinary(NOTES))
    assert not [item.value for item in app.error], [item.value for item in app.error]
    notes = [item.value for item in app.info if "left out" in item.value]
    assert notes == [
        "1 image left out: the model takes no images (pick a model that takes images, and they are "
        "counted): `shop/pictures/photo.png`."
    ]
    assert any(item.value.startswith("**Fits**") for item in app.success)


@pytest.mark.slow
def test_images_in_an_uploaded_folder_count_for_a_vision_model():
    folder = [
        ("shop/notes.txt", NOTES.encode(), "text/plain"),
        ("shop/pictures/photo.png", png(1024, 1024), "image/png"),
    ]
    app = upload_folder("gpt-4o", folder)
    # OpenAI: 4 tiles x 170 + 85 = 765 for the picture, beside the text's o200k tokens
    assert tokens(app) == len(get_encoding("o200k_base").encode_ordinary(NOTES)) + 765
    assert not [item.value for item in app.info if "left out" in item.value]


@pytest.mark.slow
def test_an_uploaded_folder_follows_its_gitignore_and_never_shows_the_server_path():
    folder = [
        ("repo/.gitignore", b"build/\n", "text/plain"),
        ("repo/src/main.txt", NOTES.encode(), "text/plain"),
        ("repo/build/out.txt", (NOTES * 50).encode(), "text/plain"),
    ]
    app = upload_folder("nousresearch/hermes-4-405b", folder)
    llama = get_encoding("llama3")
    # .gitignore itself is a file of the folder and is counted; build/ is not
    assert tokens(app) == len(llama.encode_ordinary(NOTES)) + len(llama.encode_ordinary("build/\n"))
    texts = [item.value for item in [*app.markdown, *app.caption, *app.info, *app.warning]]
    assert not any("planner-upload-" in text for text in texts)


def test_an_uploaded_folder_is_written_inside_its_root_whatever_its_paths(tmp_path):
    from planner.app import uploads

    root = uploads.write_folder(
        [("../../escape.txt", b"a"), ("/abs/x.txt", b"b"), ("repo\\.gitignore", b"c"), ("", b"d")],
        tmp_path / "root",
    )
    written = sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
    assert written == ["abs/x.txt", "escape.txt", "repo/.gitignore", "upload"]
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.slow
def test_the_fit_question_agrees_with_what_was_uploaded():
    two = [("a.txt", NOTES.encode(), "text/plain"), ("b.txt", NOTES.encode(), "text/plain")]
    files = upload("nousresearch/hermes-4-405b", two)
    assert [item.value for item in files.subheader] == ["Do your uploaded files fit Hermes 4 405B?"]
    one = upload("nousresearch/hermes-4-405b", two[:1])
    assert [item.value for item in one.subheader] == ["Does your uploaded file fit Hermes 4 405B?"]
    folder = upload_folder("nousresearch/hermes-4-405b", [("docs/a.txt", NOTES.encode(), "text/plain")])
    assert [item.value for item in folder.subheader] == ["Does your uploaded folder fit Hermes 4 405B?"]


@pytest.mark.slow
def test_a_folder_of_images_only_says_what_to_do_in_the_apps_words():
    app = upload_folder("nousresearch/hermes-4-405b", [("pics/a.png", png(64, 64), "image/png")])
    [error] = [item.value for item in app.error]
    assert "nothing to count" in error and "1 image left out: the model takes no images" in error
    assert "(pick a model that takes images, and they are counted)" in error and "--images" not in error
    assert any(item.value.startswith("**Nothing to check yet**") for item in app.info)
