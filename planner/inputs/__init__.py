"""Inputs at real scale: text, files, folders, documents and chat messages, counted exactly and fast.

Public API (also importable from ``planner``):

- ``count_inputs(paths, families, *, include=(), exclude=(), messages=False, raw_markup=False,
  progress=False, stdin=None, chat_template=None) -> InputReport``
- ``count_text_input(text, families, *, name="<text>") -> InputReport``
- ``InputReport``, ``FileReport``, ``ExtensionTotals`` (pydantic records)

Heavy libraries (pypdf, python-docx, rich) are imported only when needed; HTML needs none (html.parser).
"""

from __future__ import annotations

from planner.inputs.count_run import count_inputs, count_text_input
from planner.inputs.report import ExtensionTotals, FileReport, InputReport

__all__ = ["ExtensionTotals", "FileReport", "InputReport", "count_inputs", "count_text_input"]
