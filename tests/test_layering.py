"""engine.lab's packages import only what their docstrings say they may, so the layers stay layers.

Each package's `__init__.py` docstring has a line `May import: engine.lab.a, b and c.` (or "nothing"); the
import graph (every import, those inside functions too, read with `ast`) must keep to it. The docstring is
the rule, so the layering a reader is told is the one that holds.
"""

from __future__ import annotations

import ast
import re

import pytest

from tests.test_import_graph import ROOT, import_graph, module_files

LAB = ROOT / "engine" / "lab"
FRONT_DOOR = {"engine.lab", "engine.lab.train", "engine.lab.cli"}  # may import any part of the Lab


def allowed(docstring: str, known: set[str]) -> set[str]:
    """The sibling packages (among `known`) that a `May import:` line names."""
    found = re.search(r"May import:([^\n]*(?:\n(?!\n)[^\n]*)*)", docstring)
    if found is None:
        raise AssertionError(f"no 'May import:' line in: {docstring[:80]!r}")
    words = re.findall(r"engine\.lab\.(\w+)|\b(\w+)\b", found.group(1))
    return {a or b for a, b in words} & known


def layers() -> set[str]:
    return {p.parent.name for p in LAB.glob("*/__init__.py")} | {p.stem for p in LAB.glob("*.py")} - {"__init__"}


def rules() -> dict[str, set[str]]:
    table = {}
    for name in layers():
        path = LAB / name / "__init__.py" if (LAB / name).is_dir() else LAB / f"{name}.py"
        if f"engine.lab.{name}" in FRONT_DOOR:
            continue
        table[name] = allowed(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "", layers())
    return table


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["engine", "lab"] else None


def violations(graph: dict[str, set[str]], table: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in graph.items():
        own = layer_of(module)
        if own is None or module in FRONT_DOOR or own not in table:
            continue
        for target in targets:
            other = layer_of(target)
            if target in FRONT_DOOR and target != "engine.lab":
                found.append(f"{module} imports the front door {target}")
            elif other is not None and other != own and other not in table[own]:
                found.append(f"{module} imports {target}, but engine.lab.{own} may import only "
                             f"{', '.join(sorted(table[own])) or 'nothing'} of engine.lab")
    return sorted(found)


def test_every_package_of_the_lab_states_what_it_may_import():
    table = rules()
    expected = {"results", "data", "models", "decisions", "codegen", "running", "scaling", "service", "request"}
    assert expected <= set(table)
    assert table["results"] == set()
    assert "service" not in table["running"] and "running" in table["service"]


def test_the_lab_keeps_to_its_layers():
    graph = import_graph(module_files(ROOT, ("engine",)))
    found = violations(graph, rules())
    assert not found, "imports that break the stated layering:\n" + "\n".join(found)


def test_nothing_outside_the_lab_but_its_callers_reaches_into_it():
    graph = import_graph(module_files(ROOT, ("engine",)))
    callers = ("engine.lab", "engine.evidence", "engine.cli")
    reaching = sorted(f"{m} -> {t}" for m, targets in graph.items() for t in targets
                      if t.startswith("engine.lab") and not m.startswith(callers))
    assert not reaching, reaching


@pytest.mark.parametrize("bad", ["from ..service.worker import shared_worker", "from ..running import runner"])
def test_an_upward_import_is_caught(tmp_path, bad):
    lab = tmp_path / "engine" / "lab"
    for package, doc in (("results", "May import: nothing else in engine.lab."),
                         ("running", "May import: engine.lab.results."),
                         ("service", "May import: engine.lab.results and running.")):
        (lab / package).mkdir(parents=True)
        (lab / package / "__init__.py").write_text(f'"""Test.\n\n{doc}\n"""\n')
    (tmp_path / "engine" / "__init__.py").write_text("")
    (lab / "__init__.py").write_text("")
    (lab / "results" / "records.py").write_text(f"def f():\n    {bad}\n")
    (lab / "running" / "runner.py").write_text("")
    (lab / "service" / "worker.py").write_text("def shared_worker():\n    pass\n")
    known = {"results", "running", "service"}
    table = {name: allowed(ast.get_docstring(ast.parse((lab / name / "__init__.py").read_text())), known)
             for name in known}
    assert table == {"results": set(), "running": {"results"}, "service": {"results", "running"}}
    found = violations(import_graph(module_files(tmp_path, ("engine",))), table)
    assert found and all(f.startswith("engine.lab.results.records imports engine.lab.") for f in found)
    assert found[0].endswith("but engine.lab.results may import only nothing of engine.lab")
