"""`planner spend`'s answer: each fixture's totals equal sums worked out by hand from the catalog's prices
(written out below, per token), the same traffic re-priced on two other models gives the sums their prices
imply, and a per-request export says which requests would not fit."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from planner.advice.prices import usage_cost
from planner.advice.spend import plan_spend, read_exports
from planner.catalog import load_catalog
from planner.catalog.ledger import LedgerEntry, append_entries, offer_history
from planner.cli import run_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "usage"
D = Decimal
M = D("0.000001")  # one dollar per million tokens, per token


@pytest.fixture(autouse=True)
def _cache(isolated_cache):
    """No user ledger or refreshed catalog: the shipped snapshot's prices."""


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def spend(catalog, *names, **options):
    return plan_spend(read_exports([FIXTURES / name for name in names]), catalog, **options)


def by_model(report) -> dict[str, Decimal]:
    return {item.id: item.total_cost for item in report.by_model}


def test_openai_usage_pages_as_billed(catalog) -> None:
    report = spend(catalog, "openai_completions_usage.json")
    # gpt-4o-2024-08-06, $2.50 / $1.25 cached / $10 per million: 60,000 plain + 40,000 cached in, 20,000 out
    gpt4o = 60_000 * D("2.5") * M + 40_000 * D("1.25") * M + 20_000 * 10 * M  # 0.15 + 0.05 + 0.20
    # gpt-4o-mini batch ($0.075 / $0.30): 2,000,000 in, 500,000 out
    mini_batch = 2_000_000 * D("0.075") * M + 500_000 * D("0.3") * M  # 0.15 + 0.15
    # gpt-4o-mini ($0.15 / $0.075 cached / $0.60): 800,000 plain + 200,000 cached in, 100,000 out
    mini = 800_000 * D("0.15") * M + 200_000 * D("0.075") * M + 100_000 * D("0.6") * M  # 0.12+0.015+0.06
    assert gpt4o == D("0.40") and mini_batch == D("0.30") and mini == D("0.195")
    assert report.total_cost == D("0.895")
    assert by_model(report) == {"gpt-4o-2024-08-06": D("0.40"), "gpt-4o-mini-2024-07-18": D("0.495")}
    assert [(day.day, day.total_cost) for day in report.by_day] == [
        (date(2026, 11, 23), D("0.70")),
        (date(2026, 11, 24), D("0.195")),
    ]
    assert report.requests == 50 + 400 + 120
    first_day = report.by_day[0].by_model
    assert [(item.id, item.total_cost) for item in first_day] == [
        ("gpt-4o-2024-08-06", D("0.40")),
        ("gpt-4o-mini-2024-07-18", D("0.30")),
    ]
    assert [item.reason for item in report.skipped] == ["input_tokens must be 0 or more, got -5"]


@pytest.mark.slow  # the catalog's suggestions for an unknown model, or every offer priced
def test_anthropic_usage_report_as_billed_with_both_cache_lifetimes_batch_and_tier(catalog) -> None:
    report = spend(catalog, "anthropic_messages_usage.json")
    # claude-sonnet-4-5: $3 in, $0.30 cache read, $3.75 5-minute write, $6 1-hour write, $15 out
    sonnet = 100_000 * 3 * M + 500_000 * D("0.3") * M + 20_000 * D("3.75") * M + 10_000 * 6 * M
    sonnet += 30_000 * 15 * M  # 0.30 + 0.15 + 0.075 + 0.06 + 0.45
    # claude-haiku-4-5 at batch prices ($0.50 / $2.50)
    haiku = 1_000_000 * D("0.5") * M + 200_000 * D("2.5") * M  # 0.50 + 0.50
    # claude-haiku-5-5: prompts above 200k (the report's 200k-1M) at its tier above 100,000 ($0.50 / $2.50);
    # the same tokens in the 0-200k class at its base prices ($0.10 / $0.50): a day's sum is not one prompt
    tier = 300_000 * D("0.5") * M + 10_000 * D("2.5") * M  # 0.15 + 0.025
    base = 300_000 * D("0.1") * M + 10_000 * D("0.5") * M  # 0.03 + 0.005
    assert (sonnet, haiku, tier, base) == (D("1.035"), D("1.00"), D("0.175"), D("0.035"))
    assert report.total_cost == D("2.245")
    assert by_model(report) == {
        "claude-sonnet-4-5-20250929": D("1.035"),
        "claude-haiku-4-5-20251001": D("1.00"),
        "claude-haiku-5-5": D("0.21"),
    }
    assert report.requests is None  # the report does not count requests
    (unknown,) = report.skipped
    assert unknown.place.endswith("data[1].results[2]")
    assert unknown.reason.startswith("unknown model 'claude-nonexistent-9-20991231'")


def test_otel_spans_as_billed(catalog) -> None:
    report = spend(catalog, "otel_genai_spans.json")
    mini = 1_200 * D("0.15") * M + 300 * D("0.6") * M  # 0.00018 + 0.00018
    # gpt-4.1-mini ($0.40 / $0.10 cached / $1.60): 50,000 plain + 100,000 cached in, 2,000 out
    big = 50_000 * D("0.4") * M + 100_000 * D("0.1") * M + 2_000 * D("1.6") * M  # 0.02 + 0.01 + 0.0032
    # claude-haiku-4-5 ($1 / $0.10 read / $1.25 write / $5): 1,000 plain, 3,000 read, 1,000 written, 800 out
    haiku = 1_000 * 1 * M + 3_000 * D("0.1") * M + 1_000 * D("1.25") * M + 800 * 5 * M
    assert (mini, big, haiku) == (D("0.00036"), D("0.0332"), D("0.00655"))
    assert report.total_cost == D("0.04011")
    assert [(day.day, day.total_cost) for day in report.by_day] == [
        (date(2026, 11, 26), D("0.03356")),
        (date(2026, 11, 27), D("0.00655")),
    ]
    assert report.per_request and report.requests == 3


def test_litellm_spend_logs_compared_with_litellms_own_spend(catalog) -> None:
    report = spend(catalog, "litellm_spend_logs.json")
    mini = (10_000 + 4_000) * D("0.15") * M + (2_000 + 500) * D("0.6") * M  # 0.0021 + 0.0015
    haiku = 5_000 * 1 * M + 15_000 * D("0.1") * M + 1_000 * 5 * M  # 0.005 + 0.0015 + 0.005
    assert (mini, haiku) == (D("0.0036"), D("0.0115"))
    assert report.total_cost == D("0.0151")
    models = {item.id: item for item in report.by_model}
    assert (models["gpt-4o-mini"].reported_cost, models["gpt-4o-mini"].reported_difference) == (
        D("0.0036"),
        D("0"),
    )
    # LiteLLM logged $0.0125 for the Haiku request; the catalog's prices give $0.0115: shown, never hidden
    assert (
        models["claude-haiku-4-5-20251001"].reported_cost,
        models["claude-haiku-4-5-20251001"].reported_difference,
    ) == (
        D("0.0125"),
        D("-0.001"),
    )


def test_as_if_on_two_models_gives_the_sums_their_prices_imply(catalog) -> None:
    targets = [catalog.get("gpt-4.1-mini", "openai"), catalog.get("claude-haiku-4-5", "anthropic")]
    report = spend(catalog, "openai_completions_usage.json", as_offers=targets)
    # gpt-4.1-mini: $0.40 in, $0.10 cached, $1.60 out; batch $0.20 / $0.80
    on_41 = (60_000 * D("0.4") + 40_000 * D("0.1") + 20_000 * D("1.6")) * M  # 0.06
    on_41 += (2_000_000 * D("0.2") + 500_000 * D("0.8")) * M  # 0.80
    on_41 += (800_000 * D("0.4") + 200_000 * D("0.1") + 100_000 * D("1.6")) * M  # 0.50
    # claude-haiku-4-5: $1 in, $0.10 cache read, $5 out; batch $0.50 / $2.50
    on_haiku = (60_000 * 1 + 40_000 * D("0.1") + 20_000 * 5) * M  # 0.164
    on_haiku += (2_000_000 * D("0.5") + 500_000 * D("2.5")) * M  # 2.25
    on_haiku += (800_000 * 1 + 200_000 * D("0.1") + 100_000 * 5) * M  # 1.32
    assert (on_41, on_haiku) == (D("1.36"), D("3.734"))
    first, second = report.as_if
    assert (first.id, first.total_cost, first.difference) == ("gpt-4.1-mini", D("1.36"), D("0.465"))
    assert (second.id, second.total_cost, second.difference) == ("claude-haiku-4-5", D("3.734"), D("2.839"))
    assert first.requests_over_window is None  # summed buckets: fit per request is unknown
    # no request text: the count stays o200k_base's and the band of the claude factors is said
    assert first.count_note is None and "input counted by o200k_base" in (second.count_note or "")
    # claude over o200k_base, central factors by kind of text: prose 1.11 ... non-English prose 1.45
    assert (second.input_tokens, second.input_tokens_low, second.input_tokens_high) == (
        3_100_000,
        3_441_000,  # 3,100,000 x 1.11
        4_495_000,  # 3,100,000 x 1.45
    )


def test_a_per_request_export_reports_the_requests_that_would_not_fit(catalog) -> None:
    report = spend(catalog, "otel_genai_spans.json", as_offers=[catalog.get("gpt-4o", "openai")])
    (gpt4o,) = report.as_if
    assert gpt4o.requests_over_window == 1  # the 150,000-token prompt; gpt-4o's window is 128,000
    # gpt-4o: $2.50 in, $1.25 cached, $10 out, no cache-write price (writes bill as input)
    expected = (1_200 * D("2.5") + 300 * 10) * M
    expected += (50_000 * D("2.5") + 100_000 * D("1.25") + 2_000 * 10) * M
    expected += (1_000 * D("2.5") + 1_000 * D("2.5") + 3_000 * D("1.25") + 800 * 10) * M
    assert expected == D("0.29275")
    assert gpt4o.total_cost == expected and gpt4o.difference == expected - D("0.04011")
    assert gpt4o.recounted_requests == 0  # o200k_base sources keep their counts; the Claude span has no text


@pytest.mark.slow  # the catalog's suggestions for an unknown model, or every offer priced
def test_input_is_recounted_only_when_the_family_differs_and_text_is_present(
    catalog, tmp_path, capsys
) -> None:
    hermes = catalog.get("nousresearch/hermes-4-405b")  # llama3: another family than gpt-4o-mini's
    report = spend(catalog, "otel_genai_spans.json", as_offers=[hermes])
    (on_hermes,) = report.as_if
    assert on_hermes.recounted_requests == 1  # the one span that carries gen_ai.input.messages
    messages = read_exports([FIXTURES / "otel_genai_spans.json"])[0].rows[0].messages
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(messages))
    assert run_app(["count", "--messages", str(path), "-m", "nousresearch/hermes-4-405b", "--json"]) == 0
    counted = json.loads(capsys.readouterr().out)["tokens"]  # `planner count --messages`, the same rule
    assert on_hermes.input_tokens == counted + 150_000 + 5_000


def test_prices_in_force_on_each_rows_day(catalog, tmp_path) -> None:
    ledger = tmp_path / "price-ledger.jsonl"
    append_entries(
        ledger,
        [
            LedgerEntry(
                as_of=date(2026, 11, 24),
                provider="openai",
                id="gpt-4o-mini-2024-07-18",
                field="input",
                old=D("0.00000015"),
                new=D("0.0000003"),
                source="openrouter",
            )
        ],
    )
    report = spend(catalog, "openai_completions_usage.json", ledger=ledger)
    # the 2026-11-24 row's 800,000 plain input tokens at the new $0.30 (was $0.15); the 2026-11-23 rows and
    # the batch price keep the old prices
    mini_day_two = 800_000 * D("0.3") * M + 200_000 * D("0.075") * M + 100_000 * D("0.6") * M  # 0.315
    assert mini_day_two == D("0.315")
    assert report.total_cost == D("0.40") + D("0.30") + D("0.315")
    mini = next(item for item in report.by_model if item.id == "gpt-4o-mini-2024-07-18")
    shipped = catalog.get("gpt-4o-mini-2024-07-18", "openai").as_of  # the shipped record's date
    assert mini.price_dates == [shipped, date(2026, 11, 24)]


def litellm_rows(tmp_path: Path, **changes) -> Path:
    rows = json.loads((FIXTURES / "litellm_spend_logs.json").read_text())[:1]
    rows[0].update(changes)
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(rows))
    return path


def test_a_row_before_the_price_history_uses_the_earliest_prices_and_says_so(catalog, tmp_path) -> None:
    path = litellm_rows(tmp_path, startTime="2025-01-01T09:00:00Z")
    first = min(entry.as_of for entry in offer_history(catalog, catalog.get("gpt-4o-mini", "openai")))
    assert first > date(2025, 1, 1)  # the shipped record's history starts later
    report = plan_spend(read_exports([path]), catalog)
    assert report.total_cost == D("0.0027")
    assert report.notes == [
        f"gpt-4o-mini (openai): rows dated before {first.isoformat()} (where its price history starts) are "
        "priced at its earliest known prices"
    ]


def test_a_model_found_by_the_catalogs_id_rules_is_shown_with_its_match(catalog, tmp_path) -> None:
    path = litellm_rows(tmp_path, model="openai/gpt-4o-mini")
    report = plan_spend(read_exports([path]), catalog)
    (match,) = report.matches
    assert (match.export_model, match.id, match.provider, match.matched_by) == (
        "openai/gpt-4o-mini",
        "gpt-4o-mini",
        "openai",
        "id",  # the host named twice ("openai/" and custom_llm_provider) is read once
    )
    other = litellm_rows(tmp_path, custom_llm_provider="no_such_host")
    (elsewhere,) = plan_spend(read_exports([other]), catalog).matches
    assert (elsewhere.export_host, elsewhere.matched_by) == ("no-such-host", "other host")


@pytest.mark.slow  # the catalog's suggestions for an unknown model, or every offer priced
def test_a_row_needing_an_unknown_price_is_listed_and_left_out(catalog, tmp_path) -> None:
    document = json.loads((FIXTURES / "anthropic_messages_usage.json").read_text())
    document["data"][0]["results"][1]["service_tier"] = "priority"  # no priority prices for Claude
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document))
    report = plan_spend(read_exports([path]), catalog)
    assert report.total_cost == D("2.245") - D("1.00")
    reasons = [item.reason for item in report.skipped]
    assert any(reason.startswith("no priority_input") and "not priced" in reason for reason in reasons)


@pytest.mark.slow  # the catalog's suggestions for an unknown model, or every offer priced
def test_cheapest_lists_paid_offers_that_take_every_request(catalog) -> None:
    report = spend(catalog, "otel_genai_spans.json", cheapest=True)
    offers = report.cheapest or []
    assert len(offers) == 5
    totals = [offer.total_cost for offer in offers]
    assert totals == sorted(totals)
    for offer in offers:
        record = catalog.offer_for(offer.provider, offer.id)
        assert record is not None and record.pricing.input and record.pricing.output  # paid
        assert (record.context_window or 0) >= 150_000 + 2_000  # the largest request fits


@pytest.mark.slow  # the catalog's suggestions for an unknown model, or every offer priced
def test_cheapest_totals_equal_the_row_by_row_re_pricing(catalog) -> None:
    # an export without request text, so that --as keeps the source counts as the cheapest list does
    offers = spend(catalog, "openai_completions_usage.json", cheapest=True).cheapest or []
    assert offers
    for offer in offers:
        record = catalog.offer_for(offer.provider, offer.id)
        (again,) = spend(catalog, "openai_completions_usage.json", as_offers=[record]).as_if
        assert again.total_cost == offer.total_cost
        # the largest average request (the batch bucket: 2,000,000 / 400 in, 500,000 / 400 out) fits
        assert (record.context_window or 0) >= 5_000 + 1_250


def test_usage_cost_picks_a_tier_by_the_prompt_never_by_summed_tokens(catalog) -> None:
    haiku = catalog.get("claude-haiku-5-5", "anthropic")  # a tier above 100,000 prompt tokens
    summed = usage_cost(haiku, 300_000, 10_000, requests=None, tier_prompt_tokens=0)
    one_prompt = usage_cost(haiku, 300_000, 10_000)
    assert summed.total_cost == D("0.035") and summed.tier_above_tokens is None
    assert one_prompt.total_cost == D("0.175") and one_prompt.tier_above_tokens == 100_000


def test_a_count_beyond_the_money_bound_is_a_skipped_row_not_a_failure(catalog, tmp_path) -> None:
    rows = json.loads((FIXTURES / "litellm_spend_logs.json").read_text())[:3]
    rows[2]["prompt_tokens"] = 10**19
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(rows))
    report = plan_spend(read_exports([path]), catalog)
    assert report.total_cost == D("0.0027") + D("0.0115")
    assert [item.reason for item in report.skipped] == [
        "input tokens must be at most 10^18 (a billion billion)"
    ]


def test_cheapest_groups_requests_by_the_tier_they_reach(catalog, tmp_path) -> None:
    from planner.advice.spend import _group_total, _grouped, _price_row, _Pricer

    rows = json.loads((FIXTURES / "litellm_spend_logs.json").read_text())[:3]
    rows[0]["prompt_tokens"] = 250_000  # above gemini-2.5-pro's 200,000-token tier; the others below
    for row in rows:
        row.update(messages={}, model="gemini-2.5-pro", custom_llm_provider="gemini")
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(rows))
    export = read_exports([path])[0]
    pricer = _Pricer(catalog, None)
    priced = [_price_row(pricer, row) for row in export.rows]
    pro = catalog.get("gemini-2.5-pro", "google")
    grouped = _group_total(pro, _grouped(priced, (200_000,)))
    (row_by_row,) = plan_spend([export], catalog, as_offers=[pro]).as_if
    # gemini-2.5-pro: $1.25 / $10 up to 200,000 prompt tokens, $2.50 / $15 above (the whole request)
    expected = 250_000 * D("2.5") * M + 2_000 * 15 * M
    expected += (20_000 - 15_000) * D("1.25") * M + 15_000 * D("0.125") * M + 1_000 * 10 * M  # cached $0.125
    expected += 4_000 * D("1.25") * M + 500 * 10 * M
    assert grouped == row_by_row.total_cost == expected


def test_a_litellm_model_prefixed_with_its_provider_is_found_on_that_host(catalog, tmp_path) -> None:
    path = litellm_rows(tmp_path, model="vertex_ai/gemini-2.5-pro", custom_llm_provider="vertex_ai")
    report = plan_spend(read_exports([path]), catalog)
    (match,) = report.matches
    assert (match.id, match.provider, match.matched_by) == ("gemini-2.5-pro", "google-vertex", "id")
    # gemini-2.5-pro on google-vertex: $1.25 in, $10 out (10,000 in, 2,000 out)
    assert report.total_cost == 10_000 * D("1.25") * M + 2_000 * 10 * M
