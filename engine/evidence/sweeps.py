"""What each decision's evidence sweeps: the quantity its rule reads, the points, the data set and the metric.

The thresholds are not written here: `thresholds` reads them from the decision's rules file (the edges of
the bins of the input that reads the swept question), and asks the engine's own `recommend` which choice
the rule gives just below and at each edge, so a change to the rules changes what the bank tests.
Some rules read a measured quantity instead of the swept one (overfitting reads the train-validation gap):
`levels` reads those thresholds the same way, and the sweep records that quantity beside its metric.
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
    settings: Mapping[str, Any] = field(default_factory=dict)  # the data set's other settings, fixed
    extra_metrics: tuple[str, ...] = ()  # recorded beside `metric` at every point
    # A rule input read off a measured quantity (e.g. "gap"), the run metric that measures it, the factor
    # from the run's unit to the rule's (fractions to percentage points), whose runs it is read on, and the
    # candidate the rule's remedy is measured against.
    level_input: str | None = None
    level_metric: str = ""
    level_scale: float = 1.0
    level_candidate: str = ""
    baseline: str = ""
    scaling: bool = False  # also store the latency/memory measurement against length (engine.lab.scaling)
    code_files: tuple[str, ...] = ()  # code beyond bank.CODE_FILES that this decision's numbers depend on


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
        Sweep("overfitting", "digits", "train", "labelled_examples", "training examples",
              (50, 100, 200, 400, 800), settings={"more": 1197}, metric="test_accuracy",
              extra_metrics=("gap", "train_accuracy", "val_accuracy"),
              base_answers={"more_data_available": "no", "val_loss_rising": "no", "large_weights": "no"},
              level_input="gap", level_metric="gap", level_scale=100.0, level_candidate="no_remedy",
              baseline="no_remedy",
              note="Handwritten digits with a fifth of the training labels wrong, an over-sized network (two "
                   "layers of 256), 15 epochs. Training accuracy is measured on those wrong labels too, so a model "
                   "that does not memorise them scores below its validation accuracy (clean labels) and the gap "
                   "turns negative: that is the model not overfitting, not an error. Each remedy is scored on a "
                   "test half of the validation digits that chose nothing (early stopping picks its epoch on the "
                   "other half). 'More data' trains on all 1,197 training digits at every point, so it is the same "
                   "reference line throughout."),
        Sweep("attention_vs_transformer", "marker_count", "seq_len", "max_length", "tokens", (16, 64, 128),
              base_answers={"gpu_memory_gb": 4, "architecture_need": "best_performance"}, scaling=True,
              code_files=("engine/lab/scaling/experiment.py", "engine/lab/scaling/fit.py",
                          "engine/lab/scaling/memory.py"),
              note="Accuracy is trained on the marker-count task (600 training sequences, 6 epochs) at 16, 64 "
                   "and 128 tokens only: 4 models x 5 seeds a point on 2 cores, and a recurrent model's time per "
                   "step grows with the length, so a point at 512 would take minutes (each point's cost is stored "
                   "beside it). The rule's 512-token edge is about memory, not accuracy, so accuracy cannot locate "
                   "it: it is checked on cost instead, measured on one small layer of each kind up to 4,096 tokens "
                   "and carried to a BERT-base sized model as an estimate."),
    )
}


# Candidates compared point by point although no rule threshold on the swept quantity separates them, and
# why (analysis only: not part of a sweep's declaration, so not of its code hash).
COMPARED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "attention_vs_transformer": (("transformer", "rnn_with_attention",
                                  "the decision's own question; with 8 GB or more of GPU memory the rule says "
                                  "Transformer at every length"),),
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
