"""The visible text of an HTML page, read in one pass with the standard library's tokenizer (no tree).

Its own module so that html.parser is imported only when an HTML file is met (start-up).
"""

from __future__ import annotations

from html.parser import HTMLParser

_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head")
_BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table"}
    | {
        "thead",
        "tbody",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "pre",
    }
    | {"figure", "figcaption", "form", "hr", "address", "details", "summary", "caption"}
)
_BREAK = "\x00"  # marks a line break between blocks (decoded text never holds NUL: such files are skipped)


class _VisibleText(HTMLParser):
    """One pass over the markup, keeping no tree: linear in the input however deep the nesting (a tree
    library walks ancestors per element, quadratic for 20,000 nested ``<div>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0  # depth inside script, style, head ...
        self.in_title = False
        self.title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS or tag == "br":
            self.pieces.append(_BREAK)
        if tag == "title" and self.title is None:
            self.in_title, self.title = True, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS or tag == "br":
            self.pieces.append(_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.pieces.append(_BREAK)
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title and self.title is not None:
            self.title.append(data)
        if not self.hidden:
            self.pieces.append(data)


def html_visible_text(html: str) -> str:
    """The text a reader sees: no scripts, styles, comments or markup; block elements on their own lines and
    runs of blanks collapsed to one space, as a browser shows them; the title first (if the page does not
    start with it). Read in one pass with the standard library's tokenizer (linear in the input)."""
    parser = _VisibleText()
    parser.feed(html.replace(_BREAK, " "))
    parser.close()
    title = " ".join("".join(parser.title or []).split())
    lines = []
    for line in "".join(parser.pieces).split(_BREAK):
        collapsed = " ".join(line.split())
        if collapsed:
            lines.append(collapsed)
    if title and (not lines or lines[0] != title):
        lines.insert(0, title)
    return "\n".join(lines)
