"""Start-up: a one-line `planner count` imports only what it uses (issue 21: at most 6x a bare Python).

Checked on state, not on time: the modules a fresh process holds after the count. The heavy ones it used to
load are named here: the other commands, every command's --json models, the advice layer's answers, the
catalog's store and schema (an exact id is answered from the shipped model index), the HTTP and rich stacks
and the process pool.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from planner.cli import _app

# What a one-line count must not import (each was imported before, or is heavy and not needed).
HEAVY = (
    "planner.cli.documents",  # every command's --json models (~80 pydantic classes)
    "planner.cli.count_document",  # count's own, built only for --json
    "planner.cli.fit",
    "planner.cli.catalog",
    "planner.catalog.store",  # the catalog (5 MB of JSON): the model index answers exact ids
    "planner.catalog.schema",
    "planner.catalog.custom",
    "planner.advice.notes",
    "planner.advice.fit_rule",
    "planner.advice.prices",
    "planner.advice.batch",
    "planner.advice.online",
    "planner.tokens.online.counting",
    "httpx",
    "rich",
    "multiprocessing",
    "concurrent.futures.process",
    "numpy",
    "statistics",  # only an unknown model's image envelope needs it
    "shlex",  # only an error naming many hosts quotes a name
    "concurrent.futures",  # only a pool (planner.inputs.parallel.make_pool) needs it
    "html.parser",  # only an HTML file needs it (planner.inputs.html_text)
    "planner.inputs.html_text",
    "gzip",  # only a gzipped rank file needs it (planner.tokens.encoders.read_verified)
)

CHILD = """
import json, sys
from planner.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
from planner.tokens import counts
compiled = counts._kind_rules.cache_info().currsize  # classify_text's patterns, compiled on first use
sys.stderr.write(json.dumps({"code": code, "modules": sorted(sys.modules), "kind_rules": compiled}))
"""


def _count_modules(tmp_path: Path, *args: str) -> tuple[str, dict]:
    text = tmp_path / "one.txt"
    text.write_text("Does this one line fit?\n", encoding="utf-8")
    env = {**os.environ, "PLANNER_CACHE_DIR": str(tmp_path / "cache")}  # no refreshed catalog
    env.pop("PLANNER_MODELS_FILE", None)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, "count", str(text), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return child.stdout, json.loads(child.stderr.splitlines()[-1])


def test_a_one_line_count_imports_none_of_the_heavy_modules(tmp_path: Path) -> None:
    out, state = _count_modules(tmp_path)
    assert state["code"] == 0
    assert out.startswith("6 tokens  (llama3, exact for nousresearch/hermes-4-405b)\n")
    loaded = set(state["modules"])
    assert sorted(name for name in HEAVY if name in loaded) == []
    assert "planner.catalog.model_index" in loaded  # the default model came from the index
    assert state["kind_rules"] == 0  # an exact count never asks what kind of text it is


def test_the_kind_of_text_is_still_read_when_asked() -> None:
    from planner.tokens.counts import classify_text

    assert classify_text("def f(x):\n    return x + 1\n" * 5) == "code"
    assert classify_text("東京は日本の首都です。" * 10) == "cjk"
    assert classify_text("The cat sat on the mat and it was happy with that. " * 5) == "prose"


def test_a_count_with_an_exact_model_id_does_not_load_the_catalog(tmp_path: Path) -> None:
    out, state = _count_modules(tmp_path, "--model", "openai/gpt-4o")
    assert state["code"] == 0
    assert out.startswith("6 tokens  (o200k_base, exact for openai/gpt-4o)\n")
    assert "planner.catalog.store" not in state["modules"]


def test_a_name_that_is_not_an_exact_id_loads_the_catalog(tmp_path: Path) -> None:
    _out, state = _count_modules(tmp_path, "--model", "hermes")
    assert state["code"] == 0
    assert "planner.catalog.store" in state["modules"]


def test_the_command_table_names_every_command_and_keeps_the_help_order() -> None:
    _app.register_commands(["count"])  # one module first, as a count does
    _app.register_commands([])  # then all of them, as --help does
    registered = [info.name or info.callback.__name__ for info in _app.app.registered_commands]
    registered += [group.name for group in _app.app.registered_groups]
    listed = [name for names in _app.COMMAND_MODULES.values() for name in names]
    assert sorted(registered) == sorted(listed)
    modules = [info.callback.__module__.rpartition(".")[2] for info in _app.app.registered_commands]
    order = list(_app.COMMAND_MODULES)
    assert [order.index(module) for module in modules] == sorted(order.index(module) for module in modules)


def test_a_typo_of_a_command_is_answered_with_every_command_known(capsys) -> None:
    assert _app.run_app(["cuont", "x"]) == 2
    assert "No such command 'cuont'. Did you mean 'count'" in capsys.readouterr().err


def test_numpy_starts_no_blas_threads_unless_the_user_asks() -> None:
    """The CLI does no linear algebra: numpy's OpenBLAS starts one thread, not one per core (start-up, forks);
    a user's own OPENBLAS_NUM_THREADS wins."""
    probe = "import os, planner.cli; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    for given, expected in ((None, "1"), ("3", "3")):
        if given is not None:
            env["OPENBLAS_NUM_THREADS"] = given
        child = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        assert child.stdout.strip() == expected
