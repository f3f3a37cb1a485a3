"""Compatibility: ``tokenizer_for_model`` is ``planner.families.family_for_model`` (the one resolver)."""

from __future__ import annotations

from planner.families import family_for_model

tokenizer_for_model = family_for_model

__all__ = ["tokenizer_for_model"]
