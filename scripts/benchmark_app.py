"""Server time of the app's re-plans, measured with Streamlit's AppTest (no browser, no network).

    python scripts/benchmark_app.py [--repeat 5]

Figures printed (median of --repeat runs, milliseconds of server time for one script run):
  first view        the default page from a fresh session (catalog and example counted, caches warm after)
  paste 1 MB        pasting a 1 MB document (its count: the one slow step)
  reserve change    changing the answer reserve with that 1 MB document pasted (counts cached: no re-count)
  compare view      switching to the compare view over the whole catalog after the count
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PARAGRAPH = (
    "The committee reviewed the quarterly figures, the hiring plan and the roadmap for the next release; "
    "revenue grew by twelve per cent while costs stayed flat.\n"
)


def one_mb_document() -> str:
    return (PARAGRAPH * (1_000_000 // len(PARAGRAPH) + 1))[:1_000_000]


def timed(step) -> float:  # noqa: ANN001 - a callable running the app once
    start = time.perf_counter()
    step()
    return (time.perf_counter() - start) * 1_000


def measure() -> dict[str, float]:
    app = AppTest.from_file(APP, default_timeout=300)
    figures = {"first view": timed(app.run)}
    app.radio(key="w_source").set_value("paste").run()
    figures["paste 1 MB"] = timed(app.text_area(key="pasted_text").input(one_mb_document()).run)
    figures["reserve change"] = timed(app.number_input(key="w_output").set_value(4_000).run)
    figures["reserve change again"] = timed(app.number_input(key="w_output").set_value(3_000).run)
    figures["compare view"] = timed(app.segmented_control(key="w_view").set_value("compare").run)
    assert not app.exception, [item.value for item in app.exception]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    runs = [measure() for _ in range(parser.parse_args().repeat)]
    for name in runs[0]:
        values = [run[name] for run in runs]
        runs_text = ", ".join(f"{value:.0f}" for value in values)
        print(f"{name:22} median {statistics.median(values):8.0f} ms   runs {runs_text}")


if __name__ == "__main__":
    main()
