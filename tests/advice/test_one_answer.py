"""The one answer at the top of every view of the app (planner.advice.one_answer), hand-checked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planner.advice.one_answer import one_answer
from planner.catalog import load_catalog
from planner.tokens.counts import TokenCount

HERMES = "nousresearch/hermes-4-405b"  # 131,072 window, $1 / $3 per million (data/SOURCES.md)


@pytest.fixture(scope="module")
def hermes():
    return load_catalog().get(HERMES)


def exact(tokens: int) -> TokenCount:
    return TokenCount.exact("llama3", tokens, "test")


def test_a_fitting_input_has_its_headroom_and_price(hermes) -> None:
    answer = one_answer(hermes, exact(22_601), 4_000)
    assert (answer.state, answer.label) == ("fits", "Fits")
    assert answer.headroom == "104,471"  # 131,072 - 22,601 - 4,000
    assert answer.cost == Decimal("0.034601")  # 22,601 x $1/M + 4,000 x $3/M
    assert answer.sentence == "The input fits with 104,471 tokens to spare."


def test_an_input_over_the_window_says_by_how_much(hermes) -> None:
    answer = one_answer(hermes, exact(131_072), 1)
    assert answer.state == "does_not_fit" and answer.headroom == "1 over"
    assert "1 token over the 131,071 input tokens the reserves leave" in answer.sentence
    assert answer.cost == Decimal("0.131075")  # 131,072 x $1/M + 1 x $3/M


def test_nothing_given_is_no_verdict_and_no_price(hermes) -> None:
    answer = one_answer(hermes, None, 2_000)
    assert answer.state == "no_input" and answer.cost is None and not answer.cost_known
    assert "Fits" not in answer.label


def test_reserves_larger_than_the_window_are_the_verdict_in_words(hermes) -> None:
    answer = one_answer(hermes, exact(1_000), 200_000)
    assert answer.state == "reserve_too_large" and answer.label == "Reserve too large"
    assert "68,928 tokens over" in answer.sentence  # 200,000 - 131,072
    assert "-" not in answer.sentence.replace("131,072-token", "")  # never a negative number


def test_an_image_is_refused_by_a_model_that_takes_none(hermes) -> None:
    answer = one_answer(hermes, exact(765), 2_000, images=1, find_vision="the app's filter")
    assert answer.state == "refused" and answer.cost is None
    assert (
        answer.sentence.startswith(f"{HERMES} does not accept images")
        and "the app's filter" in answer.sentence
    )


def test_a_reserve_above_the_max_output_is_refused_as_the_cli_does() -> None:
    gpt4o = load_catalog().get("gpt-4o", provider="openai")
    assert gpt4o.max_output_tokens == 16_384
    answer = one_answer(gpt4o, TokenCount.exact("o200k_base", 100, "test"), 20_000)
    assert answer.state == "reserve_above_max_output" and "16,384" in answer.sentence


def test_a_count_the_rule_refuses_is_said_not_raised(hermes) -> None:
    answer = one_answer(hermes, exact(10**19), 0)
    assert answer.state == "bad_input" and "at most 10^18" in answer.sentence


def test_an_unknown_window_has_no_verdict_but_may_have_a_price() -> None:
    offer = next(offer for offer in load_catalog().offers if not offer.context_window)
    answer = one_answer(offer, TokenCount.exact("llama3", 10, "test"), 0)
    assert answer.state == "unknown_window" and answer.headroom == "-"
