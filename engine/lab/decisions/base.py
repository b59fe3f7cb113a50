"""What one decision's Lab comparison is made of: `LabDecision`, its candidates, training settings and sweep.

A decision module (`engine/lab/decisions/<id>.py`) fills in one `LabDecision`; the registry in this package's
`__init__` lists them. Everything here is declarative or a plain function: no TensorFlow at import (model
builders and measurements import Keras inside the function).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..data.datasets import DatasetInfo
from ..data.labdata import Needs as DataNeeds
from ..results.judging import Check, Measured, Situation
from ..results.published import Paper
from ..results.records import CandidateResult, Verdict
from ..results.verdicts import judge


@dataclass(frozen=True)
class CandidateSpec:
    """One model in a comparison."""

    decision: str
    choice: str  # the project-wide choice id, e.g. "lstm"
    label: str  # a short human name, e.g. "LSTM"
    changes: str  # what differs from the other candidates, in one sentence
    options: dict[str, Any] = field(default_factory=dict)  # the builder's and trainer's knobs


@dataclass(frozen=True)
class TrainConfig:
    """What every candidate of a decision shares: optimizer, learning rate, batch size, default epochs."""

    epochs: int
    batch_size: int
    learning_rate: float
    optimizer: str = "adam"


@dataclass(frozen=True)
class Sweep:
    """One decision's evidence sweep: train its comparison at each value of `setting`, `seeds` seeds a point."""

    decision: str
    dataset: str
    setting: str  # the data set's setting that is swept (e.g. seq_len)
    question: str  # the interview question it stands for (e.g. typical_length)
    quantity: str  # how the value reads, e.g. "tokens"
    values: tuple[int, ...]
    base_answers: Mapping[str, Any] = field(default_factory=dict)  # the rest of the scenario
    metric: str = "val_accuracy"
    # Seeds a stored point: 8 since 2026-12-04, when seed-stacked training made them affordable (the whole bank
    # in under 45 minutes on 2 cores; README, Benchmarks); 6 before.
    seeds: int = 8
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
    name: str = ""  # the bank file's name (evidence/<name>.json); the decision's id when empty
    candidates: tuple[str, ...] = ()  # train only these candidates (all when empty)
    effect: float = 0.02  # the smallest difference in the metric the rule's claim cares about (for power)
    # Trained to a decision, not to a demo's budget (TrainRequest's fields of the same names): early stopping
    # after `patience` epochs without a better validation loss (None: `epochs` exactly), each candidate's
    # learning rate picked from its usual rate times these factors, scored on a test split that chose nothing.
    patience: int | None = 5
    learning_rate_factors: tuple[float, ...] = (1 / 3, 1.0, 3.0)
    # The rate is picked on the first `tuning_seeds` seeds (the mean validation accuracy of each rate); the
    # other seeds train at the picked rate only. Picking on every seed tripled a point's cost for a choice
    # that two seeds already make (it is scored on the test split, which the pick never sees).
    tuning_seeds: int = 2
    test_split: bool = True
    chance: float | None = None  # the metric's value for guessing, when it is an accuracy (nothing learned)
    code_files: tuple[str, ...] = ()  # code beyond the bank's shared files that this decision's numbers depend on


Judge = Callable[[dict[str, Measured], str, Situation], Check]
Build = Callable[..., Any]  # build_model(options, data, name) -> keras.Model
# (spec, model, data, history, what initial_extras measured on this seed or None) -> extras
Extras = Callable[[CandidateSpec, Any, Any, list, "dict[str, Any] | None"], dict[str, Any]]


@dataclass(frozen=True)
class LabDecision:
    """Everything the Lab needs to train, measure, judge, sweep and show one decision's comparison."""

    id: str
    candidates: tuple[CandidateSpec, ...]
    train: TrainConfig
    datasets: tuple[str, ...]  # sample sets it trains on, its default first: shared ones or its own
    build: Build  # its source is the model section of every generated script
    claims: Mapping[str, str]  # the cheatsheet's claim for each choice, in the project's words
    judge: Judge  # does one seed's numbers bear out a choice's claim?
    needs: DataNeeds = DataNeeds()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # a rules choice trained as candidates
    score_train_accuracy: bool = False  # re-score the kept weights on the training data, without dropout
    initial_extras: Callable[[Any, Any], dict[str, Any]] | None = None  # (model, data), first seed, before training
    extras: Extras | None = None  # after training; reads the model (TensorFlow, inside the function)
    describe: Callable[[CandidateResult], str] | None = None  # the verdict's detail beside a candidate's accuracy
    verdict_note: Callable[[Sequence[CandidateResult]], str] | None = None  # a sentence the verdict ends with
    measured_answers: Callable[[Sequence[CandidateResult]], dict[str, Any]] | None = None  # measured symptoms
    notes: tuple[str, ...] = ()  # said beside every run of this decision
    sweep: Sweep | None = None
    own_datasets: tuple[DatasetInfo, ...] = ()  # sets only this decision uses, with their loaders in its module
    papers: tuple[Paper, ...] = ()  # published results set beside this decision's own measurements
    measurements: tuple[Sweep, ...] = ()  # one-point measurements the papers read beyond the sweep
    # Candidates compared point by point although no rule threshold on the swept quantity separates them,
    # and why (analysis only: not part of the sweep's declaration, so not of its code hash).
    compared: tuple[tuple[str, str, str], ...] = ()

    def candidate(self, choice: str) -> CandidateSpec:
        return next(c for c in self.candidates if c.choice == choice)

    def verdict(self, results: list[CandidateResult], situation: Situation, stopped: bool) -> Verdict:
        """This decision's claim judged on every seed of a run's results, then counted (results/verdicts.py)."""
        return judge(results, situation, stopped, claims=self.claims, judge_seed=self.judge, describe=self.describe,
                     note=self.verdict_note)


def specs(decision: str, *rows: tuple[str, str, str, dict[str, Any]]) -> tuple[CandidateSpec, ...]:
    """Candidate specs from (choice, label, changes, options) rows."""
    return tuple(CandidateSpec(decision, *row) for row in rows)
