"""The MCP tools as plain functions: each takes the tool's arguments (paths already confined to the roots,
planner.mcp.roots) and returns the `--json` document of the CLI command it stands for, built by that
command's own answer function from the same setup (planner.cli.options.request_for); nothing here computes a
number.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from planner.cli.options import InputSpec, Request, headroom_fraction, request_for
from planner.errors import UsageError

MCP_DROP_BATCH = "set batch to false"  # estimate_cost's own parameter (the CLI's words: "drop --batch")


def input_spec(
    paths: list[str] | None, text: str | None, input_tokens: int | None, messages: bool = False
) -> InputSpec:
    """The input of a tool, as the CLI takes it: PATHs, text (as if piped on standard input) or a token
    count; exactly one of the three."""
    offered = (("paths", paths), ("text", text), ("input_tokens", input_tokens))
    given = [name for name, value in offered if value is not None and value != []]
    if len(given) > 1:
        raise UsageError(f"give one of paths, text or input_tokens, not {' and '.join(given)}")
    if text is not None:
        return InputSpec.from_options(None, None, messages, text=text)  # as `planner fit --text` takes it
    if input_tokens is not None:
        return InputSpec.from_options(None, str(input_tokens), messages)
    if not paths:
        raise UsageError("no input: give paths, text or input_tokens")
    return InputSpec(list(paths), None, messages)


def number(value: int | None) -> str | None:
    """A tool's whole number as the CLI option text it stands for."""
    return None if value is None else str(value)


def setup(
    spec: InputSpec, model: str, provider: str | None, output_tokens: int | None, reasoning_tokens: int
) -> Request:
    return request_for(spec, number(output_tokens), str(reasoning_tokens), model, provider)


def count_tokens(paths: list[str] | None, text: str | None, model: str, messages: bool) -> dict[str, Any]:
    """`planner count PATH... --json` or `planner count --text TEXT --json`."""
    from planner.cli.count import FileOptions, count_files_answer, count_text_answer

    if text is not None:
        if paths or messages:
            raise UsageError("text is counted as it is: leave out paths and messages")
        return count_text_answer(text, model).document.json_document()
    if not paths:
        raise UsageError("no input: give paths or text")
    files = FileOptions([], [], messages, False, False, False)
    return count_files_answer(list(paths), model, files).document.json_document()


def check_fit(
    spec: InputSpec,
    model: str,
    provider: str | None,
    *,
    output_tokens: int | None = None,
    reasoning_tokens: int = 0,
    reasoning_effort: str | None = None,
    headroom: str | None = None,
    max_input_tokens: int | None = None,
    include_free: bool = False,
) -> dict[str, Any]:
    """`planner fit ... --json`."""
    from planner.cli.fit import FitOptions, fit_answer

    options = FitOptions(
        output_tokens=number(output_tokens),
        reasoning_tokens=str(reasoning_tokens),
        reasoning_effort=reasoning_effort,
        headroom=headroom_fraction(headroom) if headroom is not None else None,
        include_free=include_free,
        input_budget=max_input_tokens,
    )
    asked = setup(spec, model, provider, output_tokens, reasoning_tokens)
    return fit_answer(asked, options).document.json_document()


def estimate_cost(
    spec: InputSpec,
    model: str,
    provider: str | None,
    *,
    output_tokens: int | None = None,
    reasoning_tokens: int = 0,
    cached_tokens: int = 0,
    cache_write_tokens: int = 0,
    requests: int = 1,
    requests_per_day: int | None = None,
    batch: bool = False,
) -> dict[str, Any]:
    """`planner cost ... --json`."""
    from planner.cli.cost import cost_answer, cost_options

    options = cost_options(
        number(output_tokens),
        str(reasoning_tokens),
        cached_tokens=str(cached_tokens),
        cache_write_tokens=str(cache_write_tokens),
        requests=str(requests),
        per_day=number(requests_per_day),
        batch=batch,
    )
    options = replace(options, drop_batch=MCP_DROP_BATCH)
    asked = setup(spec, model, provider, output_tokens, reasoning_tokens)
    return cost_answer(asked, options).document.json_document()


def compare_models(
    spec: InputSpec,
    model: str,
    limit: int | None,
    *,
    output_tokens: int | None = None,
    sort: str = "cost",
    fits_only: bool = False,
    include_free: bool = False,
    provider: str | None = None,
    creator: str | None = None,
    capabilities: list[str] | None = None,
    min_context: int | None = None,
    max_input_price: str | None = None,
    max_output_price: str | None = None,
) -> dict[str, Any]:
    """`planner compare ... --json` with the first ``limit`` rows (None: every model, as the CLI)."""
    from planner.cli.compare import CompareFilters, compare_answer, compare_options

    hidden = False if include_free else None  # None: the CLI's default policy (free offers left out)
    options = compare_options(number(output_tokens), sort=sort, fits_only=fits_only, hide_free=hidden)
    filters = CompareFilters(
        provider=provider,
        creator=creator,
        capability=capabilities,
        min_context=number(min_context),
        max_input_price=max_input_price,
        max_output_price=max_output_price,
    )
    asked = setup(spec, model, None, output_tokens, 0)
    return compare_answer(asked, filters, options, limit)[1].json_document()


def model_info(model: str, provider: str | None) -> dict[str, Any]:
    """`planner model ID --json`."""
    from planner.cli.model import model_answer

    return model_answer(setup(InputSpec(None, None), model, provider, 0, 0))[2].json_document()
