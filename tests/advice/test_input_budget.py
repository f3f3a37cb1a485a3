"""A caller's own cap on input tokens (`planner fit --max-input-tokens N`, the pre-commit gate): the limit
that binds when it is below the model's, with the fit rule's verdict, tight bar and wording."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from planner.advice.answers import advise_fit
from planner.advice.fit_rule import check_fit
from planner.catalog.schema import ModelOffer, Pricing
from planner.cli import run_app
from planner.errors import UsageError
from planner.tokens.counts import TokenCount

WINDOW = 131_072
MODEL = ModelOffer(
    id="test/model",
    name="Test",
    provider="test",
    source="test",
    tokenizer="llama3",
    context_window=WINDOW,
    pricing=Pricing(input=D("0.000001"), output=D("0.000003")),
    as_of=date(2026, 1, 1),
)


def test_budget_below_the_window_binds() -> None:
    over = check_fit(MODEL, 10_001, 1_000, input_budget=10_000)
    assert (over.verdict, over.limited_by, over.input_limit) == ("does_not_fit", "budget", 10_000)
    assert over.headroom_tokens == -1 and over.chunks_needed == 2
    assert over.reason == "the input is 1 token over the 10,000-token input budget"
    assert over.input_limit_used_percent == "100.010%"  # 10,001 / 10,000, rounded up
    fits = check_fit(MODEL, 9_000, 1_000, input_budget=10_000)
    assert (fits.verdict, fits.headroom_tokens) == ("fits", 1_000)  # 10 % of the budget free: not tight
    tight = check_fit(MODEL, 9_600, input_budget=10_000)
    assert tight.verdict == "tight"  # 400 free < 5 % of 10,000


def test_budget_above_what_the_window_leaves_changes_nothing() -> None:
    plain = check_fit(MODEL, 130_000, 2_000)
    assert check_fit(MODEL, 130_000, 2_000, input_budget=200_000) == plain.model_copy(
        update={"input_budget": 200_000}
    )
    assert plain.limited_by == "window" and plain.input_limit == WINDOW - 2_000


def test_an_estimate_is_judged_on_its_upper_band_against_the_budget() -> None:
    count = TokenCount(
        tokenizer="claude",
        method="estimate",
        tokens=9_500,
        tokens_low=9_000,
        tokens_high=10_400,
        basis="test band",
    )
    result = check_fit(MODEL, count, input_budget=10_000)
    assert result.verdict == "does_not_fit"
    assert "400 tokens over the 10,000-token input budget" in result.reason
    assert "the central estimate, 9,500, would fit" in result.reason


def test_no_model_is_suggested_over_a_budget() -> None:
    def counts_for(families):
        raise AssertionError("suggestions should not be looked for over a budget")

    advice = advise_fit(
        MODEL,
        TokenCount.exact("llama3", 20_000),
        pools={"paid": [MODEL]},
        counts_for=counts_for,
        input_budget=10_000,
    )
    assert advice.fit.verdict == "does_not_fit" and advice.suggestions is None
    with pytest.raises(UsageError):
        check_fit(MODEL, 1, input_budget=-1)


def test_fit_cli_exits_1_over_the_budget_and_0_under_it(capsys) -> None:
    assert run_app(["fit", "--input-tokens", "8001", "--max-input-tokens", "8000", "--json"]) == 1
    assert '"limited_by": "budget"' in capsys.readouterr().out
    assert run_app(["fit", "--input-tokens", "7000", "--max-input-tokens", "8000"]) == 0
    assert "input budget" in capsys.readouterr().out
