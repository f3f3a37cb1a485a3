"""Options, input gathering and argument parsing shared by the fit, cost, compare, model and conversation
commands. Parsing only: the rules live in planner (plans, costs, advice)."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planner.errors import LimitError, UsageError
from planner.tokens.families import chat_template_for, family_for
from planner.wording import count_of

if TYPE_CHECKING:
    from planner.catalog.schema import ModelOffer
    from planner.catalog.store import Catalog
    from planner.tokens.counts import TokenCount

PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files or folders to count; '-' or nothing reads standard input.", show_default=False
    ),
]
ModelOpt = Annotated[
    str, typer.Option("--model", "-m", metavar="ID", help="Model id or name (see `planner models`).")
]
ProviderOpt = Annotated[
    str | None,
    typer.Option(
        "--provider", metavar="HOST", help="Host of the model when several offer it (e.g. openrouter)."
    ),
]
InputTokensOpt = Annotated[
    str | None,
    typer.Option(
        "--input-tokens",
        "-i",
        metavar="N",
        help="Input tokens, given directly instead of PATHs (100000, 100k).",
    ),
]
OutputTokensOpt = Annotated[
    str | None,
    typer.Option(
        "--output-tokens",
        "-o",
        metavar="N",
        help="Tokens reserved for (or billed as) the answer (default: a request body's max_tokens, else 0).",
    ),
]
ReasoningOpt = Annotated[
    str, typer.Option("--reasoning-tokens", "-r", metavar="N", help="Tokens reserved for thinking.")
]
ImagesOpt = Annotated[
    str | None,
    typer.Option(
        "--images",
        metavar="count|skip|refuse",
        help="Images found in folders: count, skip or refuse (default: skip for a model without vision).",
    ),
]
PdfAsOpt = Annotated[
    str, typer.Option("--pdf-as", metavar="text|images", help="PDFs as text, or text + an image per page.")
]
EffortOpt = Annotated[
    str | None,
    typer.Option(
        "--reasoning-effort",
        metavar="LEVEL",
        help="low, medium or high: reserve the model's documented thinking budget (-r N wins).",
    ),
]
TextOpt = Annotated[
    str | None,
    typer.Option("--text", metavar="TEXT", help="The input is this string (instead of PATHs or stdin)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (money as decimal strings).")]
MessagesOpt = Annotated[
    bool,
    typer.Option("--messages", help="The input is a chat transcript (JSON messages): add chat overhead."),
]
IncludeOpt = Annotated[
    list[str] | None, typer.Option("--include", metavar="GLOB", help="Glob of folder files to count.")
]
ExcludeOpt = Annotated[
    list[str] | None, typer.Option("--exclude", metavar="GLOB", help="Glob of folder files to skip.")
]
CachedTokensOpt = Annotated[
    str, typer.Option("--cached-tokens", metavar="N", help="Input tokens read from cache.")
]
BatchOpt = Annotated[bool, typer.Option("--batch", help="Use the batch API prices.")]
OnlineOpt = Annotated[
    bool,
    typer.Option(
        "--online",
        help="Exact count from the vendor's count endpoint (Claude, Gemini, Grok; OpenAI request bodies): "
        "sends the input, needs the vendor's API key. Also PLANNER_ONLINE=1.",
    ),
]


@dataclass
class Gathered:
    counts: dict[str, TokenCount]
    files: list[Any]  # planner.inputs FileReport records ([] for --input-tokens)
    words: int | None
    skipped: int
    images_not_counted: dict[str, int] = field(default_factory=dict)  # family -> images it did not count
    parts: dict[str, Any] | None = None  # family -> RequestParts (text / images / tools)
    image_count: int = 0  # image parts and image files met, counted or not
    max_tokens: int | None = None  # the largest max_tokens a counted request body sets
    images_left_out: list[str] = field(default_factory=list)  # images in folders left out (--images)
    offline_estimate: TokenCount | None = None  # --online: the offline count, beside the vendor's


def count_option(value: str, option: str) -> int:
    from planner.tokens.quantities import parse_token_count

    return parse_token_count(value, option)


def tokens_option(value: str | None, option: str) -> int | None:
    return None if value is None else count_option(value, option)


def date_option(value: str, option: str) -> date:
    """A date given as YYYY-MM-DD; UsageError otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{option} expects a date as YYYY-MM-DD, got {value!r}") from None


def choice_option(value: str, option: str, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices`` (case and spaces ignored); UsageError otherwise."""
    chosen = value.strip().lower()
    if chosen not in choices:
        raise UsageError(f"{option} must be one of {', '.join(choices)}, got {value!r}")
    return chosen


def reserves(output_tokens: str | None, reasoning_tokens: str) -> tuple[int, int]:
    """The --output-tokens and --reasoning-tokens reserves as whole numbers (--output-tokens not given: 0;
    ``answer_reserve`` then takes a request body's max_tokens)."""
    typed = count_option(output_tokens, "--output-tokens") if output_tokens is not None else 0
    return typed, count_option(reasoning_tokens, "--reasoning-tokens")


def answer_reserve(output_tokens: str | None, gathered: Gathered) -> tuple[int, str | None]:
    """The answer reserve (planner.advice.fit_rule.answer_reserve) of --output-tokens and the counted
    input."""
    from planner.advice.fit_rule import answer_reserve as reserve

    typed = count_option(output_tokens, "--output-tokens") if output_tokens is not None else None
    return reserve(typed, gathered.max_tokens)


def effort_reserve(
    offer: ModelOffer, reasoning: int, typed: str, effort: str | None
) -> tuple[int, str | None]:
    """The thinking reserve: --reasoning-tokens when given, else the --reasoning-effort budget
    (planner.advice.reasoning), else none; with the basis of an effort budget."""
    if effort is None or typed.strip() != "0":
        return reasoning, None
    from planner.advice.reasoning import parse_effort, reasoning_reserve

    reserve = reasoning_reserve(offer, family_for(offer), parse_effort(effort))
    return reserve.tokens, reserve.basis


def effort_document(effort: str | None, basis: str | None) -> dict[str, Any]:
    """The --json keys of an effort budget (none without one)."""
    return {"reasoning_effort": effort, "reasoning_basis": basis} if basis is not None else {}


def load_catalog() -> Catalog:
    """The catalog in use (imported when a command runs, so `planner --help` stays fast)."""
    from planner.catalog import load_catalog

    return load_catalog()


def offer_for(catalog: Catalog, model: str, provider: str | None) -> ModelOffer:
    return catalog.get(model, provider)


@dataclass
class InputSpec:
    """What the user gave as input; ``count`` may run more than once (standard input is kept)."""

    paths: list[str] | None
    input_tokens: int | None
    messages: bool = False
    include: list[str] | None = None
    exclude: list[str] | None = None
    stdin_data: bytes | None = None
    stream_data: dict[str, bytes] = field(default_factory=dict)  # pipes named as paths, read once, by path
    warned: bool = False  # the skipped / left-out notes are printed once, however often the input is counted
    pdf_as_images: bool = False
    online: bool = False  # --online: the vendor counts the model's family (planner.advice.online)
    images: str | None = None  # --images as typed (planner.advice.notes.folder_images decides)
    folder_images: bool = True  # count the image files found in folders

    @classmethod
    def from_options(
        cls,
        paths: list[str] | None,
        input_tokens: str | None,
        messages: bool = False,
        include: list[str] | None = None,
        exclude: list[str] | None = None,
        text: str | None = None,
    ) -> InputSpec:
        """The input options of a command, with --input-tokens parsed; --text is counted as text piped on
        standard input is (the MCP tools' ``text`` too), and is the only input when given."""
        if text is not None:
            if paths or input_tokens is not None:
                raise UsageError("--text is the input: leave out PATH and --input-tokens, or drop --text")
            return cls(["-"], None, messages, include, exclude, stdin_data=text.encode("utf-8", "replace"))
        return cls(paths, tokens_option(input_tokens, "--input-tokens"), messages, include, exclude)

    @property
    def given(self) -> bool:
        return self.input_tokens is not None or bool(self.paths)

    def count_for(self, offer: ModelOffer) -> tuple[str, Gathered]:
        """The tokenizer family of ``offer`` and the input counted with it (the images it has are in
        ``Gathered.image_count``; the answers refuse them: ``refuse``)."""
        from planner.advice.notes import folder_images

        family = family_for(offer)
        self.folder_images = folder_images(offer, self.images) != "skip"
        gathered = self.count([family], offer.id)
        if self.online:
            count, gathered.offline_estimate = apply_online(
                offer.id, family, gathered.counts[family], self.online_request()
            )
            gathered.counts[family] = count
        return family, gathered

    def online_request(self) -> Any:
        """The input as a vendor's count endpoint is sent it, or why it is not sent."""
        if self.input_tokens is not None:
            return "--input-tokens is a number, there is no text to send"
        return online_request(
            self.paths or ["-"],
            messages=self.messages,
            stdin_data=self.stdin_data,
            include=self.include or (),
            exclude=self.exclude or (),
            pdf_as_images=self.pdf_as_images,
        )

    def count(self, families: list[str], model_id: str | None = None) -> Gathered:
        """Counts for each family: from --input-tokens, else PATHs (or standard input), once per family."""
        if self.input_tokens is not None:
            if self.paths:
                raise UsageError("give PATHs or --input-tokens, not both")
            from planner.tokens.counts import typed_counts

            return Gathered(counts=typed_counts(self.input_tokens, families), files=[], words=None, skipped=0)
        sources = list(self.paths or ["-"])
        if "-" in sources and self.stdin_data is None:
            if sys.stdin.isatty():
                raise UsageError("no input: give PATHs, pipe text in, or use --input-tokens N")
            self.stdin_data = sys.stdin.buffer.read()
        self._read_streams(sources)
        from planner.inputs import count_inputs
        from planner.tokens.image_rules import rule_for

        report = count_inputs(
            sources,
            families,
            include=tuple(self.include or ()),
            exclude=tuple(self.exclude or ()),
            messages=self.messages,
            stdin=io.BytesIO(self.stdin_data) if self.stdin_data is not None else None,
            chat_template=self._template(families, model_id),
            image_rules={family: rule_for(family, model_id or "") for family in families},
            pdf_as_images=self.pdf_as_images,
            folder_images=self.folder_images,
            streams=self.stream_data,
        )
        report.check_counted()
        shown = report.skipped_count or report.left_out or report.notes or report.images_left_out
        if shown and not self.warned:
            self.warned = True
            if report.skipped_count:
                skipped = count_of(report.skipped_count, "file")
                sys.stderr.write(f"warning: {skipped} skipped; `planner count --json` says why\n")
            for note in report.notes:
                sys.stderr.write(f"note: {note}\n")
            if report.images_left_out:
                from planner.inputs.report import images_left_out_text

                sys.stderr.write(f"note: {images_left_out_text(len(report.images_left_out))}\n")
            if report.left_out:
                from planner.inputs.report import left_out_text

                sys.stderr.write(f"note: {left_out_text(report.left_out)}\n")
        return Gathered(
            counts=dict(report.counts),
            files=list(report.files),
            words=report.words,
            skipped=report.skipped_count,
            images_not_counted={family: report.images_not_counted_for(family) for family in families},
            parts=dict(report.parts),
            image_count=len(report.images),
            max_tokens=report.max_tokens,
            images_left_out=list(report.images_left_out),
        )

    def _read_streams(self, sources: list[str]) -> None:
        """Read each pipe named as a path once (``<(cmd)``, a FIFO): a second count of the input (fit's
        suggestions, in other families) would find it empty. One that cannot be read is left for the count
        to report as skipped."""
        from planner.inputs.count_run import is_named_stream

        for source in sources:
            if source != "-" and source not in self.stream_data and is_named_stream(source):
                try:
                    with open(source, "rb") as handle:
                        self.stream_data[source] = handle.read()
                except OSError:
                    continue

    def _template(self, families: list[str], model_id: str | None) -> str | None:
        if not self.messages or model_id is None or len(families) != 1:
            return None

        return chat_template_for(model_id, families[0])


def online_request(
    paths: list[str],
    *,
    messages: bool,
    stdin_data: bytes | None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    raw_markup: bool = False,
    follow_links: bool = False,
    pdf_as_images: bool = False,
) -> Any:
    """The input as a vendor's count endpoint is sent it (planner.inputs.online_request), or why it is not."""
    from pathlib import Path

    from planner.inputs.online_request import messages_request, texts_request

    if pdf_as_images:
        return "PDF pages as images are not sent online"
    if not messages:
        return texts_request(
            paths,
            stdin_data=stdin_data,
            include=include,
            exclude=exclude,
            raw_markup=raw_markup,
            follow_links=follow_links,
        )
    if len(paths) != 1:
        return "more than one request body: each is its own request"
    if paths[0] == "-":
        return messages_request(stdin_data or b"", Path.cwd())
    from planner.inputs.readers import read_bytes

    return messages_request(read_bytes(paths[0]), Path(paths[0]).parent)


def apply_online(model_id: str, family: str, offline: TokenCount, request: Any) -> tuple[TokenCount, Any]:
    """(the count to use, the offline count kept beside a vendor's, else None); a note on stderr when the
    vendor was not asked."""
    from planner.advice.online import online_count

    answer = online_count(model_id, family, offline, request)
    if answer.note:
        sys.stderr.write(f"note: {answer.note}\n")
    return answer.count, answer.offline_estimate


def offline_estimate_document(offline: TokenCount | None) -> dict[str, Any]:
    """``offline_estimate`` (tokens, low, high, method, basis) beside a vendor's count; else nothing."""
    if offline is None:
        return {}
    return {
        "offline_estimate": {
            "tokens": offline.tokens,
            "low": offline.tokens_low,
            "high": offline.tokens_high,
            "method": offline.method,
            "basis": offline.basis,
        }
    }


def online_lines(count: TokenCount, offline: TokenCount | None) -> str:
    """The human lines of a vendor's count: where it came from and the offline count beside it."""
    if offline is None:
        return ""
    band = f" ({offline.tokens_low:,}-{offline.tokens_high:,})" if offline.method == "estimate" else ""
    return (
        f"counted by the vendor: {count.basis}\n"
        f"offline {offline.method}: {offline.tokens:,} tokens{band}; {offline.basis}\n"
    )


@dataclass
class Request:
    """What fit, cost, compare, model and hosts set up alike: the input (counted later, per tokenizer), the
    answer and thinking reserves, the offer asked about and the catalog (loaded on first use: an exact id of
    the shipped catalog is read from its own record, planner.catalog.model_index.shipped_offer)."""

    spec: InputSpec
    output_tokens: int
    reasoning_tokens: int
    offer: ModelOffer
    loaded_catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        if self.loaded_catalog is None:
            self.loaded_catalog = load_catalog()
        return self.loaded_catalog


def request_setup(
    paths: list[str] | None,
    input_tokens: str | None,
    output_tokens: str | None,
    reasoning_tokens: str,
    model: str,
    provider: str | None,
    *,
    messages: bool = False,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    pdf_as: str = "text",
    text: str | None = None,
    online: bool = False,
    images: str | None = None,
) -> Request:
    """The shared setup of the commands that answer for one request: the input options (--input-tokens
    parsed, --pdf-as, --online, --images), the reserves, then the catalog and the offer (UnknownModelError,
    exit 4). A command parses its own options first, so a usage error is said before the catalog loads."""
    from planner.tokens.online.switch import online_wanted

    spec = InputSpec.from_options(paths, input_tokens, messages, include, exclude, text)
    spec.pdf_as_images = pdf_mode(pdf_as) == "images"
    spec.online = online_wanted(online)
    spec.images = images_mode(images)
    return request_for(spec, output_tokens, reasoning_tokens, model, provider)


def request_for(
    spec: InputSpec, output_tokens: str | None, reasoning_tokens: str, model: str, provider: str | None
) -> Request:
    """``request_setup`` for an input already gathered (`planner mcp`'s tools: text or confined paths)."""
    from planner.catalog.model_index import shipped_offer

    out, reasoning = reserves(output_tokens, reasoning_tokens)
    offer = shipped_offer(model) if provider is None else None
    if offer is not None:
        return Request(spec, out, reasoning, offer)
    catalog = load_catalog()
    return Request(spec, out, reasoning, offer_for(catalog, model, provider), catalog)


def images_mode(value: str | None) -> str | None:
    """The --images value (count, skip or refuse), None when not given (the model decides)."""
    if value is None:
        return None
    from planner.advice.image_notes import FOLDER_IMAGES

    return choice_option(value, "--images", FOLDER_IMAGES)


def pdf_mode(value: str) -> str:
    """The --pdf-as value: ``text`` (the text layer) or ``images`` (text + one image per page)."""
    return choice_option(value, "--pdf-as", ("text", "images"))


def refuse(refusal: str | None) -> None:
    """An answer's ``image_refusal`` (planner.advice.notes) stops the command: LimitError, exit 8."""
    if refusal is not None:
        raise LimitError(refusal)


def headroom_fraction(text: str) -> Decimal:
    from planner.tokens.quantities import parse_share

    return parse_share(text, "--headroom")
