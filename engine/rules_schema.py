"""The shape of the rules files, as pydantic models: what `engine.tables` validates each file against.

Every model forbids unknown fields, so a typo in a rules file is an error that names the field
rather than a setting that is silently ignored. Cross-references (a rule naming an input or a
choice) are checked in `engine.tables`, where all files are known. Validated files are turned into
the plain classes of `engine.schema` (same names, same fields), which the rest of the app uses:
so a page that only reads the rules does not import pydantic. Validators are built on first use
(`defer_build`), because a server whose rules come from the cache never validates.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Id = Field(pattern=r"^[a-z][a-z0-9_]*$", description="lower_snake_case identifier")
RuleId = Field(pattern=r"^[a-z][a-z0-9-]*$", description="lower-kebab-case rule identifier")


def _as_tuples(value: object) -> object:
    """Let a condition name one value (`need = "x"`) as well as several (`need = ["x", "y"]`)."""
    if isinstance(value, dict):
        return {k: (v,) if isinstance(v, str) else v for k, v in value.items()}
    return value


# A rule's, note's or relation's conditions: name -> the values any of which satisfies it.
When = Annotated[dict[str, tuple[str, ...]], BeforeValidator(_as_tuples)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --------------------------------------------------------------------------- questions


class Option(Strict):
    """One allowed value of a choice question."""

    value: str = Id
    label: str = Field(min_length=1)
    help: str = ""


class Question(Strict):
    """Something the interview asks; its answer is read by one or more decision inputs."""

    id: str = Id
    label: str = Field(min_length=1, max_length=40)
    prompt: str = Field(min_length=1)
    help: str = Field(min_length=1)
    type: Literal["integer", "number", "boolean", "choice"]
    step: str = Id
    unit: str = ""
    unit_one: str = ""  # the unit after exactly 1 ("1 copy of the weights"); empty: the same as `unit`
    min: float | None = None
    max: float | None = None
    default: int | float | bool | str | None = None
    optional: bool = False
    when_missing: str = ""
    options: tuple[Option, ...] = ()
    not_below: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.type == "choice":
            if not self.options:
                raise ValueError("a choice question needs at least one entry in 'options'")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError(f"options repeat a value: {values}")
            if self.default is not None and self.default not in values:
                raise ValueError(f"default {self.default!r} is not one of the options {values}")
        elif self.options:
            raise ValueError(f"only choice questions have options; this one is {self.type}")
        if self.type in ("integer", "number"):
            if self.min is None or self.max is None or not self.min < self.max:
                raise ValueError("a numeric question needs 'min' < 'max'")
            if self.default is not None and (
                isinstance(self.default, (bool, str)) or not self.min <= self.default <= self.max
            ):
                raise ValueError(f"default {self.default!r} must be a number between min and max")
        if self.type == "boolean" and self.default is not None and not isinstance(self.default, bool):
            raise ValueError(f"default of a boolean question must be true or false, not {self.default!r}")
        if self.optional == (self.default is not None):
            raise ValueError("a question is either optional (no default) or has a default, not both or neither")
        if self.optional and not self.when_missing:
            raise ValueError("an optional question needs 'when_missing': what an empty answer means")
        return self


class Step(Strict):
    """A page of the interview: a few questions asked together."""

    id: str = Id
    title: str = Field(min_length=1)
    intro: str = ""


class QuestionsFile(Strict):
    steps: tuple[Step, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)


# --------------------------------------------------------------------------- decision tables


class Bin(Strict):
    """A half-open interval [at_least, below) of a numeric answer, with a name rules can use."""

    id: str = Id
    label: str = Field(min_length=1)
    at_least: float = -math.inf
    below: float = math.inf

    @model_validator(mode="after")
    def _ordered(self) -> Bin:
        if not self.at_least < self.below:
            raise ValueError(f"bin '{self.id}' needs at_least < below, got {self.at_least} and {self.below}")
        return self


class Input(Strict):
    """A column of a decision table: a question's answer, or a difference of two, read into values."""

    id: str = Id
    label: str = Field(min_length=1)
    question: str | None = None
    difference_of: tuple[str, str] | None = None
    ratio_of: tuple[str, str] | None = None
    bins: tuple[Bin, ...] = ()
    missing_bin: str = ""
    goal: bool = False  # a stated preference; a hard constraint that beats it is reported as overriding it

    @model_validator(mode="after")
    def _one_source(self) -> Input:
        sources = [s for s in (self.question, self.difference_of, self.ratio_of) if s is not None]
        if len(sources) != 1:
            raise ValueError("an input reads exactly one of 'question', 'difference_of' or 'ratio_of'")
        if (self.difference_of or self.ratio_of) is not None and not self.bins:
            raise ValueError("an input that reads a difference or a ratio needs 'bins'")
        return self


class Choice(Strict):
    """One thing a decision can recommend."""

    label: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    prefer_when: str = Field(min_length=1)
    # What recommending this choice commits a project to, per aspect shared across decisions
    # (e.g. model_family = ["recurrent"]); two recommendations of one scenario whose sets for an
    # aspect do not intersect contradict each other (engine.consistency).
    implies: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class Rule(Strict):
    """If every condition holds, recommend `choice` because `because`."""

    id: str = RuleId
    when: When = Field(default_factory=dict)
    choice: str = Id
    because: str = Field(min_length=20)
    seed_row: int | None = Field(default=None, ge=1)
    alternatives: dict[str, str] = Field(default_factory=dict)


class Note(Strict):
    """Advice from beyond the cheatsheet: current practice with its source, shown when its condition holds."""

    id: str = RuleId
    when: When = Field(default_factory=dict)
    choices: tuple[str, ...] = ()  # empty: whatever is recommended
    applies_when: str = Field(min_length=10)
    text: str = Field(min_length=40)
    source: str = Field(min_length=10)


class DecisionFile(Strict):
    """One decision table: its inputs, its choices, its rules and how rules combine."""

    id: str = Id
    title: str = Field(min_length=1)
    asks: str = Field(min_length=1)
    source: str = Field(min_length=1)
    hit_policy: Literal["unique", "first", "collect"]
    seed_rows: int = Field(ge=1)
    inputs: tuple[Input, ...] = Field(min_length=1)
    choices: dict[str, Choice] = Field(min_length=2)
    rules: tuple[Rule, ...] = Field(min_length=1)
    beyond: tuple[Note, ...] = ()


class Relation(Strict):
    """How two recommendations that contradict each other in one scenario are reconciled."""

    id: str = RuleId
    when: When = Field(min_length=2, max_length=2)  # decision -> the choices in conflict
    explain: str = Field(min_length=40)
    resolve: dict[str, str] = Field(default_factory=dict)  # decision -> the choice that tells the one story


class ConsistencyFile(Strict):
    """Declared reconciliations of recommendations that can contradict each other (rules/consistency.toml)."""

    relations: tuple[Relation, ...] = ()
