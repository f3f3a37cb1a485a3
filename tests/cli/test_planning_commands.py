"""The fit, cost, compare, model and conversation commands: JSON keys, values and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from planner.cli import run_app

HERMES = "nousresearch/hermes-4-405b"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = run_app(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code, out, err = run(capsys, *args, "--json")
    return code, json.loads(out, parse_float=Decimal)


FIT_KEYS = {
    "model",
    "context_window",
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "total_tokens",
    "fits",
    "verdict",
    "headroom_tokens",
    "used_fraction",
    "chunks_needed",
}


def test_fit_does_not_fit_exits_1_with_chunks_and_alternatives(capsys):
    code, doc = run_json(capsys, "fit", "--input-tokens", "131072", "--output-tokens", "1")
    assert code == 1
    assert set(doc) >= FIT_KEYS
    assert doc["model"] == HERMES
    assert doc["context_window"] == 131_072
    assert doc["verdict"] == "does_not_fit"
    assert doc["fits"] is False
    assert doc["total_tokens"] == 131_073
    assert doc["chunks_needed"] == 2
    found = doc["alternatives"]
    assert found["smallest_window"]["context_window"] >= 131_072
    assert found["cheapest"]["total_cost"] is not None


def test_fit_fits_exits_0_and_strict_makes_tight_fail(capsys):
    code, doc = run_json(capsys, "fit", "-i", "100k", "-o", "2000", "--reasoning-tokens", "1000")
    assert (code, doc["verdict"], doc["headroom_tokens"]) == (0, "fits", 28_072)
    assert doc["reasoning_tokens"] == 1_000
    assert run(capsys, "fit", "-i", "130000")[0] == 0
    assert run(capsys, "fit", "-i", "130000", "--strict")[0] == 1


def test_fit_human_output(capsys):
    code, out, err = run(capsys, "fit", "--input-tokens", "131072", "-o", "1", "--no-suggest")
    assert code == 1
    assert "does not fit" in out
    assert "2 chunks" in out
    # nothing on stderr but the price-age warning (planner.catalog.freshness) when the prices are stale
    assert all(line.startswith("warning: prices for ") for line in err.splitlines()), err


def test_cost_hand_checked_hermes(capsys):
    code, doc = run_json(
        capsys, "cost", "--input-tokens", "100000", "--output-tokens", "2000", "--requests", "30000"
    )
    assert code == 0
    assert {
        "model",
        "input_tokens",
        "output_tokens",
        "cached_tokens",
        "input_cost",
        "output_cost",
        "total_cost",
        "requests",
        "total_for_requests",
        "currency",
    } <= set(doc)
    assert Decimal(doc["total_cost"]) == Decimal("0.106000")
    assert Decimal(doc["total_for_requests"]) == Decimal("3180.00")
    assert isinstance(doc["total_cost"], str) and isinstance(doc["input_cost"], str)
    assert doc["currency"] == "USD"
    assert doc["prices_per_million"]["input"] == "1"
    code, out, _ = run(capsys, "cost", "-i", "100000", "-o", "2000", "-n", "30000")
    assert "$0.106000" in out and "$3,180.00" in out


def test_cost_per_day_and_month(capsys):
    code, doc = run_json(capsys, "cost", "-i", "100k", "-o", "2k", "--per-day", "1000", "--days", "30")
    assert Decimal(doc["per_day"]) == Decimal("106")
    assert Decimal(doc["per_month"]) == Decimal("3180")


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["cost", "--input-tokens", "-5"], 2, "0 or more"),
        (["cost", "--input-tokens", "lots"], 2, "whole number"),
        (["fit", "--input-tokens", "10", "--output-tokens", "x1"], 2, "--output-tokens"),
        (["fit", "--input-tokens", "10", "--model", "no-such-model-xyz"], 4, "unknown model"),
        (["cost", "--input-tokens", "10", "-o", "10", "--batch"], 7, "batch_input"),
        (["compare", "--input-tokens", "10", "--sort", "price"], 2, "--sort"),
        (["fit", "-i", "10", "-m", "aihubmix/coding-xiaomi-mimo-v2-omni"], 6, "no context window"),
        (["fit", "report.txt", "--input-tokens", "10"], 2, "not both"),
        (["cost", "-i", "10", "--requests", "5", "--per-day", "5"], 2, "not both"),
        (["compare", "-i", "10", "--max-input-price", "nan"], 2, "--max-input-price"),
        (["compare", "-i", "10", "--max-output-price", "cheap"], 2, "US dollars per million tokens"),
    ],
)
def test_bad_input_is_one_line_with_a_distinct_status(capsys, args, status, words):
    code, out, err = run(capsys, *args)
    assert code == status
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("command", "output", "reasoning", "status"),
    [
        ("fit", "16385", "0", 8),  # gpt-4o (openai) writes at most 16,384 tokens
        ("fit", "8000", "8385", 8),  # reasoning counts toward the output limit
        ("fit", "16384", "0", 0),
        ("cost", "100000", "0", 8),  # cost applies the reserve check fit applies
        ("cost", "8000", "8385", 8),
        ("cost", "16384", "0", 0),
    ],
)
def test_output_reserve_above_max_output_exits_8_in_fit_and_cost(capsys, command, output, reasoning, status):
    args = ("-i", "1000", "-o", output, "-r", reasoning, "--model", "gpt-4o", "--provider", "openai")
    code, out, err = run(capsys, command, *args)
    assert code == status
    if status == 8:
        assert out == "" and err.startswith("error: ") and err.count("\n") == 1 and "16,384" in err


def test_unknown_model_suggests_close_matches(capsys):
    code, out, err = run(capsys, "model", "hermes-4-405c")
    assert code == 4
    assert "hermes-4-405b" in err


@pytest.mark.slow
def test_compare_lists_every_model_once_per_family(capsys):
    code, doc = run_json(
        capsys, "compare", "--input-tokens", "150000", "--output-tokens", "4000", "--include-free"
    )
    assert code == 0
    from planner.catalog import load_catalog

    # every offer that answers in text, once (free ones too with --include-free; as the app's compare view)
    assert len({(item["id"], item["provider"]) for item in doc["models"]}) == len(doc["models"])
    assert all(item["answers_in_text"] for item in doc["models"])
    assert len(load_catalog()) - 400 < len(doc["models"]) < len(load_catalog())
    assert {"llama3", "o200k_base"} <= set(doc["input_tokens"])
    row = next(item for item in doc["models"] if item["id"] == HERMES)
    assert {
        "id",
        "name",
        "provider",
        "context_window",
        "fits",
        "total_cost",
        "context_vs_default_pct",
    } <= set(row)
    assert row["fits"] is False
    assert row["context_vs_default_pct"] == 0
    assert Decimal(row["total_cost"]) == Decimal("0.162")  # 150,000 x $1/M + 4,000 x $3/M
    # the models it fits first, then the misfits; cheapest first within each, unknown costs last within each
    fitting = [item for item in doc["models"] if item["fits"] is True]
    assert doc["models"][: len(fitting)] == fitting
    for group in (fitting, doc["models"][len(fitting) :]):
        costs = [Decimal(item["total_cost"]) for item in group if item["total_cost"] is not None]
        assert costs == sorted(costs)
        unknown = [index for index, item in enumerate(group) if item["total_cost"] is None]
        assert not unknown or min(unknown) == len(costs)
    assert fitting and len(fitting) < len(doc["models"])


def test_compare_filters_and_sort_by_window(capsys):
    code, doc = run_json(
        capsys, "compare", "-i", "1000", "--provider", "openrouter", "--sort", "window", "--fits-only"
    )
    assert code == 0
    assert doc["models"] and all(item["provider"] == "openrouter" and item["fits"] for item in doc["models"])
    windows = [item["context_window"] for item in doc["models"]]
    assert windows == sorted(windows, reverse=True)


def test_model_page_json_for_hermes(capsys):
    code, doc = run_json(capsys, "model", HERMES)
    assert code == 0
    assert doc["id"] == HERMES and doc["context_window"] == 131_072
    assert doc["words_estimate"] == 98_304
    assert doc["pricing"]["input"] == "0.000001"
    fits = {row["name"]: row["fits"] for row in doc["what_fits"]}
    assert fits == {
        "short document": True,
        "long document": True,
        "small codebase": False,
        "full novel": False,
    }
    assert all(set(row) >= {"name", "words", "tokens", "fits"} for row in doc["what_fits"])
    percents = {row["id"]: row["percent_larger"] for row in doc["comparisons"]}
    assert percents["amazon.titan-text-express-v1"] == 212
    assert percents["anthropic.claude-instant-v1"] == 31
    assert percents["anyscale/codellama/CodeLlama-34b-Instruct-hf"] == 3100
    code, out, _ = run(capsys, "model", HERMES)
    assert "~98K words" in out and "212 % larger context window than Titan Text Express" in out


def test_model_page_with_the_users_input(capsys):
    code, doc = run_json(capsys, "model", HERMES, "--input-tokens", "200000")
    mine = doc["what_fits"][-1]
    assert (mine["name"], mine["tokens"], mine["fits"]) == ("your input", 200_000, False)


def test_conversation_overflow_and_costs(capsys):
    code, doc = run_json(
        capsys, "conversation", "--system", "1000", "--user", "200", "--answer", "300", "-t", "300"
    )
    assert code == 0
    assert doc["overflow_turn"] == 261
    assert doc["turns_costed"] == 260
    assert isinstance(doc["total_without_caching"], str)
    code, doc = run_json(capsys, "conversation", "--system", "You are terse.", "--user", "2", "--answer", "3")
    assert doc["system_tokens"] == 4  # "You", " are", " terse", "." in Llama 3


def test_help_is_full_of_examples(capsys):
    for command in ("fit", "cost", "compare", "model", "conversation"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert out.count(f"planner {command}") >= 4, command


def test_compare_sort_keys_are_the_ones_compare_models_takes(capsys):
    from planner.advice.compare import SORT_KEYS
    from planner.cli import compare as plan

    assert plan.SORT_KEYS == SORT_KEYS
    code, out, _ = run(capsys, "compare", "--help")
    assert code == 0 and "cost, window, headroom, name" in " ".join(out.split())


def test_starting_the_cli_imports_neither_rich_nor_the_planning_modules():
    code = (
        "import sys, planner.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich' or m in "
        "('planner.advice.compare', 'planner.advice.prices', 'planner.advice.fit_rule', "
        "'planner.advice.model_page', "
        "'planner.advice.conversation', 'planner.catalog.schema')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# ---- with real files ----------------------------------------------------------------------------------


def write_words(path, words: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(" the" * words + "\n", encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    write_words(tmp_path / "repo" / "src" / "a.txt", 80_000)
    write_words(tmp_path / "repo" / "src" / "b.txt", 40_000)
    write_words(tmp_path / "repo" / "README.md", 20_000)
    return tmp_path / "repo"


def test_fit_folder_that_does_not_fit_suggests_files_to_leave_out(capsys, repo):
    from planner.tokens.counts import count_tokens

    expected = {path.name: count_tokens(path.read_text(), "llama3").tokens for path in repo.rglob("*.*")}
    code, doc = run_json(capsys, "fit", str(repo), "-o", "1000", "--no-suggest")
    assert code == 1
    assert doc["input_tokens"] == sum(expected.values())
    plan = doc["drop_plan"]
    assert [Path(item["path"]).name for item in plan["drop"]] == ["a.txt"]
    assert plan["tokens_kept"] == expected["b.txt"] + expected["README.md"]
    assert plan["fits"] and plan["budget"] == 131_072 - 1_000
    code, doc = run_json(capsys, "fit", str(repo), "-o", "1000", "--no-suggest", "--priority", "src/a.txt")
    assert [Path(item["path"]).name for item in doc["drop_plan"]["drop"]] == ["b.txt"]


@pytest.mark.slow
def test_compare_counts_once_per_family(capsys, repo, monkeypatch):
    import planner.inputs

    calls = []
    real = planner.inputs.count_inputs

    def recording(paths, families, **options):
        calls.append(list(families))
        return real(paths, families, **options)

    monkeypatch.setattr(planner.inputs, "count_inputs", recording)
    code, doc = run_json(capsys, "compare", str(repo / "README.md"), "--provider", "openrouter")
    assert code == 0
    assert len(calls) == 1
    assert sorted(calls[0]) == sorted(set(calls[0])) == sorted(doc["input_tokens"])
    assert {row["tokenizer"] for row in doc["models"]} == set(calls[0])


def test_cost_of_a_file_with_an_estimated_family(capsys, repo):
    code, doc = run_json(
        capsys, "cost", str(repo / "README.md"), "-m", "anthropic/claude-sonnet-4", "-o", "100"
    )
    assert code == 0
    assert doc["method"] == "estimate"
    assert doc["tokenizer"] == "claude"
    assert Decimal(doc["total_cost"]) > 0


def test_missing_file_exits_3(capsys, tmp_path):
    code, out, err = run(capsys, "fit", str(tmp_path / "nope.txt"))
    assert code == 3
    assert err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.slow
def test_fit_reads_standard_input_once_for_verdict_and_suggestions():
    text = " the" * 140_000
    done = subprocess.run(
        [sys.executable, "-m", "planner", "fit", "-o", "100", "--json"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert doc["input_tokens"] == 140_000
    assert doc["alternatives"]["smallest_window"]["context_window"] >= 140_100


def test_fit_headroom_is_part_of_the_verdict_and_exit_status(capsys):
    # 125,000 of 131,072 leaves 4.6 %: "tight" exits 0 without --headroom, 1 with --headroom 20%.
    assert run(capsys, "fit", "-i", "125k")[0] == 0
    code, doc = run_json(capsys, "fit", "-i", "125k", "--headroom", "20%")
    assert (code, doc["verdict"]) == (1, "tight")
    # 100,000 leaves 23.7 %: fits a 20 % bar (exit 0), not a 25 % bar (exit 1).
    code, doc = run_json(capsys, "fit", "-i", "100k", "--headroom", "20%")
    assert (code, doc["verdict"]) == (0, "fits")
    code, doc = run_json(capsys, "fit", "-i", "100k", "--headroom", "0.25")
    assert (code, doc["verdict"]) == (1, "tight")


@pytest.mark.slow
def test_fit_help_example_with_headroom_gates_the_shell(tmp_path):
    # The help's `planner fit big.txt --headroom 20% && echo "safe to send"`, run for real: about 100
    # tokens pass, a ~125,000-token file (tight) does not.
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text("A short note about the weather today.\n" * 10)
    big.write_text("word " * 125_000)
    command = [sys.executable, "-m", "planner", "fit", "--headroom", "20%", "--no-suggest"]
    assert subprocess.run([*command, str(small)], capture_output=True).returncode == 0
    assert subprocess.run([*command, str(big)], capture_output=True).returncode == 1


def test_cost_shows_the_long_context_tier_prices_it_applied(capsys):
    # The shipped gemini-2.5-pro (google) record: $1.25 / $10 per million, $2.50 / $15 above 200,000.
    # 300,000 x $2.50/M = $0.75 and 10,000 x $15/M = $0.15.
    args = ("cost", "-i", "300k", "-o", "10k", "--model", "gemini-2.5-pro", "--provider", "google")
    code, doc = run_json(capsys, *args)
    assert (doc["input_cost"], doc["output_cost"], doc["total_cost"]) == ("0.75", "0.15", "0.9")
    assert (doc["prices_per_million"]["input"], doc["prices_per_million"]["output"]) == ("2.5", "15")
    assert doc["price_tier"] == "above 200,000 prompt tokens"
    assert doc["base_prices_per_million"]["input"] == "1.25"
    code, out, _ = run(capsys, *args)
    assert "$2.50" in out and "$15.00" in out and "$1.25" not in out
    assert "above 200,000 prompt tokens" in out
    # Below the tier the base prices apply and no tier is named.
    code, doc = run_json(capsys, "cost", "-i", "100k", "--model", "gemini-2.5-pro", "--provider", "google")
    assert (doc["prices_per_million"]["input"], doc["price_tier"]) == ("1.25", None)


def test_cost_batch_shows_the_batch_prices_it_applied(capsys):
    # gpt-4o (openai): batch $1.25 / $5 per million against $2.50 / $10.
    code, doc = run_json(capsys, "cost", "-i", "100k", "-o", "2k", "--model", "gpt-4o", "--batch")
    assert doc["prices_per_million"]["input"] == "1.25"
    assert doc["base_prices_per_million"]["input"] == "2.5"


def test_absurd_token_counts_are_usage_errors(capsys):
    code, out, err = run(capsys, "cost", "-i", "1000", "-o", "99999999999999999999999")
    assert (code, out) == (2, "")
    assert "at most 1,000,000,000,000" in err and "--output-tokens" in err


@pytest.mark.slow
def test_conversation_part_that_names_a_missing_file_or_a_folder_exits_3(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "somedir").mkdir()
    (tmp_path / "prompt.md").write_text("You are terse.", encoding="utf-8")
    for value in ("promt.md", "somedir", "docs/system", "my notes/prompt.txt"):
        code, out, err = run(capsys, "conversation", "--system", value)
        assert (code, out) == (3, ""), value
        assert err.count("\n") == 1 and "--system" in err and value in err
    # the real file and the same words as text count the same (llama3: 4 tokens)
    assert run_json(capsys, "conversation", "--system", "prompt.md")[1]["system_tokens"] == 4
    assert run_json(capsys, "conversation", "--system", "You are terse.")[1]["system_tokens"] == 4
    # text with a dot, a slash or both, but spaces and no extension, stays text
    code, doc = run_json(capsys, "conversation", "--system", "Answer yes/no. Be brief.")
    assert code == 0 and doc["system_tokens"] > 0


def test_conversation_refuses_an_image_part_for_a_model_without_vision(capsys, tmp_path):
    from PIL import Image

    image = tmp_path / "diagram.png"
    Image.new("RGB", (64, 64), "red").save(image)
    code, out, err = run(capsys, "conversation", "--system", str(image), "--turns", "2")
    assert (code, out) == (8, "")  # exit 8, as fit and cost refuse an image for a model without vision
    assert err.count("\n") == 1
    assert "nousresearch/hermes-4-405b does not accept images" in err and "the input has 1 image;" in err
    # a vision model takes it: the image's tokens are in the system part (gpt-4o: 85 base tokens + text)
    code, doc = run_json(capsys, "conversation", "--system", str(image), "--model", "openai/gpt-4o")
    assert code == 0 and doc["system_tokens"] >= 85


def test_money_in_human_output_keeps_its_places(capsys):
    # Hermes: 1,000,000 x $1/M = $1 and 1,000 x $3/M = $0.003, both to 6 places in one column.
    code, out, _ = run(capsys, "cost", "-i", "1M", "-o", "1000")
    assert "$1.000000" in out and "$0.003000" in out and "$1.003000" in out
    # doubao-seed-1-6-thinking-250715 (302ai) costs $0.121 per million input tokens, not "$0.12"
    code, out, _ = run(
        capsys, "cost", "-i", "1000", "--model", "doubao-seed-1-6-thinking-250715", "--provider", "302ai"
    )
    assert "$0.121 " in out and "$0.000121" in out


def test_conversation_totals_share_the_places_and_a_zero_saving_is_said_in_words(capsys):
    # Hermes 3 405B on OpenRouter has no cache prices ($1 / $1 per million, genai-prices 0.2.5): with and
    # without caching cost the same, 20 turns of 1,500 + k x 800 input tokens: sum over k of
    # (1,500 + 200 + (k-1) x 800) x $1/M + 600 x $1/M.
    where = ("-m", "nousresearch/hermes-3-llama-3.1-405b", "--provider", "openrouter")
    code, out, _ = run(capsys, "conversation", *where, "--system", "1500", "--user", "200", "--answer", "600")
    expected = sum((1_700 + (k - 1) * 800) * D_ONE_PER_M + 600 * D_ONE_PER_M for k in range(1, 21))
    assert f"${expected:.6f}" in out
    assert "saves $0.000000" not in out and "no saving" in out
    totals = out[out.index("Total without caching") :]
    assert totals.count(f"${expected:.6f}") == 2


D_ONE_PER_M = Decimal("0.000001")


def test_conversation_turns_error_names_the_option(capsys):
    code, out, err = run(capsys, "conversation", "--turns", "0")
    assert (code, out) == (2, "")
    assert err.startswith("error: --turns must be from 1 to 100,000")


def test_minus_zero_tokens_is_zero(capsys):
    code, doc = run_json(capsys, "fit", "-i", "100k", "-o", "-0")
    assert (code, doc["output_tokens"]) == (0, 0)
    assert run(capsys, "fit", "-i", "100k", "-o", "-1")[0] == 2


@pytest.mark.parametrize(
    ("tokens", "shown"),
    [
        ("131073", "100.001%"),  # 131,073 / 131,072 = 100.00076 %: over, so never "100.0%"
        ("131072", "100.0%"),  # exactly full: fits
        ("125000", "95.4%"),
        ("1000000000000", ">1000%"),
    ],
)
def test_fit_window_used_is_exact_and_never_100_percent_when_over(capsys, tokens, shown):
    code, out, _ = run(capsys, "fit", "-i", tokens, "--no-suggest")
    assert "window used" in out
    line = next(line for line in out.splitlines() if "window used" in line)
    assert line.split()[-1] == shown


def test_fit_huge_input_headroom_words_are_exact(capsys):
    # 10^12 tokens: headroom 131,072 - 10^12 = -999,999,868,928; words floor(x 0.75) = -749,999,901,696
    code, doc = run_json(capsys, "fit", "-i", "1000000000000", "--no-suggest")
    assert doc["headroom_tokens"] == -999_999_868_928
    assert doc["headroom_words"] == -749_999_901_696
    assert doc["used_percent"] == ">1000%"


def test_fit_messages_mention_the_images_not_counted(capsys, tmp_path):
    chat = tmp_path / "chat_with_image.json"
    chat.write_text(
        json.dumps(
            [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "What is in this picture?"},
                        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                    ],
                }
            ]
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "count", "--messages", str(chat), "-m", "gpt-4o")
    assert "1 image in the messages was not counted" in out
    code, out, _ = run(capsys, "fit", "--messages", str(chat), "-m", "gpt-4o")
    assert code == 0 and "1 image in the messages was not counted" in out
    assert run_json(capsys, "fit", "--messages", str(chat), "-m", "gpt-4o")[1]["images_not_counted"] == 1
    # the default model (Hermes 4 405B) takes no images at all: a refusal, not a count
    code, _, err = run(capsys, "fit", "--messages", str(chat))
    assert code == 8 and "does not accept images" in err


def test_fit_shows_the_input_limit_when_it_binds(capsys):
    # gpt-5 (openai): a 400,000 window, at most 272,000 input tokens; 300,000 is 28,000 over that limit
    # while only 75.0 % of the window: the table says which limit binds, the reason names it
    code, out, _ = run(capsys, "fit", "-i", "300k", "-m", "gpt-5", "--provider", "openai", "--no-suggest")
    assert code == 1
    rows = {line.split("  ")[1].strip(): line for line in out.splitlines() if line.startswith("  ")}
    assert rows["input limit"].split()[-4:] == ["272,000", "tokens", "(110.3%", "used)"]  # 300/272 = 1.1029
    assert rows["window used"].split()[-5:] == ["75.0%", "(the", "input", "limit", "binds)"]
    assert "28,000 tokens over the model's 272,000-token input limit" in out
    code, doc = run_json(capsys, "fit", "-i", "300k", "-m", "gpt-5", "--provider", "openai", "--no-suggest")
    assert (doc["input_limit"], doc["limited_by"], doc["input_limit_used_percent"]) == (
        272_000,
        "input_limit",
        "110.3%",
    )
    assert doc["used_fraction"] == Decimal("0.75")  # still of the window
    # hermes: no input limit below its window, no extra row
    code, out, _ = run(capsys, "fit", "-i", "1000", "--no-suggest")
    assert "input limit" not in out and out.count("window used") == 1


@pytest.mark.slow
def test_compare_and_the_model_page_round_window_percentages_alike(capsys):
    # against Hermes's 131,072: gpt-4o 128,000 is -2.34 % (-2, "2 % smaller", not floor's -3), gpt-4 8,192
    # -93.75 % (-93), gpt-4.1 1,047,576 +699.24 % (699, the same as floor for a larger window)
    code, doc = run_json(capsys, "compare", "-i", "1000")
    pct = {row["id"]: row["context_vs_default_pct"] for row in doc["models"] if row["provider"] == "openai"}
    assert (pct["gpt-4o"], pct["gpt-4"], pct["gpt-4.1"]) == (-2, -93, 699)
    for model, words in (("gpt-4o", "2 % smaller"), ("gpt-4", "93 % smaller")):
        code, out, _ = run(capsys, "model", model, "--provider", "openai", "--compare-with", HERMES)
        assert f"{words} context window than Hermes 4 405B" in out  # the maker prefix apart
