"""Each decision's Lab comparison, one module a decision, registered in one table.

A module `<id>.py` defines `DECISION`, a `LabDecision` (base.py): its candidates and training settings,
the sample data sets it trains on, its model builder (whose source is the model section of every
generated script), its claims and judge, its extra measurements and its evidence sweep. `LAB` lists them
in the order of `engine.decisions.LAB`.

May import: engine.lab.results, data and models (models inside functions: they import Keras).
"""

from __future__ import annotations

from ...decisions import LAB as ORDER
from ...errors import DataError, TrainingError
from ..data.datasets import DATASETS, DatasetInfo
from . import (
    attention_vs_transformer,
    optimizer,
    overfitting,
    sequence_model,
    text_encoding,
    transformer_architecture,
)
from .base import CandidateSpec, DataNeeds, LabDecision, Sweep, TrainConfig

_MODULES = (text_encoding, sequence_model, overfitting, attention_vs_transformer, transformer_architecture, optimizer)
LAB: dict[str, LabDecision] = {d.id: d for d in sorted((m.DECISION for m in _MODULES), key=lambda d: ORDER.index(d.id))}
DECISIONS: tuple[str, ...] = tuple(LAB)

__all__ = ["DECISIONS", "LAB", "CandidateSpec", "DataNeeds", "LabDecision", "Sweep", "TrainConfig", "candidates",
           "check_decision", "dataset_info", "dataset_names", "default_dataset", "lab_decision", "list_datasets",
           "resolve_choice", "sweeps", "train_config"]


def check_decision(decision: str) -> str:
    if decision not in LAB:
        raise TrainingError(f'Unknown decision "{decision}"; choose one of: {", ".join(DECISIONS)}.')
    return decision


def lab_decision(decision: str) -> LabDecision:
    """The Lab comparison of `decision` (TrainingError naming the known ones for any other id)."""
    return LAB[check_decision(decision)]


def candidates(decision: str) -> list[CandidateSpec]:
    """Every candidate trained for `decision`, baseline first where there is one."""
    return list(lab_decision(decision).candidates)


def train_config(decision: str) -> TrainConfig:
    return lab_decision(decision).train


def resolve_choice(decision: str, choice: str | None) -> tuple[str, ...]:
    """The candidate ids that a (possibly aliased) recommended choice stands for; () when none."""
    if choice is None:
        return ()
    found = lab_decision(decision)
    ids = {spec.choice for spec in found.candidates}
    resolved = found.aliases.get(choice, (choice,))
    unknown = [c for c in resolved if c not in ids]
    if unknown:
        accepted = ", ".join(sorted(ids | set(found.aliases)))
        raise TrainingError(f'Recommended choice "{choice}" is not a candidate of {decision}; accepted: {accepted}.')
    return resolved


def sweeps() -> dict[str, Sweep]:
    """Every decision's evidence sweep, for the decisions that have one."""
    return {d.id: d.sweep for d in LAB.values() if d.sweep is not None}


def _known(decision: LabDecision) -> dict[str, DatasetInfo]:
    return {**DATASETS, **{d.name: d for d in decision.own_datasets}}


def list_datasets(decision: str) -> list[DatasetInfo]:
    """The sample data sets a comparison for `decision` can use, its default first."""
    found = lab_decision(decision)
    known = _known(found)
    return [known[name] for name in found.datasets]


def default_dataset(decision: str) -> str:
    return lab_decision(decision).datasets[0]


def dataset_info(decision: str, name: str) -> DatasetInfo:
    found = lab_decision(decision)
    if name not in found.datasets:
        raise DataError(f'Data set "{name}" is not available for {decision}; choose one of: '
                        f'{", ".join(found.datasets)}.')
    return _known(found)[name]


def dataset_names() -> list[str]:
    """Every sample data set any decision trains on."""
    return sorted({name for d in LAB.values() for name in d.datasets})
