"""The model page and the side-by-side view laid out for the app: Markdown lines with links that reopen the
app on another view (shareable URLs with query parameters), and table rows, all from
planner.advice.model_page' typed answers. Formatting only; nothing here imports Streamlit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from planner.wording import verdict_label

if TYPE_CHECKING:
    from planner.advice.model_page import ModelPage, SideBySide

VERDICT_SYMBOLS = {"fits": "✓", "tight": "⚠", "does_not_fit": "✗"}  # before the words of planner.wording

# The punctuation that makes Markdown (emphasis, code, links, images, HTML, entities, tables, strike-through,
# LaTeX): backslash-escaped, so catalog text in a link label is shown as written.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#!|~$&])")

# Settings that a link to another model's page or to the side-by-side view leaves out: the filters of the
# compare view stay, the model and the second model are set by the link itself.
_SET_BY_THE_LINK = ("model", "provider", "other", "other_provider", "view")


def markdown_text(text: str) -> str:
    """``text`` with its Markdown punctuation escaped (line breaks as spaces)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def link(base: Mapping[str, str], **changes: str) -> str:
    """A relative URL ("?view=side&model=...") of the app with ``base``'s parameters and ``changes`` (an
    empty value drops the parameter); the values are URL-encoded, so a label's Markdown cannot break out."""
    params = {name: value for name, value in base.items() if name not in _SET_BY_THE_LINK}
    params.update(changes)
    return "?" + urlencode({name: value for name, value in params.items() if value != ""})


def shared_input(base: Mapping[str, str], source: str, tokens: int) -> dict[str, str]:
    """The parameters a link carries for the current input: an example or a typed count as they are; pasted
    text and uploads stay private, so the link carries their size on this model (``tokens``) instead."""
    params = dict(base)
    if source in ("paste", "upload"):
        params.update({"source": "tokens", "tokens": str(tokens)})
    return params


def model_params(model_id: str, provider: str) -> dict[str, str]:
    return {"model": model_id, "provider": provider}


def comparison_links(page: ModelPage, base: Mapping[str, str]) -> list[str]:
    """ "- [212 % larger context window than Titan Text Express](?view=side&...) (amazon-bedrock, 42,000
    tokens)": each comparison opens the side-by-side view of the page's model and the other one."""
    offer = page.model
    lines = []
    for row in page.comparisons:
        url = link(
            base,
            view="side",
            **model_params(offer.id, offer.provider),
            other=row.id,
            other_provider=row.provider,
        )
        where = markdown_text(f"({row.provider}, {row.context_window:,} tokens)")
        lines.append(f"- [{markdown_text(row.summary)}]({url}) {where}")
    return lines


def creator_links(page: ModelPage, base: Mapping[str, str]) -> list[str]:
    """ "- [Hermes 4 70B](?view=model&model=...) (openrouter, 131K tokens; released 2025-08-26)"."""
    lines = []
    for item in page.more_from_creator:
        url = link(base, view="model", **model_params(item.id, item.provider))
        released = f"; released {item.release_date.isoformat()}" if item.release_date else ""
        where = markdown_text(f"({item.provider}, {item.window_label}{released})")
        lines.append(f"- [{markdown_text(item.name)}]({url}) {where}")
    return lines


def what_fits_rows(page: ModelPage) -> list[dict[str, str]]:
    """The model page's "what fits in one request" list as table rows: the same counts the app shows for
    the same example input (planner.advice.reference_documents)."""
    marks = {key: f"{symbol} {verdict_label(key)}" for key, symbol in VERDICT_SYMBOLS.items()}
    rows = []
    for row in page.what_fits:
        tokens = f"{row.tokens:,}"
        if row.method == "estimate":
            tokens = f"~{tokens} (up to {row.tokens_high:,})"
        rows.append(
            {
                "Document": row.name.capitalize(),
                "Words": f"{row.words:,}",
                "Tokens": tokens,
                "Headroom": row.headroom_text,
                "In one request": marks[row.verdict],
            }
        )
    return rows


SIDE_SECTIONS = {
    "model": "The models",
    "prices": "Prices (US dollars per million tokens)",
    "capabilities": "Capabilities",
    "input": "Your input",
}


def side_headings(pair: SideBySide) -> tuple[str, str]:
    """Column headings of the two models: "name · host", plus the id when both would read the same."""
    from planner.advice.model_facts import display_name

    left = f"{display_name(pair.left_name)} · {pair.left_provider}"
    right = f"{display_name(pair.right_name)} · {pair.right_provider}"
    if left == right:
        left, right = f"{left} ({pair.left_id})", f"{right} ({pair.right_id})"
    return left, right


def side_rows(pair: SideBySide, section: str) -> list[dict[str, str]]:
    """One section of the side-by-side table: a row per label, the two models' values next to each other."""
    left, right = side_headings(pair)
    marks = {"yes": "✓ yes", "no": "✗ no"}
    rows = []
    for row in pair.rows:
        if row.section != section:
            continue
        one, other = row.left, row.right
        if section == "capabilities":
            one, other = marks.get(one, one), marks.get(other, other)
        rows.append({"": row.label, left: one, right: other})
    return rows
