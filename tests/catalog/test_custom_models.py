"""Hostile custom models files (issue 12, item 10): each is one `error:` line naming the file, entry and
field, exit status 6, and never a traceback, a 7 MB JSON number or gigabytes of memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from planner.catalog.custom import load_custom_models
from planner.catalog.schema import Pricing
from planner.errors import CatalogError

HERMES = "nousresearch/hermes-4-405b"


pytestmark = pytest.mark.usefixtures("isolated_cache")


def entry(pricing: str) -> str:
    return f'[[models]]\nid = "x"\nprovider = "acme"\npricing = {{ input = {pricing} }}\n'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (entry('"1e999999999"'), r"field 'pricing.input': must be at most 100 US dollars"),
        (entry('"1E+400"'), r"field 'pricing.input': must be at most 100 US dollars"),
        (entry("1e400"), r"field 'pricing.input': must be at most 100 US dollars"),
        (entry('"1e-999999"'), r"field 'pricing.input': has digits below 1E-24 US dollars"),
        (entry('"NaN"'), r"field 'pricing.input': Input should be a finite number"),
        ('[[models]]\nid = "x"\nbased_on = 5\n', r"field 'based_on': must be a model id in quotes, got 5"),
        ("[[models]]\nid = 5\n", r"entry 1: field 'id': a non-empty model id is required"),
        ('[[models]]\nid = "x"\nprovider = 7\n', r"field 'provider': Input should be a valid string"),
    ],
)
def test_hostile_values_are_one_error(tmp_path, shipped, content, message):
    path = tmp_path / "models.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match=message) as caught:
        load_custom_models(path, shipped)
    assert str(path) in caught.value.message and "\n" not in caught.value.message


def test_based_on_a_number_is_not_resolved_to_a_model(tmp_path, shipped):
    path = tmp_path / "models.json"
    path.write_text('[{"id": "x", "based_on": 5}]', encoding="utf-8")
    with pytest.raises(CatalogError, match="based_on"):
        load_custom_models(path, shipped)  # was silently zai/glm-5


def test_prices_at_the_bounds_are_kept_exactly(tmp_path, shipped):
    path = tmp_path / "models.toml"
    path.write_text(
        '[[models]]\nid = "x"\nprovider = "acme"\n'
        'pricing = { input = "100", output = "0.000000000000000000000001" }\n',
        encoding="utf-8",
    )
    [offer] = load_custom_models(path, shipped)
    assert offer.pricing.input == Decimal(100)
    assert offer.model_dump(mode="json")["pricing"]["output"] == "0.000000000000000000000001"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_files_are_read(tmp_path, shipped, encoding):
    path = tmp_path / "models.toml"
    text = '[[models]]\nid = "été-local"\nbased_on = "nousresearch/hermes-4-405b"\n'
    data = text.encode(encoding)
    path.write_bytes(b"\xfe\xff" + data if encoding == "utf-16-be" else data)
    [offer] = load_custom_models(path, shipped)
    assert offer.id == "été-local" and offer.context_window == 131_072


def test_a_file_in_another_encoding_is_one_error(tmp_path, shipped):
    path = tmp_path / "models.toml"
    path.write_bytes('[[models]]\nid = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(CatalogError, match=r"not UTF-8 text \(byte \d+\); save it as UTF-8"):
        load_custom_models(path, shipped)


YAML_ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
models: [*i]
"""


def test_yaml_alias_bomb_is_refused_without_expanding(tmp_path, shipped):
    path = tmp_path / "models.yaml"
    path.write_text(YAML_ALIAS_BOMB, encoding="utf-8")
    assert len(YAML_ALIAS_BOMB) < 500
    with pytest.raises(CatalogError, match=r"not valid YAML \(aliases \(\*name\) are not allowed here\)"):
        load_custom_models(path, shipped)


def test_plain_yaml_without_aliases_still_works(tmp_path, shipped):
    path = tmp_path / "models.yaml"
    path.write_text(
        "models:\n  - id: y\n    provider: acme\n    pricing: {input: 0.000001}\n", encoding="utf-8"
    )
    [offer] = load_custom_models(path, shipped)
    assert offer.pricing.input == Decimal("0.000001")


def test_a_huge_file_is_refused_before_parsing(tmp_path, shipped):
    path = tmp_path / "models.json"
    path.write_bytes(b"[" + b" " * (11 * 1024 * 1024) + b"]")
    with pytest.raises(CatalogError, match=r"larger than 10,485,760 bytes"):
        load_custom_models(path, shipped)


def test_deeply_nested_json_is_one_error(tmp_path, shipped):
    path = tmp_path / "models.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_custom_models(path, shipped)


@pytest.mark.slow
def test_cli_reports_a_hostile_file_in_one_line(tmp_path):
    path = tmp_path / "models.toml"
    path.write_text(entry('"1E+400"'), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "planner", "cost", "--input-tokens", "1000", "--json"],
        capture_output=True,
        text=True,
        env={**_env(tmp_path), "PLANNER_MODELS_FILE": str(path)},
        timeout=120,
    )
    assert result.returncode == 6, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: custom models file") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_catalog_prices_serialise_exactly_beyond_28_digits():
    price = Decimal("0.123456789012345678901234")  # 24 significant digits
    assert Pricing(input=price).model_dump(mode="json")["input"] == "0.123456789012345678901234"
    assert json.loads(Pricing(input=price).model_dump_json())["input"] == "0.123456789012345678901234"


def _env(tmp_path) -> dict[str, str]:
    return {**os.environ, "PLANNER_CACHE_DIR": str(tmp_path / "cache")}
