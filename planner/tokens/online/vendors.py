"""Which vendor's endpoint counts which family, and when it is not asked."""

from __future__ import annotations

from planner.tokens.online import anthropic, gemini, openai, xai
from planner.tokens.online.counting import refusal
from planner.tokens.online.request import CountRequest
from planner.tokens.online.vendor import Vendor

_BY_FAMILY: dict[str, Vendor] = {
    "claude": anthropic.VENDOR,
    "claude_4_7": anthropic.VENDOR,
    "gemini": gemini.VENDOR,
    "grok": xai.VENDOR,
    "o200k_base": openai.VENDOR,
    "cl100k_base": openai.VENDOR,
}
VENDORS: tuple[Vendor, ...] = (anthropic.VENDOR, gemini.VENDOR, openai.VENDOR, xai.VENDOR)


def vendor_for(family: str, request: CountRequest) -> tuple[Vendor | None, str | None]:
    """(the vendor that counts ``request`` for ``family``, None) or (None, why no vendor is asked)."""
    vendor = _BY_FAMILY.get(family)
    if vendor is None:
        return None, f"no vendor count endpoint is known for the {family} family"
    if vendor is openai.VENDOR and request.is_plain_text:
        return None, (
            f"plain text is counted exactly offline ({family}); OpenAI's endpoint is asked for request "
            "bodies (--messages), whose formatting tokens it counts"
        )
    why = refusal(vendor, request)
    return (None, why) if why else (vendor, None)
