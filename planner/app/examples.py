"""Example inputs for the app: the model page's reference documents (planner.advice.reference_documents), so
an
example's count is the page's "what fits" count of the same document."""

from __future__ import annotations

from dataclasses import dataclass

from planner.advice.reference_documents import REFERENCES, DocumentKind, reference_text

ExampleKind = DocumentKind


@dataclass(frozen=True)
class Example:
    """An example input: one of the model page's reference documents."""

    key: str
    label: str
    words: int
    kind: ExampleKind


def example_text(words: int, kind: ExampleKind = "prose") -> str:
    """A deterministic text of exactly ``words`` whitespace-separated words (see
    planner.advice.reference_documents.reference_text)."""
    return reference_text(words, kind)


def _examples() -> tuple[Example, ...]:
    return tuple(
        Example(
            key=doc.name.replace(" ", "_"),
            label=f"{doc.name.capitalize()} (~{doc.words:,} words)",
            words=doc.words,
            kind=doc.kind,
        )
        for doc in REFERENCES
    )


EXAMPLES = _examples()
