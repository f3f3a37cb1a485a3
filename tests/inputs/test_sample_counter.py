"""The suggestion sample counted in the base family by a process forked before the count
(planner.inputs.sample_counter): the same tokens as tiktoken's own o200k_base on each file, pieces of a big
file counted there as in this process (and in the counted family as its reference encoder does), a file gone
is left out, a dead process is replaced by this one, and a one-shot `planner fit` never builds the base
encoder itself and leaves no process behind, and on one big file builds only the encoders the pieces need."""

from __future__ import annotations

import multiprocessing
from functools import cache
from pathlib import Path

import pytest

from planner.cli import fit as fit_command
from planner.cli.fit import FitOptions, fit_answer
from planner.cli.options import request_setup
from planner.inputs import count_inputs, sampled_counts
from planner.inputs.sample_counter import SampleCounter
from planner.inputs.sampled_counts import (
    SAMPLE_BYTES,
    SAMPLE_POINTS,
    Piece,
    piece_text,
    read_sample,
    sample_items,
)
from planner.tokens import encoders
from planner.tokens.counts import classify_text, estimate_base_family

CORPUS = Path(__file__).parents[1] / "corpus"
FILES = ("prose_en.txt", "prose_ja.txt", "litellm_excerpt.json")

pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture(autouse=True)
def forks_as_the_cli_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counter is forked only from a single-threaded process, as `planner fit` is; in a test session a
    thread another test left (Dask's offload thread, from the Dask tests) would stop it, so that rule is
    taken as met here (tests/inputs/test_streaming.py checks the rule itself)."""
    import multiprocessing

    from planner.inputs import parallel

    monkeypatch.setattr(parallel, "can_fork", lambda: "fork" in multiprocessing.get_all_start_methods())


def _tiktoken_o200k(text: str) -> int:
    return len(_tiktoken("o200k_base").encoding.encode_ordinary(text))


@cache
def _tiktoken(encoding: str) -> encoders.TiktokenEncoder:
    return encoders.build_tiktoken(encoding)


@pytest.fixture
def corpus_files(tmp_path) -> list[str]:
    paths = []
    for name in FILES:
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
        paths.append(str(tmp_path / name))
    return paths


def test_the_base_family_is_o200k() -> None:
    assert estimate_base_family() == "o200k_base"  # what _tiktoken_o200k checks against


def test_the_forked_process_counts_each_file_as_tiktoken_does(corpus_files) -> None:
    counter = SampleCounter()
    try:
        found = counter.read_sample("llama3", corpus_files)
    finally:
        counter.close()
    texts = [Path(path).read_text(encoding="utf-8") for path in corpus_files]
    # a whole file's llama3 tokens are the count's own: not read again
    assert found == [(None, _tiktoken_o200k(text), classify_text(text)) for text in texts]
    assert [kind for _, _, kind in found] == ["prose", "cjk", "json"]  # what the corpus files are


def test_a_file_gone_since_the_count_is_left_out(corpus_files) -> None:
    Path(corpus_files[1]).unlink()
    counter = SampleCounter()
    try:
        found = counter.read_sample("llama3", corpus_files)
    finally:
        counter.close()
    assert found[1] is None
    assert found[0] is not None and found[0].base == _tiktoken_o200k(Path(corpus_files[0]).read_text("utf-8"))


def test_a_dead_counter_is_replaced_by_this_process(corpus_files) -> None:
    counter = SampleCounter()
    counter._process.terminate()
    counter._process.join()
    try:
        found = counter.read_sample("llama3", corpus_files)
    finally:
        counter.close()
    texts = [Path(path).read_text(encoding="utf-8") for path in corpus_files]
    assert [sample.base for sample in found if sample] == [_tiktoken_o200k(text) for text in texts]


def _big_folder(folder: Path) -> None:
    sentence = "The quarterly report lists revenue, costs and the outlook for each region, in Köln and 東京. "
    for index in range(12):  # ~3,000-7,000 tokens each: far over gpt-4-0613's 8K window, so suggestions
        (folder / f"part_{index:02d}.txt").write_text(sentence * (200 + 25 * index), encoding="utf-8")


def test_a_one_shot_fit_counts_the_sample_in_the_forked_process_only(tmp_path, monkeypatch) -> None:
    _big_folder(tmp_path)
    started: list[SampleCounter] = []
    monkeypatch.setattr(fit_command, "_sample_counter", _recording(fit_command._sample_counter, started))
    asked = lambda: request_setup([str(tmp_path)], None, None, "0", "gpt-4-0613", None)  # noqa: E731
    kept = fit_answer(asked(), FitOptions(), one_shot=False)
    assert started == []  # a program that keeps its encoders counts the sample itself
    encoders.release_encoders()
    one_shot = fit_answer(asked(), FitOptions(), one_shot=True)
    assert len(started) == 1
    assert one_shot.document == kept.document
    assert one_shot.advice.suggestions is not None and one_shot.advice.suggestions.paid.smallest_window
    assert "o200k_base" not in encoders._encoders  # built in the forked process, never here
    assert not started[0]._process.is_alive()
    assert multiprocessing.active_children() == []


def test_no_counter_for_input_counted_in_the_base_family_or_counted_again(tmp_path, monkeypatch) -> None:
    _big_folder(tmp_path)
    for model, messages in (("gpt-4o", False), ("gpt-4-0613", True)):
        asked = request_setup([str(tmp_path)], None, None, "0", model, None, messages=messages)
        assert fit_command._sample_counter(asked, FitOptions()) is None
    asked = request_setup([str(tmp_path)], None, None, "0", "gpt-4-0613", None)
    assert fit_command._sample_counter(asked, FitOptions(suggest=False)) is None


def _recording(make, started):
    def record(*args):
        counter = make(*args)
        if counter is not None:
            started.append(counter)
        return counter

    return record


def _tiktoken_cl100k(text: str) -> int:
    return len(_tiktoken("cl100k_base").encoding.encode_ordinary(text))


@pytest.fixture
def big_file(tmp_path) -> Path:
    """The corpus files, one after another, as one ~530 KB file: over SAMPLE_BYTES, so it is sampled in
    pieces."""
    texts = [(CORPUS / name).read_text(encoding="utf-8") for name in FILES]
    path = tmp_path / "big.txt"
    path.write_text("\n".join(texts * 12) + "\n", encoding="utf-8")
    assert path.stat().st_size > 2 * SAMPLE_BYTES
    return path


def test_the_forked_process_counts_pieces_as_this_process_does(big_file) -> None:
    items = [item for _, item in sample_items(count_inputs([big_file], ["cl100k_base"]).files)]
    assert len(items) == SAMPLE_POINTS and all(isinstance(item, Piece) for item in items)
    counter = SampleCounter()
    try:
        found = counter.read_sample("cl100k_base", items)
    finally:
        counter.close()
    assert found == read_sample("cl100k_base", items)
    for item, sample in zip(items[::8], found[::8], strict=True):
        text = piece_text(item)  # type: ignore[arg-type]
        assert sample is not None and text
        assert sample == (_tiktoken_cl100k(text), _tiktoken_o200k(text), classify_text(text))


def _fit_big_file(path: Path, model: str, one_shot: bool, monkeypatch) -> tuple[object, list[dict]]:
    """`planner fit` on ``path``: its answer and the other families' counts it got (never counted again)."""
    seen: list[dict] = []
    real = sampled_counts.counts_in_families

    def no_recount(families):
        raise AssertionError(f"counted again in {families}")

    def recording(family, counted, families, recount, **options):
        found = real(family, counted, families, no_recount, **options)
        seen.append(found)
        return found

    monkeypatch.setattr(sampled_counts, "counts_in_families", recording)
    asked = request_setup([str(path)], None, None, "0", model, None)
    answer = fit_answer(asked, FitOptions(), one_shot=one_shot)
    monkeypatch.setattr(sampled_counts, "counts_in_families", real)
    return answer, seen


@pytest.mark.parametrize(
    ("model", "counted", "kept_built", "one_shot_built"),
    [
        ("gpt-4-0613", "cl100k_base", {"cl100k_base", "o200k_base"}, set()),  # the pieces: in the fork
        ("gpt-4o-mini", "o200k_base", {"o200k_base"}, set()),  # counted in the base family: a fork too
    ],
)
def test_fit_on_one_big_file_samples_pieces_and_builds_only_their_encoders(
    big_file, monkeypatch, model, counted, kept_built, one_shot_built
) -> None:
    encoders.release_encoders()
    kept, seen = _fit_big_file(big_file, model, False, monkeypatch)
    assert set(encoders._encoders) == kept_built  # not the ~20 encodings of a count again in every family
    assert len(seen) == 1
    estimated = [count for count in seen[0].values() if count.method == "estimate"]
    assert len(estimated) > 5
    assert all(f"estimated on {SAMPLE_POINTS} pieces)" in count.basis for count in estimated)
    assert all(count.basis.startswith(f"{counted} x ") for count in estimated)
    encoders.release_encoders()
    one_shot, _ = _fit_big_file(big_file, model, True, monkeypatch)
    assert set(encoders._encoders) == one_shot_built
    assert one_shot.document == kept.document  # type: ignore[attr-defined]
    assert kept.advice.suggestions is not None and kept.advice.suggestions.paid.smallest_window  # type: ignore[attr-defined]
    assert multiprocessing.active_children() == []


def test_pieces_are_counted_in_the_family_before_the_base_family_is_built(big_file) -> None:
    """The forked counter lets go of the counted family's encoder in between: one encoder at a time."""
    items = [item for _, item in sample_items(count_inputs([big_file], ["cl100k_base"]).files)]
    kept = read_sample("cl100k_base", items)
    encoders.release_encoders()
    built_between: list[set[str]] = []

    def between() -> None:
        built_between.append(set(encoders._encoders))
        encoders.release_encoders()

    assert read_sample("cl100k_base", items, between) == kept
    assert built_between == [{"cl100k_base"}]
    assert set(encoders._encoders) == {"o200k_base"}
