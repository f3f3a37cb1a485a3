"""Price age, retirement, hosts, --as-of and price modes through the CLI's --json (issue 15).

Expected ages are worked out here from the pinned sources' dates in data/SOURCES.md (OpenRouter 2026-08-19,
models.dev 2026-06-13, LiteLLM 2026-11); expected prices come from the pinned files read as plain JSON.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from planner.catalog import ledger, store
from planner.catalog.ledger import LedgerEntry
from planner.cli import run_app

DATA = Path(__file__).resolve().parents[2] / "data"
HERMES = "nousresearch/hermes-4-405b"
# Hermes 4 405B on OpenRouter is priced by genai-prices 0.2.5, uploaded 2026-11-19 (data/SOURCES.md)
HERMES_PRICES_AS_OF = date(2026, 11, 19)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PLANNER_MODELS_FILE", raising=False)
    monkeypatch.delenv("PLANNER_MAX_PRICE_AGE_DAYS", raising=False)
    store.clear_catalog_cache()
    yield
    store.clear_catalog_cache()


def run_json(capsys, *argv: str) -> dict | list:
    assert run_app([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def expected_age(as_of: date) -> int:
    return (date.today() - as_of).days


@pytest.mark.parametrize(
    "argv",
    [
        ("fit", "-i", "1000"),
        ("cost", "-i", "1000", "-o", "100"),
        ("model", HERMES),
    ],
)
@pytest.mark.slow
def test_answers_that_use_prices_carry_their_age(capsys, argv):
    document = run_json(capsys, *argv)
    assert document["as_of"] == HERMES_PRICES_AS_OF.isoformat()
    assert document["price_age_days"] == expected_age(HERMES_PRICES_AS_OF)
    stale = expected_age(HERMES_PRICES_AS_OF) > 90
    assert bool(document["price_warnings"]) is stale
    if stale:
        assert "planner catalog refresh" in document["price_warnings"][0]


@pytest.mark.slow
def test_compare_rows_and_the_whole_answer_carry_their_age(capsys):
    document = run_json(capsys, "compare", "-i", "1000", "--provider", "nebius")
    catalog = store.read_snapshot(store.SHIPPED_SNAPSHOT)
    dates = set()
    for row in document["models"]:
        record = catalog.offer_for(row["provider"], row["id"])
        assert row["as_of"] == record.as_of.isoformat()
        assert row["price_age_days"] == expected_age(record.as_of)
        dates.add(record.as_of)
    assert len(dates) == 2  # nebius records from models.dev (2026-06-13) and LiteLLM (2026-11-01)
    assert document["as_of"] == min(dates).isoformat()
    assert document["price_age_days"] == expected_age(min(dates))


@pytest.mark.slow
def test_the_limit_is_configurable_and_the_human_answer_warns_on_stderr(capsys, monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_PRICE_AGE_DAYS", "0")
    assert run_app(["cost", "-i", "1000"]) == 0
    err = capsys.readouterr().err
    assert f"{expected_age(HERMES_PRICES_AS_OF):,} days old (as of 2026-11-19" in err
    monkeypatch.setenv("PLANNER_MAX_PRICE_AGE_DAYS", "100000")
    assert run_app(["cost", "-i", "1000"]) == 0
    assert "days old" not in capsys.readouterr().err
    document = run_json(capsys, "fit", "-i", "1000")
    assert document["price_warnings"] == [] and document["max_price_age_days"] == 100000


@pytest.mark.slow
def test_hosts_of_hermes_cheapest_first_with_the_numbers_fit_and_cost_give(capsys):
    rows = run_json(capsys, "hosts", HERMES, "-i", "100k", "-o", "2k")
    assert {"openrouter", "nebius", "nano-gpt"} <= {row["provider"] for row in rows}
    totals = [Decimal(row["total_cost"]) for row in rows]
    assert totals == sorted(totals)
    for row in rows:
        where = ["-m", row["id"], "--provider", row["provider"], "-i", "100k", "-o", "2k"]
        fit = run_json(capsys, "fit", *where)
        cost = run_json(capsys, "cost", *where)
        assert (row["fits"], row["verdict"]) == (fit["fits"], fit["verdict"]), row["provider"]
        assert row["headroom_tokens"] == fit["headroom_tokens"]
        assert row["total_cost"] == cost["total_cost"], row["provider"]
        assert row["price_age_days"] == cost["price_age_days"]
    # hand-checked: OpenRouter $1 / $3 per million: 100,000 x 1 + 2,000 x 3 = $0.106
    assert next(r for r in rows if r["provider"] == "openrouter")["total_cost"] == "0.106"


def test_cost_as_of_uses_the_prices_in_force_that_day(capsys):
    entry = LedgerEntry(
        as_of=date(2026, 11, 20),
        provider="openrouter",
        id=HERMES,
        field="input",
        old=Decimal("0.000001"),
        new=Decimal("0.0000012"),
        source="openrouter",
    )
    ledger.append_entries(ledger.ledger_path(), [entry])
    before = run_json(capsys, "cost", "-i", "1000000", "--as-of", "2026-11-19")
    after = run_json(capsys, "cost", "-i", "1000000", "--as-of", "2026-11-20")
    assert (before["total_cost"], before["as_of"]) == ("1", "2026-11-19")  # 1M x $1/M
    assert (after["total_cost"], after["as_of"]) == ("1.2", "2026-11-20")  # 1M x $1.20/M
    # genai-prices gives no start to the first $1 / $3: dated by the release, 2025-08-26 (data/SOURCES.md)
    assert run_app(["cost", "-i", "1000", "--as-of", "2025-08-25"]) == 7  # the price that day is unknown
    assert "history starts on 2025-08-26" in capsys.readouterr().err
    assert run_app(["cost", "-i", "1000", "--as-of", "19 Nov"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.slow
def test_cache_ttl_1h_and_the_flex_tier_use_the_published_prices(capsys):
    raw = json.loads((DATA / "litellm-1.110.2.json").read_text(encoding="utf-8"), parse_float=Decimal)
    hour = raw["claude-sonnet-4-5"]["cache_creation_input_token_cost_above_1hr"]
    argv = ["cost", "-m", "claude-sonnet-4-5", "--provider", "anthropic", "-i", "10000"]
    five = run_json(capsys, *argv, "--cache-write-tokens", "10000")
    one = run_json(capsys, *argv, "--cache-write-tokens", "10000", "--cache-ttl", "1h")
    assert Decimal(one["cache_write_cost"]) == 10_000 * hour
    assert Decimal(one["cache_write_cost"]) > Decimal(five["cache_write_cost"])
    assert one["cache_ttl"] == "1h"
    gpt5 = raw["gpt-5"]
    flex = run_json(
        capsys,
        "cost",
        "-m",
        "gpt-5",
        "--provider",
        "openai",
        "-i",
        "1000",
        "-o",
        "100",
        "--service-tier",
        "flex",
    )
    assert Decimal(flex["total_cost"]) == (
        1000 * gpt5["input_cost_per_token_flex"] + 100 * gpt5["output_cost_per_token_flex"]
    )
    assert run_app(["cost", "-i", "1000", "--service-tier", "flex", "--batch"]) == 2
    assert "do not combine" in capsys.readouterr().err
    assert run_app(["cost", "-i", "1000", "--cache-ttl", "2h"]) == 2


def test_a_model_past_or_near_its_retirement_warns(capsys):
    raw = json.loads((DATA / "litellm-1.110.2.json").read_text(encoding="utf-8"))
    retired = next(
        key
        for key, value in raw.items()
        if isinstance(value, dict)
        and value.get("mode") == "chat"
        and value.get("litellm_provider") == "openai"
        and value.get("deprecation_date")
        and date.fromisoformat(value["deprecation_date"]) < date.today()
    )
    document = run_json(capsys, "model", retired, "--provider", "openai")
    assert document["retires_on"] == raw[retired]["deprecation_date"]
    assert any("retired by its host" in warning for warning in document["price_warnings"])


def test_hosts_table_lists_each_host_with_its_cost(capsys):
    assert run_app(["hosts", HERMES, "-i", "100k", "-o", "2k"]) == 0
    out = capsys.readouterr().out
    lines = [
        line for line in out.splitlines() if line.strip().startswith(("nano-gpt", "nebius", "openrouter"))
    ]
    assert lines[0].split()[0] == "nano-gpt" and "$0.032400" in lines[0]  # 100,000 x 0.30/M + 2,000 x 1.20/M
    assert any(line.split()[0] == "openrouter" and "$0.106000" in line for line in lines)


def test_hosts_warn_once_for_all_the_stale_hosts(capsys, monkeypatch):
    # a limit of 60 days: on any day from 2026-08-13 on, models.dev's 2026-06-13 prices (nano-gpt twice,
    # kilo) are over it (OpenRouter's are genai-prices' of 2026-11-19, nebius's LiteLLM's of 2026-11-20)
    monkeypatch.setenv("PLANNER_MAX_PRICE_AGE_DAYS", "60")
    assert run_app(["hosts", HERMES, "-i", "100k", "-o", "2k"]) == 0
    err = capsys.readouterr().err
    rows = run_json(capsys, "hosts", HERMES, "-i", "100k", "-o", "2k")
    stale = sum(expected_age(date.fromisoformat(row["as_of"])) > 60 for row in rows)
    assert stale >= 3 and len(rows) == 5
    oldest = expected_age(date(2026, 6, 13))
    assert err.count("warning:") == 1
    assert (
        f"prices of {stale} of 5 hosts are over 60 days old (the oldest as of 2026-06-13, {oldest:,} days)"
        in err
    )


def test_hosts_columns_show_the_long_context_prices_applied(capsys):
    # Gemini 2.5 Pro above 200,000 prompt tokens: Google $2.50 / $15 per million (its tier), OpenRouter's
    # record only the $1.25 / $10 base: flagged
    assert run_app(["hosts", "gemini-2.5-pro", "-i", "250k", "-o", "2k"]) == 0
    out = capsys.readouterr().out
    cells = {tuple(line.split()[:2]): line.split() for line in out.splitlines() if line.startswith("  ")}
    google = cells[("google", "gemini-2.5-pro")]
    assert google[4:6] == ["$2.50", "$15.00"] and "$0.655000" in google  # 0.625 + 0.03
    openrouter = cells[("openrouter", "google/gemini-2.5-pro")]
    assert openrouter[4:6] == ["$1.25", "$10.00"] and "$0.332500*" in openrouter  # 0.3125 + 0.02
    assert "* no long-context tier listed: may cost more above 200,000 prompt tokens" in out
    rows = run_json(capsys, "hosts", "gemini-2.5-pro", "-i", "250k", "-o", "2k")
    by_host = {(row["provider"], row["id"]): row for row in rows}
    google_doc = by_host[("google", "gemini-2.5-pro")]
    assert google_doc["prices_per_million"]["input"] == "2.5" and google_doc["tier_missing"] is False
    assert google_doc["price_tier"] == "above 200,000 prompt tokens"
    openrouter_doc = by_host[("openrouter", "google/gemini-2.5-pro")]
    assert openrouter_doc["prices_per_million"]["output"] == "10" and openrouter_doc["tier_missing"] is True
    assert openrouter_doc["pricing"]["input"] == "0.00000125"  # the record's own keys are kept


def test_cost_as_of_names_the_day_and_ages_the_prices_up_to_it(capsys):
    # Hermes on OpenRouter: genai-prices' record of 2026-11-19 vouches for its dated history, so the
    # prices in force on 2026-11-01 are known on that very day: 0 days old
    document = run_json(capsys, "cost", "-i", "100k", "-o", "2k", "--as-of", "2026-11-01")
    assert (document["prices_as_of_requested"], document["as_of"]) == ("2026-11-01", "2026-11-01")
    assert (document["price_age_days"], document["price_warnings"]) == (0, [])
    assert run_app(["cost", "-i", "100k", "-o", "2k", "--as-of", "2026-11-01"]) == 0
    captured = capsys.readouterr()
    assert "Prices in force on 2026-11-01 (the record of 2026-11-01" in captured.out
    assert "days old" not in captured.err
    # on 2027-03-01 the record of 2026-11-19 is 102 days old that day (11 + 31 + 31 + 28 + 1): the warning
    # names that day, not today
    assert run_app(["cost", "-i", "100k", "-o", "2k", "--as-of", "2027-03-01"]) == 0
    err = capsys.readouterr().err
    assert (
        "in force on 2027-03-01 were 102 days old that day (as of 2026-11-19, over the 90-day limit)" in err
    )
    # without --as-of: the current prices, no requested day
    assert run_json(capsys, "cost", "-i", "100k", "-o", "2k")["prices_as_of_requested"] is None


def test_hosts_warn_for_each_host_that_retired_the_model(capsys):
    # LiteLLM's deprecation dates (read here from the pinned file): OpenAI's gpt-4-0613 2026-10-23, past by
    # now; github_copilot/gpt-4-0613 lists none (azure/gpt-4-0613 left LiteLLM in 1.110.2)
    raw = json.loads((DATA / "litellm-1.110.2.json").read_text(encoding="utf-8"))
    assert raw["gpt-4-0613"]["deprecation_date"] == "2026-10-23"
    assert "deprecation_date" not in raw["github_copilot/gpt-4-0613"]
    assert run_app(["hosts", "gpt-4-0613", "--provider", "openai"]) == 0
    err = capsys.readouterr().err
    assert "warning: gpt-4-0613 (openai) was retired by its host on 2026-10-23; choose another model" in err
    assert "github_copilot/gpt-4-0613" not in err
    rows = {row["provider"]: row for row in run_json(capsys, "hosts", "gpt-4-0613", "--provider", "openai")}
    assert rows["openai"]["retires_on"] == "2026-10-23"
    assert rows["github-copilot"]["retires_on"] is None
    assert (
        "gpt-4-0613 (openai) was retired by its host on 2026-10-23; choose another model"
        in rows["openai"]["price_warnings"]
    )
