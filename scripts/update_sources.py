"""Fetch named versions of litellm and genai-prices from the package index and pin their price files in data/.

Usage: python scripts/update_sources.py [--litellm VERSION] [--genai-prices VERSION] [--data DIR] [--no-build]

For each package: ``pip download --no-deps NAME==VERSION`` (the ordinary client, so pip's index settings
apply); the wheel's sha256 is checked against the index's (PEP 691 JSON), whose PEP 700 ``upload-time`` is
the file's "as of" date; the price file is extracted:
- litellm: ``litellm/model_prices_and_context_window_backup.json``, copied byte for byte to
  ``data/litellm-VERSION.json``;
- genai-prices: ``genai_prices/data.py`` (generated Python), read with ``ast`` (never imported or run) and
  written as JSON to ``data/genai-prices-VERSION.json``: each constructor call becomes an object with its
  class name in ``_type``, ``Decimal('1.5')`` the string ``"1.5"``, dates and times ISO text.
Then the row of that file in ``data/SOURCES.md`` is written (version, upload date, wheel sha256, licence,
sha256 of the extracted file) and, unless ``--no-build``, the shipped catalog is rebuilt
(``scripts/build_catalog.py``). The newest pinned file of each source is the one the build uses.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
INDEX_URL = "https://pypi.org/simple/{project}/"
DEFAULT_VERSIONS = {"litellm": "1.110.2", "genai-prices": "0.2.5"}
MEMBERS = {
    "litellm": "litellm/model_prices_and_context_window_backup.json",
    "genai-prices": "genai_prices/data.py",
}
DESCRIPTIONS = {
    "litellm": (
        "LiteLLM's `model_prices_and_context_window` map, `{member}` of the litellm {version} wheel "
        "(`{wheel}`, sha256 {wheel_sha}). Prices USD **per token** as JSON numbers; limits, `supports_*` "
        "flags, tier, batch, flex and priority fields; `mode`."
    ),
    "genai-prices": (
        "pydantic/genai-prices data, `{member}` of the genai-prices {version} wheel (`{wheel}`, sha256 "
        "{wheel_sha}), read with `ast` and written as JSON (`_type` = class name). Prices per million tokens "
        "as decimal strings, dated prices (`StartDateConstraint`), time-of-day prices "
        "(`TimeOfDateConstraint`), tiers, batch variants."
    ),
}
# keyword arguments genai-prices spells with a trailing underscore because the word is Python's
_KEYWORDS = {"or_": "or", "and_": "and"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--litellm", default=DEFAULT_VERSIONS["litellm"])
    parser.add_argument("--genai-prices", dest="genai_prices", default=DEFAULT_VERSIONS["genai-prices"])
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "data")
    parser.add_argument("--no-build", action="store_true", help="pin the files only, do not rebuild")
    args = parser.parse_args(argv)
    for project, version in (("litellm", args.litellm), ("genai-prices", args.genai_prices)):
        try:
            row = pin(project, version, args.data)
        except (RuntimeError, httpx.HTTPError, KeyError, zipfile.BadZipFile) as error:
            sys.stderr.write(f"error: {project} {version}: {error}\n")
            return 1
        write_manifest_row(args.data / "SOURCES.md", row)
        print(f"pinned {row[0]} (uploaded {row[2]})")
    if args.no_build:
        return 0
    return subprocess.call([sys.executable, str(REPO_ROOT / "scripts" / "build_catalog.py"), str(args.data)])


def pin(project: str, version: str, data: Path) -> list[str]:
    """Download, check and extract one package's price file into ``data``; its SOURCES.md row."""
    with tempfile.TemporaryDirectory() as folder:
        wheel = download(project, version, Path(folder))
        wheel_sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
        index = index_file(project, wheel.name)
        if index["hashes"].get("sha256") != wheel_sha:
            raise RuntimeError(f"{wheel.name} does not match the index's sha256")
        uploaded = datetime.fromisoformat(index["upload-time"].replace("Z", "+00:00")).date().isoformat()
        with zipfile.ZipFile(wheel) as archive:
            raw = archive.read(MEMBERS[project])
            licence = wheel_licence(archive)
    target = data / f"{project}-{version}.json"
    body = raw if project == "litellm" else genai_prices_json(raw.decode("utf-8"))
    target.write_bytes(body)
    what = DESCRIPTIONS[project].format(
        member=MEMBERS[project], version=version, wheel=wheel.name, wheel_sha=wheel_sha
    )
    return [target.name, what, uploaded, licence, hashlib.sha256(body).hexdigest()]


def download(project: str, version: str, folder: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q"]
    done = subprocess.run(
        [*command, "-d", str(folder), f"{project}=={version}"], capture_output=True, text=True
    )
    wheels = sorted(folder.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        raise RuntimeError(f"pip download failed: {done.stderr.strip()[-400:]}")
    return wheels[0]


def index_file(project: str, filename: str) -> dict[str, Any]:
    """The index's entry for one file (PEP 691 JSON: hashes, PEP 700 upload-time)."""
    response = httpx.get(
        INDEX_URL.format(project=project),
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
        timeout=60,
        follow_redirects=True,
    )
    response.raise_for_status()
    for entry in response.json()["files"]:
        if entry["filename"] == filename:
            return dict(entry)
    raise RuntimeError(f"{filename} is not listed by {response.url}")


def wheel_licence(archive: zipfile.ZipFile) -> str:
    """The licence the wheel's metadata declares (License-Expression, else License)."""
    name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    metadata = archive.read(name).decode("utf-8")
    for key in ("License-Expression", "License"):
        match = re.search(rf"^{key}: (.+)$", metadata, re.MULTILINE)
        if match:
            return match[1].strip()
    return "see the wheel's licence file"


def genai_prices_json(source: str) -> bytes:
    """genai-prices' generated ``data.py`` as JSON, read with ``ast`` (nothing is executed)."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "providers" and node.value:
            document = _value(node.value)
            return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    raise RuntimeError("genai_prices/data.py has no `providers` list")


def _value(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [_value(item) for item in node.elts]
    if isinstance(node, ast.Dict):
        return {_value(k): _value(v) for k, v in zip(node.keys, node.values, strict=True) if k is not None}
    if isinstance(node, ast.Call):
        return _call(node)
    if isinstance(node, ast.Attribute) and ast.unparse(node) == "datetime.UTC":
        return "UTC"
    raise RuntimeError(f"unexpected expression in genai_prices/data.py: {ast.unparse(node)[:80]}")


def _call(node: ast.Call) -> Any:
    name = ast.unparse(node.func)
    if name == "Decimal":
        return str(_value(node.args[0]))
    if name == "datetime.date":
        year, month, day = (_value(arg) for arg in node.args)
        return f"{year:04d}-{month:02d}-{day:02d}"
    if name == "datetime.time":
        hour, minute, *rest = (_value(arg) for arg in node.args)
        second = rest[0] if rest else 0
        zone = {kw.arg: _value(kw.value) for kw in node.keywords}.get("tzinfo")
        return f"{hour:02d}:{minute:02d}:{second:02d}" + ("+00:00" if zone == "UTC" else "")
    if not re.fullmatch(r"[A-Z]\w*", name) or node.args:
        raise RuntimeError(f"unexpected call in genai_prices/data.py: {ast.unparse(node)[:80]}")
    fields = {_KEYWORDS.get(str(kw.arg), str(kw.arg)): _value(kw.value) for kw in node.keywords}
    return {"_type": name, **fields}


def write_manifest_row(path: Path, row: list[str]) -> None:
    """Add or replace the row of ``row[0]`` in the table of SOURCES.md."""
    lines = path.read_text(encoding="utf-8").splitlines()
    text = "| " + " | ".join(row) + " |"
    for index, line in enumerate(lines):
        if line.startswith(f"| {row[0]} |"):
            lines[index] = text
            break
    else:
        last = max(index for index, line in enumerate(lines) if re.match(r"\| \S+\.json \|", line))
        lines.insert(last + 1, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
