"""Load the rules folder: the questions, the decision tables and their consistency relations, cross-checked as one set.

A table is trusted only after it loads: every reference (a rule naming an input, a value or a
choice; an input naming a question) must resolve, and numeric bins must tile the answer's range.
All problems are gathered and raised together as one RulesError, one line each.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import tables_cache
from .decisions import ORDER as DECISION_ORDER
from .errors import RulesError
from .schema import DecisionFile, Input, Question, Relation, Step, from_validated

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
QUESTIONS_FILE = "questions.toml"
CONSISTENCY_FILE = "consistency.toml"
NOT_DECISIONS = (QUESTIONS_FILE, CONSISTENCY_FILE)


@dataclass(frozen=True)
class Tables:
    """Everything the engine knows: questions by id, interview steps, decisions in display order."""

    questions: dict[str, Question]
    steps: tuple[Step, ...]
    decisions: dict[str, DecisionFile]
    source: Path
    relations: tuple[Relation, ...] = ()

    def values(self, decision: str, input_id: str) -> tuple[str, ...]:
        """The symbolic values an input of a decision can take (bins, options, or the missing value)."""
        table = self.decisions[decision]
        return input_values(next(i for i in table.inputs if i.id == input_id), self.questions)

    def users_of(self, question: str) -> tuple[str, ...]:
        """Decisions whose inputs read this question."""
        return tuple(d.id for d in self.decisions.values() if any(question in i.questions for i in d.inputs))

    def questions_in(self, step: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions.values() if q.step == step)


def input_values(inp: Input, questions: dict[str, Question]) -> tuple[str, ...]:
    base = tuple(b.id for b in inp.bins) if inp.bins else questions[inp.questions[0]].domain()
    return base + ((inp.missing_bin,) if inp.missing_bin else ())


def value_labels(inp: Input, questions: dict[str, Question]) -> dict[str, str]:
    """How each value of an input reads to a person: bin labels, option labels, the missing value's meaning."""
    first = questions[inp.questions[0]]
    labels = {b.id: b.label for b in inp.bins} or {o.value: o.label for o in first.options}
    if inp.missing_bin:
        labels[inp.missing_bin] = first.when_missing
    return labels


def load_tables(rules_dir: Path | None = None, cache_dir: Path | None = None) -> Tables:
    """Load and cross-check the rules folder (cached per folder; edit a file, restart to reload).

    The project's own rules folder is also kept validated on disk (engine.tables_cache), so a new
    server process skips validation unless a rule or the checking code changed; another folder
    uses that file cache only when `cache_dir` is given.
    """
    folder = Path(rules_dir or RULES_DIR).resolve()
    if cache_dir is None and folder == RULES_DIR:
        cache_dir = tables_cache.CACHE_DIR
    return _load(folder, cache_dir)


@cache
def _load(rules_dir: Path, cache_dir: Path | None) -> Tables:
    if cache_dir is None:
        return validate_tables(rules_dir)
    return tables_cache.cached(rules_dir, cache_dir, validate_tables)


def validate_tables(rules_dir: Path) -> Tables:
    """Read, validate and cross-check every file of a rules folder; all problems raise as one RulesError."""
    # pydantic is imported only here, when files are validated: a start served from the cache skips it.
    from .rules_schema import ConsistencyFile, QuestionsFile
    from .rules_schema import DecisionFile as DecisionModel

    problems: list[str] = []
    questions_file = _try(problems, QuestionsFile, rules_dir / QUESTIONS_FILE)
    decision_paths = sorted(p for p in rules_dir.glob("*.toml") if p.name not in NOT_DECISIONS)
    consistency_path = rules_dir / CONSISTENCY_FILE
    consistency = _try(problems, ConsistencyFile, consistency_path) if consistency_path.exists() else ConsistencyFile()
    decisions: dict[str, DecisionFile] = {}
    for path in decision_paths:
        validated = _try(problems, DecisionModel, path)
        if validated is None:
            continue
        table: DecisionFile = from_validated(validated)
        if table.id != path.stem:
            problems.append(f'{path.name}: field "id": must match the file name "{path.stem}"; found {table.id!r}')
        decisions[table.id] = table
    if not decision_paths:
        problems.append(f"{rules_dir}: no decision tables (*.toml besides {QUESTIONS_FILE}) found.")
    if problems or questions_file is None or consistency is None:
        raise RulesError(problems)

    steps: tuple[Step, ...] = from_validated(questions_file.steps)
    asked: tuple[Question, ...] = from_validated(questions_file.questions)
    relations: tuple[Relation, ...] = from_validated(consistency.relations)
    questions = {q.id: q for q in asked}
    problems += list(_check_questions(steps, asked))
    for table in decisions.values():
        problems += [f"{table.id}.toml: {p}" for p in _check_table(table, questions)]
    seen: dict[str, str] = {}
    for table in decisions.values():
        for rule in table.rules:
            if rule.id in seen:
                problems.append(f'{table.id}.toml: rule "{rule.id}": id already used in {seen[rule.id]}.toml')
            seen[rule.id] = table.id
    problems += list(_check_relations(relations, decisions))
    if problems:
        raise RulesError(problems)
    ordered = {d: decisions[d] for d in DECISION_ORDER if d in decisions}
    ordered.update({d: t for d, t in decisions.items() if d not in ordered})
    return Tables(questions=questions, steps=steps, decisions=ordered, source=rules_dir, relations=relations)


def _try(problems: list[str], model: type, path: Path):  # type: ignore[no-untyped-def]
    from . import datafile  # imports pydantic: only when validating

    try:
        return datafile.load(model, path)
    except RulesError as exc:
        problems.extend(exc.problems)
        return None


def _check_questions(steps: tuple[Step, ...], asked: tuple[Question, ...]) -> Iterator[str]:
    where = QUESTIONS_FILE
    ids = [q.id for q in asked]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        yield f'{where}: question "{dup}": id is used more than once'
    step_ids = {s.id for s in steps}
    by_id = {q.id: q for q in asked}
    for q in asked:
        if q.step not in step_ids:
            yield f'{where}: question "{q.id}", field "step": expected one of {sorted(step_ids)}; found {q.step!r}'
        if q.not_below is not None:
            other = by_id.get(q.not_below)
            if other is None or other.type not in ("integer", "number"):
                yield (f'{where}: question "{q.id}", field "not_below": expected the id of a numeric question; '
                       f"found {q.not_below!r}")


def _check_table(table: DecisionFile, questions: dict[str, Question]) -> Iterator[str]:
    inputs: dict[str, Input] = {}
    for inp in table.inputs:
        where = f'input "{inp.id}"'
        if inp.id in inputs:
            yield f"{where}: id is used more than once"
        inputs[inp.id] = inp
        missing = [q for q in inp.questions if q not in questions]
        if missing:
            yield f'{where}: refers to unknown question {missing[0]!r}; known questions: {sorted(questions)}'
            continue
        qs = [questions[q] for q in inp.questions]
        numeric = all(q.type in ("integer", "number") for q in qs)
        if (inp.difference_of or inp.ratio_of) and not numeric:
            yield f"{where}: 'difference_of' and 'ratio_of' need two numeric questions"
        if inp.ratio_of and (qs[1].min or 0) <= 0:
            yield f"{where}: 'ratio_of' divides by {qs[1].id!r}, whose answers must all be above 0 (its min)"
        if numeric and not inp.bins:
            yield f"{where}: reads the numeric question {qs[0].id!r}, so it needs 'bins'"
        if not numeric and inp.bins:
            yield f"{where}: only numeric answers are binned; {qs[0].id!r} is a {qs[0].type} question"
        if any(q.optional for q in qs) != bool(inp.missing_bin):
            yield (f"{where}: 'missing_bin' names the value of an unanswered optional question; "
                   "give it exactly when a question it reads is optional")
        if numeric and inp.bins:
            yield from _check_bins(inp, qs)
    for rule in table.rules:
        where = f'rule "{rule.id}"'
        if rule.choice not in table.choices:
            yield f'{where}, field "choice": expected one of {sorted(table.choices)}; found {rule.choice!r}'
        for alt in rule.alternatives:
            if alt not in table.choices or alt == rule.choice:
                yield (f'{where}, field "alternatives": expected other choices of this decision '
                       f"{sorted(set(table.choices) - {rule.choice})}; found {alt!r}")
        if rule.seed_row is not None and rule.seed_row > table.seed_rows:
            yield f'{where}, field "seed_row": the seed table has {table.seed_rows} rows; found {rule.seed_row}'
        yield from _check_when(where, rule.when, inputs, questions)
    for note in table.beyond:
        where = f'beyond-the-cheatsheet note "{note.id}"'
        for choice in note.choices:
            if choice not in table.choices:
                yield (f'{where}, field "choices": expected choices of this decision {sorted(table.choices)}; '
                       f"found {choice!r}")
        yield from _check_when(where, note.when, inputs, questions)


def _check_when(where: str, when: dict[str, tuple[str, ...]], inputs: dict[str, Input],
                questions: dict[str, Question]) -> Iterator[str]:
    for input_id, allowed in when.items():
        if input_id not in inputs:
            yield f'{where}, field "when": expected inputs {sorted(inputs)}; found {input_id!r}'
            continue
        if not all(q in questions for q in inputs[input_id].questions):
            continue
        domain = input_values(inputs[input_id], questions)
        for value in allowed:
            if value not in domain:
                yield f'{where}, field "when.{input_id}": expected values {list(domain)}; found {value!r}'


def _check_relations(relations: tuple[Relation, ...], decisions: dict[str, DecisionFile]) -> Iterator[str]:
    seen: set[str] = set()
    for rel in relations:
        where = f'{CONSISTENCY_FILE}: relation "{rel.id}"'
        if rel.id in seen:
            yield f"{where}: id is used more than once"
        seen.add(rel.id)
        for decision, choices in (rel.when | {d: (c,) for d, c in rel.resolve.items()}).items():
            if decision not in decisions:
                yield f'{where}: expected a decision, one of {sorted(decisions)}; found {decision!r}'
                continue
            for choice in choices:
                if choice not in decisions[decision].choices:
                    yield (f'{where}: expected a choice of {decision}, one of {sorted(decisions[decision].choices)}; '
                           f"found {choice!r}")
        for decision in rel.resolve:
            if decision not in rel.when:
                yield f'{where}, field "resolve": names {decision!r}, which is not one of the two decisions in "when"'


def _check_bins(inp: Input, qs: list[Question]) -> Iterator[str]:
    low, high = _range(qs, ratio=inp.ratio_of is not None)
    bins = inp.bins
    where = f'input "{inp.id}"'
    ids = [b.id for b in bins]
    if len(set(ids)) != len(ids):
        yield f"{where}: bin ids repeat: {ids}"
    if bins[0].at_least > low:
        yield f"{where}: answers from {_fmt(low)} to {_fmt(bins[0].at_least)} fall in no bin"
    for before, after in zip(bins, bins[1:], strict=False):
        if after.at_least != before.below:
            kind = "fall in no bin" if after.at_least > before.below else "fall in two bins"
            yield (f'{where}: bins "{before.id}" (below {_fmt(before.below)}) and "{after.id}" '
                   f"(from {_fmt(after.at_least)}) do not meet: answers between them {kind}")
    if bins[-1].below <= high:
        yield f"{where}: answers from {_fmt(bins[-1].below)} to {_fmt(high)} fall in no bin"


def _range(qs: list[Question], ratio: bool = False) -> tuple[float, float]:
    if len(qs) == 1:
        return float(qs[0].min or 0), float(qs[0].max or 0)
    a, b = qs
    if ratio:  # b.min > 0 is checked before the bins are
        return float((a.min or 0) / (b.max or 1)), float((a.max or 0) / (b.min or 1))
    return float((a.min or 0) - (b.max or 0)), float((a.max or 0) - (b.min or 0))


def _fmt(x: float) -> str:
    return "infinity" if math.isinf(x) else f"{x:g}"
