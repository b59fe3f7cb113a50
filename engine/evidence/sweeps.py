"""What each decision's evidence sweeps (declared in its Lab module), and the rule thresholds the sweep tests.

The thresholds are not written here: `thresholds` reads them from the decision's rules file (the edges of
the bins of the input that reads the swept question), and asks the engine's own `recommend` which choice
the rule gives just below and at each edge, so a change to the rules changes what the bank tests.
Some rules read a measured quantity instead of the swept one (overfitting reads the train-validation gap):
`levels` reads those thresholds the same way, and the sweep records that quantity beside its metric.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..lab.decisions import LAB, Sweep, sweeps
from ..recommend import recommend
from ..tables import Tables, load_tables

SWEEPS: dict[str, Sweep] = sweeps()  # each decision declares its own (engine/lab/decisions/<id>.py)
# One-point measurements the published results read (LabDecision.measurements), by their bank names.
MEASUREMENTS: dict[str, Sweep] = {m.name: m for d in LAB.values() for m in d.measurements}
BANKED: dict[str, Sweep] = {**SWEEPS, **MEASUREMENTS}  # everything evidence/ stores, by file name
COMPARED: dict[str, tuple[tuple[str, str, str], ...]] = {d.id: d.compared for d in LAB.values() if d.compared}


@dataclass(frozen=True)
class Threshold:
    value: float
    below: str  # the rule's choice just below the threshold
    above: str  # its choice at the threshold


def thresholds(sweep: Sweep, tables: Tables | None = None) -> list[Threshold]:
    """Every bin edge of the swept question at which the decision's recommended choice changes."""
    tables = tables or load_tables()
    table = tables.decisions[sweep.decision]
    edges = sorted({edge for inp in table.inputs if sweep.question in inp.questions
                    for b in inp.bins for edge in (b.at_least, b.below) if abs(edge) != float("inf")})
    found = []
    for edge in edges:
        before, at = (_choice(sweep, value, tables) for value in (edge - 1, edge))
        if before != at:
            found.append(Threshold(edge, before, at))
    return found


def _choice(sweep: Sweep, value: float, tables: Tables) -> str:
    return _first({**sweep.base_answers, sweep.question: value}, sweep.decision, tables)


def _first(answers: Mapping[str, Any], decision: str, tables: Tables) -> str:
    return recommend(dict(answers), decision=decision, tables=tables).recommendations[0].choice


def levels(sweep: Sweep, tables: Tables | None = None) -> list[Threshold]:
    """Every bin edge of the measured input `sweep.level_input` at which the recommended choice changes.

    The input is a difference of two answers (the gap reads train minus validation accuracy), so each
    side is asked with the second answer at 50 and the first at 50 + the value just below and at the edge.
    """
    if sweep.level_input is None:
        return []
    tables = tables or load_tables()
    (inp,) = [i for i in tables.decisions[sweep.decision].inputs if i.id == sweep.level_input]
    edges = sorted({edge for b in inp.bins for edge in (b.at_least, b.below) if abs(edge) != float("inf")})
    first, second = inp.difference_of or (inp.question, None)

    def asked(value: float) -> str:
        answers = {first: 50 + value, second: 50} if second else {first: value}
        return _first({**sweep.base_answers, **answers}, sweep.decision, tables)

    return [Threshold(edge, asked(edge - 1), asked(edge)) for edge in edges if asked(edge - 1) != asked(edge)]
