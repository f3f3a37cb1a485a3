"""A folder's counts in other families for `planner fit`'s suggestions, without counting it again in each:
the estimates' bands hold the exact counts (counted here independently, family by family)."""

from __future__ import annotations

from pathlib import Path

import calibrate  # noqa: E402  (scripts/ is on sys.path, see conftest.py)
import pytest

from planner.inputs import count_inputs
from planner.inputs import sampled_counts as sampling
from planner.inputs.sampled_counts import SAMPLE_BYTES, counts_in_families, sample_rows

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
    sample = sample_rows(rows)
    ordered = sorted(row.path for row in rows)
    picked = [ordered.index(row.path) for row in sample]
    assert sum(row.bytes for row in sample) <= SAMPLE_BYTES
    assert len(sample) >= 2 * sampling.GROUPS
    assert min(picked) < len(ordered) // 4 and max(picked) >= 3 * len(ordered) // 4  # both ends of the folder
