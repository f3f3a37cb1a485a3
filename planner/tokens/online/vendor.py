"""The shape every vendor module fills in: where its count endpoint is, which key it needs, how a request is
written for it and how its answer is read. The network rules (timeouts, caps, retries, the cache) are the
same for all and live in ``planner.tokens.online.counting``."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from planner.errors import OnlineCountError
from planner.tokens.online.request import CountRequest

# (path below the base URL, JSON body) of each request one count needs; their answers are summed
Bodies = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Vendor:
    name: str  # "Anthropic"
    endpoint: str  # "POST /v1/messages/count_tokens": named in every basis
    key_vars: tuple[str, ...]  # the first one set is used
    url_vars: tuple[str, ...]  # base URL overrides, the first one set wins
    default_url: str
    max_request_bytes: int  # above it the input is not sent (the offline estimate is kept, said so)
    bodies: Callable[[str, CountRequest], Bodies]
    headers: Callable[[str], dict[str, str]]
    read: Callable[[Any], int]  # the count in one answer; ValueError for any other shape
    model_name: Callable[[str], str]  # the vendor's id of a catalog id
    plain_text_only: bool = False  # the endpoint counts text only (no system, tools, images or turns)
    answer_scale: int = 1  # times the usual answer cap (xAI answers with every token, not a number)

    def key(self, env: Mapping[str, str] | None = None) -> tuple[str, str]:
        """(variable, API key) of the first key variable set; OnlineCountError naming them when none is."""
        values = os.environ if env is None else env
        for var in self.key_vars:
            if values.get(var, "").strip():
                return var, values[var].strip()
        names = " or ".join(self.key_vars)
        raise OnlineCountError(
            f"--online needs an API key for {self.name}: set {names} "
            "(or leave out --online for the offline estimate)"
        )

    def base_url(self, env: Mapping[str, str] | None = None) -> str:
        values = os.environ if env is None else env
        for var in self.url_vars:
            if values.get(var, "").strip():
                return values[var].strip().rstrip("/")
        return self.default_url


def catalog_tail(model_id: str) -> str:
    """The id without a host's prefix ("anthropic/claude-sonnet-4.5" -> "claude-sonnet-4.5")."""
    return model_id.rsplit("/", 1)[-1]


def whole_number(answer: Any, key: str) -> int:
    """``answer[key]`` when it is a whole number of tokens; ValueError for any other answer."""
    value = answer.get(key) if isinstance(answer, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"no whole number '{key}' in the answer")
    return value
