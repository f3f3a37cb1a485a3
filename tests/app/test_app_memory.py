"""The app lets the encoders of a count in many tokenizers go once it is done (planner.app.memory): all exact
vocabularies at once are ~270 MB, which a compare view or the fit view's suggestions load. A count in one
tokenizer (a click on one model) keeps its encoder. The server's resident size after a walk through every
view is scripts/benchmark_app_browser.py's figure."""

from __future__ import annotations

from pathlib import Path

from planner.app import memory, resources
from planner.tokens import encoders
from planner.tokens.encoders import get_encoding

TEXT = "The encoders of a count in many tokenizers are let go once it is done, one by one family.\n"


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_a_count_in_many_tokenizers_lets_their_encoders_go() -> None:
    families = ("llama3", "o200k_base", "qwen")
    report = resources.count_text("memory-test-many", families, TEXT)
    assert report.counts["llama3"].tokens == len(get_encoding("llama3").encode_ordinary(TEXT))
    assert not encoders._encoders  # noqa: SLF001 - the shared encoders' cache is what is let go


def test_a_count_in_one_tokenizer_keeps_its_encoder() -> None:
    resources.count_text("memory-test-one", ("llama3",), TEXT)
    assert "llama3" in encoders._encoders  # noqa: SLF001


def test_freeing_the_encoders_returns_their_memory() -> None:
    memory.free_encoders()
    before = resident_mb()
    for family in ("gemma3", "qwen3_5", "llama4"):  # ~125 MB of vocabularies between them
        encoders.get_encoder(family).count("warm", False)
    loaded = resident_mb()
    memory.free_encoders()
    assert loaded - before > 60, (before, loaded)
    assert resident_mb() < before + (loaded - before) / 3, (before, loaded, resident_mb())
