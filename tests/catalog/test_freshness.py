"""Price age and retirement warnings (planner.catalog.freshness), and the seed fields the records keep."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.catalog.freshness import (
    DEFAULT_MAX_PRICE_AGE_DAYS,
    MAX_PRICE_AGE_ENV,
    offer_freshness,
    oldest_price_age,
    price_age,
)
from planner.catalog.schema import ModelOffer
from planner.errors import UsageError

DATA = Path(__file__).resolve().parents[2] / "data"
HERMES = "nousresearch/hermes-4-405b"


def offer(**fields) -> ModelOffer:
    record = {"id": "acme/model-1", "name": "Acme 1", "provider": "acme", "source": "litellm"}
    return ModelOffer.model_validate({"as_of": date(2026, 8, 19), **record, **fields})


@pytest.fixture(autouse=True)
def no_configured_limit(monkeypatch):
    monkeypatch.delenv(MAX_PRICE_AGE_ENV, raising=False)


@pytest.mark.parametrize(
    ("today", "age", "stale"),
    [
        (date(2026, 8, 19), 0, False),
        (date(2026, 11, 17), 90, False),  # 12 days of August + 30 + 31 + 17
        (date(2026, 11, 18), 91, True),
        (date(2026, 12, 1), 104, True),
    ],
)
def test_price_age_in_days_and_the_90_day_limit(today, age, stale):
    result = price_age(date(2026, 8, 19), today=today)
    assert (result.price_age_days, result.stale, result.max_price_age_days) == (age, stale, 90)
    assert DEFAULT_MAX_PRICE_AGE_DAYS == 90


def test_the_limit_is_configurable_by_argument_and_environment(monkeypatch):
    assert price_age(date(2026, 8, 19), today=date(2026, 9, 1), max_age_days=7).stale is True
    monkeypatch.setenv(MAX_PRICE_AGE_ENV, "200")
    assert price_age(date(2026, 8, 19), today=date(2026, 12, 1)).stale is False
    monkeypatch.setenv(MAX_PRICE_AGE_ENV, "ninety")
    with pytest.raises(UsageError, match="whole number of days"):
        price_age(date(2026, 8, 19))
    with pytest.raises(UsageError, match="0 days or more"):
        price_age(date(2026, 8, 19), max_age_days=-1)


def test_stale_prices_warn_and_suggest_a_refresh():
    fresh = offer_freshness(offer(), today=date(2026, 9, 1))
    assert fresh.warnings == [] and fresh.price_age_days == 13
    old = offer_freshness(offer(), today=date(2026, 12, 1))
    [warning] = old.warnings
    assert "104 days old (as of 2026-08-19" in warning and "planner catalog refresh" in warning


def test_the_oldest_price_dates_an_answer_over_many_offers():
    offers = [offer(as_of=date(2026, 11, 1)), offer(as_of=date(2026, 6, 13)), offer()]
    age = oldest_price_age(offers, today=date(2026, 12, 1))
    assert age is not None and age.as_of == date(2026, 6, 13) and age.price_age_days == 171
    assert oldest_price_age([], today=date(2026, 12, 1)) is None


@pytest.mark.parametrize(
    ("fields", "days_left", "expected"),
    [
        ({"deprecation_date": date(2026, 11, 30)}, -1, "was retired by its host on 2026-11-30"),
        ({"expiration_date": date(2026, 12, 21)}, 20, "is retired by its host on 2026-12-21 (in 20 days)"),
        ({"deprecation_date": date(2027, 3, 30)}, 119, None),
        # the earlier of the two dates counts
        ({"deprecation_date": date(2027, 3, 30), "expiration_date": date(2026, 12, 2)}, 1, "(in 1 days)"),
        ({"status": "deprecated"}, None, "is marked deprecated by litellm"),
    ],
)
def test_retirement_past_or_near_warns(fields, days_left, expected):
    result = offer_freshness(offer(as_of=date(2026, 11, 30), **fields), today=date(2026, 12, 1))
    assert result.days_until_retirement == days_left
    retirement = [warning for warning in result.warnings if "retired" in warning or "deprecated" in warning]
    assert retirement == ([] if expected is None else [retirement[0]])
    if expected:
        assert expected in retirement[0]


def test_the_record_keeps_openrouter_seed_fields(shipped):
    """canonical_slug, supported_parameters, description and expiration_date, as in the pinned response."""
    raw = json.loads((DATA / "openrouter-models-2026-08-19.json").read_text(encoding="utf-8"))["data"]
    by_id = {model["id"]: model for model in raw}
    hermes = shipped.offer_for("openrouter", HERMES)
    assert hermes.canonical_slug == by_id[HERMES]["canonical_slug"] == HERMES
    assert hermes.supported_parameters == sorted(by_id[HERMES]["supported_parameters"])
    assert "include_reasoning" in hermes.supported_parameters
    assert hermes.description == by_id[HERMES]["description"].strip()
    assert hermes.expiration_date is None
    expiring = [model for model in raw if model.get("expiration_date")]
    assert expiring
    for model in expiring:
        kept = shipped.offer_for("openrouter", model["id"])
        if kept is not None:  # non-text models are left out of the catalog
            assert kept.expiration_date == date.fromisoformat(model["expiration_date"])


@pytest.mark.slow
def test_litellm_deprecation_dates_are_kept(shipped):
    raw = json.loads((DATA / "litellm-1.110.2.json").read_text(encoding="utf-8"))
    dated = {
        key: value["deprecation_date"]
        for key, value in raw.items()
        if isinstance(value, dict) and value.get("deprecation_date") and value.get("mode") == "chat"
    }
    kept = {
        alias: o.deprecation_date
        for o in shipped.offers
        for alias in [o.id, *o.aliases]
        if o.deprecation_date
    }
    found = [key for key in dated if key in kept]
    assert len(found) > len(dated) // 2
    for key in found:
        assert kept[key] == date.fromisoformat(dated[key]), key


def test_near_retirement_in_the_shipped_catalog_warns(shipped):
    soon = next(o for o in shipped.offers if o.deprecation_date)
    result = offer_freshness(soon, today=soon.deprecation_date - timedelta(days=3))
    assert any("(in 3 days)" in warning for warning in result.warnings)
