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

import importlib
from pathlib import Path
from typing import Any

# The public names and the module each comes from. Nothing is imported until a name is first used (PEP 562),
# so a caller that needs one piece (the training worker's start, a page reading one module) pays for that
# piece only, not for the whole Lab.
_PUBLIC = {
    ".data.csv_data": ("CsvProfile", "CsvSource", "load_csv", "profile_csv"),
    ".data.datasets": ("DatasetInfo",),
    ".decisions": ("DECISIONS", "CandidateSpec", "candidates", "list_datasets"),
    ".request": ("TrainRequest",),
    ".results.records": ("CandidateResult", "ComparisonResult", "EpochMetrics", "ProgressEvent", "Verdict",
                         "finished_runs", "load_result"),
    ".running.comparison": ("runs_root",),
    ".scaling.experiment": ("ScalingResult", "ScalingRow"),
    ".service.queue": ("Ticket", "TrainingCancelled", "TrainingQueue", "training_queue"),
    ".service.sharing": ("Provenance", "provenance"),
    ".service.backend": ("warm_up",),
    ".train": ("scaling_experiment", "train_comparison"),
}
_HOME = {name: module for module, names in _PUBLIC.items() for name in names}
__all__ = sorted([*_HOME, "load_model"])


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name], __name__), name)
    globals()[name] = value  # later uses skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


def load_model(path: str | Path) -> Any:
    """Load a `.keras` file written by a comparison, in safe mode (no arbitrary code from the file)."""
    from .running.model_io import load_model as _load

    return _load(path)

