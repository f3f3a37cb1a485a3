"""What the AppTest files share: the app's path, a run with URL parameters, a metric by its label."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT_S = 120  # a first run counts the example and loads the catalog; generous for a loaded CI machine


def run_app(**params: str) -> AppTest:
    """The app run once with these URL query parameters."""
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    app.query_params.update(params)
    return app.run()


def no_exceptions(app: AppTest) -> None:
    assert not app.exception, [item.value for item in app.exception]


def run_clean(**params: str) -> AppTest:
    """``run_app``, asserting the run raised nothing."""
    app = run_app(**params)
    no_exceptions(app)
    return app


def metric(app: AppTest, label: str) -> str:
    """The value of the metric labelled ``label`` (an assertion naming the labels there are, if none)."""
    values = [item.value for item in app.metric if item.label == label]
    assert values, f"no metric {label!r}; have {[item.label for item in app.metric]}"
    return values[0]
