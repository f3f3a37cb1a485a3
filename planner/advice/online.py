"""``--online``: the vendor's exact count in place of the offline one, the offline count kept beside it.

The rule, once for every command (count, fit, cost, batch): a family with a vendor count endpoint
(planner.tokens.online.vendor_for: Claude, Gemini 1.x / 3.1+, Grok; OpenAI for request bodies) is counted by
the vendor, ``method`` "exact", its basis naming the endpoint, the model and the day; the offline count is
kept as ``offline_estimate``. When the vendor is not asked (no endpoint for the family, plain text OpenAI
already counts exactly offline, an input too large for one exact request, a part a vendor shape cannot
carry) the offline count stays and ``note`` says why. Failures of the vendor (no key, refusals, no answer)
are errors (planner.errors.OnlineCountError), never a silent fallback.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.catalog.store import cache_dir
from planner.tokens.counts import TokenCount
from planner.tokens.online.counting import OnlineSettings, count_online
from planner.tokens.online.request import CountRequest
from planner.tokens.online.vendors import vendor_for


@dataclass(frozen=True)
class OnlineAnswer:
    count: TokenCount  # what the answer uses: the vendor's count, or the offline one when not asked
    offline_estimate: TokenCount | None = None  # the offline count, beside a vendor's count
    note: str | None = None  # why the vendor was not asked


def default_settings() -> OnlineSettings:
    """The CLI's settings: the keys and URLs of the environment, counts cached in the planner cache folder
    (the catalog's: $PLANNER_CACHE_DIR, else $XDG_CACHE_HOME/planner, else ~/.cache/planner)."""
    return OnlineSettings(cache_dir=cache_dir())


def online_count(
    model_id: str,
    family: str,
    offline: TokenCount,
    request: CountRequest | str,
    settings: OnlineSettings | None = None,
) -> OnlineAnswer:
    """The count the answer uses for ``model_id`` (rules in the module docstring); ``request`` is the input
    as sent, or why it cannot be sent."""
    if isinstance(request, str):
        return OnlineAnswer(offline, note=_kept(request, offline))
    vendor, why = vendor_for(family, request)
    if vendor is None:
        return OnlineAnswer(offline, note=_kept(why or "no vendor asked", offline))
    own = settings is None  # made here: closed here
    used = settings if settings is not None else default_settings()
    try:
        counted = count_online(vendor, model_id, request, used)
    finally:
        if own:
            used.close()
    return OnlineAnswer(TokenCount.exact(family, counted.tokens, counted.basis), offline_estimate=offline)


def _kept(reason: str, offline: TokenCount) -> str:
    kind = "exact count" if offline.method == "exact" else "estimate"
    return f"--online: {reason}; the offline {kind} is kept"
