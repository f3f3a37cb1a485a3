"""Every numeric option of every command refuses a value that is not a plain number in range (NaN, sNaN,
infinities, exponents that overflow, digits of other scripts, numbers too long to read) with one `error:` line
and exit 2: never a traceback, never a silently taken number."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import run_app

BATCH = str(Path(__file__).resolve().parents[1] / "fixtures" / "batch" / "openai_20.jsonl")

# (command line before the option, the option): every option that takes a number, on every command. The
# conversation parts (--system/--user/--answer) take TOKENS|FILE|TEXT, so "nan" there is text: not listed.
NUMERIC_OPTIONS: list[tuple[list[str], str]] = [
    *[(["fit", "-i", "100"], option) for option in ["-o", "-r", "--overlap", "--headroom"]],
    (["fit"], "-i"),
    *[
        (["cost", "-i", "100", "--per-day", "10"], option)
        for option in ["-o", "-r", "--cached-tokens", "--cache-write-tokens", "--requests", "--days"]
    ],
    (["cost", "-i", "100"], "--per-day"),
    (["cost"], "-i"),
    *[
        (["compare", "-i", "100"], option)
        for option in [
            "-o",
            "-r",
            "--cached-tokens",
            "--min-context",
            "--max-input-price",
            "--max-output-price",
            "--limit",
        ]
    ],
    (["compare"], "-i"),
    *[(["model", "-i", "100"], option) for option in ["-o", "-r"]],
    (["model"], "-i"),
    *[
        (["hosts", "nousresearch/hermes-4-405b", "-i", "100"], option)
        for option in ["-o", "-r", "--cached-tokens"]
    ],
    (["hosts", "nousresearch/hermes-4-405b"], "-i"),
    (["batch", BATCH], "-o"),
    *[(["conversation"], option) for option in ["--turns", "-r"]],
    *[(["models"], option) for option in ["--min-context", "--max-input-price", "--max-output-price"]],
    (["count", BATCH, "--field", "custom_id"], "--max-tokens-per-row"),
    (["count", BATCH, "--engine", "dask"], "--workers"),
    (["catalog", "refresh"], "--timeout"),
    (["catalog", "refresh"], "--retries"),
]

# Digits of scripts other than ASCII (full-width, Arabic-Indic, Devanagari, ...): str.isdigit() and
# Decimal() take them, a user typing a token count never means them.
FOREIGN_DIGITS = "０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९০১২৩৪৫৬৭৮৯"
NOT_NUMBERS = ["nan", "NaN", "-nan", "snan", "sNaN", "inf", "-inf", "+Infinity", "Infinity", "nan%", "inf%"]

bad_values = st.one_of(
    st.sampled_from(NOT_NUMBERS),
    # exponents far outside any count, price or share (Decimal and float overflow or underflow)
    st.builds(
        lambda mantissa, exponent, sign: f"{mantissa}e{sign}{exponent}",
        st.integers(1, 9),
        st.integers(400, 10**10),
        st.sampled_from(["", "+", "-"]),
    ),
    st.text(alphabet=FOREIGN_DIGITS, min_size=1, max_size=6),
    st.builds(lambda count: "9" * count, st.integers(4400, 6000)),  # past Python's int-from-text limit
)


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_app(argv)
    return code, err.getvalue()


@pytest.mark.parametrize(("before", "option"), NUMERIC_OPTIONS, ids=lambda part: str(part))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=bad_values)
@pytest.mark.slow
def test_a_bad_number_is_one_error_line_and_exit_2(before: list[str], option: str, value: str) -> None:
    code, err = _run([*before, option, value])
    assert code == 2, (before, option, value, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["fit", "-i", "100", "--headroom", "nan"], "--headroom"),
        (["fit", "-i", "100", "--headroom", "1e999999999"], "--headroom"),
        (["cost", "-i", "１００"], "--input-tokens"),
        (["models", "--max-input-price", "١٠٠"], "--max-input-price"),
        (["catalog", "refresh", "--timeout", "inf"], "--timeout"),
        (["count", "--text", "hi", "--max-tokens-per-row", "nan"], "--max-tokens-per-row"),
        (["cost", "-i", "1", "--requests", "2e12"], "--requests must be a whole number of requests"),
        (["cost", "-i", "1", "--requests", "2000000000000"], "at most 1,000,000,000,000 (10^12) requests"),
        (["cost", "-i", "1", "--per-day", "5", "--days", "9" * 20], "(10^12) days, got '99999"),
    ],
)
def test_the_error_names_the_option(argv: list[str], words: str) -> None:
    code, err = _run(argv)
    assert code == 2 and words in err, err
