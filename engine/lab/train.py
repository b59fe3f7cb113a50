"""The Lab's front door: `train_comparison` and `scaling_experiment`, queued, shared and sent to the worker.

Neither imports TensorFlow: the work runs in the training backend (engine.lab.service.backend: the local
training worker, or a Ray cluster when one is configured) unless the caller asks for it in this process
(`isolate=False`), and even then only once its queue turn has come.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import TrainingError
from .request import TrainRequest
from .results.records import ComparisonResult, ProgressEvent
from .running.comparison import run_here, runs_root
from .scaling.experiment import DEFAULT_LENGTHS, ScalingResult, measure_scaling
from .service.backend import Backend, backend
from .service.queue import training_queue
from .service.sharing import share


def train_comparison(request: TrainRequest, *, on_progress: Callable[[ProgressEvent], None] | None = None,
                     stop: threading.Event | None = None, runs_dir: Path | None = None, isolate: bool = True,
                     reuse: bool = True, via: Backend | None = None) -> ComparisonResult:
    """Train the recommended model and each alternative, changing only the request's decision, and measure them.

    `request` comes from `TrainRequest.make`, which has refused anything unusable already. Waits for its turn
    in the process-wide training queue (reporting "queued" events with the position); setting `stop` while
    waiting cancels (TrainingCancelled), while training it ends the run early and keeps what was measured.
    Raises DataError for unusable data, TrainingError when training fails or is cancelled.

    Every candidate trains once per seed (`request.seed_list`); each seed draws its own data, split, batch
    order and initial weights. The star goes on what the rules (`engine.recommend`) say for the data trained
    on; `request.recommended` is the interview's choice, shown beside it.

    With `isolate` (the default) the training runs in a long-lived worker process: TensorFlow leaks a few MB
    per traced training step that no clear_session frees, so the caller's process stays small and free of
    TensorFlow. With $DL_ADVISOR_RAY_ADDRESS set it runs as a task on that Ray cluster instead, with the same
    events, Stop and deadline, and as many runs at once as the cluster has CPUs. `isolate=False` trains in
    this process.

    With `reuse` (the default) a complete stored run of the identical experiment (same request, same code;
    see sharing.py) is returned at once, after a "reused" event, and a caller asking for a run another
    session is training right now gets that run's result (a "shared" event, then its progress);
    `sharing.provenance(result)` says when and where it was measured. `reuse=False` measures anew.
    `via` trains on that backend instead of the configured one (the bank's build: a `pool.WorkerPool`).
    """
    emit = on_progress or (lambda event: None)
    root = runs_root(runs_dir)

    def train(emit: Callable[[ProgressEvent], None]) -> ComparisonResult:
        def on_position(place: int) -> None:
            emit(ProgressEvent(phase="queued", position=place))

        runner = (via or backend()) if isolate else None
        slots = runner.slots() if runner is not None else 1
        with training_queue().turn(f"{request.decision}/{request.dataset}", cancel=stop, on_position=on_position,
                                   slots=slots):
            if runner is not None:
                message = {"kind": "comparison", "request": request.model_dump(mode="json"), "runs_dir": str(root)}
                return ComparisonResult.model_validate(runner.call(message, emit, stop))
            return run_here(request, root, emit, stop)

    return share(request, root, train, emit, stop, reuse=reuse)


def scaling_experiment(lengths: tuple[int, ...] = DEFAULT_LENGTHS, batch_size: int = 2, d_model: int = 32,
                       num_heads: int = 2, repeats: int = 5, isolate: bool = True) -> ScalingResult:
    """Time and memory per batch for an LSTM and a self-attention layer at each length (inference).

    Runs in the training worker process by default (like `train_comparison`), so the caller's memory
    and the memory measurement are not mixed up; `isolate=False` measures in this process.
    """
    lengths = tuple(sorted(set(int(n) for n in lengths)))
    if not lengths or lengths[0] < 2 or lengths[-1] > 4096:
        raise TrainingError(f"Sequence lengths must be between 2 and 4096; got {list(lengths)}.")
    request = {"lengths": list(lengths), "batch_size": batch_size, "d_model": d_model, "num_heads": num_heads,
               "repeats": repeats}
    runner = backend() if isolate else None
    with training_queue().turn("scaling", slots=runner.slots() if runner is not None else 1):
        if runner is not None:
            return ScalingResult.from_dict(runner.call({"kind": "scaling", **request}))
        return measure_scaling(**request)
