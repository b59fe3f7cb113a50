"""One scenario, one story: find recommendations of one scenario that contradict each other.

Each decision table answers its own question from its own inputs, so two tables can disagree: with a
20 ms budget the attention table says "GRU or small RNN" while the sequence-model table, which does not
read latency, says LSTM. A choice declares what it commits a project to (`implies`, per aspect such as
`model_family` or `recurrent_layer`); two recommendations whose sets for a shared aspect do not meet
contradict each other. `rules/consistency.toml` declares how each such pair is reconciled; the static
check in `engine.checks` proves every contradiction that can occur has a declared reconciliation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .results import Conflict, Recommendation
from .schema import Relation
from .tables import Tables


def contradiction(tables: Tables, a: tuple[str, str], b: tuple[str, str]) -> str | None:
    """The aspect on which choice a (decision, choice) and choice b contradict each other, or None."""
    ia = tables.decisions[a[0]].choices[a[1]].implies
    ib = tables.decisions[b[0]].choices[b[1]].implies
    for aspect in ia:
        if aspect in ib and not set(ia[aspect]) & set(ib[aspect]):
            return aspect
    return None


def relation_for(tables: Tables, a: tuple[str, str], b: tuple[str, str]) -> Relation | None:
    """The declared reconciliation of choices a and b (each a (decision, choice) pair), if any."""
    for rel in tables.relations:
        if a[0] in rel.when and b[0] in rel.when and a[1] in rel.when[a[0]] and b[1] in rel.when[b[0]]:
            return rel
    return None


def find_conflicts(recs: Sequence[Recommendation], tables: Tables) -> tuple[Conflict, ...]:
    """Every pair of recommendations that contradict each other, with its declared reconciliation."""
    found = []
    for ra, rb in itertools.combinations(recs, 2):
        a, b = (ra.decision, ra.choice), (rb.decision, rb.choice)
        aspect = contradiction(tables, a, b)
        if aspect is None:
            continue
        rel = relation_for(tables, a, b)
        resolve = dict(rel.resolve) if rel else {}
        found.append(Conflict(
            decisions=(ra.decision, rb.decision),
            titles=(ra.title, rb.title),
            choices=(ra.choice, rb.choice),
            labels=(ra.choice_label, rb.choice_label),
            aspect=aspect,
            relation=rel.id if rel else "",
            explain=rel.explain if rel else (
                "No reconciliation is declared for this pair in rules/consistency.toml; weigh the two reasons "
                "below against each other."),
            resolve=resolve,
            resolve_labels={d: tables.decisions[d].choices[c].label for d, c in resolve.items()},
        ))
    return tuple(found)
