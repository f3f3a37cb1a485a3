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


def test_a_big_text_with_a_few_non_ascii_runs() -> None:
    text = ("word " * 20_000 + "\n") * 3 + "日本\u3000語\u00a0x\n" + "tail " * 50_000
    assert utf8_stats(text.encode("utf-8")) == expected(text)


# bytes that make or break UTF-8: ASCII, continuations, every kind of lead (overlong C0/C1, E0 and F0 that
# need a high second byte, ED that must not start a surrogate, F4 that must stay under U+110000, F5-FF never)
_UTF8_BYTES = st.sampled_from(
    [
        0x0A,
        0x41,
        0x80,
        0x8F,
        0x90,
        0x9F,
        0xA0,
        0xBF,
        0xC0,
        0xC1,
        0xC2,
        0xDF,
        0xE0,
        0xE1,
        0xED,
        0xEE,
        0xEF,
        0xF0,
        0xF1,
        0xF4,
        0xF5,
        0xFF,
    ]
)


@settings(max_examples=500, deadline=None)
@given(raw=st.one_of(st.binary(max_size=300), st.lists(_UTF8_BYTES, max_size=40).map(bytes)))
def test_validity_is_the_decoders(raw: bytes) -> None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(UnicodeDecodeError):
            check_utf8(raw)
        with pytest.raises(UnicodeDecodeError):
            utf8_stats(raw)
    else:
        check_utf8(raw)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="a \n\u00e9\u65e5\U0001f600", max_size=60), junk=_UTF8_BYTES, at=st.integers(0, 80)
)
def test_a_bad_byte_next_to_a_good_character_is_found(text: str, junk: int, at: int) -> None:
    good = text.encode("utf-8")
    raw = good[:at] + bytes([junk]) + good[at:]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(UnicodeDecodeError):
            check_utf8(raw)
    else:
        check_utf8(raw)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=100))
def test_high_offsets_are_every_byte_from_0x80(raw: bytes) -> None:
    import numpy as np

    values = np.frombuffer(raw, dtype=np.uint8)
    found = module.high_offsets(values, np.empty(len(values), dtype=np.bool_))
    assert found.tolist() == [at for at, byte in enumerate(raw) if byte >= 0x80]


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


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=400))
def test_text_read_in_pieces_gives_the_decoded_texts_figures(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "PIECE_BYTES", 8)  # pieces of a few bytes: every kind of cut is met
        assert utf8_stats(text.encode("utf-8")) == (expected(text) if text else (0, 0, 0, 0))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=100), junk=st.binary(min_size=1, max_size=4), at=st.integers(0, 400))
def test_invalid_bytes_in_any_piece_are_found(text: str, junk: bytes, at: int) -> None:
    good = ("日本語の行 text\n" * 20 + text + "\n").encode("utf-8", "replace")
    raw = good[:at] + junk + good[at:]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "PIECE_BYTES", 16)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            with pytest.raises(UnicodeDecodeError):
                utf8_stats(raw)
        else:
            assert utf8_stats(raw) == expected(raw.decode("utf-8"))


def test_a_big_segment_of_japanese_is_read_in_pieces_of_about_piece_bytes(monkeypatch) -> None:
    """A 16 MB segment of CJK text held ~400 MB at once (8 bytes of offset per non-ASCII byte): its pieces
    stay near PIECE_BYTES, cut after newlines, or spaces where a line is longer, and the figures are the
    decoded text's."""
    sizes: list[int] = []
    piece_stats = module._piece_stats

    def measured(data, check):  # noqa: ANN001, ANN202
        sizes.append(len(data))
        return piece_stats(data, check)

    monkeypatch.setattr(module, "_piece_stats", measured)
    line = "東京の会議は午後三時に始まります。" * 6 + "\n"
    long_line = "長い行 " * 400_000  # ~4 MB without a newline: cut after its spaces
    text = line * 40_000 + long_line + "\n" + line * 20_000
    data = text.encode("utf-8")
    assert utf8_stats(data) == expected(text)
    assert len(sizes) > 6 and max(sizes) <= 2 * module.PIECE_BYTES and sum(sizes) == len(data)
