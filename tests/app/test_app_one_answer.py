"""One answer on every view: the verdict strip (verdict, tokens, headroom, cost per request) is the same at
the top of all five views, the empty state is one, reserves too large are the verdict in words, and an
image is refused on every view for a model that takes none."""

from __future__ import annotations

import io

import pytest
from apptest_support import APP, metric, run_clean
from PIL import Image
from streamlit.testing.v1 import AppTest

VIEWS = ["fit", "model", "side", "compare", "cost"]


def strip(app: AppTest) -> tuple[str, str, str, str]:
    boxes = [item.value for item in [*app.success, *app.warning, *app.error, *app.info]]
    verdict = next(box for box in boxes if box.startswith("**"))
    return (
        verdict,
        metric(app, "Input tokens"),
        metric(app, "Headroom (tokens)"),
        metric(app, "Cost per request"),
    )


@pytest.mark.slow
def test_every_view_shows_the_same_answer_at_the_top() -> None:
    # 100,000 typed tokens + 2,000 answer on Hermes 4 405B: 131,072 - 102,000 = 29,072 free;
    # 100,000 x $1/M + 2,000 x $3/M = $0.106
    expected = ("**Fits**: The input fits with 29,072 tokens to spare.", "100,000", "29,072", "$0.106000")
    for view in VIEWS:
        app = run_clean(view=view, source="tokens", tokens="100000", output="2000")
        assert strip(app) == expected, view


@pytest.mark.slow
def test_reserves_larger_than_the_window_are_the_verdict_on_every_view() -> None:
    for view in VIEWS:
        app = run_clean(view=view, output="200000")
        [box] = [item.value for item in app.error if "Reserve too large" in item.value]
        assert "take the whole 131,072-token window, 68,928 tokens over it" in box, view
        assert "-68,928" not in " ".join(item.value for item in app.markdown)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.slow
def test_nothing_given_is_one_empty_state_and_a_link_from_uploads_says_so(view: str) -> None:
    app = run_clean(view=view, source="upload")
    assert any(item.value.startswith("**Nothing to check yet**") for item in app.info)
    assert any("A link carries no uploaded files" in item.value for item in app.warning)
    shown = " ".join(item.value for item in [*app.markdown, *app.success, *app.error])
    assert "fit your input" not in shown and "Fits" not in shown
    assert not app.get("vega_lite_chart") or view == "model"  # no chart of nothing (the page's own price)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.slow
def test_an_image_is_refused_on_every_view_for_hermes(view: str) -> None:
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update(view=view, source="upload")
    app.run()
    app.file_uploader(key="uploads").set_value([("photo.png", png(), "image/png")]).run()
    assert not app.exception
    [box] = [item.value for item in app.error if "does not accept images" in item.value]
    assert box.startswith("**Takes no images**: nousresearch/hermes-4-405b does not accept images")
    assert "Must support: Vision" in box  # the app's own controls, not a command line
    assert not [item for item in app.metric if item.label in ("Per request", "Per day")]  # not priced
