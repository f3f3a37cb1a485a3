"""Batch input files: every request counted, checked and priced; expectations computed by hand from the
OpenAI cookbook rule (3 tokens per message, +1 per name, +3 reply priming, each value encoded alone) and the
catalog's per-token prices, and cross-checked against `planner cost --messages --batch` request by request."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from planner.advice.batch import parse_request, plan_batch
from planner.catalog import load_catalog
from planner.cli._app import run_app
from planner.errors import InputError
from planner.tokens.encoders import get_encoding

FIXTURE = Path(__file__).parents[1] / "fixtures" / "batch" / "openai_20.jsonl"
BROKEN_LINE = 10
# The catalog's gpt-4o / gpt-4o-mini prices (US dollars per token) as the snapshot lists them.
LIST = {
    "gpt-4o": (Decimal("0.0000025"), Decimal("0.00001")),
    "gpt-4o-mini": (Decimal("1.5E-7"), Decimal("6E-7")),
}
BATCH = {
    "gpt-4o": (Decimal("0.00000125"), Decimal("0.000005")),
    "gpt-4o-mini": (Decimal("7.5E-8"), Decimal("3E-7")),
}


def n(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def cookbook_tokens(messages: list[dict]) -> int:
    """num_tokens_from_messages from the OpenAI cookbook, written out here (not planner's code)."""
    total = 3  # <|start|>assistant<|message|>
    for message in messages:
        total += 3 + n(message["role"])
        content = message["content"]
        total += n(content if isinstance(content, str) else "".join(part["text"] for part in content))
        if "name" in message:
            total += 1 + n(message["name"])
    return total


def fixture_requests() -> list[dict]:
    rows = []
    for number, line in enumerate(FIXTURE.read_text().splitlines(), start=1):
        if number != BROKEN_LINE:
            rows.append(json.loads(line))
    return rows


def test_catalog_batch_prices_are_half_the_list_prices() -> None:
    catalog = load_catalog()
    for model in ("gpt-4o", "gpt-4o-mini"):
        pricing = catalog.get(model).pricing
        assert (pricing.input, pricing.output) == LIST[model]
        assert (pricing.batch_input, pricing.batch_output) == BATCH[model]
        assert BATCH[model] == (LIST[model][0] / 2, LIST[model][1] / 2)


@pytest.mark.slow
def test_twenty_requests_priced_at_batch_prices() -> None:
    plan = plan_batch(FIXTURE, load_catalog())
    requests = fixture_requests()
    assert len(requests) == 20
    expected_total = Decimal(0)
    per_model: dict[str, Decimal] = {}
    input_tokens = output_tokens = 0
    for request in requests:
        body = request["body"]
        tokens = cookbook_tokens(body["messages"])
        output = body.get("max_completion_tokens", body.get("max_tokens"))
        price_in, price_out = BATCH[body["model"]]
        cost = tokens * price_in + output * price_out
        expected_total += cost
        per_model[body["model"]] = per_model.get(body["model"], Decimal(0)) + cost
        input_tokens += tokens
        output_tokens += output
    assert plan.requests == 20
    assert plan.skipped[0].line == BROKEN_LINE and "invalid JSON" in plan.skipped[0].reason
    assert len(plan.skipped) == 1
    assert plan.batch is True and plan.not_fitting == [] and plan.notes == []
    assert (plan.input_tokens, plan.output_tokens) == (input_tokens, output_tokens) == (642, 8800)
    assert plan.total_cost == expected_total == Decimal("0.034278025")
    assert {row.id: row.total_cost for row in plan.models} == per_model
    assert {row.id: row.requests for row in plan.models} == {"gpt-4o": 15, "gpt-4o-mini": 5}


@pytest.mark.slow
def test_total_equals_planner_cost_per_request(tmp_path, capsys) -> None:
    plan = plan_batch(FIXTURE, load_catalog())
    summed = Decimal(0)
    for index, request in enumerate(fixture_requests()):
        body = request["body"]
        path = tmp_path / f"{index}.json"
        path.write_text(json.dumps(body))
        output = body.get("max_completion_tokens", body.get("max_tokens"))
        argv = ["cost", str(path), "--messages", "-m", body["model"], "-o", str(output), "--batch", "--json"]
        assert run_app(argv) == 0
        summed += Decimal(json.loads(capsys.readouterr().out)["total_cost"])
    assert summed == plan.total_cost


def write_lines(tmp_path: Path, rows: list[object]) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(row if isinstance(row, str) else json.dumps(row) for row in rows) + "\n")
    return path


def chat(custom_id: str, model: str = "gpt-4o", max_tokens: int | None = 100, text: str = "Hi") -> dict:
    body: dict = {"model": model, "messages": [{"role": "user", "content": text}]}
    if max_tokens is not None:
        body["max_tokens"] = max_tokens
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}


def test_anthropic_shape_with_system_at_list_prices_with_a_note(tmp_path) -> None:
    params = {
        "model": "claude-sonnet-4-20250514",
        "max_tokens": 1024,
        "system": "Be brief.",
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello there"}]}],
    }
    request = parse_request(json.dumps({"custom_id": "a-1", "params": params}), 1)
    assert request.document["messages"][0] == {"role": "system", "content": "Be brief."}
    assert request.max_output == 1024
    plan = plan_batch(write_lines(tmp_path, [{"custom_id": "a-1", "params": params}]), load_catalog())
    offer = load_catalog().get("claude-sonnet-4-20250514")
    assert offer.pricing.batch_input is None  # the catalog has no Anthropic batch prices
    assert plan.batch is False and plan.method == "estimate"
    assert any("no batch prices" in note for note in plan.notes)
    row = plan.models[0]
    assert row.total_cost == row.input_tokens * offer.pricing.input + 1024 * offer.pricing.output


@pytest.mark.slow
def test_not_fitting_and_bad_lines_are_reported(tmp_path) -> None:
    long_text = "word " * 130_000  # ~130,000 tokens: over gpt-4o's 128,000 window
    rows: list[object] = [
        chat("ok"),
        chat("too-long", text=long_text),
        chat("too-much-output", max_tokens=20_000),  # gpt-4o writes at most 16,384
        chat("ok"),  # repeated custom_id
        chat("who", model="no-such-model-xyz"),
        {"custom_id": "emb", "method": "POST", "url": "/v1/embeddings", "body": {"model": "x", "input": "a"}},
        {"body": {"model": "gpt-4o", "messages": []}},
        "[1, 2]",
        "",
        chat("neg", max_tokens=-1),
    ]
    plan = plan_batch(write_lines(tmp_path, rows), load_catalog())
    assert plan.requests == 3
    assert [item.custom_id for item in plan.not_fitting] == ["too-long", "too-much-output"]
    assert "16,384" in plan.not_fitting[1].reason
    reasons = {item.line: item.reason for item in plan.skipped}
    assert sorted(reasons) == [4, 5, 7, 8, 10]  # line 6, an embeddings request, is counted apart
    assert "repeats line 1" in reasons[4]
    assert "unknown model" in reasons[5]
    assert [(item.model, item.requests) for item in plan.embeddings] == [("x", 1)]
    assert "custom_id" in reasons[7]
    assert "max tokens" in reasons[10]


def test_missing_max_tokens_reserves_the_model_max_output(tmp_path) -> None:
    path = write_lines(tmp_path, [chat("a", max_tokens=None)])
    plan = plan_batch(path, load_catalog())
    assert plan.output_tokens == 16_384  # gpt-4o's max output in the catalog
    assert any("no max_tokens" in note for note in plan.notes)
    assert plan_batch(path, load_catalog(), default_output_tokens=500).output_tokens == 500


def test_override_prices_every_request_on_one_model() -> None:
    catalog = load_catalog()
    hermes = catalog.get("nousresearch/hermes-4-405b")
    plan = plan_batch(FIXTURE, catalog, override=hermes)
    assert plan.override == hermes.id and [row.id for row in plan.models] == [hermes.id]
    assert plan.requests == 20 and plan.batch is False
    assert plan.total_cost == plan.input_tokens * hermes.pricing.input + 8800 * hermes.pricing.output


def test_missing_file_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError):
        plan_batch(tmp_path / "none.jsonl", load_catalog())


def test_cli_json_keys_switch_and_exit_status(capsys) -> None:
    status = run_app(["batch", str(FIXTURE), "--model", "gpt-4o-mini", "--json"])
    assert status == 5  # one line skipped, the rest counted
    document = json.loads(capsys.readouterr().out)
    for key in ("requests", "input_tokens", "output_tokens", "total_cost", "batch", "models", "not_fitting"):
        assert key in document
    assert document["skipped"] == [{"line": BROKEN_LINE, "reason": document["skipped"][0]["reason"]}]
    assert document["total_cost"] == "0.034278025" and document["as_of"]
    assert set(document["models"][0]) >= {"id", "requests", "input_tokens", "total_cost"}
    mini_in, mini_out = BATCH["gpt-4o-mini"]
    expected = document["input_tokens"] * mini_in + document["output_tokens"] * mini_out  # same tokenizer
    assert Decimal(document["switch"]["total_cost"]) == expected
    assert document["switch"]["requests"] == 20


def test_cli_not_fitting_exits_1_and_names_the_request(tmp_path, capsys) -> None:
    path = write_lines(tmp_path, [chat("fine"), chat("big-output", max_tokens=20_000)])
    assert run_app(["batch", str(path)]) == 1
    out = capsys.readouterr().out
    assert "does not fit: big-output (line 2, gpt-4o)" in out


def test_tools_and_images_count_as_count_messages_does(tmp_path, capsys) -> None:
    tool = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather of a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    body = {
        "model": "gpt-4o",
        "max_tokens": 50,
        "tools": [tool],
        "messages": [{"role": "user", "content": "Weather in Paris?"}],
    }
    plan = plan_batch(write_lines(tmp_path, [{"custom_id": "t", "body": body}]), load_catalog())
    (tmp_path / "body.json").write_text(json.dumps(body))
    assert run_app(["count", str(tmp_path / "body.json"), "--messages", "-m", "gpt-4o", "--json"]) == 0
    counted = json.loads(capsys.readouterr().out)
    assert counted["tool_tokens"] > 0
    assert plan.input_tokens == counted["tokens"]
    assert plan.input_tokens > cookbook_tokens(body["messages"])  # the tool definitions are in it


def test_a_line_nested_too_deeply_is_a_skip_with_its_line(tmp_path, capsys) -> None:
    deep = (
        '{"custom_id": "deep", "body": {"model": "gpt-4o", "messages": '
        + "[" * 100_000
        + "]" * 100_000
        + "}}"
    )
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps(chat("ok")) + "\n" + deep + "\n")
    plan = plan_batch(path, load_catalog())
    assert plan.requests == 1
    assert [(item.line, item.reason) for item in plan.skipped] == [
        (2, "JSON nested too deeply to read (more levels than any request has)")
    ]
    assert run_app(["batch", str(path)]) == 5
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("limit", [10**30, 10**12 + 1, -5])
def test_an_absurd_max_tokens_is_a_skip_of_that_line_only(tmp_path, limit: int) -> None:
    path = write_lines(tmp_path, [chat("ok"), chat("absurd", max_tokens=limit)])
    plan = plan_batch(path, load_catalog())
    assert plan.requests == 1 and [item.line for item in plan.skipped] == [2]
    assert plan.skipped[0].reason.startswith("max tokens must be a whole number from 0 to 1,000,000,000,000")


@pytest.mark.slow
def test_embeddings_requests_are_counted_apart_never_skipped(tmp_path, capsys) -> None:
    texts = ["The food was delicious and the waiter was kind.", "one text", "another text"]
    rows = [
        {
            "custom_id": "e1",
            "method": "POST",
            "url": "/v1/embeddings",
            "body": {"model": "text-embedding-3-small", "input": texts[0]},
        },
        {
            "custom_id": "e2",
            "method": "POST",
            "url": "/v1/embeddings",
            "body": {"model": "text-embedding-3-small", "input": texts[1:]},
        },
        {
            "custom_id": "e3",
            "url": "/v1/embeddings",
            "body": {"model": "text-embedding-3-small", "input": [1, 2, 3]},
        },
    ]
    path = write_lines(tmp_path, rows)
    plan = plan_batch(path, load_catalog())
    assert plan.skipped == [] and plan.models == []
    [item] = plan.embeddings
    cl100k = get_encoding("cl100k_base")  # text-embedding-3 models use cl100k_base
    assert item.requests == 3
    assert item.input_tokens == sum(len(cl100k.encode_ordinary(text)) for text in texts) + 3
    assert item.total_cost is None  # the catalog leaves embedding models out: price unknown, said in a note
    assert any("3 embeddings requests on text-embedding-3-small" in note for note in plan.notes)
    assert run_app(["batch", str(path)]) == 0
    assert "embeddings: text-embedding-3-small: 3 requests" in capsys.readouterr().out


def test_json_carries_the_price_age_as_every_priced_answer_does(capsys) -> None:
    # design.md: "Every answer that uses prices also carries as_of and price_age_days"; batch had only as_of
    run_app(["batch", str(FIXTURE), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert (
        run_app(["cost", "--input-tokens", "10", "--model", "gpt-4o", "--provider", "openai", "--json"]) == 0
    )
    cost = json.loads(capsys.readouterr().out)
    assert document["as_of"] == cost["as_of"]  # both priced on openai's gpt-4o record (the older of the two)
    assert document["price_age_days"] == cost["price_age_days"]
    assert isinstance(document["price_age_days"], int) and document["price_age_days"] >= 0
