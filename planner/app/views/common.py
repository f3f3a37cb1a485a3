"""What the views share: their arguments, warnings and the words of the reserves."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from planner.advice.model_page import reserve_note
from planner.advice.one_answer import OneAnswer
from planner.app.user_input import UserInput
from planner.catalog.schema import ModelOffer

# The answers with no fit to draw: no input, an image refused, a count refused, reserves too large.
BLOCKED = ("no_input", "refused", "bad_input", "reserve_above_max_output", "reserve_too_large")


@dataclass(frozen=True)
class ViewInput:
    """What every view is drawn from: the input, the model, the reserves at the top and the one answer."""

    user: UserInput
    offer: ModelOffer
    output: int
    reasoning: int
    answer: OneAnswer

    @property
    def blocked(self) -> bool:
        """No per-input answer can be drawn: no input, an image the model refuses, reserves too large."""
        return self.answer.state in BLOCKED


def show_warnings(lines: list[str]) -> None:
    """Stale prices or a retiring model (planner.catalog.freshness), one warning each."""
    for line in lines:  # the core's sentences start in lower case, as the command line prints them
        st.warning(line[:1].upper() + line[1:])


def page_reserves(output: int, reasoning: int) -> str:
    return reserve_note(output, reasoning) + ", as set at the top"


def blocked_note(view: ViewInput, what: str) -> None:
    """The line a view shows in place of its per-input answer when the strip at the top says why none."""
    st.caption(f"{what}: see the answer at the top ({view.answer.label.lower()}).")
