"""Measure the estimate factors of the exact families on the project's calibration corpus.

For every exact family but o200k_base (llama3, llama4, cl100k_base, qwen, deepseek_v3, the Mistral ones,
gemma3) and every kind of text (as ``classify_text`` sees it), the ratio ``exact tokens of the family /
exact o200k_base tokens`` is measured on each corpus sample. The median is the estimate's factor and the
2.5th-97.5th percentiles, widened slightly, are its band. Those rows let
``planner.tokens.counts.estimate_tokens`` estimate an exact family as if it were unknown, which is how the
project checks that its estimate-with-a-band method holds (tests/tokens/test_estimates.py).

    python scripts/calibrate.py            # print the factors and the held-out coverage of the bands
    python scripts/calibrate.py --write    # also update planner/data/estimate_factors.json
    python scripts/calibrate.py --write --only gemma3   # measure and rewrite one family's row only
    python scripts/calibrate.py --online   # with vendor keys: the estimated families against vendor counts

``--online`` (needs ANTHROPIC_API_KEY, GOOGLE_API_KEY / GEMINI_API_KEY or XAI_API_KEY; each model whose key
is missing is left out, said so) sends every corpus sample to the vendor's count endpoint
(planner.tokens.online) for one model per estimated family (``--model`` chooses others) and prints, per kind
of text, how many vendor counts fall inside the offline estimate's band, and the factor the vendor counts
give (vendor tokens / exact o200k_base tokens: median and 2.5th-97.5th percentiles). A count endpoint counts
a whole request: the request's own tokens are measured once per model as the count of "." minus 1 and taken
off each sample's count (xAI's tokenizer endpoint adds none). Counts are cached in the planner cache folder
by a hash of the request, so a second run sends nothing.

The corpus is ``tests/corpus`` (prose in English, German, Japanese and Chinese, emoji, JSON excerpts of the
catalog sources) plus code read at run time (``planner/*.py`` and a few standard-library modules). Everything
is deterministic: the same tree and Python version give the same numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import random
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from planner.advice.online import default_settings  # noqa: E402
from planner.errors import OnlineCountError  # noqa: E402
from planner.tokens.counts import (  # noqa: E402
    TextKind,
    classify_text,
    count_tokens,
    estimate_with_factors,
    exact_token_count,
)
from planner.tokens.online.counting import OnlineSettings, count_online  # noqa: E402
from planner.tokens.online.request import CountRequest  # noqa: E402
from planner.tokens.online.vendors import vendor_for  # noqa: E402

CORPUS_DIR = REPO / "tests" / "corpus"
FACTORS_FILE = REPO / "planner" / "data" / "estimate_factors.json"
BASE_FAMILY = "o200k_base"
MEASURED_FAMILIES = (
    "llama3",
    "llama4",
    "cl100k_base",
    "qwen",
    "deepseek_v3",
    "mistral_tekken",
    "mistral_v1",
    "mistral_v2",
    "mistral_v3",
    "mistral_v7",
    "gemma3",
)
KINDS: tuple[TextKind, ...] = ("prose", "non_english_prose", "code", "json", "cjk")
FAMILY_LABELS = {
    "llama3": "Llama 3.x, measured (exact family; for 'pretend unknown' estimates)",
    "llama4": "Llama 4, measured (exact family; for 'pretend unknown' estimates)",
    "cl100k_base": "OpenAI cl100k_base, measured (exact family; for 'pretend unknown' estimates)",
    "qwen": "Qwen 2 / 2.5 / 3, measured (exact family; for 'pretend unknown' estimates)",
    "deepseek_v3": "DeepSeek V3 / R1, measured (exact family; for 'pretend unknown' estimates)",
    "mistral_tekken": "Mistral Tekken, measured (exact family; for 'pretend unknown' estimates)",
    "mistral_v1": "Mistral SentencePiece v1, measured (exact family; for 'pretend unknown' estimates)",
    "mistral_v2": "Mistral SentencePiece v2, measured (exact family; for 'pretend unknown' estimates)",
    "mistral_v3": "Mistral SentencePiece v3, measured (exact family; for 'pretend unknown' estimates)",
    "mistral_v7": "Mistral SentencePiece v7, measured (exact family; for 'pretend unknown' estimates)",
    "gemma3": "Gemma 3 / Gemini 2.x, measured (exact family; for 'pretend unknown' estimates)",
}

# Corpus files and the kind of text each one is (the classifier must agree, see
# tests/tokens/test_estimates.py). min_chars: samples are whole paragraphs (or JSON entries) joined until they
# reach it; CJK samples are shorter in characters because each character is ~3 UTF-8 bytes and about one
# token.
CORPUS_FILES: dict[str, tuple[TextKind, int]] = {
    "prose_en.txt": ("prose", 1000),
    "prose_de.txt": ("non_english_prose", 1000),
    "prose_ja.txt": ("cjk", 400),
    "prose_zh.txt": ("cjk", 400),
    "emoji.txt": ("non_english_prose", 500),
    "litellm_excerpt.json": ("json", 1000),
    "modelsdev_excerpt.json": ("json", 1000),
}
STDLIB_CODE = ("textwrap", "heapq", "fractions", "json.decoder", "string")
CODE_MIN_CHARS = 1500
MAX_CHARS = 4000
RANDOM_SEED = 20261121
HALF_WIDEN = 0.03  # the band is widened by this fraction of the median on each side


@dataclass(frozen=True)
class Sample:
    source: str  # file name, or "random-unicode"
    index: int  # position of the sample within its source
    kind: TextKind | None  # expected kind; None for generated text that is no kind of text (random Unicode)
    text: str

    @property
    def name(self) -> str:
        return f"{self.source}#{self.index}"


def join_blocks(
    blocks: Iterable[str], min_chars: int, max_chars: int = MAX_CHARS, sep: str = "\n\n"
) -> list[str]:
    """Consecutive blocks joined into pieces of at least ``min_chars`` (a block longer than ``max_chars`` is
    cut at line ends); a short remainder joins the last piece."""
    pieces: list[str] = []
    current: list[str] = []
    for block in _cut_long_blocks(blocks, max_chars):
        current.append(block)
        if len(sep.join(current)) >= min_chars:
            pieces.append(sep.join(current))
            current = []
    if current:
        if pieces:
            pieces[-1] = sep.join([pieces[-1], *current])
        else:
            pieces.append(sep.join(current))
    return pieces


def _cut_long_blocks(blocks: Iterable[str], max_chars: int) -> Iterable[str]:
    for block in blocks:
        if len(block) <= max_chars:
            yield block
            continue
        part: list[str] = []
        for line in block.splitlines(keepends=True):
            if part and len("".join(part)) + len(line) > max_chars:
                yield "".join(part).rstrip("\n")
                part = []
            part.append(line)
        if part:
            yield "".join(part).rstrip("\n")


def text_samples(path: Path, kind: TextKind, min_chars: int) -> list[Sample]:
    paragraphs = [p for p in path.read_text("utf-8").split("\n\n") if p.strip()]
    pieces = join_blocks(paragraphs, min_chars)
    return [Sample(path.name, i, kind, text) for i, text in enumerate(pieces)]


def json_samples(path: Path, min_chars: int) -> list[Sample]:
    """Valid JSON documents of consecutive entries, laid out as the file is (indented or compact)."""
    raw = path.read_text("utf-8")
    document = json.loads(raw)
    indent = _indent_of(raw)
    entries: list[tuple[str, object]] = []
    for key, value in document.items():
        models = value.get("models") if isinstance(value, dict) else None
        entries.extend(models.items() if isinstance(models, dict) else [(key, value)])
    pieces: list[str] = []
    group: dict[str, object] = {}
    for key, value in entries:
        group[key] = value
        text = _dump(group, indent)
        if len(text) >= min_chars:
            pieces.append(text)
            group = {}
    if group:
        pieces.append(_dump(group, indent))
    return [Sample(path.name, i, "json", text) for i, text in enumerate(pieces)]


def _indent_of(raw: str) -> int | None:
    lines = raw.splitlines()
    if len(lines) < 2:
        return None
    return len(lines[1]) - len(lines[1].lstrip(" "))


def _dump(value: object, indent: int | None) -> str:
    if indent is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(value, ensure_ascii=False, indent=indent)


def code_sources() -> list[Path]:
    """This project's own core modules (tokens, inputs, advice: the text it counts most) and a few
    standard-library modules (read at run time)."""
    own = sorted(
        path for layer in ("tokens", "inputs", "advice") for path in (REPO / "planner" / layer).glob("*.py")
    )
    stdlib = [Path(importlib.util.find_spec(name).origin) for name in STDLIB_CODE]
    return [path for path in own + stdlib if path.stat().st_size > 400]


def code_samples() -> list[Sample]:
    samples: list[Sample] = []
    for path in code_sources():
        blocks = [b for b in path.read_text("utf-8").split("\n\n") if b.strip()]
        source = f"planner/{path.name}" if path.is_relative_to(REPO) else f"stdlib/{path.name}"
        for i, text in enumerate(join_blocks(blocks, CODE_MIN_CHARS)):
            samples.append(Sample(source, i, "code", text))
    return samples


# Code point ranges the random text draws from: scripts, symbols, emoji, whitespace and the rest of the space.
_UNICODE_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x370, 0x52F),
    (0x590, 0x6FF),
    (0x900, 0x97F),
    (0xE00, 0xE7F),
    (0x1100, 0x11FF),
    (0x2000, 0x2BFF),
    (0x3040, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xE000, 0xF8FF),
    (0xFE00, 0xFFFD),
    (0x1F300, 0x1FAFF),
    (0x10000, 0x10FFFF),
)
_WHITESPACE = (" ", " ", "  ", "\n", "\t", "\r\n", "\u3000", "\u00a0")


def random_unicode_samples(count: int = 8, length: int = 1200, seed: int = RANDOM_SEED) -> list[Sample]:
    """Random text over many scripts (runs of one script, whitespace between), fixed seed; no surrogates."""
    rng = random.Random(seed)
    samples = []
    for index in range(count):
        chars: list[str] = []
        while len(chars) < length:
            low, high = rng.choice(_UNICODE_RANGES)
            for _ in range(rng.randint(1, 12)):
                point = rng.randint(low, high)
                chars.append(chr(point) if not 0xD800 <= point <= 0xDFFF else "?")
            chars.append(rng.choice(_WHITESPACE))
        samples.append(Sample("random-unicode", index, None, "".join(chars)))
    return samples


def corpus_samples(corpus_dir: Path = CORPUS_DIR) -> list[Sample]:
    """Every calibration sample, in a fixed order (not including random Unicode, which has no kind)."""
    samples: list[Sample] = []
    for name, (kind, min_chars) in CORPUS_FILES.items():
        path = corpus_dir / name
        if kind == "json":
            samples.extend(json_samples(path, min_chars))
        else:
            samples.extend(text_samples(path, kind, min_chars))
    return samples + code_samples()


def sample_ratios(
    samples: Sequence[Sample], family: str, base_family: str = BASE_FAMILY
) -> dict[TextKind, list[float]]:
    """Per kind of text (as the classifier sees it): exact tokens of ``family`` / exact tokens of the base."""
    ratios: dict[TextKind, list[float]] = defaultdict(list)
    for sample in samples:
        base = exact_token_count(sample.text, base_family)
        if base:
            ratios[classify_text(sample.text)].append(exact_token_count(sample.text, family) / base)
    return dict(ratios)


def fit_band(ratios: Sequence[float], half_widen: float = HALF_WIDEN) -> tuple[float, float, float]:
    """(low, mid, high): the median, and the 2.5th-97.5th percentiles widened by ``half_widen`` x median."""
    values = np.asarray(ratios, dtype=float)
    mid = float(np.median(values))
    low = float(np.percentile(values, 2.5)) - half_widen * mid
    high = float(np.percentile(values, 97.5)) + half_widen * mid
    return math.floor(low * 1000) / 1000, round(mid, 3), math.ceil(high * 1000) / 1000


def calibrate(
    samples: Sequence[Sample], family: str, base_family: str = BASE_FAMILY
) -> dict[TextKind, tuple[float, float, float]]:
    """The factors of ``family`` for every kind with at least one sample."""
    return {kind: fit_band(values) for kind, values in sample_ratios(samples, family, base_family).items()}


def band_coverage(
    samples: Sequence[Sample], family: str, factors: dict[TextKind, tuple[float, float, float]]
) -> tuple[int, int, list[str]]:
    """(covered, total, names of the samples whose exact count fell outside the estimated band)."""
    covered, misses = 0, []
    for sample in samples:
        kind = classify_text(sample.text)
        base = exact_token_count(sample.text, BASE_FAMILY)
        estimate = estimate_with_factors(base, family, kind, factors[kind])
        exact = exact_token_count(sample.text, family)
        if estimate.tokens_low <= exact <= estimate.tokens_high:
            covered += 1
        else:
            band = f"{estimate.tokens_low}-{estimate.tokens_high}"
            misses.append(f"{sample.name} ({kind}): exact {exact}, band {band}")
    return covered, len(samples), misses


def holdout_coverage(samples: Sequence[Sample], family: str) -> tuple[int, int, list[str]]:
    """Calibrate on the even-indexed samples, count how often the band holds on the odd-indexed ones."""
    train, test = samples[0::2], samples[1::2]
    return band_coverage(test, family, calibrate(train, family))


Factors = dict[TextKind, tuple[float, float, float]]


def updated_table(table: dict, measured: dict[str, Factors], source: str) -> dict:
    """The factor table with the measured rows replaced; published rows are kept as they are."""
    families = dict(table["families"])
    for family, factors in measured.items():
        missing = [kind for kind in KINDS if kind not in factors]
        if missing:
            raise SystemExit(f"error: no calibration samples of kind {', '.join(missing)} for {family}")
        families[family] = {
            "label": FAMILY_LABELS[family],
            "source": source,
            "factors": {kind: list(factors[kind]) for kind in KINDS},
        }
    return {**table, "families": families}


def render_table(table: dict) -> str:
    """The factor table as JSON, one line per (kind: [low, mid, high]) so that diffs stay readable."""
    head = {key: value for key, value in table.items() if key != "families"}
    lines = ["{"] + [
        f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}," for key, value in head.items()
    ]
    lines.append('  "families": {')
    rows = list(table["families"].items())
    for position, (family, row) in enumerate(rows):
        lines.append(f"    {json.dumps(family)}: {{")
        for key, value in row.items():
            if key != "factors":
                lines.append(f"      {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
        lines.append('      "factors": {')
        kinds = list(row["factors"].items())
        for index, (kind, band) in enumerate(kinds):
            numbers = ", ".join(str(number) for number in band)
            lines.append(f"        {json.dumps(kind)}: [{numbers}]" + ("," if index < len(kinds) - 1 else ""))
        lines.append("      }")
        lines.append("    }" + ("," if position < len(rows) - 1 else ""))
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


# one model per estimated family with a vendor count endpoint (catalog ids)
ONLINE_MODELS = {
    "claude": "claude-sonnet-4-5",
    "claude_4_7": "claude-opus-4-7",
    "gemini": "gemini-3.1-pro-preview",
    "grok": "xai/grok-4",
}


@dataclass(frozen=True)
class OnlineRow:
    kind: TextKind
    vendor_tokens: int  # the sample's own tokens by the vendor (the request's framing taken off)
    base_tokens: int  # exact o200k_base
    low: int  # the offline estimate's band
    high: int

    @property
    def covered(self) -> bool:
        return self.low <= self.vendor_tokens <= self.high


def online_rows(
    samples: Sequence[Sample], family: str, model_id: str, settings: OnlineSettings
) -> tuple[int, list[OnlineRow]]:
    """(the request's framing, one row per sample) of ``model_id``'s vendor counts; OnlineCountError when the
    vendor gives no count."""
    vendor, why = vendor_for(family, CountRequest.of_texts(["."]))
    if vendor is None:
        raise SystemExit(f"error: {model_id}: {why}")

    def vendor_count(text: str) -> int:
        return count_online(vendor, model_id, CountRequest.of_texts([text]), settings).tokens

    framing = vendor_count(".") - 1
    rows = []
    for sample in samples:
        estimate = count_tokens(sample.text, family)
        rows.append(
            OnlineRow(
                kind=classify_text(sample.text),
                vendor_tokens=vendor_count(sample.text) - framing,
                base_tokens=exact_token_count(sample.text, BASE_FAMILY),
                low=estimate.tokens_low,
                high=estimate.tokens_high,
            )
        )
    return framing, rows


def online_report(family: str, model_id: str, framing: int, rows: Sequence[OnlineRow]) -> list[str]:
    """The printed lines of one model: coverage of the offline bands per kind, and the vendor's factors."""
    covered = sum(row.covered for row in rows)
    lines = [
        f"\n{family} ({model_id}): vendor counts inside the offline band: {covered}/{len(rows)} "
        f"(request framing {framing} tokens taken off each count)"
    ]
    for kind in KINDS:
        kept = [row for row in rows if row.kind == kind and row.base_tokens]
        if not kept:
            continue
        low, mid, high = fit_band([row.vendor_tokens / row.base_tokens for row in kept], half_widen=0.0)
        inside = sum(row.covered for row in kept)
        lines.append(
            f"  {kind:18} inside {inside}/{len(kept)}; "
            f"vendor / {BASE_FAMILY} {mid:.3f} [{low:.3f}-{high:.3f}]"
        )
    return lines


def spread(samples: Sequence[Sample], limit: int | None) -> list[Sample]:
    """At most ``limit`` samples, taken evenly from each kind (all of them without a limit)."""
    if limit is None or limit >= len(samples):
        return list(samples)
    by_kind: dict[TextKind | None, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    share = max(1, limit // len(by_kind))
    return [sample for group in by_kind.values() for sample in group[:: max(1, len(group) // share)][:share]]


def run_online(samples: Sequence[Sample], models: dict[str, str]) -> int:
    """``--online``: every model whose vendor key is set, against its vendor's counts (module docstring)."""
    settings = default_settings()
    measured = 0
    for family, model_id in models.items():  # the process ends soon after: its client is not closed
        vendor, _ = vendor_for(family, CountRequest.of_texts(["."]))
        try:
            if vendor is not None:
                vendor.key()
            framing, rows = online_rows(samples, family, model_id, settings)
        except OnlineCountError as error:
            print(f"\n{family} ({model_id}): left out: {error.message}")
            continue
        measured += 1
        print("\n".join(online_report(family, model_id, framing, rows)))
    if not measured:
        print("error: no vendor could be asked (see above): set a vendor's API key", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"update {FACTORS_FILE.relative_to(REPO)}")
    parser.add_argument(
        "--online", action="store_true", help="compare the offline estimates with the vendors' counts"
    )
    parser.add_argument(
        "--model",
        action="append",
        metavar="FAMILY=ID",
        help="with --online: the catalog id measured for a family (default: "
        + ", ".join(f"{f}={m}" for f, m in ONLINE_MODELS.items())
        + ")",
    )
    today = dt.date.today().isoformat()
    parser.add_argument("--date", default=today, help="date recorded in the source field")
    parser.add_argument(
        "--only",
        action="append",
        choices=MEASURED_FAMILIES,
        help="measure (and with --write, rewrite) only this family's row; repeatable",
    )
    parser.add_argument(
        "--samples",
        type=int,
        metavar="N",
        help="with --online: send at most N samples per model (every k-th, so that each kind stays in)",
    )
    args = parser.parse_args(argv)

    samples = corpus_samples()
    if args.online:
        chosen = dict(item.split("=", 1) for item in args.model or [] if "=" in item)
        return run_online(spread(samples, args.samples), chosen or ONLINE_MODELS)
    counts = defaultdict(int)
    for sample in samples:
        counts[classify_text(sample.text)] += 1
    print(f"{len(samples)} samples: " + ", ".join(f"{kind} {counts[kind]}" for kind in KINDS))
    measured = {}
    for family in args.only or MEASURED_FAMILIES:
        measured[family] = calibrate(samples, family)
        print(f"\n{family} / {BASE_FAMILY}: median [low-high]")
        for kind in KINDS:
            low, mid, high = measured[family][kind]
            print(f"  {kind:18} {mid:.3f} [{low:.3f}-{high:.3f}]")
        covered, total, misses = holdout_coverage(samples, family)
        print(f"  held-out coverage (calibrated on even, tested on odd samples): {covered}/{total}")
        for miss in misses:
            print(f"    outside: {miss}")
    if args.write:
        # Decimal keeps the published rows exactly as written ("1.50" stays "1.50").
        table = json.loads(FACTORS_FILE.read_text("utf-8"), parse_float=Decimal)
        corpus = f"tests/corpus + code ({len(samples)} samples)"
        source = f"measured by scripts/calibrate.py on {corpus}, {args.date}"
        FACTORS_FILE.write_text(render_table(updated_table(table, measured, source)), "utf-8")
        print(f"\nwrote {FACTORS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
