"""Train one swept point of a decision's comparison for every seed (in the training worker) and read off its metrics;
measure cost against length for the decisions that store it (through engine.lab.scaling, in the same worker).

`measure_point` trains a point's candidates one after another in one request (the one-by-one build);
fanout.py trains them as separate requests, several at a time, and merges them into what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import TrainingError
from ..lab.request import TrainRequest
from ..lab.results.records import ComparisonResult, ProgressEvent, SeedRun
from ..lab.service.backend import Backend
from ..lab.train import train_comparison
from .sweeps import Sweep

Measured = dict[str, dict[str, list[float]]]  # metric -> choice -> its value for seeds 0..seeds-1


def point_request(sweep: Sweep, value: int, seeds: int, only: tuple[str, ...] | None = None,
                  chosen: dict[str, float] | None = None) -> TrainRequest:
    """The comparison trained at `sweep.setting` = value (only the candidates `only`, when given), trained to a
    decision as the sweep says (early stopping, a learning-rate grid or the `chosen` factors, a test split)."""
    # The sequence length has its own argument (a `seq_len` inside settings would be overridden by it).
    settings = dict(sweep.settings)
    if sweep.setting != "seq_len":
        settings[sweep.setting] = value
    length = {"seq_len": value} if sweep.setting == "seq_len" else {}
    only = only or (sweep.candidates or None)
    return TrainRequest.make(sweep.decision, dataset=sweep.dataset, epochs=sweep.epochs, seed=0, seeds=seeds,
                             settings=settings or None, candidates=only, patience=sweep.patience,
                             learning_rate_factors=() if chosen else sweep.learning_rate_factors,
                             chosen_factors=chosen, test_split=sweep.test_split,
                             tuning_seeds=None if chosen else sweep.tuning_seeds, judge_speed=False,
                             **length)


def read(run: SeedRun, metric: str, result: ComparisonResult) -> float | None:
    """One seed's value of `metric`: a field of its run, a value in its extras, `name@k` (the run's `name` at
    epoch k), or `answer:name` (the data's profile as the interview's answers, the same for every seed)."""
    if metric.startswith("answer:"):
        recommendation = result.recommendation
        return recommendation.answers.get(metric[7:]) if recommendation is not None else None
    if "@" in metric:
        name, epoch = metric.split("@")
        return getattr(run.history[int(epoch) - 1], name) if len(run.history) >= int(epoch) else None
    value = getattr(run, metric, None)
    return run.extras.get(metric) if value is None else value


def metrics(sweep: Sweep, value: int, result: ComparisonResult) -> Measured:
    """The sweep's metric and extra metrics of every candidate in `result`, every seed; TrainingError if any
    is missing (the bank stores only complete points)."""
    out: Measured = {}
    for metric in (sweep.metric, *sweep.extra_metrics):
        out[metric] = {}
        for candidate in result.candidates:
            values = [read(run, metric, result) for run in candidate.runs]
            if any(v is None for v in values) or len(values) != len(result.seeds):
                raise TrainingError(f"{sweep.decision} at {value} {sweep.quantity}: {candidate.choice} has no "
                                    f"{metric} for every seed; the bank stores only complete points.")
            out[metric][candidate.choice] = [float(v) for v in values]
    return out


def measure_point(sweep: Sweep, value: int, seeds: int, chosen: dict[str, float] | None = None,
                  on_progress: Callable[[ProgressEvent], None] | None = None, via: Backend | None = None) -> Measured:
    """metric -> choice -> its value for seeds 0..seeds-1, at `sweep.setting` = value, for the sweep's
    metric and each of its extra metrics (each candidate at the learning-rate factor `chosen`, when given);
    trained on `via` (the configured backend when None)."""
    request = point_request(sweep, value, seeds, chosen=chosen)
    return metrics(sweep, value, train_comparison(request, reuse=False, on_progress=on_progress, via=via))


def measure_scaling() -> dict[str, Any]:
    """Time and memory per batch, LSTM against self-attention, 128 to 4,096 tokens (the Lab's own experiment)."""
    from ..lab.train import scaling_experiment

    return scaling_experiment().to_dict()
