"""A misspelled or wrong --provider is reported as such (with the hosts that offer the model and a close
match), not as an unknown model."""

from __future__ import annotations

import re

import pytest

from planner.catalog import load_catalog
from planner.cli import run_app

OFFERED_BY = re.compile(
    r"it is offered by: (.*?)(?:, and [\d,]+ more \(`planner hosts gpt-4o` lists them\))?\."
)


def error_line(capsys, *argv: str) -> tuple[int, str]:
    code = run_app(list(argv))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    return code, captured.err.rstrip("\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["fit", "-i", "1k", "-m", "gpt-4o", "--provider", "opnai"],
        ["cost", "-i", "1k", "-m", "gpt-4o", "--provider", "opnai"],
        ["hosts", "gpt-4o", "--provider", "opnai"],
    ],
)
def test_a_misspelled_provider_names_the_hosts_and_the_close_one(capsys, argv) -> None:
    code, line = error_line(capsys, *argv)
    assert code == 4
    assert line.startswith("error: unknown provider 'opnai' for gpt-4o; it is offered by: openai, ")
    assert line.endswith(" Did you mean: openai?")
    assert "unknown model" not in line
    match = OFFERED_BY.search(line)
    assert match is not None
    catalog = load_catalog()
    for host in match.group(1).split(", "):  # every host named does serve gpt-4o under that name
        assert catalog.get("gpt-4o", host).provider == host


def test_a_host_that_does_not_offer_the_model_says_so(capsys) -> None:
    code, line = error_line(capsys, "hosts", "gpt-4o", "--provider", "anthropic")
    assert code == 4
    assert line.startswith("error: anthropic does not offer gpt-4o; it is offered by: openai, ")
    assert "Did you mean" not in line


@pytest.mark.slow
def test_no_close_match_no_suggestion_and_an_unknown_model_stays_one(capsys) -> None:
    code, line = error_line(capsys, "fit", "-i", "1k", "-m", "gpt-4o", "--provider", "nosuchhost")
    assert code == 4 and line.startswith("error: unknown provider 'nosuchhost' for gpt-4o;")
    assert "Did you mean" not in line
    code, line = error_line(capsys, "fit", "-i", "1k", "-m", "no-such-model-qq", "--provider", "openai")
    assert code == 4 and line.startswith("error: unknown model 'no-such-model-qq'.")


def test_the_hosts_command_named_is_quoted_for_a_name_with_spaces(capsys) -> None:
    code, line = error_line(capsys, "fit", "-i", "1k", "-m", "gpt 4o", "--provider", "nosuchhost")
    assert code == 4 and line.startswith("error: unknown provider 'nosuchhost' for gpt 4o;")
    assert line.endswith("more (`planner hosts 'gpt 4o'` lists them).")
