"""Train one swept point of a decision's comparison for every seed (in the training worker) and read off a metric."""

from __future__ import annotations

from ..lab.harness import train_comparison
from .sweeps import Sweep


def measure_point(sweep: Sweep, value: int, seeds: int) -> dict[str, list[float]]:
    """choice -> the sweep's metric for seeds 0..seeds-1, at `sweep.setting` = value."""
    out: dict[str, list[float]] = {}
    # The sequence length has its own argument (a `seq_len` inside settings would be overridden by it).
    length = {"seq_len": value} if sweep.setting == "seq_len" else {"settings": {sweep.setting: value}}
    result = train_comparison(sweep.decision, dataset=sweep.dataset, epochs=sweep.epochs, seed=0, seeds=seeds,
                              recommended=None, reuse=False, **length)
    for candidate in result.candidates:
        out[candidate.choice] = [float(getattr(run, sweep.metric)) for run in candidate.runs]
    return out
