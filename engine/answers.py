"""Read a user's answers: coerce text to typed values, check ranges, fill defaults and say so.

Answers arrive as text (command line, URL) or as Python values (the web form). Every problem is an
AnswerError naming the question and what it accepts; `check_answers` collects them all instead of
stopping at the first, so a form can show each message at its own question.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import AnswerError
from .schema import Question
from .tables import Tables, load_tables

Value = int | float | bool | str | None

TRUE_WORDS = {"yes", "y", "true", "t", "1", "on"}
FALSE_WORDS = {"no", "n", "false", "f", "0", "off"}


@dataclass(frozen=True)
class Assumption:
    """An answer the engine filled in itself, and why."""

    question: str
    value: Value
    note: str
    label: str = ""  # the question's words, for people; `question` is the id, for code


@dataclass(frozen=True)
class Answers:
    """A complete, valid set of answers: every question has a value (None only when optional)."""

    values: Mapping[str, Value]
    given: frozenset[str]
    assumptions: tuple[Assumption, ...] = field(default=())

    def __getitem__(self, question: str) -> Value:
        return self.values[question]


def accepted(q: Question) -> str:
    """What a question accepts, as a phrase: 'a whole number from 1 to 10,000,000 (distinct tokens)'."""
    unit = f" ({q.unit})" if q.unit else ""
    empty = "; or leave it empty" if q.optional else ""
    if q.type == "integer":
        return f"a whole number from {q.min:,.0f} to {q.max:,.0f}{unit}{empty}"
    if q.type == "number":
        return f"a number from {q.min:,g} to {q.max:,g}{unit}{empty}"
    if q.type == "boolean":
        return f"yes or no{empty}"
    return "one of " + ", ".join(o.value for o in q.options) + empty


def display(q: Question, value: Value) -> str:
    """A value as a person reads it: '20,000 distinct tokens', 'yes', 'not given'."""
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if q.type == "choice":
        return next((o.label for o in q.options if o.value == value), str(value))
    number = f"{value:,}" if isinstance(value, int) else f"{value:,g}"
    unit = q.unit_one if value == 1 and q.unit_one else q.unit
    return f"{number} {unit}".strip()


def coerce(q: Question, raw: object) -> Value:
    """One answer as a typed value, or AnswerError naming the question and what it accepts."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    text = raw.strip() if isinstance(raw, str) else raw

    def wrong(why: str = "") -> AnswerError:
        shown = repr(raw) if isinstance(raw, str) else str(raw)
        return AnswerError(q.id, f"{q.id}: expected {accepted(q)}; got {shown}{why}.")

    if q.type == "boolean":
        if isinstance(text, bool):
            return text
        word = str(text).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise wrong()
    if q.type == "choice":
        if isinstance(text, str) and text in q.domain():
            return text
        raise wrong()
    if isinstance(text, bool):
        raise wrong()
    if isinstance(text, str):
        cleaned = text.replace(",", "").replace("_", "")
        try:
            number = float(cleaned) if q.type == "number" or "." in cleaned or "e" in cleaned.lower() else int(cleaned)
        except ValueError:
            raise wrong() from None
    elif isinstance(text, (int, float)):
        number = text
    else:
        raise wrong()
    if isinstance(number, float) and not math.isfinite(number):
        raise wrong()
    if q.type == "integer":
        if isinstance(number, float):
            if not number.is_integer():
                raise wrong(" (not a whole number)")
            number = int(number)
    else:
        number = float(number)
    if not (q.min or 0) <= number <= (q.max or 0):  # numeric questions always declare both (schema)
        raise wrong(" (out of range)")
    return number


def check_answers(raw: Mapping[str, object], tables: Tables | None = None) -> tuple[Answers, dict[str, str]]:
    """Read every answer; bad ones are left out (and defaulted) and reported by question id.

    The empty-string key holds the message for unknown question ids.
    """
    tables = tables or load_tables()
    errors: dict[str, str] = {}
    unknown = sorted(str(k) for k in raw if k not in tables.questions)
    if unknown:
        errors[""] = (f"Unknown question {', '.join(repr(u) for u in unknown)}; "
                      f"known questions: {', '.join(tables.questions)}.")
    values: dict[str, Value] = {}
    for qid, q in tables.questions.items():
        if qid in raw:
            try:
                values[qid] = coerce(q, raw[qid])
            except AnswerError as exc:
                errors[qid] = str(exc)
    _check_relations(tables, values, errors)
    return _complete(tables, values), errors


def read_answers(raw: Mapping[str, object], tables: Tables | None = None) -> Answers:
    """Read every answer strictly: the first problem (in question order) raises AnswerError."""
    answers, errors = check_answers(raw, tables)
    if errors:
        first = next(iter(errors))
        raise AnswerError(first, errors[first])
    return answers


def _check_relations(tables: Tables, values: dict[str, Value], errors: dict[str, str]) -> None:
    for q in tables.questions.values():
        other = q.not_below
        mine, theirs = values.get(q.id), values.get(other) if other else None
        if other and isinstance(mine, (int, float)) and isinstance(theirs, (int, float)) and mine < theirs:
            errors[q.id] = (f"{q.id}: {display(q, mine)} is below {other} "
                            f"({display(tables.questions[other], theirs)}); expected {q.id} to be at least {other}.")
            del values[q.id]
    for table in tables.decisions.values():
        for inp in table.inputs:
            if inp.difference_of:
                a, b = inp.difference_of
                given = [x for x in (a, b) if values.get(x) is not None]
                if len(given) == 1:
                    missing = b if given[0] == a else a
                    errors[missing] = (f"{missing}: needed together with {given[0]} (the {inp.label.lower()} "
                                       f"is read from both); give both, or leave both empty.")
                    values.pop(given[0], None)


def _complete(tables: Tables, values: dict[str, Value]) -> Answers:
    full: dict[str, Value] = {}
    assumptions: list[Assumption] = []
    for qid, q in tables.questions.items():
        value = values.get(qid)
        if value is None and not q.optional:
            value = q.default
            floor = full.get(q.not_below) if q.not_below else None
            if isinstance(floor, (int, float)) and isinstance(value, (int, float)) and value < floor:
                value = floor
                note = f"not answered; assumed {display(q, value)}, the same as {q.not_below}"
            else:
                note = f"not answered; assumed {display(q, value)} (the default)"
            assumptions.append(Assumption(qid, value, note, q.label))
        elif value is None:
            assumptions.append(Assumption(qid, None, f"not answered; read as: {q.when_missing}", q.label))
        full[qid] = value
    given = frozenset(k for k, v in values.items() if v is not None)
    return Answers(values=full, given=given, assumptions=tuple(assumptions))
