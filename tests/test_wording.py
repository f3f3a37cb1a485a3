"""The presentation vocabulary (planner.wording): one money rule, one per-million rule, one verdict label per
verdict and one "unknown" text. Expected strings are written out by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.wording import (
    PER_MILLION,
    per_million_text,
    usd,
    usd_per_million,
    verdict_label,
    yes_no,
)


@pytest.mark.parametrize(
    ("amount", "places", "shown"),
    [
        ("1", 6, "$1.000000"),  # 6 places from $1 up too: "$1.00" sat next to "$0.002500"
        ("0.0025", 6, "$0.002500"),
        ("0.106", 6, "$0.106000"),
        ("3180", 2, "$3,180.00"),
        ("1234.5", 2, "$1,234.50"),
        ("0", 2, "$0.00"),
        ("0", 6, "$0.000000"),
        # tiny: two significant digits, never shown as zero, trailing zeros dropped
        ("0.00000043", 6, "$0.00000043"),  # was "$0.0000004" in the CLI (7 % off)
        ("0.0000004", 6, "$0.0000004"),
        ("0.000000435", 6, "$0.00000044"),  # half up
        ("0.004", 2, "$0.004"),
        ("0.0049", 2, "$0.0049"),
    ],
)
def test_money_has_fixed_places_and_tiny_amounts_two_significant_digits(amount, places, shown):
    assert usd(D(amount), places) == shown


def test_unknown_money_is_unknown_never_zero():
    assert usd(None) == "unknown"
    assert usd_per_million(None) == "unknown"
    assert per_million_text(None) == "unknown"


@pytest.mark.parametrize(
    ("per_million", "shown"),
    [
        ("0.0145", "$0.0145"),
        ("0.121", "$0.121"),
        ("1.25", "$1.25"),
        ("10", "$10.00"),
        ("0.1", "$0.10"),
        ("0.283333", "$0.283333"),  # 6 places: not "$0.283"
        ("0.000123456", "$0.000123"),  # 6 places at most ...
        ("0.0000004", "$0.0000004"),  # ... unless 6 would show a non-zero price as zero
        ("0", "$0.00"),
        ("1250", "$1,250.00"),
    ],
)
def test_prices_per_million_show_the_places_they_need_up_to_six(per_million, shown):
    assert usd_per_million(D(per_million)) == shown


@pytest.mark.parametrize(
    ("per_token", "shown"),
    [
        ("0.000001", "$1.00"),
        ("0.0000004", "$0.40"),
        ("0.00000013", "$0.13"),
        ("0.0000000145", "$0.0145"),
        ("0.000000283333333333", "$0.283333"),  # the hosts, cost and model-page figure, everywhere
        ("0.000000000001", "$0.000001"),
        ("0.00125", "$1,250.00"),
    ],
)
def test_a_catalog_price_per_token_reads_per_million(per_token, shown):
    assert per_million_text(D(per_token)) == shown
    assert D(10) ** 6 == PER_MILLION


@given(st.decimals(min_value=D("1e-12"), max_value=D("1e9"), places=12, allow_nan=False))
def test_no_non_zero_amount_is_shown_as_zero(amount):
    for shown in (usd(amount), usd(amount, 2), usd_per_million(amount)):
        assert D(shown.lstrip("$").replace(",", "")) != 0


@given(st.decimals(min_value=D("1e-12"), max_value=D("1e-6"), places=14, allow_nan=False))
def test_a_tiny_amount_is_within_five_percent(amount):
    shown = D(usd(amount).lstrip("$"))
    assert abs(shown - amount) <= amount * D("0.05")


def test_one_label_per_verdict_and_one_unknown_text():
    assert [verdict_label(v) for v in ("fits", "tight", "does_not_fit")] == ["fits", "tight", "does not fit"]
    assert verdict_label(None) == verdict_label("unknown") == "window not known"


def test_yes_no_unknown():
    assert [yes_no(True), yes_no(False), yes_no(None)] == ["yes", "no", "unknown"]
