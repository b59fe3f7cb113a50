"""What a loaded rule set is made of: questions, interview steps, decision tables, inputs, bins, rules, relations.

Plain frozen dataclasses, read by the engine and the pages. Files are validated against the pydantic
models of `engine.rules_schema` (same class names, same fields, with the constraints and messages) and
then turned into these by `from_validated`, so reading rules, or unpickling them from the start-up
cache, never imports pydantic: that import alone was about a tenth of a second of the app's first
screen. tests/engine/test_tables_cache.py keeps both sets of fields equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Option:
    """One allowed value of a choice question."""

    value: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class Question:
    """Something the interview asks; its answer is read by one or more decision inputs."""

    id: str
    label: str
    prompt: str
    help: str
    type: str  # "integer", "number", "boolean" or "choice"
    step: str
    unit: str = ""
    unit_one: str = ""  # the unit after exactly 1 ("1 copy of the weights"); empty: the same as `unit`
    min: float | None = None
    max: float | None = None
    default: int | float | bool | str | None = None
    optional: bool = False
    when_missing: str = ""
    options: tuple[Option, ...] = ()
    not_below: str | None = None

    def domain(self) -> tuple[str, ...]:
        """Symbolic values of a non-numeric question (what rule conditions can name)."""
        if self.type == "boolean":
            return ("yes", "no")
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class Step:
    """A page of the interview: a few questions asked together."""

    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Bin:
    """A half-open interval [at_least, below) of a numeric answer, with a name rules can use."""

    id: str
    label: str
    at_least: float = -math.inf
    below: float = math.inf

    def holds(self, value: float) -> bool:
        return self.at_least <= value < self.below


@dataclass(frozen=True)
class Input:
    """A column of a decision table: a question's answer, or a difference or ratio of two, read into values."""

    id: str
    label: str
    question: str | None = None
    difference_of: tuple[str, str] | None = None
    ratio_of: tuple[str, str] | None = None
    bins: tuple[Bin, ...] = ()
    missing_bin: str = ""
    goal: bool = False  # a stated preference; a hard constraint that beats it is reported as overriding it

    @property
    def questions(self) -> tuple[str, ...]:
        return (self.question,) if self.question else tuple(self.difference_of or self.ratio_of or ())


@dataclass(frozen=True)
class Choice:
    """One thing a decision can recommend; `implies` is what it commits a project to (engine.consistency)."""

    label: str
    summary: str
    prefer_when: str
    implies: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """If every condition holds, recommend `choice` because `because`."""

    id: str
    choice: str
    because: str
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    seed_row: int | None = None
    alternatives: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    """Advice from beyond the cheatsheet: current practice with its source, shown when its condition holds."""

    id: str
    applies_when: str
    text: str
    source: str
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    choices: tuple[str, ...] = ()  # empty: whatever is recommended


@dataclass(frozen=True)
class DecisionFile:
    """One decision table: its inputs, its choices, its rules and how rules combine."""

    id: str
    title: str
    asks: str
    source: str
    hit_policy: str  # "unique", "first" or "collect"
    seed_rows: int
    inputs: tuple[Input, ...]
    choices: dict[str, Choice]
    rules: tuple[Rule, ...]
    beyond: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Relation:
    """How two recommendations that contradict each other in one scenario are reconciled."""

    id: str
    when: dict[str, tuple[str, ...]]  # decision -> the choices in conflict
    explain: str
    resolve: dict[str, str] = field(default_factory=dict)  # decision -> the choice that tells the one story


PLAIN: dict[str, type] = {c.__name__: c for c in (Option, Question, Step, Bin, Input, Choice, Rule, Note,
                                                   DecisionFile, Relation)}


def from_validated(value: Any) -> Any:
    """A validated pydantic model (or a tuple or dict of them) as the plain class of the same name."""
    plain = PLAIN.get(type(value).__name__) if hasattr(value, "model_fields_set") else None
    if plain is not None:
        return plain(**{name: from_validated(v) for name, v in vars(value).items()})
    if isinstance(value, tuple):
        return tuple(from_validated(v) for v in value)
    if isinstance(value, dict):
        return {k: from_validated(v) for k, v in value.items()}
    return value
