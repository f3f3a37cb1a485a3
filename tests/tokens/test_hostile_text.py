"""Hostile text (issue 12, items 1-2): long whitespace runs count exactly, lone surrogates never crash.

A run of one whitespace character is one pre-token of every family's pattern (the pattern never splits inside
it), merged by BPE into equal blocks: past a few characters, adding one block's length adds exactly one token.
tiktoken (another engine) counts runs up to ~30,000 characters and shows the period; the 1,000,000-character
count must be tiktoken's count of a shorter run of the same length modulo the period plus one token per
period more.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.inputs import count_inputs
from planner.tokens.counts import count_tokens
from planner.tokens.encoders import get_encoding
from planner.tokens.families import FAMILIES, exact_family_names

RUN = 1_000_000
WHITESPACE = [" ", "\t", "\u00a0", "\u3000"]


def _tiktoken_run(family: str, char: str, length: int) -> int:
    return len(get_encoding(family).encode_ordinary("a" + char * length + "b"))


@pytest.mark.parametrize("family", ["o200k_base", "llama3"])
@pytest.mark.parametrize("char", WHITESPACE)
@pytest.mark.slow
def test_a_million_whitespace_characters_count_exactly(family: str, char: str) -> None:
    # the period of the run's BPE, and proof by tiktoken that it is one (at three starting lengths)
    period = 1024 // (_tiktoken_run(family, char, 6144) - _tiktoken_run(family, char, 5120))
    for base in (5_000, 5_001, 7_777):
        assert _tiktoken_run(family, char, base + 3 * period) == _tiktoken_run(family, char, base) + 3
    short = 8_192 + (RUN - 8_192) % period  # the same length modulo the period, short enough for tiktoken
    expected = _tiktoken_run(family, char, short) + (RUN - short) // period
    count = count_tokens("a" + char * RUN + "b", family)
    assert count.method == "exact"
    assert count.tokens == expected, (family, repr(char), period)


@pytest.mark.parametrize("family", exact_family_names())
@pytest.mark.slow
def test_every_exact_family_counts_long_mixed_runs_without_error(family: str) -> None:
    text = "start" + " \t\u00a0\u3000" * 50_000 + "\n" * 1000 + " " * 200_000 + "end"
    count = count_tokens(text, family)
    assert count.method == "exact" and count.tokens > 0


def test_a_folder_with_a_huge_whitespace_file_is_scanned_whole(tmp_path: Path) -> None:
    (tmp_path / "spaces.txt").write_text("x" + " " * RUN + "y", encoding="utf-8")
    (tmp_path / "note.md").write_text("# A note\n", encoding="utf-8")
    report = count_inputs([tmp_path], ["llama3"])
    assert [row.skipped for row in report.files] == [None, None]
    expected = (
        count_tokens("x" + " " * RUN + "y", "llama3").tokens + count_tokens("# A note\n", "llama3").tokens
    )
    assert report.counts["llama3"].tokens == expected


@pytest.mark.parametrize("family", [name for name in FAMILIES if name != "o200k_harmony"])
def test_a_lone_surrogate_counts_as_a_replacement_character(family: str) -> None:
    assert count_tokens("a\ud800b", family).tokens == count_tokens("a\ufffdb", family).tokens
    assert count_tokens("\udfff", family).tokens == count_tokens("\ufffd", family).tokens


def _planner(*args: str | bytes, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], input=stdin, capture_output=True, timeout=120
    )


@pytest.mark.slow
def test_messages_with_a_lone_surrogate_count_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text('[{"role": "user", "content": "hi \\ud800"}]', encoding="utf-8")
    result = _planner("count", "--messages", str(path), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["method"] == "exact" and document["tokens"] > 0
    assert b"Traceback" not in result.stderr


@pytest.mark.slow
def test_conversation_with_an_invalid_byte_in_the_system_text_answers(tmp_path: Path) -> None:
    result = _planner("conversation", "--system", b"a\xff b", "--user", "10", "--answer", "10", "--json")
    assert b"Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)


_HOSTILE = st.one_of(
    st.text(st.characters(exclude_categories=("Cn",)), max_size=80),  # all of Unicode, lone surrogates too
    st.lists(
        st.one_of(
            st.sampled_from(
                ["\x00", "\ud800", "\udbff\udc00", "<|endoftext|>", "<|eot_id|>", "[INST]", "<s>"]
            ),
            st.sampled_from([" ", "\t", "\u00a0", "\u3000", "\n"]).map(lambda char: char * 3000),
            st.text(max_size=5),
        ),
        max_size=8,
    ).map("".join),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_HOSTILE)
@pytest.mark.slow
def test_hostile_text_never_raises_and_exact_families_equal_tiktoken(text: str) -> None:
    """tiktoken over the same verified files is the reference engine for the rank-file families; every other
    exact family is compared with its vendor's reference in tests/tokens/test_engines.py."""
    cleaned = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    for family in FAMILIES:
        count = count_tokens(text, family)
        assert count.tokens_low <= count.tokens <= count.tokens_high
        if family in ("o200k_base", "cl100k_base", "llama3", "llama4"):
            assert count.tokens == len(get_encoding(family).encode_ordinary(cleaned)), family
