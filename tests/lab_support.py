"""`compare(decision, **options)`: build the `TrainRequest` and train it, for tests that set both kinds of option."""

from __future__ import annotations

from typing import Any

RUN_OPTIONS = ("on_progress", "stop", "runs_dir", "isolate", "reuse")  # how to run, not what: not in the request


def compare(decision: str, **options: Any):
    from engine.lab import TrainRequest, train_comparison

    run = {k: options.pop(k) for k in RUN_OPTIONS if k in options}
    return train_comparison(TrainRequest.make(decision, **options), **run)
