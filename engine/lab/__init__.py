"""Trade-off experiments: train a decision's recommended model and its alternatives, measure, compare.

    from engine.lab import TrainRequest, train_comparison
    result = train_comparison(TrainRequest.make("sequence_model", seeds=3))
    result.to_frame(); result.verdict.text

Importing this package does not import TensorFlow; training does, lazily, once its queue turn comes.

The packages, lowest first; each may import only those listed before it (tests/test_layering.py):

- `results`: what a run returns (records, summaries over seeds, verdicts and what judges share). Pure.
- `data`: the sample data sets, CSV uploads, text preparation and word vectors.
- `models`: Keras building blocks the decisions share (custom layers, the Transformer block, optimizers,
  training batches, probes of a trained model). Imports Keras: import inside functions from above.
- `decisions`: one module per decision: candidates, builder, data needs, judge, claims, sweep.
- `request.py`: `TrainRequest`, one comparison asked for, validated.
- `codegen`: the standalone script of a candidate, made from the functions the run called.
- `running`: one comparison in this process: data per seed, training, measuring, the star and the verdict.
- `scaling`: time and memory against sequence length, LSTM against self-attention.
- `service`: the training worker process, its queue and watchdog, and sharing identical runs.
- `train.py`, `cli.py` and this module: the front door.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .data.csv_data import CsvProfile, CsvSource, load_csv, profile_csv
from .data.datasets import DatasetInfo
from .decisions import DECISIONS, CandidateSpec, candidates, list_datasets
from .request import TrainRequest
from .results.records import (
    CandidateResult,
    ComparisonResult,
    EpochMetrics,
    ProgressEvent,
    Verdict,
    finished_runs,
    load_result,
)
from .running.comparison import runs_root
from .scaling.experiment import ScalingResult, ScalingRow
from .service.queue import Ticket, TrainingCancelled, TrainingQueue, training_queue
from .service.sharing import Provenance, provenance
from .service.worker import warm_up
from .train import scaling_experiment, train_comparison

__all__ = [
    "DECISIONS", "CandidateResult", "CandidateSpec", "ComparisonResult", "CsvProfile", "CsvSource",
    "DatasetInfo", "EpochMetrics", "ProgressEvent", "Provenance", "ScalingResult", "ScalingRow", "Ticket",
    "TrainRequest", "TrainingCancelled", "TrainingQueue", "Verdict", "candidates", "finished_runs", "list_datasets",
    "load_csv", "load_model", "load_result", "profile_csv", "provenance", "runs_root", "scaling_experiment",
    "train_comparison", "training_queue", "warm_up",
]


def load_model(path: str | Path) -> Any:
    """Load a `.keras` file written by a comparison, in safe mode (no arbitrary code from the file)."""
    from .running.model_io import load_model as _load

    return _load(path)

