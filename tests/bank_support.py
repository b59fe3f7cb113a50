"""A bank sweep shrunk to seconds, for tests that build it several ways and compare what each stored."""

from __future__ import annotations

import pytest

DECISION = "sequence_model"
CHOICES = ("simple_rnn", "lstm", "gru")


def small_sweep(decision: str, values: tuple, seeds: int, epochs: int, **changes):
    """The bank's sweep of `decision` shrunk to `values`, `seeds` and `epochs`, at one learning rate (the grid
    would triple every task for nothing a Ray comparison reads). Callers put it in both SWEEPS and BANKED:
    the bank reads BANKED, and patching SWEEPS alone once built the full sweep (minutes)."""
    import dataclasses

    from engine.evidence.sweeps import SWEEPS

    return dataclasses.replace(SWEEPS[decision], values=tuple(values), seeds=seeds, epochs=epochs,
                               learning_rate_factors=(), extra_metrics=("val_accuracy", "epochs_run"), **changes)


def patch_small_sweep(patch: pytest.MonkeyPatch, runs, values=(5, 10)) -> None:
    """The real sequence-model sweep at a few points, 2 seeds, 2 epochs, 400 sequences (seconds a request)."""
    from engine.evidence.sweeps import BANKED, SWEEPS

    patch.setenv("DL_ADVISOR_RUNS_DIR", str(runs))
    small = small_sweep(DECISION, values, seeds=2, epochs=2, settings={"examples": 400})
    patch.setitem(SWEEPS, DECISION, small)
    patch.setitem(BANKED, DECISION, small)


def numbers(document):
    """What a bank stores that training decides: every point's metrics (not its seconds or provenance)."""
    return [{k: v for k, v in point.items() if k != "seconds"} for point in document["points"]]


def one_by_one_build(where) -> dict:
    """The small sweep built the default way, in `where`: this machine's training worker, points one by one."""
    from engine.evidence import bank, measure

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DL_ADVISOR_RAY_ADDRESS", raising=False)
        patch_small_sweep(patch, where / "runs")
        return bank.build(DECISION, measure.measure_point, ["test", "local"], bank_dir=where)
