"""The source of the functions a run called, and of everything they use from this project, read without importing.

`closure(function)` finds the function's definition in its file (with `ast`), then every top-level
function, class or constant of this project that its body names, recursively, and returns them in an
order a script can define them in. The text is the file's own, decorators and comments included; only
the lines that import this project's modules are left out (the script defines those names itself). Names
from modules listed in `IMPORTED` are imported from the project instead of copied (a large parser).
Module-level imports of other packages that the copied code uses are collected for the script's header.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # the project's root: engine/ lives here
IMPORTED = ("engine.lab.data.realtext",)  # imported by the script (`from engine... import ...`), not copied


@dataclass
class Sources:
    """Definitions in dependency order, and the import lines they need."""

    definitions: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)


@cache
def _module(name: str) -> tuple[ast.Module, list[str]]:
    path = ROOT / Path(*name.split(".")).with_suffix(".py")
    if not path.exists():
        path = ROOT / Path(*name.split(".")) / "__init__.py"
    text = path.read_text(encoding="utf-8")
    return ast.parse(text), text.splitlines()


def _absolute(module: str, level: int, target: str | None) -> str:
    if not level:
        return target or ""
    package = module.split(".")[: len(module.split(".")) - level]
    return ".".join([*package, target] if target else package)


def _top_level(tree: ast.Module) -> dict[str, ast.stmt]:
    found: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found[node.name] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node
    return found


def _imports(tree: ast.Module | ast.stmt, module: str) -> dict[str, tuple[str, str, ast.stmt]]:
    """Name bound -> (absolute module, name there, the statement), for every import in `tree`."""
    bound: dict[str, tuple[str, str, ast.stmt]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.level, node.module)
            for alias in node.names:
                bound[alias.asname or alias.name] = (base, alias.name, node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                bound[alias.asname or alias.name.split(".")[0]] = (alias.name, "", node)
    return bound


def _free_names(node: ast.stmt) -> set[str]:
    """Names the definition reads that it does not bind itself (parameters and assignments are its own)."""
    read = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    own = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for inner in ast.walk(node):
        if isinstance(inner, ast.FunctionDef | ast.Lambda) and inner is not node or inner is node and isinstance(
                inner, ast.FunctionDef):
            arguments = inner.args
            own.update(a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs])
            own.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
        elif isinstance(inner, ast.comprehension):
            own.update(n.id for n in ast.walk(inner.target) if isinstance(n, ast.Name))
    return read - own


def _is_project(module: str) -> bool:
    return module == "engine" or module.startswith("engine.")


def _text(lines: list[str], node: ast.stmt) -> str:
    start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
    return "\n".join(lines[start - 1: node.end_lineno])


def _without_project_imports(text: str, node: ast.stmt, module: str, first_line: int) -> str:
    """The definition's text with the lines that import this project's modules removed."""
    drop: set[int] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.ImportFrom | ast.Import):
            names = [_absolute(module, inner.level, inner.module)] if isinstance(inner, ast.ImportFrom) else \
                [a.name for a in inner.names]
            if any(_is_project(n) for n in names) and not any(n in IMPORTED for n in names):
                drop.update(range(inner.lineno, inner.end_lineno + 1))
    kept = [line for number, line in enumerate(text.splitlines(), start=first_line) if number not in drop]
    return "\n".join(kept)


def add(sources: Sources, module: str, name: str) -> None:
    """Add `module.name` and what it uses from this project (dependencies first)."""
    if (module, name) in sources._seen:
        return
    sources._seen.add((module, name))
    tree, lines = _module(module)
    definitions = _top_level(tree)
    if name not in definitions:
        raise KeyError(f"{name} is not defined at the top level of {module}")
    node = definitions[name]
    own_imports = _imports(node, module)  # imports inside the function
    module_imports = {k: v for k, v in _imports(tree, module).items() if v[2] in tree.body}
    for used in sorted(_free_names(node)):
        if used in own_imports:
            where, original, _ = own_imports[used]
            if _is_project(where) and where not in IMPORTED:  # an imported module's line stays in the body
                _use(sources, where, original, used)
        elif used in definitions and used != name:
            add(sources, module, used)
        elif used in module_imports:
            where, original, statement = module_imports[used]
            if _is_project(where):
                _use(sources, where, original, used)
            else:
                line = ast.unparse(statement) if not isinstance(statement, ast.ImportFrom) else \
                    f"from {where} import {original}" + (f" as {used}" if used != original else "")
                if line not in sources.imports:
                    sources.imports.append(line)
    first = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
    sources.definitions.append(_without_project_imports(_text(lines, node), node, module, first))


def _use(sources: Sources, module: str, name: str, alias: str) -> None:
    if module in IMPORTED:
        line = f"from {module} import {name}" + (f" as {alias}" if alias != name else "")
        if line not in sources.imports:
            sources.imports.append(line)
        return
    tree, _ = _module(module)
    if name in _top_level(tree):
        add(sources, module, name)
        if alias != name and f"{alias} = {name}" not in sources.definitions:
            sources.definitions.append(f"{alias} = {name}")  # the name the copied code uses for it
    else:  # a submodule imported by name (`from . import glove`): nothing to copy by that name
        raise KeyError(f"{module}.{name}: generated scripts copy functions, classes and constants only")


def closure(*functions) -> Sources:
    """The sources of `functions` and of everything from this project they use, dependencies first."""
    sources = Sources()
    for function in functions:
        add(sources, function.__module__, function.__name__)
    return sources


def source_text(function) -> str:
    """One function's own text (as `inspect` reads it), for tests comparing what is shown with what runs."""
    return inspect.getsource(function)
