"""Load a TOML data file and validate it against a pydantic model, with errors a person can act on.

Used for the decision tables under `rules/` and for the study content under `rules/study/`.
Every message names the file, the item (by index and id when it has one), the field,
what was expected and what was found.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import RulesError

M = TypeVar("M", bound=BaseModel)


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; syntax errors become a RulesError naming the file and line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise RulesError(f"{path.name}: file not found at {path}.") from None
    except UnicodeDecodeError as exc:
        raise RulesError(f"{path.name}: not valid UTF-8 text ({exc.reason}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path.name}: not valid TOML: {exc}.") from None


def validate(model: type[M], data: dict[str, Any], source: str) -> M:
    """Validate `data` as `model`; on failure raise RulesError with one line per problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [f"{source}: {describe_location(data, err['loc'])}: {explain(err)}" for err in exc.errors()]
        raise RulesError(problems) from None


def load(model: type[M], path: Path) -> M:
    """Read and validate one TOML file as `model`."""
    return validate(model, read_toml(path), path.name)


def describe_location(data: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic location like ('rules', 2, 'choice') into 'rules[2] (id "x"), field "choice"'."""
    parts: list[str] = []
    node: Any = data
    field = None
    for index, key in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and 0 <= key < len(node):
                node = node[key]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f' (id "{node["id"]}")'
            else:
                node = None
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        elif last:
            field = str(key)
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    where = ".".join(parts) if parts else "top level"
    return f'{where}, field "{field}"' if field else where


def explain(err: dict[str, Any]) -> str:
    """One clause: what was expected (pydantic's wording) and what was found."""
    kind = err.get("type", "")
    found = err.get("input")
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return f"is not a known field (found {found!r}); remove it or check its spelling"
    message = err.get("msg", "is invalid")
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return f"{message[0].lower() + message[1:]}; found {found!r}"
