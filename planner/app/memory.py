"""The server's memory after a count in many tokenizers: every exact tokenizer's vocabulary held at once is
~270 MB (gemma3 and qwen3_5 ~48 MB each), which a compare view or the fit view's suggestions load to count
one input in every family. Once such a count is done (and cached: planner.app.resources), the encoders are
let go and the freed memory handed back to the system, so the server stays near what one model needs (the
next count in a family builds its encoder again: 0.02-0.16 s each)."""

from __future__ import annotations

import ctypes
import ctypes.util

from planner.tokens.encoders import release_encoders


def free_encoders() -> None:
    """Forget the built encoders and return the freed pages to the system (glibc keeps them otherwise: the
    process's resident size barely moved without it, 331 -> 195 MB instead of -> 82 MB)."""
    release_encoders()
    trim_heap()


def trim_heap() -> None:
    """glibc's malloc_trim, where there is a glibc (elsewhere nothing to do)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): no malloc_trim
        return
