"""The style rules the page adds to Streamlit's theme, so every text reads at 4.5:1 or more (WCAG 2.x, 1.4.3).

Streamlit draws a caption at 60 % opacity: #2f2d2b on white is then 3.9:1. At 80 % it is 7:1 and still reads
as a note under the main text.
tests/app/test_app_accessibility.py measures every text on every view in Chromium.
"""

from __future__ import annotations

import streamlit as st

CAPTION_OPACITY = 0.8
# The chosen view's name: Streamlit's primary red #c53948 on its own 10 % tint is 4.48:1; this red is 6:1.
CHOSEN_COLOR = "#a32f3b"
# A button that opens another model or view in this tab (planner.app.navigation) is drawn as a link: Streamlit
# draws it in the page's text colour, so nothing said it could be clicked. This blue is 6.7:1 on white. Its
# label wraps as text does: Streamlit cuts a button's label at one line with an ellipsis.
LINK_COLOR = "#0b5cad"
LINK_BUTTON = 'button[data-testid="stBaseButton-tertiary"]'
READABLE_TEXT = (
    "<style>"
    f'[data-testid="stCaptionContainer"] {{ opacity: {CAPTION_OPACITY}; }}'
    f'button[data-variant="segmented_control"][aria-checked="true"] p {{ color: {CHOSEN_COLOR}; }}'
    f"{LINK_BUTTON} p {{ color: {LINK_COLOR}; text-decoration: underline; }}"
    f"{LINK_BUTTON} p, {LINK_BUTTON} [data-testid='stMarkdownContainer'] "
    "{ white-space: normal; overflow: visible; text-overflow: clip; text-align: left; }"
    "</style>"
)


def readable_text() -> None:
    """Add the rule to the page (a style alone takes no room on it)."""
    st.html(READABLE_TEXT)
