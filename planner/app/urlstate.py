"""The app's shareable settings in the URL: parsers of query parameters and how values are written back."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

# Parsers of the app's shareable settings: each returns the value or raises ValueError naming what is allowed
UrlParser = Callable[[str], Any]
# Above this a number widget fails (it holds a float: 10^400 overflows); up to it, the count's own limit
# (10^18) answers with its message.
MAX_URL_NUMBER = 10**30


# Parameters renamed since links were first shared: old name -> the setting it now feeds. The cost view's
# own answer and thinking lengths became the page's one pair of reserves (output, reasoning).
RENAMED = {"answer": "output", "thinking": "reasoning"}


def query_value(params: Mapping[str, str], name: str) -> str | None:
    """The URL's value of the setting ``name``, or of its old name (``RENAMED``) in a link from before."""
    if name in params:
        return params[name]
    return next((params[old] for old, new in RENAMED.items() if new == name and old in params), None)


def url_whole_number(minimum: int = 0, maximum: int | None = None) -> UrlParser:
    def parse(raw: str) -> int:
        try:
            value = int(raw.replace(",", "").replace("_", ""))
        except ValueError:
            raise ValueError("use a whole number") from None
        if value < minimum or (maximum is not None and value > maximum):
            allowed = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            raise ValueError(f"use a whole number {allowed}")
        if value > MAX_URL_NUMBER:
            raise ValueError("use a whole number up to 10^30")
        return value

    return parse


def url_choice(options: Iterable[str]) -> UrlParser:
    allowed = list(options)

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"use one of {', '.join(repr(option) for option in allowed)}")
        return raw

    return parse


def url_choices(options: Iterable[str]) -> UrlParser:
    """A comma-separated list, each item one of ``options``."""
    one = url_choice(options)

    def parse(raw: str) -> list[str]:
        return [one(part.strip()) for part in raw.split(",") if part.strip()]

    return parse


def url_texts(raw: str) -> list[str]:
    """A comma-separated list of texts (model keys: the view that uses them checks them)."""
    return [part.strip() for part in raw.split(",") if part.strip()]


def url_flag(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("use true or false")


def url_text(raw: str) -> str:
    return raw


def literal(text: str) -> str:
    """Text from outside (a URL value, a file name) as a Markdown code span: shown as written, never rendered
    as a link, an image, emphasis, HTML, a Streamlit directive or LaTeX. GFM turns a bare https://... into a
    link even when its punctuation is escaped; inside a code span nothing is. The fence is one backtick
    longer than any run of backticks in the text; line breaks become spaces."""
    flat = " ".join(text.split()) or " "
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def url_value(value: bool | int | str | list[str]) -> str:
    """A setting as it is written into the URL (the parsers above read it back)."""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def content_digest(*parts: bytes | str) -> str:
    """A sha256 over the parts, used as the cache key of a count (the text itself is not hashed twice)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", errors="surrogatepass") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()
