"""Static checks of the decision tables, in the spirit of DMN verification.

A table passes when it is
- complete: every combination of its inputs' values is matched by some rule;
- free of unintended overlap: under hit policy 'unique' no two rules match the same answers
  (under 'first' the order resolves overlaps, under 'collect' every match is meant to fire);
- free of dead rules: every rule fires for some answers (under 'first': is the first match somewhere);
- faithful to its source: every row of the cheatsheet's table is carried by a rule that can fire.

The input domains are small and finite (bins and options), so the checks enumerate every combination.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .recommend import matches
from .schema import DecisionFile
from .tables import Tables, input_values

MAX_EXAMPLES = 3


def combinations(table: DecisionFile, tables: Tables) -> Iterator[dict[str, str]]:
    """Every assignment of a value to each input of the table."""
    ids = [i.id for i in table.inputs]
    domains = [input_values(i, tables.questions) for i in table.inputs]
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
