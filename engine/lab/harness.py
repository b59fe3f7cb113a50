"""`train_comparison`: train every candidate of one decision on the same data and compare them.

This module does not import TensorFlow; the TensorFlow side (`runner.py`) is imported once the
caller's turn in the training queue has come.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import DataError, TrainingError
from .csv_data import CsvSource
from .datasets import default_dataset, prepare, resolve_settings
from .queue import training_queue
from .results import ComparisonResult, ProgressEvent
from .sharing import share
from .specs import candidates, check_decision, resolve_choice, train_config
from .verdicts import default_recommendation, judge
from .worker import shared_worker

RUNS_ENV = "DL_ADVISOR_RUNS_DIR"
MAX_EPOCHS = 200


def runs_root(runs_dir: Path | None = None) -> Path:
    """Where run folders go: the argument, else $DL_ADVISOR_RUNS_DIR, else `runs/` in the repository."""
    if runs_dir is not None:
        return Path(runs_dir)
    if os.environ.get(RUNS_ENV):
        return Path(os.environ[RUNS_ENV])
    return Path(__file__).resolve().parents[2] / "runs"


def new_run_dir(root: Path, decision: str, dataset: str, seed: int) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = root / f"{stamp}-{decision}-{dataset}-seed{seed}-{uuid.uuid4().hex[:6]}"
    path.mkdir(parents=True, exist_ok=False)
    return path


def train_comparison(
    decision: str,
    *,
    dataset: str | None = None,
    csv: CsvSource | None = None,
    epochs: int | None = None,
    seed: int = 0,
    seq_len: int | None = None,
    settings: Mapping[str, Any] | None = None,
    recommended: str | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    stop: threading.Event | None = None,
    runs_dir: Path | None = None,
    isolate: bool = True,
    reuse: bool = True,
) -> ComparisonResult:
    """Train the recommended model and each alternative, changing only `decision`, and measure them.

    Waits for its turn in the process-wide training queue (reporting "queued" events with the
    position); setting `stop` while waiting cancels (TrainingCancelled), while training it ends the
    run early and keeps what was measured. `settings` overrides a sample set's other settings
    (see `list_datasets(...)[i].settings`, e.g. {"examples": 500}). Raises DataError for unusable
    data or settings, TrainingError when training fails or is cancelled.

    With `isolate` (the default) the training runs in a long-lived worker process (see worker.py):
    TensorFlow leaks a few MB per traced training step that no clear_session frees, so the caller's
    process stays small and free of TensorFlow. `isolate=False` trains in this process.

    With `reuse` (the default) a complete stored run of the identical experiment (same request, same code;
    see sharing.py) is returned at once, after a "reused" event, and a caller asking for a run another
    session is training right now gets that run's result (a "shared" event, then its progress);
    `sharing.provenance(result)` says when and where it was measured. `reuse=False` measures anew.
    """
    check_decision(decision)
    if dataset is not None and csv is not None:
        raise DataError("Give either a sample data set or a CSV, not both.")
    epochs = train_config(decision).epochs if epochs is None else int(epochs)
    if not 1 <= epochs <= MAX_EPOCHS:
        raise DataError(f"epochs must be between 1 and {MAX_EPOCHS}; got {epochs}.")
    rec_choices = resolve_choice(decision, recommended)
    emit = on_progress or (lambda event: None)
    name = "csv" if csv is not None else (dataset or default_dataset(decision))
    root = runs_root(runs_dir)
    if csv is None:  # refuse bad settings before waiting in the queue or importing TensorFlow
        resolve_settings(decision, name, {**(settings or {}), "seq_len": seq_len})
    elif settings:
        raise DataError(f"Settings {sorted(settings)} apply to sample data sets, not to a CSV.")

    request = {"decision": decision, "dataset": name, "csv": csv_to_dict(csv) if csv is not None else None,
               "epochs": epochs, "seed": seed, "seq_len": seq_len, "settings": dict(settings or {}),
               "recommended": list(rec_choices), "runs_dir": str(root)}

    def train(emit: Callable[[ProgressEvent], None]) -> ComparisonResult:
        def on_position(place: int) -> None:
            emit(ProgressEvent(phase="queued", position=place))

        with training_queue().turn(f"{decision}/{name}", cancel=stop, on_position=on_position):
            return shared_worker().run(request, emit, stop) if isolate else run_here(request, emit, stop)

    return share(request, train, emit, stop, reuse=reuse)


def run_here(request: dict[str, Any], emit: Callable[[ProgressEvent], None],
             stop: threading.Event | None) -> ComparisonResult:
    """The comparison itself, in this process (the worker process calls this; so do in-process callers)."""
    started = time.perf_counter()
    from . import runner  # TensorFlow is imported here, not before

    caller_emit = emit

    def emit(event: ProgressEvent) -> None:
        try:
            caller_emit(event)
        except BaseException as exc:  # the caller's own exception, passed through untouched below
            raise _CallerAbort(exc) from exc

    decision, name, seed, epochs = request["decision"], request["dataset"], request["seed"], request["epochs"]
    root = Path(request["runs_dir"])
    runner.make_deterministic()
    if request["csv"] is not None:
        from .text_prep import prepare_csv

        data = prepare_csv(csv_from_dict(request["csv"]), decision, seed, request["seq_len"], root / "cache")
    else:
        data = prepare(decision, name, seed, {**request["settings"], "seq_len": request["seq_len"]}, root / "cache")
    rec_choices = tuple(request["recommended"]) or default_recommendation(decision, data)
    config = train_config(decision)
    run_dir = new_run_dir(root, decision, name, seed)
    results = []
    try:
        for spec in candidates(decision):
            if stop is not None and stop.is_set():
                break
            emit(ProgressEvent(phase="started", candidate=spec.choice, epochs=epochs))
            result = runner.train_candidate(spec, data, config, epochs, seed, run_dir,
                                            spec.choice in rec_choices, emit, stop)
            results.append(result)
            emit(ProgressEvent(phase="finished", candidate=spec.choice, epoch=len(result.history),
                               epochs=epochs))
    except _CallerAbort as abort:
        raise abort.original from None
    except DataError:
        raise
    except Exception as exc:  # a Keras failure must reach the page as a sentence, not a traceback
        raise TrainingError(f"Training {decision} on {name} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        runner.free_memory()
    stopped = (stop is not None and stop.is_set()) or any(not r.completed for r in results)
    comparison = ComparisonResult(
        decision=decision, dataset=name, settings={**data.settings, "epochs": epochs,
                                                   "batch_size": config.batch_size,
                                                   "learning_rate": config.learning_rate},
        seed=seed, run_dir=str(run_dir), candidates=results,
        verdict=judge(decision, results, data, stopped), stopped_early=stopped,
        wall_seconds=time.perf_counter() - started, notes=data.notes,
    )
    comparison.write(run_dir)
    caller_emit(ProgressEvent(phase="done", epochs=epochs))
    return comparison


class _CallerAbort(Exception):
    """Carries an exception raised by the caller's progress callback out through Keras, unwrapped.

    Kept as an attribute: Keras re-raises callback errors `from None`, which drops `__cause__`.
    """

    def __init__(self, original: BaseException):
        super().__init__(repr(original))
        self.original = original


def csv_to_dict(source: CsvSource) -> dict[str, Any]:
    return {"name": source.name, "columns": list(source.columns), "rows": [list(r) for r in source.rows],
            "text_column": source.text_column, "label_column": source.label_column}


def csv_from_dict(data: dict[str, Any]) -> CsvSource:
    return CsvSource(data["name"], tuple(data["columns"]), tuple(tuple(r) for r in data["rows"]),
                     data["text_column"], data["label_column"])
