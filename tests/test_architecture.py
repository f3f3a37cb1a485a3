"""The layout shows the design: the README's architecture section names modules that exist, the package has
no import cycle, the core imports neither presenter, and the CLI imports no Streamlit."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planner"
PRESENTERS = ("planner.cli", "planner.app", "planner.mcp")


def architecture_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]


def test_every_path_the_architecture_section_names_exists() -> None:
    section = architecture_section()
    named = re.findall(r"`((?:planner|data|scripts|tests|docs)/[\w./]*|app\.py)`", section)
    assert len(named) >= 20, named
    for path in named:
        assert (ROOT / path).exists(), f"README architecture names {path}, which does not exist"
    short = re.findall(r"`(\w+\.py)`", section)  # cli/ and app/ modules named by file name
    for name in short:
        homes = [PACKAGE / "cli" / name, PACKAGE / "app" / name, PACKAGE / name, ROOT / name]
        assert any(home.exists() for home in homes), f"README architecture names {name}, not found"


def architecture_tree() -> dict[str, str]:
    """The README's tree of the layout (the code block that starts with ``planner/``): path -> its line."""
    block = next(b for b in architecture_section().split("```")[1::2] if b.lstrip().startswith("planner/"))
    paths: dict[str, str] = {}
    parents: list[str] = []
    for line in block.strip("\n").splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        parents[depth:] = [name]
        paths["".join(parents)] = line.strip()
    return paths


def test_the_readme_tree_names_only_what_exists() -> None:
    tree = architecture_tree()
    assert len(tree) > 80
    for path in tree:
        assert (ROOT / path).exists(), f"README's architecture tree names {path}, which does not exist"
        assert (ROOT / path).is_dir() == path.endswith("/"), f"{path}: a folder ends with '/', a file not"


def test_every_module_has_its_line_in_the_readme_tree() -> None:
    tree = architecture_tree()
    modules = sorted(str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py"))
    missing = [
        module
        for module in modules
        if module not in tree and not (module.endswith("__init__.py") and _plain_package(ROOT / module))
    ]
    assert not missing, f"add a line for each to README's architecture tree (one line per module): {missing}"
    assert all(len(line.split(maxsplit=1)) == 2 for line in tree.values()), "each line says what it is for"


def _plain_package(init: Path) -> bool:
    """An ``__init__.py`` with nothing but a docstring names no module of its own."""
    body = ast.parse(init.read_text(encoding="utf-8")).body
    return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in body)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """planner modules ``path`` imports at module level (not under TYPE_CHECKING, not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for item in ast.walk(node) if isinstance(node, (ast.If, ast.Try)) else [node]:
            if isinstance(item, ast.Import):
                found.update(alias.name for alias in item.names)
            elif isinstance(item, ast.ImportFrom):
                base = item.module or ""
                if item.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - item.level + 1] + [base])
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in item.names)
    return {name for name in found if name.startswith("planner")}


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {target for target in imports_of(path) if target in modules and target != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def without_parents(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph less each module's edges to its own packages (importing planner.x runs planner first)."""
    return {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in graph.items()}


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_has_no_import_cycle() -> None:
    graph = without_parents(import_graph())
    assert len(graph) > 40
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_core_imports_neither_presenter() -> None:
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith(PRESENTERS) or name == "planner.__main__":  # the entry point runs the CLI
            continue
        wrong = sorted(t for t in targets if t.startswith(PRESENTERS))
        assert not wrong, f"{name} imports {wrong}"


def function_level_imports(path: Path) -> set[str]:
    """planner modules imported inside functions of ``path`` (lazy imports that keep start-up fast)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for item in ast.walk(node):
                if isinstance(item, ast.ImportFrom) and (item.module or "").startswith("planner"):
                    found.add(item.module or "")
                elif isinstance(item, ast.Import):
                    found.update(alias.name for alias in item.names if alias.name.startswith("planner"))
    return found


@pytest.mark.slow
def test_no_function_level_import_hides_a_cycle() -> None:
    """Lazy imports are allowed, but with them added the graph must still have no cycle."""
    graph = without_parents(import_graph())
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        lazy = {t for t in function_level_imports(path) if t in graph and t != name}
        graph[name] = graph[name] | {t for t in lazy if not name.startswith(t + ".")}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_core_imports_no_presenter_even_lazily() -> None:
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if name.startswith(PRESENTERS) or name == "planner.__main__":
            continue
        wrong = sorted(t for t in function_level_imports(path) if t.startswith(PRESENTERS))
        assert not wrong, f"{name} imports {wrong} in a function"


def test_importing_the_cli_loads_no_streamlit() -> None:
    code = "import sys, planner.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_catalog_refresh_prices_nothing_and_conversation_reads_no_file() -> None:
    graph = import_graph()
    assert "planner.advice.prices" not in graph["planner.catalog.refresh"]
    source = (PACKAGE / "advice" / "conversation.py").read_text(encoding="utf-8")
    assert not re.search(r"\b(open|read_text|read_bytes|Path)\(", source)
    assert not {"pathlib", "os"} & {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    }


# Layers: tokens <- inputs <- advice -> catalog; the presenters (cli, app, mcp) sit on top of all four.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "planner.tokens": ("planner.inputs", "planner.advice", "planner.catalog"),
    "planner.inputs": ("planner.advice", "planner.catalog"),
    "planner.catalog": ("planner.advice", "planner.inputs"),
}
TOP_LEVEL = {"__init__.py", "__main__.py", "errors.py", "wording.py", "py.typed"}


def all_imports(path: Path) -> set[str]:
    """Module-level and function-level planner imports (type-only imports under TYPE_CHECKING excluded)."""
    return imports_of(path) | function_level_imports(path)


def layer_violations(files: dict[str, set[str]]) -> list[str]:
    wrong: list[str] = []
    for name, targets in sorted(files.items()):
        for layer, banned in FORBIDDEN.items():
            if name == layer or name.startswith(layer + "."):
                wrong += [f"{name} imports {t}" for t in sorted(targets) if t.startswith(banned)]
        if not name.startswith(PRESENTERS) and name not in ("planner", "planner.__main__"):
            wrong += [f"{name} imports {t}" for t in sorted(targets) if t.startswith(PRESENTERS)]
    return wrong


def test_layer_rule_finds_a_leak() -> None:
    assert layer_violations({"planner.tokens.x": {"planner.inputs.readers"}}) == [
        "planner.tokens.x imports planner.inputs.readers"
    ]
    assert layer_violations({"planner.advice.x": {"planner.cli.render"}}) == [
        "planner.advice.x imports planner.cli.render"
    ]
    assert layer_violations({"planner.advice.x": {"planner.tokens.counts", "planner.catalog.schema"}}) == []


@pytest.mark.slow
def test_each_layer_imports_only_the_layers_below_it() -> None:
    files = {module_name(path): all_imports(path) for path in PACKAGE.rglob("*.py")}
    assert {"planner.tokens.encoders", "planner.inputs.datasets", "planner.advice.fit_rule"} <= set(files)
    assert layer_violations(files) == []


def test_the_top_of_the_package_holds_only_the_entry_modules() -> None:
    top = {path.name for path in PACKAGE.iterdir() if path.is_file()}
    assert top == TOP_LEVEL
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        "tokens",
        "inputs",
        "catalog",
        "advice",
        "cli",
        "app",
        "mcp",
        "data",
    }
