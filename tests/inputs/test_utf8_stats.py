"""Words, lines, characters and validity read off UTF-8 bytes equal what the decoded text says."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.inputs import utf8_stats as module
from planner.inputs.utf8_stats import check_utf8, utf8_stats


@pytest.fixture(autouse=True)
def numpy_on_short_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "NUMPY_MIN_BYTES", 0)


def expected(text: str) -> tuple[int, int, int, int]:
    return len(text.split()), text.count("\n"), text.count("\x00"), len(text)


# every kind of whitespace str.split() knows, control characters it does not split on, and characters whose
# UTF-8 shares lead bytes with the non-ASCII spaces (U+00A9, U+2014, U+2019, U+3001, U+1690)
_ALPHABET = st.sampled_from(
    list("ab 日\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x00\x01\x08\x0e\x1b\x7f\x85\xa0\xa9\u1680\u1690\u2000\u200a")
    + list("\u200b\u2014\u2019\u2028\u2029\u202f\u205f\u2060\u3000\u3001\U0001f600é")
)


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=80))
def test_figures_equal_the_decoded_texts(text: str) -> None:
    assert utf8_stats(text.encode("utf-8")) == (expected(text) if text else (0, 0, 0, 0))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        with pytest.raises(UnicodeDecodeError):
            utf8_stats(data)
        assert utf8_stats(data, check=False) == expected(text)  # a lone surrogate is one character
    else:
        assert utf8_stats(data) == expected(text)


def test_a_big_text_across_validation_windows() -> None:
    text = ("word " * 20_000 + "\n") * 3 + "日本\u3000語\u00a0x\n" + "tail " * 50_000
    assert utf8_stats(text.encode("utf-8")) == expected(text)


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=300), window=st.sampled_from([4, 16, 64 * 1024]))
def test_validity_is_the_decoders(raw: bytes, window: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "VALIDATE_WINDOW", window)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            with pytest.raises(UnicodeDecodeError):
                check_utf8(raw)
        else:
            check_utf8(raw)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=100), junk=st.binary(min_size=1, max_size=4), at=st.integers(0, 400))
def test_invalid_bytes_anywhere_in_a_long_text_are_found(text: str, junk: bytes, at: int) -> None:
    good = ("line of text\n" * 20 + text + "\n").encode("utf-8", "replace")
    raw = good[:at] + junk + good[at:]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(UnicodeDecodeError):
            utf8_stats(raw)
