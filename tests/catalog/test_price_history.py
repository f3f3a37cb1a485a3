"""Fresh pinned sources and the price history shipped from genai-prices' dated prices.

Expected values are read by hand from data/genai-prices-0.2.5.json (provider deepseek, model
deepseek-v4-flash; provider openrouter, model nousresearch/hermes-4-405b) and data/SOURCES.md.
"""

from __future__ import annotations

import json
import sys
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from planner.catalog import ledger, store
from planner.catalog.crosscheck import PriceCrossCheck, price_history, price_on, time_of_day_prices
from planner.catalog.schema import ModelOffer
from planner.cli import run_app

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import update_sources  # noqa: E402

FLASH = "deepseek-v4-flash"
M = Decimal("0.000001")  # one US dollar per million tokens, per token


pytestmark = pytest.mark.usefixtures("isolated_cache")  # tests/conftest.py


def run_json(capsys, *argv: str):
    assert run_app([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


# ---------------------------------------------------------------- update_sources.py


def test_genai_prices_data_py_is_read_as_json_without_running_it():
    source = """
import datetime
from decimal import Decimal
providers: list[Provider] = [
    Provider(
        id='deepseek',
        models=[
            ModelInfo(
                id='m',
                match=ClauseOr(or_=[ClauseStartsWith(starts_with='m')]),
                prices=[
                    ConditionalPrice(prices=ModelPrice(input_mtok=Decimal('0.14'))),
                    ConditionalPrice(
                        constraint=StartDateConstraint(start_date=datetime.date(2026, 8, 17)),
                        prices=ModelPrice(input_mtok=Decimal('0.22')),
                    ),
                    ConditionalPrice(
                        constraint=TimeOfDateConstraint(
                            start_time=datetime.time(1, 0, tzinfo=datetime.UTC),
                            end_time=datetime.time(4, 0, tzinfo=datetime.UTC),
                        ),
                        prices=ModelPrice(input_mtok=Decimal('0.3')),
                    ),
                ],
            )
        ],
    )
]
"""
    [provider] = json.loads(update_sources.genai_prices_json(source))
    [model] = provider["models"]
    assert model["match"] == {"_type": "ClauseOr", "or": [{"_type": "ClauseStartsWith", "starts_with": "m"}]}
    flat, dated, hours = model["prices"]
    assert flat == {"_type": "ConditionalPrice", "prices": {"_type": "ModelPrice", "input_mtok": "0.14"}}
    assert dated["constraint"] == {"_type": "StartDateConstraint", "start_date": "2026-08-17"}
    assert hours["constraint"]["start_time"] == "01:00:00+00:00"
    assert price_on(model["prices"], date(2026, 8, 16)) == flat["prices"]
    assert price_on(model["prices"], date(2026, 12, 7)) == dated["prices"]  # the daily hours are no change


def test_genai_prices_data_py_with_code_is_refused():
    with pytest.raises(RuntimeError, match="unexpected call"):
        update_sources.genai_prices_json("providers: list = [__import__('os').system('true')]")


def test_a_manifest_row_is_added_then_replaced(tmp_path):
    manifest = tmp_path / "SOURCES.md"
    header = "| file | what | as of | licence | sha256 |\n|---|---|---|---|---|\n"
    manifest.write_text(header + "| a.json | x | 2026-01-01 | MIT | 1 |\n")
    update_sources.write_manifest_row(manifest, ["b.json", "y", "2026-11-20", "MIT", "2"])
    update_sources.write_manifest_row(manifest, ["b.json", "z", "2026-11-21", "MIT", "3"])
    lines = manifest.read_text().splitlines()
    assert lines[-2:] == ["| a.json | x | 2026-01-01 | MIT | 1 |", "| b.json | z | 2026-11-21 | MIT | 3 |"]


def test_sources_md_lists_the_pinned_versions_with_their_upload_dates():
    text = (REPO / "data" / "SOURCES.md").read_text(encoding="utf-8")
    assert "| litellm-1.110.2.json |" in text and "| 2026-11-20 | MIT |" in text
    assert "| genai-prices-0.2.5.json |" in text and "| 2026-11-19 | MIT |" in text


# ---------------------------------------------------------------- genai-prices as a price source


def _offer(**fields) -> ModelOffer:
    record = {
        "id": "m-1",
        "name": "M",
        "provider": "deepseek",
        "source": "models.dev",
        "as_of": date(2026, 6, 13),
    }
    return ModelOffer.model_validate({**record, **fields})


def _document(prices) -> list:
    return [
        {
            "id": "deepseek",
            "models": [{"match": {"_type": "ClauseEquals", "equals": "m-1"}, "prices": prices}],
        }
    ]


def test_fresher_genai_prices_win_and_the_old_ones_stay_as_disagreements():
    offer = _offer(pricing={"input": Decimal("0.0000002"), "output": Decimal("0.0000004")})
    document = _document({"input_mtok": "0.15", "output_mtok": "0.4"})
    [settled], count = PriceCrossCheck(document, date(2026, 11, 19)).apply([offer])
    assert count == 1
    assert (settled.pricing.input, settled.pricing.output) == (Decimal("0.15") * M, Decimal("0.4") * M)
    assert (settled.as_of, settled.price_source, settled.source) == (
        date(2026, 11, 19),
        "genai-prices",
        "models.dev",
    )
    assert [(d.field, d.value, d.source) for d in settled.disagreements] == [
        ("pricing.input", "0.0000002", "models.dev")
    ]


def test_a_fresher_cache_price_marks_the_offer_as_caching():
    # Hermes 4 405B on OpenRouter: genai-prices' cache read ($0.20 / M) was billed by `conversation` while the
    # same answer said "prompt caching supported: no" (OpenRouter's record, with no cache price, set the flag)
    offer = _offer(
        pricing={"input": Decimal("0.000001"), "output": Decimal("0.000003")},
        capabilities={"prompt_caching": False},
    )
    document = _document({"input_mtok": "1", "output_mtok": "3", "cache_read_mtok": "0.2"})
    [settled], _ = PriceCrossCheck(document, date(2026, 11, 19)).apply([offer])
    assert settled.pricing.cache_read == Decimal("0.2") * M
    assert settled.capabilities.prompt_caching is True
    [plain], _ = PriceCrossCheck(
        _document({"input_mtok": "1", "output_mtok": "3"}), date(2026, 11, 19)
    ).apply([offer])
    assert plain.capabilities.prompt_caching is False  # no cache price: the source's flag stands


def test_older_genai_prices_only_disagree():
    offer = _offer(pricing={"input": Decimal("0.0000002")}, as_of=date(2026, 11, 20), source="litellm")
    [settled], _ = PriceCrossCheck(_document({"input_mtok": "0.15"}), date(2026, 11, 19)).apply([offer])
    assert settled.pricing.input == Decimal("0.0000002") and settled.as_of == date(2026, 11, 20)
    assert [(d.field, d.value, d.source) for d in settled.disagreements] == [
        ("pricing.input", "0.00000015", "genai-prices")
    ]


def test_zero_genai_prices_on_an_offer_not_marked_free_replace_nothing():
    offer = _offer(pricing={"input": Decimal("0.0000002"), "output": Decimal("0.0000004")})
    [settled], _ = PriceCrossCheck(
        _document({"input_mtok": "0", "output_mtok": "0"}), date(2026, 11, 19)
    ).apply([offer])
    assert settled.pricing.input == Decimal("0.0000002") and settled.as_of == date(2026, 6, 13)


def test_a_peak_hour_price_is_not_the_standard_price():
    prices = [
        {"prices": {"input_mtok": "0.15", "output_mtok": "0.6"}},
        {
            "constraint": {"start_time": "01:00:00+00:00", "end_time": "04:00:00+00:00"},
            "prices": {"input_mtok": "0.3", "output_mtok": "1.2"},
        },
    ]
    # a fresher record (LiteLLM, 2026-11-20) that lists the peak-hour price
    offer = _offer(
        pricing={"input": Decimal("0.3") * M, "output": Decimal("1.2") * M},
        as_of=date(2026, 11, 20),
        source="litellm",
    )
    [settled], _ = PriceCrossCheck(_document(prices), date(2026, 11, 19)).apply([offer])
    assert (settled.pricing.input, settled.pricing.output) == (Decimal("0.15") * M, Decimal("0.6") * M)
    assert settled.time_of_day_prices[0].start == time(
        1, 0, tzinfo=settled.time_of_day_prices[0].start.tzinfo
    )
    assert "time-of-day prices, not its standard ones" in settled.notes[-1]


# ---------------------------------------------------------------- the real file, by hand


def _flash_prices():
    document = json.loads((REPO / "data" / "genai-prices-0.2.5.json").read_text(encoding="utf-8"))
    deepseek = next(provider for provider in document if provider["id"] == "deepseek")
    return next(model for model in deepseek["models"] if model["id"] == FLASH)["prices"]


def test_deepseek_v4_flash_history_and_hours_from_the_file():
    history = price_history(_flash_prices())
    assert [(p.since, p.pricing.input, p.pricing.output, p.pricing.cache_read) for p in history] == [
        (None, Decimal("0.14") * M, Decimal("0.28") * M, Decimal("0.0028") * M),
        (date(2026, 8, 17), Decimal("0.22") * M, Decimal("0.66") * M, Decimal("0.007") * M),
        (date(2026, 9, 10), Decimal("0.15") * M, Decimal("0.6") * M, Decimal("0.003") * M),
    ]
    hours = time_of_day_prices(_flash_prices())
    assert [(h.start.hour, h.end.hour, h.pricing.input, h.pricing.output) for h in hours] == [
        (1, 4, Decimal("0.3") * M, Decimal("1.2") * M),
        (6, 10, Decimal("0.3") * M, Decimal("1.2") * M),
    ]


def test_catalog_history_lists_the_dated_changes_and_the_hours_apart(capsys):
    rows = run_json(capsys, "catalog", "history", FLASH, "--provider", "deepseek")
    changes = [(r["as_of"], r["field"], r["old"], r["new"]) for r in rows if r["hours"] is None]
    assert ("2026-08-17", "input", "0.00000014", "0.00000022") in changes
    assert ("2026-08-17", "output", "0.00000028", "0.00000066") in changes
    assert ("2026-09-10", "input", "0.00000022", "0.00000015") in changes
    assert ("2026-09-10", "output", "0.00000066", "0.0000006") in changes
    # the peak-hour $0.30 / $1.20 is never a change
    assert not any(new in ("0.0000003", "0.0000012") for *_, new in changes)
    hours = {(r["hours"], r["field"], r["new"]) for r in rows if r["hours"] is not None}
    assert ("01:00-04:00 UTC", "input", "0.0000003") in hours and (
        "06:00-10:00 UTC",
        "output",
        "0.0000012",
    ) in hours
    assert run_app(["catalog", "history", FLASH, "--provider", "deepseek"]) == 0
    out = capsys.readouterr().out
    assert "time-of-day prices (each day, not a change)" in out and "01:00-04:00 UTC" in out


@pytest.mark.parametrize(
    ("day", "total"),
    [
        # 1,000,000 input + 100,000 output tokens, by hand from the file's prices per million
        ("2026-08-16", "0.168"),  # 1 x 0.14 + 0.1 x 0.28
        ("2026-08-17", "0.286"),  # 1 x 0.22 + 0.1 x 0.66
        ("2026-09-09", "0.286"),
        ("2026-09-10", "0.21"),  # 1 x 0.15 + 0.1 x 0.60
        ("2026-12-07", "0.21"),
    ],
)
def test_cost_as_of_a_day_in_each_period_gives_that_periods_price(capsys, day, total):
    document = run_json(
        capsys, "cost", "-m", FLASH, "--provider", "deepseek", "-i", "1000000", "-o", "100000", "--as-of", day
    )
    assert document["total_cost"] == total


def test_the_default_model_is_priced_by_a_source_of_november_2026(capsys):
    offer = store.load_catalog().get("nousresearch/hermes-4-405b")
    assert offer.as_of >= date(2026, 11, 19)
    document = run_json(capsys, "cost", "-i", "1000")
    assert document["price_warnings"] == [] or date.today() > date(2027, 2, 17)


def test_undated_first_prices_start_at_the_release_date():
    offer = store.load_catalog().offer_for("openrouter", "nousresearch/hermes-4-405b")
    assert offer is not None and offer.release_date == date(2025, 8, 26)
    entries = ledger.snapshot_entries(offer)
    assert [(e.as_of, e.field) for e in entries][:2] == [
        (date(2025, 8, 26), "input"),
        (date(2025, 8, 26), "output"),
    ]


def test_a_cost_says_the_hours_of_other_prices_and_uses_the_standard_one(capsys):
    # data/genai-prices-0.2.5.json: DeepSeek V4 Flash at $0.15 / $0.60 from 2026-09-10, and $0.30 / $1.20
    # from 01:00 to 04:00 and from 06:00 to 10:00 UTC
    document = run_json(
        capsys, "cost", "-m", FLASH, "--provider", "deepseek", "-i", "1000000", "-o", "100000"
    )
    assert document["total_cost"] == "0.21"  # 1 x 0.15 + 0.1 x 0.60: the standard price
    assert run_app(["cost", "-m", FLASH, "--provider", "deepseek", "-i", "1000000", "-o", "100000"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "deepseek-v4-flash (deepseek) bills other prices at some hours (01:00-04:00 UTC at $0.30 / $1.20; "
        "06:00-10:00 UTC at $0.30 / $1.20 per million input / output tokens): this cost is at its standard "
        "price, outside those hours" in out
    )
