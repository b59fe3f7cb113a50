"""The shape of the study material under `rules/study/`, as frozen pydantic models.

One model per content kind (concept, pros-and-cons table, gotcha, formula, command, erratum);
each TOML file holds one kind. Cross-file checks (known topics, days, snippet files) live in `content.py`.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Day = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
DAYS: tuple[Day, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
FormulaQuiz = Literal["chain_rule", "gradient_step", "momentum_step", "l2_penalty", "dropout_scale", "embedding_size"]
ErratumKind = Literal["outdated-code", "typo", "wrong-claim", "wrong-formula", "contested", "contradiction"]


class Frozen(BaseModel):
    """Base: unknown fields are errors (they are usually typos) and loaded content cannot change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Tagged(Frozen):
    """Every study item has an id, a topic (declared in topics.toml) and the weekday it was taught."""

    id: str = Field(pattern=ID_PATTERN)
    topic: str = Field(min_length=1)
    day: Day


class Topic(Frozen):
    """A topic of the week; `day` is the weekday whose lessons covered it."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    day: Day


class Concept(Tagged):
    """A row of the concept quick reference, re-explained."""

    term: str = Field(min_length=1)
    in_a_sentence: str = ""  # the term inside a sentence, article included: "an autoencoder"; default `term`
    aliases: tuple[str, ...] = ()
    definition: str = Field(min_length=10)
    use_case: str = Field(min_length=5)

    @property
    def asked(self) -> str:
        """The term as it reads after "What is": "What is an autoencoder?", not "What is Autoencoder?"."""
        return self.in_a_sentence or self.term


class ProsConsRow(Frozen):
    """One option (or aspect) of a comparison table; `values` line up with the table's `columns`."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    values: tuple[str, ...]
    note: str = ""


class ProsConsTable(Tagged):
    """A comparison table such as 'Optimizer comparison'."""

    title: str = Field(min_length=1)
    row_label: str = Field(min_length=1)
    columns: tuple[str, ...] = Field(min_length=2)
    rows: tuple[ProsConsRow, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def rows_match_columns(self) -> ProsConsTable:
        for row in self.rows:
            if len(row.values) != len(self.columns):
                raise ValueError(
                    f'row "{row.id}" has {len(row.values)} values but the table has '
                    f"{len(self.columns)} columns ({', '.join(self.columns)})"
                )
        return self


class Gotcha(Tagged):
    """A common mistake: the wrong habit, the right one and why."""

    title: str = Field(min_length=1)
    wrong: str = Field(min_length=5)
    right: str = Field(min_length=5)
    why: str = Field(min_length=5)
    wrong_code: str = ""
    right_code: str = ""


class Formula(Tagged):
    """A key formula with its symbols; `quiz` names the numeric question generator that drills it."""

    name: str = Field(min_length=1)
    expression: str = Field(min_length=3)
    symbols: dict[str, str] = Field(min_length=1)
    explanation: str = Field(min_length=10)
    quiz: FormulaQuiz | None = None


class Command(Tagged):
    """An 'Essential Commands' entry, rewritten as a runnable file under `snippets/`."""

    title: str = Field(min_length=1)
    snippet: str
    key_api: str = Field(min_length=3)
    summary: str = Field(min_length=10)

    @field_validator("snippet")
    @classmethod
    def snippet_is_a_python_file_name(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9_]+\.py", value):
            raise ValueError("must be a file name like 'gradient_tape.py' (lower case, no folders)")
        return value


class Erratum(Frozen):
    """A place where the source is wrong, outdated, mistyped, contested or contradicts itself."""

    id: str = Field(pattern=ID_PATTERN)
    kind: ErratumKind
    where: str = Field(min_length=3)
    topic: str = Field(min_length=1)
    source_says: str = Field(min_length=3)
    correction: str = Field(min_length=5)
    why: str = Field(min_length=10)
    snippet: str = ""
    test: str = ""
    reference: str = ""

    @model_validator(mode="after")
    def has_a_check(self) -> Erratum:
        if not (self.snippet or self.test or self.reference):
            raise ValueError("needs a way to check it: a `snippet`, a `test` or a `reference`")
        return self


class TopicsFile(Frozen):
    topics: tuple[Topic, ...] = Field(min_length=1)


class ConceptsFile(Frozen):
    concepts: tuple[Concept, ...] = Field(min_length=1)


class ProsConsFile(Frozen):
    tables: tuple[ProsConsTable, ...] = Field(min_length=1)


class GotchasFile(Frozen):
    gotchas: tuple[Gotcha, ...] = Field(min_length=1)


class FormulasFile(Frozen):
    formulas: tuple[Formula, ...] = Field(min_length=1)


class CommandsFile(Frozen):
    commands: tuple[Command, ...] = Field(min_length=1)


class ErrataFile(Frozen):
    errata: tuple[Erratum, ...] = Field(min_length=1)
