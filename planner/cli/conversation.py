"""`planner conversation`: when does a chat overflow the window; what do N turns cost, cached or not?

Gathers input and presents planner.advice.conversation's plan; no rule of its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planner import DEFAULT_MODEL
from planner.cli import render
from planner.cli._app import app, emit_json
from planner.cli.options import (
    JsonOpt,
    ModelOpt,
    ProviderOpt,
    ReasoningOpt,
    count_option,
    load_catalog,
    offer_for,
    refuse,
)
from planner.errors import EXIT_DOES_NOT_FIT
from planner.tokens.families import family_for
from planner.wording import count_of, usd, yes_no

if TYPE_CHECKING:
    from planner.advice.conversation import ConversationPlan

CONVERSATION_HELP = """When does a chat overflow the window; what do N turns cost, with and without caching?

Each of --system, --user and --answer is a token count (1500, 2k), a file to count, or the text itself.
A value is a file when one exists there. A value that looks like a file name - no spaces and a / or an
extension at the end (prompt.md, notes.txt, docs/system), or a / and an extension - must be a readable
file (exit 3 if not, and for a folder; exit 5 for a file `planner count` would skip, e.g. a binary
one). Anything else is text: "You are terse." is counted as text.
Every turn resends the whole history; with caching, each turn reads the previous prompt from the cache and
writes the new part (a model without cache prices pays its input price for both, so the totals match).

\b
Examples:
  planner conversation --system 1500 --user 200 --answer 600
  planner conversation --system prompt.md --user 300 --answer 800 --turns 50
  planner conversation --system "You are terse." --user 100 --answer 400 --model anthropic/claude-sonnet-4
  planner conversation --system 2k --user 500 --answer 1k --turns 100 --json | jq .overflow_turn

Exit status: 0 costed; 1 not even the first turn fits the window (nothing is costed, as fit's does-not-fit);
2 bad option; 3 missing --system/--user/--answer file; 4 unknown model; 5 a file `planner count` would skip;
8 an image for a model that takes none.
"""


@app.command(help=CONVERSATION_HELP)
def conversation(
    system: Annotated[
        str,
        typer.Option(
            "--system", "-s", metavar="TOKENS|FILE|TEXT", help="System prompt: tokens, a file or text."
        ),
    ] = "0",
    user: Annotated[
        str,
        typer.Option(
            "--user", "-u", metavar="TOKENS|FILE|TEXT", help="Typical user message: tokens, file or text."
        ),
    ] = ("200"),
    answer: Annotated[
        str,
        typer.Option(
            "--answer", "-a", metavar="TOKENS|FILE|TEXT", help="Typical answer: tokens, a file or text."
        ),
    ] = ("500"),
    turns: Annotated[str, typer.Option("--turns", "-t", metavar="N", help="Turns to cost.")] = "20",
    reasoning_tokens: ReasoningOpt = "0",
    model: ModelOpt = DEFAULT_MODEL,
    provider: ProviderOpt = None,
    as_json: JsonOpt = False,
) -> int:
    from planner.advice.conversation import parse_turns, plan_conversation
    from planner.advice.notes import images_refused
    from planner.inputs.parts import part_tokens

    turn_count = parse_turns(turns, "--turns")
    offer = offer_for(load_catalog(), model, provider)
    family = family_for(offer)
    system_part = part_tokens(system, "--system", family)
    user_part = part_tokens(user, "--user", family)
    answer_part = part_tokens(answer, "--answer", family)
    refuse(images_refused(offer, system_part.images + user_part.images + answer_part.images))
    plan = plan_conversation(
        offer,
        system_part.tokens,
        user_part.tokens,
        answer_part.tokens,
        turn_count,
        reasoning_tokens=count_option(reasoning_tokens, "--reasoning-tokens"),
    )
    if as_json:
        emit_json(plan.model_dump(mode="json"))
    else:
        _print_conversation(plan)
    return EXIT_DOES_NOT_FIT if plan.turns_costed == 0 else 0


def _print_conversation(plan: ConversationPlan) -> None:
    console = render.console()
    console.print(
        f"{plan.model}: system {plan.system_tokens:,}, user {plan.user_tokens:,}, "
        f"answer {plan.answer_tokens:,} tokens per turn; window {plan.context_window:,}"
    )
    if plan.overflow_turn is None:
        console.print("The history never overflows the window.")
    elif plan.last_turn_that_fits == 0:
        first = plan.system_tokens + plan.user_tokens
        console.print(
            f"[red]Not even the first turn fits the window[/]: its {count_of(first, 'input token')} and "
            f"the {plan.answer_tokens + plan.reasoning_tokens:,} reserved for the answer are over the "
            f"{plan.context_window:,} window. Nothing is costed."
        )
        return
    else:
        console.print(
            f"The history overflows at turn [bold]{plan.overflow_turn:,}[/] "
            f"(turn {plan.last_turn_that_fits:,} is the last that fits)."
        )
    if plan.turns_costed < plan.turns_requested:
        verb = "fits is" if plan.turns_costed == 1 else "fit are"
        console.print(f"Only the {count_of(plan.turns_costed, 'turn')} that {verb} costed.")
    table = render.table(title=f"Cumulative cost over {plan.turns_costed:,} turns")
    for name in ("turn", "input tokens", "this turn", "total", "this turn, cached", "total, cached"):
        table.add_column(name, justify="right")
    for row in _sample_turns(plan):
        table.add_row(
            f"{row.turn:,}",
            f"{row.input_tokens:,}",
            usd(row.cost_without_caching),
            usd(row.cumulative_without_caching),
            usd(row.cost_with_caching),
            usd(row.cumulative_with_caching),
        )
    console.print(table)
    console.print(
        f"Total without caching {usd(plan.total_without_caching)}, with caching "
        f"{usd(plan.total_with_caching)} ({_saving(plan.savings_with_caching)}); "
        f"prompt caching supported: {yes_no(plan.caching_supported)}."
    )


def _saving(amount: Decimal | None) -> str:
    if amount == 0:
        return "no saving: the catalog lists no cache discount for this model"
    return f"saves {usd(amount)}"


def _sample_turns(plan: ConversationPlan, rows: int = 12) -> list[Any]:
    if len(plan.turns) <= rows:
        return plan.turns
    step = len(plan.turns) / (rows - 1)
    picked = sorted({min(len(plan.turns) - 1, round(index * step)) for index in range(rows)})
    return [plan.turns[index] for index in picked]
