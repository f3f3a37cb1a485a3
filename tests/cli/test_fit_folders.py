"""`planner fit FOLDER` that does not fit: the files to leave out come from the one count (no recount in
other families), the human answer names the largest few, `--json` lists every one."""

from __future__ import annotations

import json
import re

import pytest

import planner.inputs
from planner.cli import run_app
from planner.tokens.counts import exact_token_count
from planner.wording import FILES_NAMED

MODEL = "gpt-4-0613"  # 8,192 tokens, cl100k_base


@pytest.fixture()
def folder(tmp_path):
    """12 files of different sizes, ~3,000-7,000 cl100k tokens each: far over an 8K window."""
    sentence = "The quarterly report lists revenue, costs and the outlook for each region. "
    for index in range(12):
        (tmp_path / f"part_{index:02d}.txt").write_text(sentence * (200 + 25 * index), encoding="utf-8")
    return tmp_path


def test_fit_names_the_largest_files_to_leave_out_and_how_many_more(folder, capsys, monkeypatch) -> None:
    calls: list[list[str]] = []
    real = planner.inputs.count_inputs
    monkeypatch.setattr(
        planner.inputs,
        "count_inputs",
        lambda paths, families, **kw: calls.append(families) or real(paths, families, **kw),
    )
    code = run_app(["fit", str(folder), "--model", MODEL])
    out = capsys.readouterr().out
    assert code == 1
    assert calls == [["cl100k_base"]]  # counted once: suggestions in other families come from that count
    flowing = " ".join(out.split())  # the console wraps long lines
    line = re.search(r"Or leave out .*?\.(?= [A-Z]|$)", flowing).group()
    sizes = {
        path.name: exact_token_count(path.read_text("utf-8"), "cl100k_base") for path in folder.iterdir()
    }
    named = re.findall(r"(part_\d+\.txt) \(([\d,]+)\)", line)
    assert len(named) == FILES_NAMED
    largest = sorted(sizes, key=lambda name: -sizes[name])[:FILES_NAMED]
    assert [name for name, _ in named] == largest
    assert all(int(tokens.replace(",", "")) == sizes[name] for name, tokens in named)
    dropped = int(re.match(r"Or leave out (\d+) files", line).group(1))
    assert line.endswith(f" and {dropped - FILES_NAMED} more.")
    assert "Smallest window that fits" in out


def test_fit_json_lists_every_file_to_leave_out(folder, capsys) -> None:
    code = run_app(["fit", str(folder), "--model", MODEL, "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    drops = doc["drop_plan"]["drop"]
    assert len(drops) > FILES_NAMED
    kept = doc["input_tokens"] - sum(item["tokens"] for item in drops)
    assert kept == doc["drop_plan"]["tokens_kept"] <= doc["drop_plan"]["budget"]
    assert doc["alternatives"]["smallest_window"]["context_window"] > doc["input_tokens"]
