"""A big input counts on the bulk engine (gigatoken) from its first byte, on UTF-8 bytes as they are, and its
totals equal tiktoken over the vendor's rank file: pieces cut at safe points, across processes, with
invalid bytes, in other encodings, empty, or holding a lone surrogate."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.inputs import count_inputs, count_text_input, files, parallel
from planner.tokens import encoders
from planner.tokens.encoders import build_engine
from planner.tokens.families import encoder_for

CORPUS = Path(__file__).parents[1] / "corpus"
BULK = ["llama3", "o200k_base"]  # the default model's family and OpenAI's (gigatoken over a json, over ranks)


def corpus_text(repeat: int = 4) -> str:
    parts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.iterdir()) if path.is_file()]
    return "\n".join(parts * repeat) + "\n"


def reference(text: str, family: str) -> int:
    """tiktoken over the verified rank file: an engine apart from gigatoken's."""
    return len(build_engine(family, "tiktoken").encoding.encode_ordinary(text))  # type: ignore[attr-defined]


@pytest.fixture
def bulk_from_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fresh encoders whose bulk engine pays from 64 KB of text on; files over 64 KB are streamed."""
    monkeypatch.setattr(encoders, "_encoders", {})
    monkeypatch.setattr(encoders, "BULK_AFTER", {})
    monkeypatch.setattr(encoders, "BULK_AFTER_CHARS", 64 * 1024)
    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 64 * 1024)


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1 << 40)


def across_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs over 64 KB go to the process pool, in segments of 16 KB and more."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 64 * 1024)
    monkeypatch.setattr(parallel, "MIN_SEGMENT_BYTES", 16 * 1024)


class _Refuses:
    engine = "refuses"

    def count(self, text: str, continuation: bool = False) -> int:
        raise AssertionError("the first engine counted part of a big input")


def test_a_short_input_never_loads_the_bulk_engine(bulk_from_start, in_process) -> None:
    report = count_text_input("Does this one line fit?", BULK)
    assert report.counts["llama3"].tokens == reference("Does this one line fit?", "llama3")
    assert [encoder_for(family).engine for family in BULK] == ["splintr", "splintr"]


@pytest.mark.slow
def test_a_big_file_counts_on_the_bulk_engine_from_its_first_byte(
    tmp_path, bulk_from_start, in_process, monkeypatch
) -> None:
    text = corpus_text()
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))
    for family in BULK:  # the first engine (splintr) must not count a byte of it
        monkeypatch.setattr(encoder_for(family), "first", _Refuses())
    report = count_inputs([path], BULK)
    assert [encoder_for(family).engine for family in BULK] == ["gigatoken", "gigatoken"]
    for family in BULK:
        assert report.counts[family].tokens == reference(text, family), family
        assert report.counts[family].method == "exact"
    assert (report.words, report.chars, report.bytes) == (len(text.split()), len(text), len(text.encode()))
    assert report.lines == text.count("\n")


@pytest.mark.slow
def test_bytes_pieces_cut_at_safe_points_across_processes_sum_exactly(
    tmp_path, bulk_from_start, monkeypatch
) -> None:
    across_processes(monkeypatch)
    text = corpus_text()
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))
    report = count_inputs([path], BULK)
    for family in BULK:
        assert report.counts[family].tokens == reference(text, family), family
    assert (report.words, report.chars) == (len(text.split()), len(text))


@pytest.mark.slow
@pytest.mark.parametrize("forked", [False, True])
def test_invalid_bytes_count_as_replacement_characters(
    tmp_path, bulk_from_start, monkeypatch, forked
) -> None:
    if forked:
        across_processes(monkeypatch)
    else:
        monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1 << 40)
    good = corpus_text().encode("utf-8")
    middle = len(good) // 2
    raw = (
        good[:1000] + b"\xff\xfe" + good[1000:middle] + b"\xc3(" + good[middle:] + b"\xe2\x82"
    )  # cut at the end
    path = tmp_path / "damaged.txt"
    path.write_bytes(raw)
    report = count_inputs([path], BULK)
    # each invalid byte is one U+FFFD (planner's rule: see planner.inputs.readers)
    text = "".join(
        "\ufffd" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in raw.decode("utf-8", "surrogateescape")
    )
    for family in BULK:
        assert report.counts[family].tokens == reference(text, family), family
    assert (report.words, report.chars) == (len(text.split()), len(text))
    assert report.files[0].warnings == ["invalid UTF-8: 5 bytes replaced with U+FFFD"]


@pytest.mark.slow
@pytest.mark.parametrize("codec", ["utf-16", "cp1252"])
def test_a_big_file_in_another_encoding(tmp_path, bulk_from_start, in_process, codec) -> None:
    text = corpus_text(2)
    if codec == "cp1252":
        text = "".join(c for c in text if c.isascii() or c in "äöüßéèàç€") + "Grüße, déjà vu: 5 €\n" * 50
    path = tmp_path / f"text.{codec}.txt"
    path.write_bytes(text.encode(codec))
    report = count_inputs([path], BULK)
    assert report.files[0].encoding == codec
    for family in BULK:
        assert report.counts[family].tokens == reference(text, family), family
    assert (report.words, report.chars) == (len(text.split()), len(text))


def test_an_empty_file_and_a_lone_surrogate(tmp_path, bulk_from_start, in_process) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    report = count_inputs([path], BULK)
    assert [report.counts[family].tokens for family in BULK] == [0, 0]
    text = ("a lone \ud800 surrogate in a long text\n" * 3000)[:-1]
    report = count_text_input(text, BULK)  # 100 KB: the bulk engine, on text it encodes itself
    assert [encoder_for(family).engine for family in BULK] == ["gigatoken", "gigatoken"]
    for family in BULK:
        assert report.counts[family].tokens == reference(text, family)  # tiktoken: U+FFFD for it
    assert (report.words, report.chars) == (len(text.split()), len(text))


@pytest.mark.slow
def test_the_figures_are_read_apart_while_the_engine_loads(tmp_path, bulk_from_start, monkeypatch) -> None:
    from planner.inputs import bulk_files

    across_processes(monkeypatch)
    started: list[int] = []

    class Spy(bulk_files.FiguresRun):
        def __init__(self, segments) -> None:
            started.append(len(segments))
            super().__init__(segments)

    monkeypatch.setattr(parallel, "FiguresRun", Spy)
    text = corpus_text()
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(text.encode("utf-8")[::-1].decode("utf-8", "replace").encode("utf-8"))
    report = count_inputs([tmp_path / "a.txt", tmp_path / "b.txt"], BULK)
    assert started and started[0] > 2  # both files' segments, in one process
    both = text + (tmp_path / "b.txt").read_text(encoding="utf-8")
    for family in BULK:
        assert report.files[0].tokens[family] == reference(text, family)
        assert report.counts[family].tokens == reference(text, family) + reference(both[len(text) :], family)
    assert (report.words, report.chars) == (len(text.split()) + len(both[len(text) :].split()), len(both))


def test_segment_figures_or_none(tmp_path, monkeypatch) -> None:
    from planner.inputs import bulk_files

    text = corpus_text(1)
    path = tmp_path / "text.txt"
    path.write_bytes(text.encode("utf-8"))
    tally = bulk_files.segment_figures(str(path), 0, path.stat().st_size)
    assert tally is not None
    assert (tally.words, tally.chars, tally.newlines, tally.bytes) == (
        len(text.split()),
        len(text),
        text.count("\n"),
        len(text.encode("utf-8")),
    )
    path.write_bytes(text.encode("utf-8") + b"\xff\n")
    assert bulk_files.segment_figures(str(path), 0, path.stat().st_size) is None  # not UTF-8: count again
    monkeypatch.setattr(bulk_files, "MAX_CARRY_CHARS", 100)
    path.write_bytes(b"x" * 5000)
    monkeypatch.setattr("planner.inputs.streaming.READ_SIZE", 64)
    whole = bulk_files.segment_figures(str(path), 0, 5000)  # read in one call: no line is too long
    assert whole is not None and (whole.words, whole.chars, whole.newlines) == (1, 5000, 0)
    monkeypatch.setattr(bulk_files, "WHOLE_SEGMENT_BYTES", 1000)
    assert bulk_files.segment_figures(str(path), 0, 5000) is None  # in blocks, a line longer: count again


@pytest.mark.parametrize("whole_bytes", [16 * 1024 * 1024, 10_000])
def test_a_segment_reads_the_same_whole_or_in_blocks(
    tmp_path, bulk_from_start, monkeypatch, whole_bytes
) -> None:
    """Segments planned at safe cuts, read in one call (up to WHOLE_SEGMENT_BYTES) or in blocks re-cut at
    safe points: tokens and figures equal tiktoken's and the decoded text's, segment by segment."""
    from planner.inputs import bulk_files
    from planner.inputs.streaming import plan_byte_segments

    monkeypatch.setattr(bulk_files, "WHOLE_SEGMENT_BYTES", whole_bytes)
    monkeypatch.setattr("planner.inputs.streaming.READ_SIZE", 4096)
    data = corpus_text(1).encode("utf-8")
    path = tmp_path / "text.txt"
    path.write_bytes(data)
    for family in BULK:
        encoder_for(family).expect(len(data))  # the bulk engine, as a forked worker has it
    segments = plan_byte_segments(str(path), 0, len(data), 5)
    assert len(segments) == 5
    for start, end in segments:
        piece = data[start:end].decode("utf-8")
        counted = bulk_files.segment_tokens(str(path), start, end, BULK)
        assert counted == ({family: reference(piece, family) for family in BULK}, 0)
        figures = bulk_files.segment_figures(str(path), start, end)
        assert figures is not None
        assert (figures.words, figures.chars, figures.newlines) == (
            len(piece.split()),
            len(piece),
            piece.count("\n"),
        )


def _tokens_fail_for_a(path: str, start: int, end: int, families):  # noqa: ANN001, ANN202 - a pool task
    from planner.inputs.bulk_files import segment_tokens

    if path.endswith("a.txt"):
        raise OSError(5, "Input/output error")
    return segment_tokens(path, start, end, families)


@pytest.mark.slow
def test_a_file_that_fails_mid_count_leaves_the_next_files_figures_in_place(
    tmp_path, bulk_from_start, monkeypatch
) -> None:
    across_processes(monkeypatch)
    monkeypatch.setattr(parallel, "segment_tokens", _tokens_fail_for_a)
    text = corpus_text()
    other = corpus_text(3)[::-1]
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(other, encoding="utf-8")
    report = count_inputs([tmp_path / "a.txt", tmp_path / "b.txt"], BULK)
    assert report.files[0].skipped and "error" in report.files[0].skipped.lower()
    row = report.files[1]
    assert (row.words, row.chars) == (len(other.split()), len(other))
    for family in BULK:
        assert row.tokens[family] == reference(other, family)


@pytest.mark.slow
def test_with_other_threads_alive_the_bulk_engine_counts_on_threads(
    tmp_path, bulk_from_start, monkeypatch
) -> None:
    """The app's case: no fork while other threads live, so threads count, each with its own copy of the
    encoder; the bulk engine loaded once is shared by them, and the figures are read by the threads too."""
    import threading

    across_processes(monkeypatch)
    text = corpus_text()
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        report = count_inputs([path], BULK)
    finally:
        release.set()
        other.join()
    assert [encoder_for(family).engine for family in BULK] == ["gigatoken", "gigatoken"]
    for family in BULK:
        assert report.counts[family].tokens == reference(text, family), family
    assert (report.words, report.chars) == (len(text.split()), len(text))


SENTENCEPIECE = ["mistral_v1", "mistral_v7"]  # gigatoken over Mistral's .model files (v7: its pieces)


def mistral_reference(text: str, family: str) -> int:
    """Mistral's own tokenizer (mistral-common's SentencePiece over its file) on the whole text."""
    from mistral_common.tokens.tokenizers.sentencepiece import SentencePieceTokenizer

    file = {"mistral_v1": "tokenizer.model.v1", "mistral_v7": "mistral_instruct_tokenizer_241114.model.v7"}
    path = Path(__import__("mistral_common").__file__).parent / "data" / file[family]
    return len(SentencePieceTokenizer(str(path)).encode(text, bos=False, eos=False))


@pytest.mark.slow
@pytest.mark.parametrize("forked", [False, True])
def test_a_big_file_counts_on_the_sentencepiece_bulk_engine_from_its_first_byte(
    tmp_path, bulk_from_start, monkeypatch, forked
) -> None:
    """Mistral SentencePiece: gigatoken takes no bytes as they are (a piece after a cut needs no dummy
    prefix), so it counts the decoded pieces, in this process or across processes; equal to Mistral's own."""
    if forked:
        across_processes(monkeypatch)
    else:
        monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1 << 40)
    text = corpus_text() + "[REF]a doc[/REF] x[REFERENCE_DOC_3]\n[REF] y\n" + corpus_text(1)
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))
    if not forked:
        for family in SENTENCEPIECE:  # the first engine (splintr) must not count a byte of it
            monkeypatch.setattr(encoder_for(family), "first", _Refuses())
    report = count_inputs([path], SENTENCEPIECE)
    assert [encoder_for(family).engine for family in SENTENCEPIECE] == ["gigatoken", "gigatoken"]
    for family in SENTENCEPIECE:
        assert report.counts[family].tokens == mistral_reference(text, family), family
        assert report.counts[family].method == "exact"
    assert (report.words, report.chars) == (len(text.split()), len(text))
