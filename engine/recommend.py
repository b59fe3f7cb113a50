"""Turn answers into recommendations: read each input, match rules by the table's hit policy, explain.

Hit policies (as in DMN decision tables):
- unique:  at most one rule can match any answers; the static checks prove it.
- first:   rules are tried top to bottom and the first match wins; overlaps are intended.
- collect: every matching rule fires, ranked in file order; the first is the primary pick.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .answers import Answers, Value, display, read_answers
from .consistency import find_conflicts
from .errors import AnswerError, RulesError
from .results import Advice, Alternative, BeyondNote, ConditionCheck, Override, Recommendation, Remedy, RuleCheck
from .schema import DecisionFile, Input, Rule
from .tables import Tables, input_values, load_tables, value_labels


def recommend(
    answers: Mapping[str, object] | Answers,
    decision: str | Sequence[str] | None = None,
    tables: Tables | None = None,
) -> Advice:
    """Recommend a choice for every decision (or only the ones named) from one set of answers.

    Raises AnswerError for an unknown question, a wrong type or an out-of-range value.
    """
    tables = tables or load_tables()
    read = answers if isinstance(answers, Answers) else read_answers(answers, tables)
    wanted = _wanted(decision, tables)
    recs = tuple(recommend_one(tables.decisions[d], read, tables) for d in wanted)
    shown = {q.id: (q.label, display(q, read.values[q.id])) for q in tables.questions.values()}
    return Advice(answers=read.values, given=tuple(q for q in tables.questions if q in read.given),
                  recommendations=recs, conflicts=find_conflicts(recs, tables), shown=shown)


def _wanted(decision: str | Sequence[str] | None, tables: Tables) -> tuple[str, ...]:
    if decision is None:
        return tuple(tables.decisions)
    names = (decision,) if isinstance(decision, str) else tuple(decision)
    for name in names:
        if name not in tables.decisions:
            raise AnswerError("decision", f"Unknown decision {name!r}; expected one of {', '.join(tables.decisions)}.")
    return names


def read_inputs(table: DecisionFile, values: Mapping[str, Value], tables: Tables) -> dict[str, str]:
    """The symbolic value of every input of a table, e.g. {'vocabulary': 'large', 'need': 'simplicity'}."""
    return {inp.id: read_input(inp, values, tables) for inp in table.inputs}


def read_input(inp: Input, values: Mapping[str, Value], tables: Tables) -> str:
    raw = [values.get(q) for q in inp.questions]
    if any(v is None for v in raw):
        return inp.missing_bin
    if inp.difference_of:
        number = float(raw[0]) - float(raw[1])  # type: ignore[arg-type]
    elif inp.ratio_of:
        number = float(raw[0]) / float(raw[1])  # type: ignore[arg-type]  # the divisor's min is above 0
    elif inp.bins:
        number = float(raw[0])  # type: ignore[arg-type]
    else:
        value = raw[0]
        return ("yes" if value else "no") if isinstance(value, bool) else str(value)
    for b in inp.bins:
        if b.holds(number):
            return b.id
    raise RulesError(f"{inp.id}: the answer {number:g} falls in no bin (the rules file's bins leave a gap).")


def matches(rule: Rule, facts: Mapping[str, str]) -> bool:
    return all(facts[i] in allowed for i, allowed in rule.when.items())


def matching_rules(table: DecisionFile, facts: Mapping[str, str]) -> list[Rule]:
    """The rules that fire for these facts, already resolved by the hit policy (primary first)."""
    hits = [r for r in table.rules if matches(r, facts)]
    if table.hit_policy == "first":
        return hits[:1]
    if table.hit_policy == "unique" and len(hits) > 1:
        raise RulesError(f"{table.id}: rules {', '.join(r.id for r in hits)} all match {dict(facts)}, "
                         "but the hit policy 'unique' allows one; run `python -m engine check`.")
    return hits


def recommend_one(table: DecisionFile, answers: Answers, tables: Tables) -> Recommendation:
    facts = read_inputs(table, answers.values, tables)
    hits = matching_rules(table, facts)
    if not hits:
        raise RulesError(f"{table.id}: no rule matches {facts}; the table is incomplete "
                         "(run `python -m engine check`).")
    rule = hits[0]
    inputs = {i.id: i for i in table.inputs}
    asked = {q for i in table.inputs for q in i.questions}
    also = []
    for extra in hits[1:]:
        if extra.choice != rule.choice and all(r.choice != extra.choice for r in also):
            also.append(Remedy(extra.choice, table.choices[extra.choice].label, extra.id, extra.because))
    picked = {rule.choice} | {r.choice for r in also}
    return Recommendation(
        decision=table.id,
        title=table.title,
        choice=rule.choice,
        choice_label=table.choices[rule.choice].label,
        rule_id=rule.id,
        because=rule.because,
        basis=(f"row {rule.seed_row} of the cheatsheet's table '{table.source}'" if rule.seed_row
               else f"our extension of the cheatsheet's table '{table.source}'"),
        hit_policy=table.hit_policy,
        trace=tuple(_check(inputs[i], allowed, facts, answers, tables) for i, allowed in rule.when.items()),
        alternatives=tuple(
            Alternative(c, ch.label, rule.alternatives.get(c, ch.prefer_when))
            for c, ch in table.choices.items() if c not in picked
        ),
        also=tuple(also),
        assumptions=tuple(a for a in answers.assumptions if a.question in asked),
        rules_checked=tuple(
            RuleCheck(r.id, r.choice, matches(r, facts), tuple(i for i, ok in r.when.items() if facts[i] not in ok))
            for r in table.rules
        ),
        beyond_the_cheatsheet=tuple(
            BeyondNote(n.id, n.text, n.source, n.applies_when) for n in table.beyond
            if matches(n, facts) and (not n.choices or rule.choice in n.choices)  # type: ignore[arg-type]
        ),
        overridden=overrides(table, facts, answers, tables),
    )


def overrides(table: DecisionFile, facts: Mapping[str, str], answers: Answers, tables: Tables) -> tuple[Override, ...]:
    """Stated goals that a harder constraint beat: under hit policy 'first', a rule that ignores the goal won
    while a later rule that reads it also matched. Says which answers would let the goal win."""
    if table.hit_policy != "first":
        return ()
    hits = [r for r in table.rules if matches(r, facts)]
    winner = hits[0]
    inputs = {i.id: i for i in table.inputs}
    found = []
    for goal in (i for i in table.inputs if i.goal and i.id not in winner.when):
        q = tables.questions[goal.questions[0]]
        if q.id not in answers.given or answers.values[q.id] == q.default:
            continue  # no goal was stated, so none was lost
        lost = next((r for r in hits[1:] if goal.id in r.when and r.choice != winner.choice), None)
        if lost is None:
            continue
        labels = {i: value_labels(inputs[i], tables.questions) for i in winner.when}
        changes = []
        for i, allowed in winner.when.items():
            for other in input_values(inputs[i], tables.questions):
                if other in allowed:
                    continue
                moved = {**facts, i: other}
                now = next(r for r in table.rules if matches(r, moved))
                if goal.id in now.when and now.choice != winner.choice:
                    changes.append(f"{inputs[i].label}: {labels[i].get(other, other)}")
        blocker = next((r for r in hits[1:] if goal.id not in r.when and r.choice != lost.choice), None)
        found.append(Override(
            goal=f"{goal.label}: {value_labels(goal, tables.questions).get(facts[goal.id], facts[goal.id])}",
            constraint=" and ".join(f"{inputs[i].label}: {' or '.join(labels[i].get(v, v) for v in ok)}"
                                    for i, ok in winner.when.items()),
            rule_id=winner.id,
            goal_choice=lost.choice,
            goal_choice_label=table.choices[lost.choice].label,
            would_change=tuple(changes),
            also_blocked_by="" if changes or blocker is None else " and ".join(
                f"{inputs[i].label}: {' or '.join(value_labels(inputs[i], tables.questions).get(v, v) for v in ok)}"
                for i, ok in blocker.when.items()),
        ))
    return tuple(found)


def _check(inp: Input, allowed: tuple[str, ...], facts: Mapping[str, str], answers: Answers,
           tables: Tables) -> ConditionCheck:
    value = facts[inp.id]
    qs = [tables.questions[q] for q in inp.questions]
    shown = " minus ".join(display(q, answers.values[q.id]) for q in qs)
    if inp.difference_of and None not in (answers.values[q.id] for q in qs):
        gap = float(answers.values[qs[0].id]) - float(answers.values[qs[1].id])  # type: ignore[arg-type]
        shown += f" = {gap:g}"
    labels = value_labels(inp, tables.questions)
    return ConditionCheck(
        input=inp.id,
        label=inp.label,
        answer=shown,
        read_as=value,
        read_as_label=labels.get(value, value),
        expected=allowed,
        expected_labels=tuple(labels.get(v, v) for v in allowed),
        met=value in allowed,
        assumed=any(q.id not in answers.given for q in qs),
    )
