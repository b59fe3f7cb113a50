"""Arrows point one way: no import cycle among the project's own modules, imports inside functions included.

The graph is read from the source with `ast` (nothing is imported), so an import hidden inside a
function to dodge a cycle at start-up still counts: it is a cycle all the same, and it makes the
modules impossible to understand or test apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app.py", "pages", "ui", "engine")


def module_files(root: Path, sources: tuple[str, ...] = SOURCES) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under the given files and folders of `root`."""
    files: dict[str, Path] = {}
    for source in sources:
        path = root / source
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            parts = file.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            files[name] = file
    return files


def import_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its body (relative imports resolved)."""
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, file in files.items():
        package = name if file.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), filename=str(file))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            for target in targets:
                # `from . import b` names the parent package too; a package always imports its own
                # modules, so an edge from a module up to its own package would be a cycle every time.
                if target in files and target != name and not name.startswith(target + "."):
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_a_cycle_hidden_inside_a_function_is_found(tmp_path):
    pkg = tmp_path / "engine"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .a import run\n")
    (pkg / "a.py").write_text("from .types import Thing\n\ndef run():\n    from . import b\n    return b\n")
    (pkg / "b.py").write_text("from engine.a import run\n")
    (pkg / "types.py").write_text("Thing = int\n")
    graph = import_graph(module_files(tmp_path, ("engine",)))
    assert graph["engine.a"] == {"engine.b", "engine.types"}
    assert cycles(graph) == [["engine.a", "engine.b"]]
    (pkg / "b.py").write_text("from engine.types import Thing\n")  # moved to the shared module: no cycle
    assert cycles(import_graph(module_files(tmp_path, ("engine",)))) == []


def test_the_graph_covers_the_project():
    graph = import_graph(module_files(ROOT))
    assert {"app", "pages.review", "ui.state", "engine.study.quiz", "engine.lab.service.worker"} <= set(graph)
    assert "engine.study.scenarios" in graph["engine.study.quiz"]
    assert "engine.study.quiz" not in graph["engine.study.scenarios"]  # the shared types live in question.py


def cycles_within(prefix: str) -> list[list[str]]:
    found = cycles(import_graph(module_files(ROOT)))
    return [c for c in found if any(m == prefix or m.startswith(prefix + ".") for m in c)] if prefix else found


@pytest.mark.parametrize(
    "prefix",
    [
        "engine.study",
        "ui",
        "pages",
        "app",
        pytest.param("", id="whole-project"),
    ],
)
def test_no_import_cycles(prefix):
    found = cycles_within(prefix)
    assert not found, "import cycles (move the shared types into their own module): " + "; ".join(
        " <-> ".join(c) for c in found
    )
