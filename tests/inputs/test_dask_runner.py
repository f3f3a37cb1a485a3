"""The Dask engine gives the local run's answer: on a folder (with a file big enough to be cut into segments
and a file that is skipped) and on datasets (JSONL cut at line starts, Parquet at row groups), on a 2-worker
LocalCluster that is always closed."""

from __future__ import annotations

import json
import shutil
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from planner.cli._app import run_app
from planner.inputs import count_inputs, parallel
from planner.inputs.dask_runner import count_dataset_on, count_inputs_on, dask_client
from planner.inputs.datasets import RowCounter, count_dataset

pytestmark = pytest.mark.slow  # every test here starts a Dask cluster (seconds each)

CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def plain_main() -> Iterator[None]:
    """Dask starts its workers with multiprocessing's spawn, which re-runs the ``__main__`` module's file in
    each of them; in this test session that may be a script another test ran as ``__main__`` (app.py via
    Streamlit's AppTest). The planner CLI's own ``__main__`` is guarded; here an empty one stands in."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        yield


@pytest.fixture(scope="module")
def client(plain_main) -> Iterator[object]:
    with dask_client(workers=2) as dask:
        yield dask


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dask-folder")
    shutil.copytree(CORPUS, root / "corpus")
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt")))
    (root / "big.txt").write_text(text * (400_000 // len(text) + 1), encoding="utf-8")  # cut, see below
    (root / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)  # skipped, with a reason
    return root


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("dask-data")
    texts = [f"row {i} " + "lorem ipsum dolor sit amet " * (i % 13) for i in range(300)]
    lines = [json.dumps({"text": text}) for text in texts]
    lines[100:100] = ["{broken", "", json.dumps({"other": 1})]
    (root / "a.jsonl").write_text("\n".join(lines) + "\n")
    pq.write_table(pa.table({"text": [*texts, None]}), root / "b.parquet", row_group_size=40)
    (root / "c.csv").write_text("text\nhello\n")
    return [str(root / "a.jsonl"), str(root / "b.parquet"), str(root / "c.csv")]


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dask-small")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    return root


def test_folder_on_dask_equals_local(client, folder, monkeypatch) -> None:
    families = ["llama3", "claude"]  # one exact family, one estimated
    local = count_inputs([str(folder)], families)  # small: counted whole, in this process
    assert local.skipped_count == 1
    # the driver decides the cuts: with these sizes big.txt (~400 KB) goes to the workers in ~32 KB segments
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 64 * 1024)
    monkeypatch.setattr(parallel, "MIN_SEGMENT_BYTES", 32 * 1024)
    planned: list[list[tuple[int, int]]] = []
    original = parallel.plan_byte_segments

    def spy(*arguments: object) -> list[tuple[int, int]]:
        planned.append(original(*arguments))
        return planned[-1]

    monkeypatch.setattr(parallel, "plan_byte_segments", spy)
    assert count_inputs_on(client, [str(folder)], families) == local
    assert len(planned) == 1 and len(planned[0]) > 4


def test_datasets_on_dask_equal_local(client, datasets) -> None:
    counter = RowCounter("o200k_base", limit=40)
    local = count_dataset(datasets, "text", counter)
    assert local.skipped_row_count == 3 and local.rows == 601
    assert count_dataset_on(client, datasets, "text", counter) == local
    messages = RowCounter("claude", template="estimate")
    assert count_dataset_on(client, datasets, "text", messages) == count_dataset(datasets, "text", messages)


def test_file_url_counts_as_the_path(datasets) -> None:
    counter = RowCounter("o200k_base")
    by_path = count_dataset(datasets[:1], "text", counter)
    by_url = count_dataset([Path(datasets[0]).as_uri()], "text", counter)
    assert by_url.model_dump(exclude={"files"}) == by_path.model_dump(exclude={"files"})


def test_cli_dask_json_equals_local_json(small_folder, plain_main, capsys) -> None:
    assert run_app(["count", str(small_folder), "--json"]) == 5  # the skipped blob
    local = capsys.readouterr().out
    assert run_app(["count", str(small_folder), "--json", "--engine", "dask", "--workers", "2"]) == 5
    assert capsys.readouterr().out == local


def test_missing_dask_is_one_error_line(monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    assert run_app(["count", str(CORPUS), "--engine", "dask"]) == 2
    expected = (
        "error: the Dask engine needs distributed, which is not installed: pip install 'planner[dask]' "
        "(from a clone: pip install -e '.[dask]')\n"
    )
    assert capsys.readouterr().err == expected
