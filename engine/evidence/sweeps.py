"""What each decision's evidence sweeps: the quantity its rule reads, the points, the data set and the metric.

The thresholds are not written here: `thresholds` reads them from the decision's rules file (the edges of
the bins of the input that reads the swept question), and asks the engine's own `recommend` which choice
the rule gives just below and at each edge, so a change to the rules changes what the bank tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..recommend import recommend
from ..tables import Tables, load_tables


@dataclass(frozen=True)
class Sweep:
    """One decision's sweep: train its comparison at each value of `setting`, `seeds` seeds a point."""

    decision: str
    dataset: str
    setting: str  # the data set's setting that is swept (e.g. seq_len)
    question: str  # the interview question it stands for (e.g. typical_length)
    quantity: str  # how the value reads, e.g. "tokens"
    values: tuple[int, ...]
    base_answers: Mapping[str, Any] = field(default_factory=dict)  # the rest of the scenario
    metric: str = "val_accuracy"
    seeds: int = 5
    epochs: int | None = None  # None: the decision's default
    note: str = ""  # what the sweep cannot show, said plainly


SWEEPS: dict[str, Sweep] = {
    s.decision: s
    for s in (
        Sweep("sequence_model", "adding", "seq_len", "typical_length", "tokens", (5, 10, 20, 50, 100),
              note="The adding problem needs memory across the whole sequence, the case gated layers are "
                   "built for; on tasks whose answer sits in the last few tokens a SimpleRNN keeps up longer."),
        Sweep("text_encoding", "stdlib_docs", "labelled", "labelled_examples", "labelled examples",
              (35, 70, 175, 350, 700, 1260), base_answers={"vocab_size": 5000, "encoding_need": "semantic_meaning"},
              note="Real English (Python's own docstrings, 7 topics); the pretrained candidate is frozen GloVe. The "
                   "set has 1,260 training paragraphs, so the sweep stops well below the rule's 10,000: it shows "
                   "whether pretrained vectors win with little data, not where learned ones take over."),
    )
}


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
    advice = recommend({**sweep.base_answers, sweep.question: value}, decision=sweep.decision, tables=tables)
    return advice.recommendations[0].choice
