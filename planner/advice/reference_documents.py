"""The reference documents of the model page ("what fits in one request") and the app's examples: one
deterministic text per document, and its one count per tokenizer family.

A reference document is a text of exactly its number of words, built from an original sample shipped here
(a report for prose, a Python module for code). Its tokens are counted by the same function that counts
pasted text (``planner.inputs.count_text_input``), so the model page's "long document" and the app's example
long document are the same number everywhere.

The counts of every family are shipped in ``planner/data/reference_counts.json`` (written by
``scripts/build_reference_counts.py``; tests/advice/test_reference_counts.py recounts every entry), so a model
page does not count 3.6 MB of text per call; a family the table lacks is counted, once per process.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from planner.inputs import count_text_input
from planner.tokens.counts import TokenCount

DocumentKind = Literal["prose", "code"]


@dataclass(frozen=True)
class ReferenceDocument:
    name: str  # "long document"
    words: int
    kind: DocumentKind


REFERENCES: tuple[ReferenceDocument, ...] = (
    ReferenceDocument("short document", 1_500, "prose"),
    ReferenceDocument("long document", 37_000, "prose"),
    ReferenceDocument("small codebase", 150_000, "code"),
    ReferenceDocument("full novel", 375_000, "prose"),
)

# Original text written for these documents (no licence needed); repeated to reach a reference size.
_PROSE = """\
Before a team sends a long report to a language model, somebody has to answer three plain questions. \
Does the whole thing fit in one request, with room left for the answer? What will it cost to do this \
every day for a month? And which model gives the best answer for the money? The report in this \
example is made of ordinary paragraphs like this one: it describes a project, the people who worked \
on it, what went well and what did not, and what the next quarter should look like.
The first section lists the goals agreed in the spring. Each goal has an owner, a date and a short \
note on how progress will be measured. Some goals were met early; others slipped because a supplier \
delivered late or because the work turned out to be larger than anyone had guessed. The notes say \
which, and why.
The second section covers the budget. Spending stayed close to the plan for most of the year, with \
two exceptions: travel rose when the team met customers in person, and the cost of computing rose \
when the models grew. Both are explained with figures, and both have a proposal for the coming year.
The last section is about people. New colleagues joined in the summer, two moved to other teams, and \
the group now meets once a week to review open questions. The report ends with a list of decisions \
the board is asked to make, each with the options considered and the reasons for the recommendation.
"""

_CODE = '''\
from dataclasses import dataclass, field


@dataclass
class Order:
    """One customer order with its lines and a running total."""

    number: int
    customer: str
    lines: list[tuple[str, int, float]] = field(default_factory=list)

    def add(self, item: str, quantity: int, unit_price: float) -> None:
        if quantity <= 0:
            raise ValueError(f"quantity must be positive, got {quantity}")
        self.lines.append((item, quantity, unit_price))

    def total(self) -> float:
        return sum(quantity * unit_price for _, quantity, unit_price in self.lines)


def load_orders(rows: list[dict[str, str]]) -> dict[int, Order]:
    """Group CSV rows into orders, keyed by order number."""
    orders: dict[int, Order] = {}
    for row in rows:
        number = int(row["order"])
        order = orders.setdefault(number, Order(number, row["customer"]))
        order.add(row["item"], int(row["quantity"]), float(row["unit_price"]))
    return orders


def largest_customers(orders: dict[int, Order], top: int = 10) -> list[tuple[str, float]]:
    """The customers with the highest spend, largest first."""
    spend: dict[str, float] = {}
    for order in orders.values():
        spend[order.customer] = spend.get(order.customer, 0.0) + order.total()
    return sorted(spend.items(), key=lambda pair: pair[1], reverse=True)[:top]
'''


def reference_text(words: int, kind: DocumentKind = "prose") -> str:
    """A deterministic text of exactly ``words`` whitespace-separated words, built from a shipped sample.

    Prose repeats the sample report paragraph by paragraph (numbered, so no two paragraphs are identical);
    code repeats the sample module line by line.
    """
    if words <= 0:
        return ""
    sample = _PROSE if kind == "prose" else _CODE
    lines = sample.splitlines(keepends=True)
    out: list[str] = []
    remaining = words
    for number, line in enumerate(itertools.cycle(lines)):
        if kind == "prose" and number % len(lines) == 0:
            line = f"Part {number // len(lines) + 1}. {line}"
        line_words = line.split()
        if len(line_words) >= remaining:
            out.append(_first_words(line, remaining))
            break
        out.append(line)
        remaining -= len(line_words)
    return "".join(out).rstrip() + "\n"


def _first_words(line: str, count: int) -> str:
    """The start of ``line`` up to and including its ``count``-th word (layout kept)."""
    if count <= 0:
        return ""
    match = list(itertools.islice(re.finditer(r"\S+", line), count))[-1]
    return line[: match.end()]


REFERENCE_COUNTS_FILE = "data/reference_counts.json"


@lru_cache(maxsize=64)
def reference_count(words: int, kind: DocumentKind, family: str) -> TokenCount:
    """The tokens of ``reference_text(words, kind)`` for ``family``: exact, or an estimate with its band;
    counted as pasted text is, so the app's example input and the model page agree to the token."""
    shipped = shipped_reference_counts().get(family, {}).get(reference_key(words, kind))
    if shipped is not None:
        return TokenCount(tokenizer=family, **shipped)
    return count_reference(words, kind, family)


def count_reference(words: int, kind: DocumentKind, family: str) -> TokenCount:
    """The count itself (what the shipped table holds)."""
    return count_text_input(reference_text(words, kind), [family], name="reference document").counts[family]


def reference_key(words: int, kind: DocumentKind) -> str:
    return f"{kind}:{words}"


@cache
def shipped_reference_counts() -> dict[str, dict[str, dict[str, Any]]]:
    """family -> reference key -> TokenCount fields (no ``tokenizer``), from the package data."""
    raw = resources.files("planner").joinpath(REFERENCE_COUNTS_FILE).read_text("utf-8")
    return json.loads(raw)["counts"]
