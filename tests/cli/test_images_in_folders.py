"""Images found in a folder, for a model that takes no images: left out with one note (images_left_out), so
one screenshot in a source folder does not stop fit and cost; an image named on the command line is still
refused (exit 8); --images count|skip|refuse changes it; count never adds image tokens such a model cannot
take."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from planner.cli import run_app
from planner.tokens.encoders import get_encoding

TEXT_ONLY = "nousresearch/hermes-4-405b"  # the catalog: no vision input
SOURCE = "def main():\n    return 42\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text(SOURCE)
    Image.new("RGB", (512, 512)).save(tmp_path / "src" / "logo.png")
    return tmp_path


def _json(capsys, *argv: str) -> tuple[int, dict, str]:
    code = run_app([*argv, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else {}, captured.err


def test_fit_and_cost_leave_folder_images_out_for_a_text_only_model(folder, capsys) -> None:
    text_tokens = len(get_encoding("llama3").encode_ordinary(SOURCE))  # llama3: Hermes 4's tokenizer
    for command in ("fit", "cost"):
        code, doc, err = _json(capsys, command, str(folder), "-m", TEXT_ONLY)
        assert code == 0, err
        assert doc["images_left_out"] == [str(folder / "src" / "logo.png")]
        assert err.count("note: 1 image left out: the model takes no images") == 1
    code, doc, _ = _json(capsys, "fit", str(folder), "-m", TEXT_ONLY)
    assert doc["input_tokens"] == text_tokens


def test_images_refuse_and_a_named_image_still_stop_with_exit_8(folder, capsys) -> None:
    assert run_app(["fit", str(folder), "-m", TEXT_ONLY, "--images", "refuse"]) == 8
    assert "does not accept images" in capsys.readouterr().err
    assert run_app(["cost", str(folder / "src" / "logo.png"), "-m", TEXT_ONLY]) == 8
    assert "does not accept images" in capsys.readouterr().err


def test_a_vision_model_counts_them_unless_asked_to_skip(folder, capsys) -> None:
    code, counted, _ = _json(capsys, "fit", str(folder), "-m", "openai/gpt-4o")
    assert code == 0 and "images_left_out" not in counted
    code, skipped, _ = _json(capsys, "fit", str(folder), "-m", "openai/gpt-4o", "--images", "skip")
    assert code == 0 and skipped["images_left_out"] == [str(folder / "src" / "logo.png")]
    assert counted["input_tokens"] - skipped["input_tokens"] == 85 + 170  # 512 x 512: one 512-px tile, GPT-4o


def test_count_never_adds_image_tokens_for_a_text_only_model(folder, capsys) -> None:
    code, doc, err = _json(capsys, "count", str(folder), "-m", TEXT_ONLY)
    assert code == 0
    assert doc["tokens"] == len(get_encoding("llama3").encode_ordinary(SOURCE))
    assert doc["images_left_out"] == [str(folder / "src" / "logo.png")] and doc["images"] == []


def test_a_bad_images_value_is_a_usage_error(folder, capsys) -> None:
    assert run_app(["fit", str(folder), "--images", "maybe"]) == 2
    assert capsys.readouterr().err.startswith("error: --images must be one of count, skip, refuse")
