"""Static checks of the decision tables, in the spirit of DMN verification.

A table passes when it is
- complete: every combination of its inputs' values is matched by some rule;
- free of unintended overlap: under hit policy 'unique' no two rules match the same answers
  (under 'first' the order resolves overlaps, under 'collect' every match is meant to fire);
- free of dead rules: every rule fires for some answers (under 'first': is the first match somewhere);
- faithful to its source: every row of the cheatsheet's table is carried by a rule that can fire.

The input domains are small and finite (bins and options), so the checks enumerate every combination.
Across tables, `check_consistency` proves that every pair of recommendations that can contradict each
other in one scenario (see engine.consistency) has a declared reconciliation.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .answers import Value
from .consistency import contradiction, relation_for
from .recommend import matches, read_inputs
from .schema import DecisionFile, Question
from .tables import Tables, input_values

MAX_EXAMPLES = 3


def combinations(table: DecisionFile, tables: Tables) -> Iterator[dict[str, str]]:
    """Every assignment of a value to each input the table's rules read.

    Inputs read only by beyond-the-cheatsheet notes cannot change which rule fires, so they are left out.
    """
    read = {i for r in table.rules for i in r.when}
    inputs = [i for i in table.inputs if i.id in read]
    ids = [i.id for i in inputs]
    domains = [input_values(i, tables.questions) for i in inputs]
    for values in itertools.product(*domains):
        yield dict(zip(ids, values, strict=True))


def check_table(table: DecisionFile, tables: Tables) -> list[str]:
    """Problems with one table, each a sentence starting with the file name; empty when it passes."""
    where = f"{table.id}.toml"
    gaps: list[dict[str, str]] = []
    overlaps: dict[tuple[str, ...], list[dict[str, str]]] = {}
    fires: set[str] = set()
    total = 0
    for facts in combinations(table, tables):
        total += 1
        hits = [r.id for r in table.rules if matches(r, facts)]
        if not hits:
            gaps.append(facts)
        elif table.hit_policy == "unique" and len(hits) > 1:
            overlaps.setdefault(tuple(hits), []).append(facts)
        fires.update(hits[:1] if table.hit_policy == "first" else hits)

    problems: list[str] = []
    if gaps:
        problems.append(f"{where}: incomplete: {len(gaps)} of {total} answer combinations match no rule, "
                        f"for example {_examples(gaps)}.")
    for rule_ids, cases in overlaps.items():
        problems.append(f"{where}: overlap: rules {', '.join(rule_ids)} all match {len(cases)} combination(s), "
                        f"for example {_examples(cases)}; the hit policy 'unique' allows one. "
                        "Narrow a condition, or use hit policy 'first' to order them.")
    for rule in table.rules:
        if rule.id not in fires:
            why = ("every answer it matches is caught by an earlier rule" if table.hit_policy == "first"
                   and any(matches(rule, f) for f in combinations(table, tables)) else "no answers satisfy it")
            problems.append(f'{where}: rule "{rule.id}" can never fire: {why}.')
    for row in range(1, table.seed_rows + 1):
        if not any(r.seed_row == row and r.id in fires for r in table.rules):
            problems.append(f"{where}: row {row} of the cheatsheet's table '{table.source}' is not carried "
                            "by any rule that can fire.")
    return problems


def check_all(tables: Tables) -> list[str]:
    """Problems with every table; empty when all pass."""
    return [p for table in tables.decisions.values() for p in check_table(table, tables)]


def _examples(cases: list[dict[str, str]]) -> str:
    shown = ["(" + ", ".join(f"{k}={v}" for k, v in c.items()) + ")" for c in cases[:MAX_EXAMPLES]]
    more = f" and {len(cases) - MAX_EXAMPLES} more" if len(cases) > MAX_EXAMPLES else ""
    return "; ".join(shown) + more


def check_consistency(tables: Tables) -> list[str]:
    """Contradictions between two decisions that some answers can produce and no relation reconciles.

    Each decision's answers are sampled at every bin edge of its questions (and just below it), so every
    value every input can take is reached; two decisions are combined wherever their shared questions agree.
    Pairs are judged reachable per pair of decisions, which may over-report (never under-report) when a
    relation between questions (longest input not below typical length) rules a combination out.
    """
    outcomes = {d: _outcomes(t, tables) for d, t in tables.decisions.items()
                if any(c.implies for c in t.choices.values())}
    problems = []
    for da, db in itertools.combinations(outcomes, 2):
        shared = sorted(_asks(tables.decisions[da]) & _asks(tables.decisions[db]))
        by_key: dict[tuple[Value, ...], set[str]] = {}
        for values, choice in outcomes[db]:
            by_key.setdefault(tuple(values[q] for q in shared), set()).add(choice)
        pairs = {(ca, cb) for values, ca in outcomes[da] for cb in by_key.get(tuple(values[q] for q in shared), ())}
        for ca, cb in sorted(pairs):
            aspect = contradiction(tables, (da, ca), (db, cb))
            if aspect and relation_for(tables, (da, ca), (db, cb)) is None:
                problems.append(f"consistency.toml: {da} can recommend {ca} while {db} recommends {cb} in one "
                                f"scenario (they disagree on {aspect}), and no relation reconciles the two.")
    return problems


def _asks(table: DecisionFile) -> set[str]:
    return {q for i in table.inputs for q in i.questions}


def _outcomes(table: DecisionFile, tables: Tables) -> list[tuple[dict[str, Value], str]]:
    qs = sorted(_asks(table))
    samples = [_samples(tables.questions[q], tables) for q in qs]
    found = []
    for combo in itertools.product(*samples):
        values = dict(zip(qs, combo, strict=True))
        if any(_below_floor(tables.questions[q], values) for q in qs):
            continue
        facts = read_inputs(table, values, tables)
        hits = [r for r in table.rules if matches(r, facts)]
        if hits:  # a gap or an overlap is the table checks' to report; here only reachable choices count
            found.append((values, hits[0].choice))
    return found


def _below_floor(q: Question, values: dict[str, Value]) -> bool:
    mine, floor = values.get(q.id), values.get(q.not_below or "")
    return isinstance(mine, (int, float)) and isinstance(floor, (int, float)) and mine < floor


def _samples(q: Question, tables: Tables) -> tuple[Value, ...]:
    """Answers to `q` that reach every bin any single-question input reads it into."""
    extra: tuple[Value, ...] = (None,) if q.optional else ()
    if q.type == "boolean":
        return (True, False) + extra
    if q.type == "choice":
        return q.domain() + extra
    low, high = float(q.min or 0), float(q.max or 0)
    step = 1.0 if q.type == "integer" else 0.01
    points = {low, high}
    for table in tables.decisions.values():
        for inp in table.inputs:
            if inp.question == q.id:
                for b in inp.bins:
                    for edge in (b.at_least, b.below):
                        points.update(x for x in (edge, edge - step) if low <= x <= high)
    cast = int if q.type == "integer" else float
    return tuple(cast(x) for x in sorted(points)) + extra
