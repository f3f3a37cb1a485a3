"""The results of counting inputs: pydantic records shared by the CLI, the Streamlit app and the Python API.

``FileReport.tokens`` holds one integer per requested family (``{"llama3": 1234, "claude": 1400}``): the exact
count, or the middle of the estimate band for estimated families. The bands of the totals are in
``InputReport.counts``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from planner.errors import NothingCountedError
from planner.tokens.counts import TokenCount
from planner.wording import count_of


class FileReport(BaseModel):
    """One input (a file, standard input or pasted text) and what became of it."""

    path: str
    kind: str = "text"  # text, markdown, code, json, csv, html, pdf, docx, messages, stdin, other
    extension: str = ""  # lower-case suffix with the dot (".py"), "" when there is none
    size: int = 0  # bytes on disk (or read from stdin)
    encoding: str | None = None  # how the bytes were decoded, e.g. "utf-8", "utf-16", "cp1252"
    tokens: dict[str, int] = Field(default_factory=dict)  # family -> tokens (middle of the band if estimated)
    words: int = 0
    chars: int = 0
    bytes: int = 0  # UTF-8 bytes of the counted text
    lines: int = 0
    skipped: str | None = None  # why the file was not counted; None when it was
    warnings: list[str] = Field(default_factory=list)  # e.g. "invalid UTF-8 replaced with U+FFFD"


class ExtensionTotals(BaseModel):
    files: int = 0
    tokens: dict[str, int] = Field(default_factory=dict)
    words: int = 0
    bytes: int = 0


class DuplicateInput(BaseModel):
    """A file named or reached more than once (``a.txt ./a.txt``, a folder and a file in it): counted once."""

    path: str  # as given or found the second time
    same_as: str  # the path it was counted under


class LeftOutFolder(BaseModel):
    """A folder a walk left out by default (``.git``, ``__pycache__``, a virtualenv): said, not an error."""

    path: str
    name: str  # the folder's own name: ``__pycache__``, ``.git``, ``env`` (a virtualenv: it has pyvenv.cfg)
    reason: str


# The command line's way to change it; the app names its own.
IMAGES_LEFT_OUT_CHANGE = "(--images count or refuse changes it)"


def images_left_out_text(images: int, change: str = IMAGES_LEFT_OUT_CHANGE) -> str:
    """'3 images left out: the model takes no images (--images count or refuse changes it)'."""
    return f"{count_of(images, 'image')} left out: the model takes no images {change}"


def left_out_text(left_out: Sequence[LeftOutFolder]) -> str:
    """'left out by default: 2 __pycache__ folders, 1 .git folder (name a folder as a path to count it)'."""
    names: dict[str, int] = {}
    for folder in left_out:
        names[folder.name] = names.get(folder.name, 0) + 1
    kinds = ", ".join(count_of(number, f"{name} folder") for name, number in names.items())
    return f"left out by default: {kinds} (name a folder as a path to count it)"


class ImageReport(BaseModel):
    """One image of the input: where it is, its size and its tokens per family (or why it was not counted)."""

    where: str
    width: int = 0
    height: int = 0
    detail: str = "auto"
    tokens: dict[str, int] = Field(default_factory=dict)  # family -> tokens by that family's image rule
    basis: dict[str, str] = Field(default_factory=dict)  # family -> the rule and its source
    skipped: str | None = None  # why no family counted it
    # family -> why that family did not count it, when another did (a remote low-detail image: the GPT-4o
    # rule does not need its size, Claude's does)
    not_counted: dict[str, str] = Field(default_factory=dict)


class RequestParts(BaseModel):
    """What a request sends, per family: text (with chat overhead), images and tool definitions.

    ``images`` / ``tools`` are None when the input has none; ``total`` is their sum (the text alone when there
    is nothing else, so its basis is unchanged).
    """

    text: TokenCount
    images: TokenCount | None = None
    tools: TokenCount | None = None

    @property
    def total(self) -> TokenCount:
        total = self.text
        for part in (self.images, self.tools):
            if part is not None:
                total = _plus(total, part)
        return total


def _plus(a: TokenCount, b: TokenCount) -> TokenCount:
    """``a + b`` with both bases named (the text's basis is kept in the total's basis)."""
    basis = f"{a.basis} + {b.basis}" if a.basis != "empty" else b.basis
    return (a + b).model_copy(update={"basis": basis})


EMPTY_INPUT = (
    "nothing was counted: the input is empty (0 characters); check the command or file that feeds it"
)


class InputReport(BaseModel):
    """Everything counted: totals per family (exact, or estimate with a band) and a per-file breakdown."""

    counts: dict[str, TokenCount]
    parts: dict[str, RequestParts] = Field(default_factory=dict)  # the text / image / tool split of counts
    max_tokens: int | None = None  # the largest max_tokens a request body asked for (None: none said)
    images: list[ImageReport] = Field(default_factory=list)
    words: int = 0
    chars: int = 0
    bytes: int = 0
    lines: int = 0
    files: list[FileReport] = Field(default_factory=list)
    by_extension: dict[str, ExtensionTotals] = Field(default_factory=dict)
    skipped_count: int = 0
    warning_count: int = 0  # files that were counted but altered (e.g. invalid UTF-8 replaced)
    is_messages: bool = False
    images_not_counted: int = 0  # images no family counted (one family: the images it did not count)
    duplicates: list[DuplicateInput] = Field(default_factory=list)  # not an error: the count is right
    left_out: list[LeftOutFolder] = Field(default_factory=list)  # folders the walk leaves out by default
    notes: list[str] = Field(default_factory=list)  # ignore-file lines refused (too long, too complex)
    images_left_out: list[str] = Field(default_factory=list)  # images in folders, for a model without vision

    @property
    def has_problems(self) -> bool:
        """True when a file was skipped or altered, or the input was empty: the CLI then exits with
        status 5."""
        return self.skipped_count > 0 or self.warning_count > 0 or self.is_empty

    @property
    def nothing_counted(self) -> bool:
        """Every input given was skipped, so nothing was counted (an empty file is counted, as 0 tokens)."""
        return self.skipped_count > 0 and all(row.skipped is not None for row in self.files)

    @property
    def is_empty(self) -> bool:
        """The input held nothing: no character, no image, 0 tokens in every family (an empty pipe, as
        when the command before it failed, or only empty files). An empty file among others is counted as
        0 tokens; an input that is empty as a whole answers nothing, so a gate never passes on it."""
        return (
            not self.nothing_counted
            and self.chars == 0
            and not self.images
            and all(count.tokens == 0 for count in self.counts.values())
        )

    def check_counted(self) -> None:
        """NothingCountedError (exit 5) when every input was skipped (naming the first skip reason) or the
        input was empty: the rule of every command that answers on counted input (fit, cost, compare,
        hosts, model)."""
        if self.is_empty:
            raise NothingCountedError(EMPTY_INPUT)
        if not self.nothing_counted:
            return
        first = next(row for row in self.files if row.skipped is not None)
        skipped = count_of(self.skipped_count, "file")
        which = f"{first.path}: {first.skipped}"
        if self.skipped_count > 1:
            which = f"the first, {which}"
        raise NothingCountedError(
            f"nothing was counted: {skipped} skipped ({which}); `planner count` lists every reason"
        )

    def images_not_counted_for(self, family: str) -> int:
        """Images not counted under ``family``'s rule (a remote image may count for one family only)."""
        return sum(1 for row in self.images if family not in row.tokens)

    def tokens(self, family: str) -> int:
        return self.counts[family].tokens
