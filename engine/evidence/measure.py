"""Train one swept point of a decision's comparison for every seed (in the training worker) and read off its metrics;
measure cost against length for the decisions that store it (through engine.lab.scaling, in the same worker)."""

from __future__ import annotations

from typing import Any

from ..errors import TrainingError
from ..lab.request import TrainRequest
from ..lab.train import train_comparison
from .sweeps import Sweep


def measure_point(sweep: Sweep, value: int, seeds: int) -> dict[str, dict[str, list[float]]]:
    """metric -> choice -> its value for seeds 0..seeds-1, at `sweep.setting` = value, for the sweep's
    metric and each of its extra metrics."""
    # The sequence length has its own argument (a `seq_len` inside settings would be overridden by it).
    settings = dict(sweep.settings)
    if sweep.setting != "seq_len":
        settings[sweep.setting] = value
    length = {"seq_len": value} if sweep.setting == "seq_len" else {}
    request = TrainRequest.make(sweep.decision, dataset=sweep.dataset, epochs=sweep.epochs, seed=0, seeds=seeds,
                                settings=settings or None, **length)
    result = train_comparison(request, reuse=False)
    out: dict[str, dict[str, list[float]]] = {}
    for metric in (sweep.metric, *sweep.extra_metrics):
        out[metric] = {}
        for candidate in result.candidates:
            values = [getattr(run, metric) for run in candidate.runs]
            if any(v is None for v in values):
                raise TrainingError(f"{sweep.decision} at {value} {sweep.quantity}: {candidate.choice} has no "
                                    f"{metric} for every seed; the bank stores only complete points.")
            out[metric][candidate.choice] = [float(v) for v in values]
    return out


def measure_scaling() -> dict[str, Any]:
    """Time and memory per batch, LSTM against self-attention, 128 to 4,096 tokens (the Lab's own experiment)."""
    from ..lab.train import scaling_experiment

    return scaling_experiment().to_dict()
