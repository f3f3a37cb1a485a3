"""`from planner import ...` gives every public name, and importing planner stays cheap."""

from __future__ import annotations

import subprocess
import sys

import planner


def test_every_exported_name_resolves_to_its_module_object() -> None:
    import importlib

    for name, target in planner._EXPORTS.items():
        module, _, attribute = target.partition(":")
        assert getattr(planner, name) is getattr(importlib.import_module(module), attribute or name)
    assert planner.tokenizer_for_model is importlib.import_module("planner.tokens.families").family_for_model


def test_importing_planner_loads_no_tokenizer_or_catalog() -> None:
    prefixes = "('planner.', 'tiktoken')"
    code = f"import sys, planner; print(sorted(m for m in sys.modules if m.startswith({prefixes})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
