"""Whether counts go online: ``--online``, or ``PLANNER_ONLINE`` set to 1 / true / yes / on. Light on purpose
(every command asks): nothing of the network is imported here."""

from __future__ import annotations

import os
from collections.abc import Mapping

ENV_FLAG = "PLANNER_ONLINE"
_TRUE = frozenset({"1", "true", "yes", "on"})


def online_wanted(flag: bool, env: Mapping[str, str] | None = None) -> bool:
    values = os.environ if env is None else env
    return flag or values.get(ENV_FLAG, "").strip().lower() in _TRUE
