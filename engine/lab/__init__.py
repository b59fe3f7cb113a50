"""Trade-off experiments: train a decision's recommended model and its alternatives, measure, compare.

    from engine.lab import train_comparison
    result = train_comparison("sequence_model", seed=0)
    result.to_frame(); result.verdict.text

Importing this package does not import TensorFlow; training does, lazily, once its queue turn comes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .data.csv_data import CsvProfile, CsvSource, load_csv, profile_csv
from .data.datasets import DatasetInfo, list_datasets
from .decisions.specs import DECISIONS, CandidateSpec, candidates
from .results.records import (
    CandidateResult,
    ComparisonResult,
    EpochMetrics,
    ProgressEvent,
    Verdict,
    finished_runs,
    load_result,
)
from .running.harness import runs_root, train_comparison
from .scaling.experiment import ScalingResult, ScalingRow, scaling_experiment
from .service.queue import Ticket, TrainingCancelled, TrainingQueue, training_queue
from .service.sharing import Provenance, provenance
from .service.worker import warm_up

__all__ = [
    "DECISIONS", "CandidateResult", "CandidateSpec", "ComparisonResult", "CsvProfile", "CsvSource",
    "DatasetInfo", "EpochMetrics", "ProgressEvent", "Provenance", "ScalingResult", "ScalingRow", "Ticket",
    "TrainingCancelled", "TrainingQueue", "Verdict", "candidates", "finished_runs", "list_datasets", "load_csv",
    "load_model", "load_result", "profile_csv", "provenance", "runs_root", "scaling_experiment", "train_comparison",
    "training_queue", "warm_up",
]


def load_model(path: str | Path) -> Any:
    """Load a `.keras` file written by a comparison, in safe mode (no arbitrary code from the file)."""
    from .running.model_io import load_model as _load

    return _load(path)

