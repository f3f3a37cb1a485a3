"""The same questions asked of the CLI (`--json`) and of the app (AppTest) get the same answers.

Each scenario is run through both presenters and checked against values worked out here, by hand from the
catalog's published figures (Hermes 4 405B: 131,072 tokens, $1 / $3 per million; GPT-4o on OpenAI: 128,000
tokens, 16,384 max output, $2.50 / $10, cached $1.25, batch $1.25 / $5; Gemini 2.5 Pro: $1.25 / $10, above
200,000 prompt tokens $2.50 / $15), or, for the models suggested when an input does not fit, by a small
reference implementation of the suggestion policy written from its description (not planner's code).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from apptest_support import APP, metric
from apptest_support import run_clean as app_run
from streamlit.testing.v1 import AppTest

from planner.app import examples
from planner.catalog import load_catalog
from planner.catalog.schema import ModelOffer
from planner.cli import run_app
from planner.tokens.encoders import get_encoding

HERMES = "nousresearch/hermes-4-405b"
VERDICT_TEXT = {"fits": "Fits", "tight": "Tight", "does_not_fit": "Does not fit"}


# ------------------------------------------------------------------------------------- presenters
def cli_json(capsys, *args: str) -> tuple[int, dict | None, str]:
    code = run_app([*args, "--json"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out, parse_float=Decimal) if captured.out.strip() else None
    return code, doc, captured.err


def model_params(model: str, provider: str | None) -> dict[str, str]:
    return {"model": model, **({"provider": provider} if provider else {})}


def cli_model(model: str, provider: str | None) -> list[str]:
    return ["--model", model, *(["--provider", provider] if provider else [])]


# ------------------------------------------------------------------ reference suggestion policy
SPECIAL = (
    "ocr",
    "guard",
    "embed",
    "rerank",
    "moderation",
    "controlnet",
    "tts",
    "whisper",
    "transcribe",
    "asr",
)


def reference_class(offer: ModelOffer) -> str:
    """The policy as the issue states it: text answers, known window and prices, paid; free/preview apart."""
    words = re.findall(r"[a-z0-9]+", f"{offer.id} {offer.name}".lower())
    if not offer.context_window or offer.pricing.input is None or offer.pricing.output is None:
        return "unsuitable"
    if offer.outliers:  # a cross-host outlier is never suggested (tests/catalog/test_outliers.py)
        return "unsuitable"
    if offer.output_modalities and "text" not in offer.output_modalities:
        return "unsuitable"
    if any(word.endswith(special) for word in words for special in SPECIAL):
        return "unsuitable"
    if (offer.pricing.input == 0 and offer.pricing.output == 0) or {"free", "preview"} & set(words):
        return "free"
    return "paid"


def reference_cost(offer: ModelOffer, tokens: int, output: int, reasoning: int) -> Decimal:
    pricing = offer.pricing
    tier = max(
        (t for t in pricing.tiers if tokens > t.above_tokens), key=lambda t: t.above_tokens, default=None
    )
    price_in = tier.input if tier is not None and tier.input is not None else pricing.input
    price_out = tier.output if tier is not None and tier.output is not None else pricing.output
    price_reasoning = pricing.reasoning if pricing.reasoning is not None else price_out
    return tokens * price_in + output * price_out + reasoning * price_reasoning + (pricing.per_request or 0)


def reference_suggestions(tokens: int, output: int, reasoning: int, classes: tuple[str, ...]) -> dict:
    """Smallest window and cheapest offer of ``classes`` that take ``tokens`` with the reserves and 10 % of
    the window to spare (an exact count: the same for every tokenizer)."""
    fitting = []
    for offer in load_catalog().offers:
        if reference_class(offer) not in classes:
            continue
        if offer.max_output_tokens is not None and output + reasoning > offer.max_output_tokens:
            continue
        limit = offer.context_window - output - reasoning
        if offer.max_input_tokens is not None:
            limit = min(limit, offer.max_input_tokens)
        if (limit - tokens) * 10 >= offer.context_window:
            fitting.append((offer, reference_cost(offer, tokens, output, reasoning)))
    if not fitting:
        return {}
    smallest = min(fitting, key=lambda pair: (pair[0].context_window, pair[1], pair[0].id, pair[0].provider))
    cheapest = min(fitting, key=lambda pair: (pair[1], pair[0].context_window, pair[0].id, pair[0].provider))
    return {"smallest_window": smallest, "cheapest": cheapest}


# ------------------------------------------------------------------------------------- fit scenarios
@dataclass(frozen=True)
class Fit:
    name: str
    tokens: int
    output: int = 0
    reasoning: int = 0
    model: str = HERMES
    provider: str | None = None
    verdict: str | None = None
    headroom: int | None = None
    used: str | None = None
    exit_code: int = 0
    error: str | None = None  # the one-line reason both presenters give instead of a verdict
    include_free: bool = False


FITS = [
    # 100,000 + 2,000 of 131,072: 29,072 free (22.2 %); used 102,000 / 131,072 = 77.8 %
    Fit("fits", 100_000, 2_000, verdict="fits", headroom=29_072, used="77.8%"),
    # 6,072 free is under 5 % of 131,072 (6,553.6): tight; 125,000 / 131,072 = 95.4 %
    Fit("tight", 125_000, verdict="tight", headroom=6_072, used="95.4%"),
    # 100,000 + 20,000 + 10,000 = 130,000: 1,072 free, tight; 99.2 %
    Fit("tight with thinking", 100_000, 20_000, 10_000, verdict="tight", headroom=1_072, used="99.2%"),
    # exactly the window: 0 free, tight, 100.0 %
    Fit("exactly full", 131_072, verdict="tight", headroom=0, used="100.0%"),
    # one token over: 131,073 / 131,072 is 100.001 % (never "100.0%" when over)
    Fit("one over", 131_072, 1, verdict="does_not_fit", headroom=-1, used="100.001%", exit_code=1),
    # 200,000 in: 68,928 over, 152.6 %
    Fit("does not fit", 200_000, verdict="does_not_fit", headroom=-68_928, used="152.6%", exit_code=1),
    Fit(
        "does not fit, free mixed in",
        200_000,
        include_free=True,
        verdict="does_not_fit",
        headroom=-68_928,
        used="152.6%",
        exit_code=1,
    ),
    # GPT-4o: 120,000 + 16,384 = 136,384 of 128,000: 8,384 over, 106.6 %
    Fit(
        "gpt-4o over",
        120_000,
        16_384,
        model="gpt-4o",
        provider="openai",
        verdict="does_not_fit",
        headroom=-8_384,
        used="106.6%",
        exit_code=1,
    ),
    # GPT-4o: 100,000 + 4,000 of 128,000: 24,000 free, 81.3 %
    Fit(
        "gpt-4o fits",
        100_000,
        4_000,
        model="gpt-4o",
        provider="openai",
        verdict="fits",
        headroom=24_000,
        used="81.3%",
    ),
    # GPT-4o writes at most 16,384 tokens: a 100,000 answer reserve is refused (exit 8), whatever the input
    Fit(
        "output above max",
        1_000,
        100_000,
        model="gpt-4o",
        provider="openai",
        exit_code=8,
        error="writes at most 16,384 output tokens",
    ),
    # an input far beyond every window: nothing to suggest, split it (10^9 tokens, 762,939 % of the window)
    Fit(
        "larger than every window",
        1_000_000_000,
        verdict="does_not_fit",
        headroom=-999_868_928,
        used=">1000%",
        exit_code=1,
    ),
    # a short prompt: 1,000 + 500 of 131,072: 129,572 free, 1,500 / 131,072 = 1.1 %
    Fit("short prompt", 1_000, 500, verdict="fits", headroom=129_572, used="1.1%"),
]


def input_only_offer() -> ModelOffer:
    """An offer whose window is an input limit (total unknown), with a max output and known prices."""
    return next(
        offer
        for offer in load_catalog().offers
        if offer.context_window_kind == "input"
        and offer.max_output_tokens
        and offer.max_output_tokens >= 1_000
        and offer.pricing.input is not None
        and offer.context_window == 8_192
    )


def estimate_band_text(limit: int) -> tuple[str, int, int]:
    """Example prose whose unknown-tokenizer estimate fits ``limit`` input tokens on its central count but
    not on its upper band, worked out with the reference o200k_base encoder and the envelope's prose factors
    from the shipped table; with that central count and upper band."""
    table = json.loads(
        (Path(__file__).resolve().parents[2] / "planner/data/estimate_factors.json").read_text()
    )
    _low, mid, high = table["families"]["unknown"]["factors"]["prose"]
    encoder = get_encoding("o200k_base")
    for words in range(30_000, 10_000, -250):
        text = examples.example_text(words, "prose")
        base = len(encoder.encode_ordinary(text))
        central, upper = round(base * mid), math.ceil(base * high)
        if central <= limit < upper:
            return text, central, upper
    raise AssertionError(f"no example length puts {limit:,} inside the band")


def check_fit_scenario(capsys, case: Fit) -> None:
    args = ["fit", "--input-tokens", str(case.tokens), "-o", str(case.output), "-r", str(case.reasoning)]
    code, doc, err = cli_json(
        capsys,
        *args,
        *cli_model(case.model, case.provider),
        *(["--include-free"] if case.include_free else []),
    )
    assert code == case.exit_code, err
    app = app_run(
        source="tokens",
        tokens=str(case.tokens),
        output=str(case.output),
        reasoning=str(case.reasoning),
        include_free=str(case.include_free).lower(),
        **model_params(case.model, case.provider),
    )
    if case.error is not None:
        assert doc is None and case.error in err
        assert any(case.error in item.value for item in app.error), [item.value for item in app.error]
        return
    assert (doc["verdict"], doc["headroom_tokens"], doc["used_percent"]) == (
        case.verdict,
        case.headroom,
        case.used,
    )
    boxes = [*app.success, *app.warning, *app.error]
    assert any(item.value.startswith(f"**{VERDICT_TEXT[case.verdict]}**") for item in boxes)
    shown = f"{case.headroom:,}" if case.headroom >= 0 else f"{-case.headroom:,} over"
    assert (metric(app, "Headroom (tokens)"), metric(app, "Used")) == (shown, case.used)
    if case.verdict == "does_not_fit":
        check_suggestions(case, doc, app)


SUGGESTION_LINE = re.compile(
    r"- Or use a model that fits with 10% to spare - ([^:]+): \*\*.+?\*\* \((.+?), `(.+?)`\)"
)


def check_suggestions(case: Fit, doc: dict, app: AppTest) -> None:
    classes = ("paid", "free") if case.include_free else ("paid",)
    paid = reference_suggestions(case.tokens, case.output, case.reasoning, classes)
    free = reference_suggestions(case.tokens, case.output, case.reasoning, ("free",))
    shown = {
        match.group(1): (match.group(3), match.group(2))
        for item in app.markdown
        for match in SUGGESTION_LINE.finditer(item.value)
    }
    for key, label in (("smallest_window", "smallest window"), ("cheapest", "cheapest")):
        expected = paid.get(key)
        row = doc["alternatives"][key]
        if expected is None:
            assert row is None and label not in shown
            continue
        offer, cost = expected
        assert (row["id"], row["provider"], Decimal(row["total_cost"])) == (offer.id, offer.provider, cost)
        assert shown[label] == (offer.id, offer.provider)
    expected_free = free.get("smallest_window")
    free_row = doc["free_alternatives"]["smallest_window"]
    assert (free_row and (free_row["id"], free_row["provider"])) == (
        expected_free and (expected_free[0].id, expected_free[0].provider)
    )
    if not case.include_free and expected_free is not None:
        assert shown["free or preview, smallest window"] == (expected_free[0].id, expected_free[0].provider)
    if not paid:
        texts = " ".join(item.value for item in app.markdown)
        assert "No model in the catalog takes it whole with 10% to spare" in texts


@pytest.mark.parametrize("case", FITS, ids=lambda case: case.name)
@pytest.mark.slow
def test_fit_scenario(capsys, case: Fit) -> None:
    check_fit_scenario(capsys, case)


@pytest.mark.slow
def test_fit_on_an_input_only_window_counts_the_reserves_in_it(capsys) -> None:
    offer = input_only_offer()
    # 8,192-token input limit, total unknown: judged as the total. 6,000 + 1,000 = 7,000: 1,192 free, 14.6 %
    # of the window, so "fits"; used 7,000 / 8,192 = 85.4 %. 7,500 + 1,000 = 8,500: 308 over, 103.8 %.
    check_fit_scenario(
        capsys,
        Fit(
            "input only fits",
            6_000,
            1_000,
            model=offer.id,
            provider=offer.provider,
            verdict="fits",
            headroom=1_192,
            used="85.4%",
        ),
    )
    check_fit_scenario(
        capsys,
        Fit(
            "input only over",
            7_500,
            1_000,
            model=offer.id,
            provider=offer.provider,
            verdict="does_not_fit",
            headroom=-308,
            used="103.8%",
            exit_code=1,
        ),
    )


@pytest.mark.slow
def test_fit_of_an_estimate_whose_upper_band_overflows_does_not_fit_in_both(capsys, tmp_path) -> None:
    offer = load_catalog().get("morph-v3-large", provider="morph")  # an unknown tokenizer: estimated
    # 32,000 total, at most 16,000 input: with no output reserved the input limit is 16,000
    assert (offer.context_window, offer.max_input_tokens) == (32_000, 16_000)
    text, central, upper = estimate_band_text(16_000)
    output = 0
    document = tmp_path / "report.txt"
    document.write_text(text, encoding="utf-8")
    code, doc, err = cli_json(
        capsys, "fit", str(document), "-o", str(output), "--model", "morph-v3-large", "--provider", "morph"
    )
    assert code == 1, err  # judged on the upper band, which is over: does not fit, never "tight"
    headroom = 16_000 - upper  # negative
    assert (doc["method"], doc["input_tokens"], doc["input_tokens_high"]) == ("estimate", central, upper)
    assert (doc["verdict"], doc["fits"], doc["headroom_tokens"]) == ("does_not_fit", False, headroom)
    assert f"the central estimate, {central:,}, would fit" in doc["reason"]
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update({"model": "morph-v3-large", "provider": "morph", "output": str(output)})
    app = app.run()
    app.radio(key="w_source").set_value("paste").run()
    app = app.text_area(key="pasted_text").input(text).run()
    assert not app.exception
    assert metric(app, "Tokens") == f"{central:,}"
    assert any(item.value.startswith("**Does not fit**") for item in app.error)
    assert not any(item.value.startswith("**Tight**") for item in app.warning)
    assert metric(app, "Headroom (tokens)") == f"{-headroom:,} over"


def compare_rows(app: AppTest):  # noqa: ANN201 - a pandas DataFrame
    return next(frame.value for frame in app.dataframe if "Headroom" in frame.value.columns)


@pytest.mark.slow
def test_compare_never_calls_an_estimate_over_the_limit_tight_in_both(capsys, tmp_path) -> None:
    # morph-v3-large and morph-v3-fast take at most 16,000 input tokens; the text's central estimate fits
    # that, its upper band does not: both rows do not fit, with the headroom shown as "N over"
    text, central, upper = estimate_band_text(16_000)
    document = tmp_path / "report.txt"
    document.write_text(text, encoding="utf-8")
    code, doc, err = cli_json(capsys, "compare", str(document), "--provider", "morph")
    assert code == 0, err
    rows = {row["id"]: row for row in doc["models"]}
    over = f"{upper - 16_000:,} over"
    for model in ("morph-v3-large", "morph-v3-fast"):
        row = rows[model]
        assert (row["input_tokens"], row["input_tokens_high"]) == (central, upper)
        assert (row["verdict"], row["fits"]) == ("does_not_fit", False)
        assert row["headroom_tokens"] == 16_000 - upper
        assert row["headroom_text"] == over
    assert (rows["auto"]["verdict"], rows["auto"]["headroom_text"]) == ("fits", f"{32_000 - upper:,}")
    for row in doc["models"]:  # the rule for every row: "fits" and "tight" leave 0 or more tokens free
        assert row["verdict"] == "does_not_fit" or row["headroom_tokens"] >= 0, row["id"]
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update({"view": "compare", "f_provider": "morph", "fit_only": "false", "output": "0"})
    app.query_params.update({"hide_free": "false", "model": "morph-v3-large", "provider": "morph"})
    app = app.run()
    app.radio(key="w_source").set_value("paste").run()
    app = app.text_area(key="pasted_text").input(text).run()
    assert not app.exception
    table = compare_rows(app).set_index("Id")
    for model in ("morph-v3-large", "morph-v3-fast"):
        assert (table.loc[model, "Fits"], table.loc[model, "Headroom"]) == ("Does not fit", over)
    assert table.loc["auto", "Headroom"] == f"{32_000 - upper:,}"


@pytest.mark.slow
def test_compare_headroom_is_a_number_or_window_not_known_in_both(capsys) -> None:
    # 1,000 typed tokens on OpenAI's models: gpt-4o's 128,000 leave 127,000; a model the catalog lists with
    # no window reads "window not known", never None or an empty cell
    code, doc, err = cli_json(capsys, "compare", "-i", "1000", "--provider", "openai")
    assert code == 0, err
    rows = {row["id"]: row for row in doc["models"]}
    assert (rows["gpt-4o"]["headroom_tokens"], rows["gpt-4o"]["headroom_text"]) == (127_000, "127,000")
    unknown = [row for row in doc["models"] if row["context_window"] is None]
    assert unknown and all(row["headroom_text"] == "window not known" for row in unknown)
    app = app_run(view="compare", source="tokens", tokens="1000", output="0", f_provider="openai")
    app.toggle(key="w_fit_only").set_value(False).run()
    app = app.toggle(key="w_hide_free").set_value(False).run()
    table = compare_rows(app).set_index("Id")
    assert table.loc["gpt-4o", "Headroom"] == "127,000"
    shown = [row for row in unknown if row["answers_in_text"] and row["id"] in table.index]
    assert shown and all(table.loc[row["id"], "Headroom"] == "window not known" for row in shown)
    assert all(isinstance(cell, str) and cell not in ("", "None") for cell in table["Headroom"])


@pytest.mark.slow
def test_a_model_with_no_window_is_a_catalog_error_in_both(capsys) -> None:
    offer = next(offer for offer in load_catalog().offers if not offer.context_window)
    code, doc, err = cli_json(capsys, "fit", "-i", "1000", *cli_model(offer.id, offer.provider))
    assert code == 6 and "no context window" in err
    app = app_run(source="tokens", tokens="1000", **model_params(offer.id, offer.provider))
    assert any("no context window" in item.value for item in app.warning)  # the strip: no verdict


# ------------------------------------------------------------------------------------ cost scenarios
@dataclass(frozen=True)
class Cost:
    name: str
    tokens: int
    answer: int = 0
    thinking: int = 0
    model: str = HERMES
    provider: str | None = None
    per_day: int = 1_000
    cache_hit: int = 0
    batch: bool = False
    per_request: Decimal | None = None
    per_request_text: str = ""
    per_month_text: str = ""
    exit_code: int = 0
    error: str | None = None
    fits: bool | None = True


COSTS = [
    # 100,000 x $1/M + 2,000 x $3/M = $0.106; x 1,000 x 30 = $3,180
    Cost(
        "hermes",
        100_000,
        2_000,
        per_request=Decimal("0.106"),
        per_request_text="$0.106000",
        per_month_text="$3,180.00",
    ),
    # thinking at the output price: 10,000 x $1/M + (1,000 + 2,000) x $3/M = $0.019; x 100 x 30 = $57.00
    Cost(
        "thinking at the output price",
        10_000,
        1_000,
        2_000,
        per_day=100,
        per_request=Decimal("0.019"),
        per_request_text="$0.019000",
        per_month_text="$57.00",
    ),
    # 50 % cached: 50,000 x $2.50/M + 50,000 x $1.25/M + 2,000 x $10/M = $0.2075; x 100 x 30 = $622.50
    Cost(
        "gpt-4o cached",
        100_000,
        2_000,
        model="gpt-4o",
        provider="openai",
        per_day=100,
        cache_hit=50,
        per_request=Decimal("0.2075"),
        per_request_text="$0.207500",
        per_month_text="$622.50",
    ),
    # batch: 100,000 x $1.25/M + 2,000 x $5/M = $0.135; x 1,000 x 30 = $4,050
    Cost(
        "gpt-4o batch",
        100_000,
        2_000,
        model="gpt-4o",
        provider="openai",
        batch=True,
        per_request=Decimal("0.135"),
        per_request_text="$0.135000",
        per_month_text="$4,050.00",
    ),
    # Gemini 2.5 Pro above 200,000 prompt tokens: the whole request at $2.50 / $15:
    # 250,000 x $2.50/M + 1,000 x $15/M = $0.64; x 1,000 x 30 = $19,200
    Cost(
        "long-context tier",
        250_000,
        1_000,
        model="gemini-2.5-pro",
        provider="google",
        per_request=Decimal("0.64"),
        per_request_text="$0.640000",
        per_month_text="$19,200.00",
    ),
    # Hermes lists no batch price: unknown, never $0 (the CLI stops with exit 7)
    Cost(
        "unknown batch price",
        100_000,
        2_000,
        batch=True,
        per_request_text="unknown",
        exit_code=7,
        error="batch_input",
    ),
    # an answer above GPT-4o's 16,384 max output: refused (exit 8) before pricing, in both
    Cost(
        "answer above max output",
        1_000,
        100_000,
        model="gpt-4o",
        provider="openai",
        exit_code=8,
        error="writes at most 16,384 output tokens",
    ),
    # a request larger than the window is priced, with a warning: 200,000 x $1/M = $0.20; x 1,000 x 30
    Cost(
        "priced but does not fit",
        200_000,
        per_request=Decimal("0.2"),
        per_request_text="$0.200000",
        per_month_text="$6,000.00",
        fits=False,
    ),
]


@pytest.mark.parametrize("case", COSTS, ids=lambda case: case.name)
@pytest.mark.slow
def test_cost_scenario(capsys, case: Cost) -> None:
    cached = case.tokens * case.cache_hit // 100
    args = [
        "cost",
        "-i",
        str(case.tokens),
        "-o",
        str(case.answer),
        "-r",
        str(case.thinking),
        "--cached-tokens",
        str(cached),
        "--per-day",
        str(case.per_day),
        *(["--batch"] if case.batch else []),
    ]
    code, doc, err = cli_json(capsys, *args, *cli_model(case.model, case.provider))
    assert code == case.exit_code, err
    app = app_run(
        view="cost",
        source="tokens",
        tokens=str(case.tokens),
        answer=str(case.answer),
        thinking=str(case.thinking),
        requests_per_day=str(case.per_day),
        cache_hit=str(case.cache_hit),
        batch=str(case.batch).lower(),
        **model_params(case.model, case.provider),
    )
    if case.exit_code == 8:
        assert doc is None and case.error in err
        assert any(case.error in item.value for item in app.error), [item.value for item in app.error]
        return
    if case.exit_code == 7:
        assert doc is None and case.error in err and "unknown" in err
        assert metric(app, "Per request") == "unknown"
        assert any(case.error in item.value for item in app.warning)
        return
    assert Decimal(doc["total_cost"]) == case.per_request
    assert Decimal(doc["per_month"]) == case.per_request * case.per_day * 30
    assert (metric(app, "Per request"), metric(app, "Per month (30 days)")) == (
        case.per_request_text,
        case.per_month_text,
    )
    assert doc["fits"] is case.fits
    warned = any("does not fit" in item.value for item in app.warning)
    assert warned is (case.fits is False)


# ------------------------------------------------------------------------------------- the model page
@pytest.mark.slow
def test_the_model_page_compares_windows_in_the_same_words(capsys) -> None:
    code, doc, _ = cli_json(capsys, "model", HERMES)
    assert code == 0
    code, out = run_app(["model", HERMES]), capsys.readouterr().out
    app = app_run(view="model")
    # the app's lines are buttons that open the side-by-side view, their Markdown escaped: read them as shown
    shown = " ".join(item.label for item in app.button).replace("\\", "")
    # 131,072 vs 42,000: floor(212.08) = 212; vs 4,096: 3100; vs 100,000: 31
    for percent, other in (
        (212, "amazon.titan-text-express-v1"),
        (3100, "anyscale/codellama/CodeLlama-34b-Instruct-hf"),
    ):
        row = next(row for row in doc["comparisons"] if row["id"] == other)
        assert row["percent_larger"] == percent
        where = f"({row['provider']}, {row['context_window']:,} tokens)"
        line = f"{percent} % larger context window than {row['name']} {where}"
        assert line in out and line in shown
    same = [row for row in doc["comparisons"] if row["relation"] == "same"]
    for row in same:  # never "0 % larger"
        assert f"the same context window as {row['name']}" in out and "0 % larger" not in out
