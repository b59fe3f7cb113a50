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
from dataclasses import replace
from pathlib import Path
from typing import Any

from ...errors import DataError, TrainingError
from ..data.csv_data import CsvSource
from ..data.datasets import LabData, default_dataset, prepare, resolve_settings
from ..decisions.specs import candidates, check_decision, resolve_choice, train_config
from ..results.judging import Situation
from ..results.records import ComparisonResult, ProgressEvent
from ..results.verdicts import judge
from ..service.queue import training_queue
from ..service.sharing import share
from ..service.worker import shared_worker
from .situation import measured_answers, star, starred

RUNS_ENV = "DL_ADVISOR_RUNS_DIR"
MAX_EPOCHS = 200
MAX_SEEDS = 10
DEFAULT_SEEDS = 3


def runs_root(runs_dir: Path | None = None) -> Path:
    """Where run folders go: the argument, else $DL_ADVISOR_RUNS_DIR, else `runs/` in the repository."""
    if runs_dir is not None:
        return Path(runs_dir)
    if os.environ.get(RUNS_ENV):
        return Path(os.environ[RUNS_ENV])
    return Path(__file__).resolve().parents[3] / "runs"


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
    seeds: int = 1,
    seq_len: int | None = None,
    settings: Mapping[str, Any] | None = None,
    recommended: str | None = None,
    answers: Mapping[str, Any] | None = None,
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

    `seeds` trains every candidate that many times, with seeds `seed`, `seed + 1`, ...; each seed draws its
    own data, split, batch order and initial weights, and the seeds of one candidate train together as
    replicas of one model (see runner.py). The star goes on what the rules (`engine.recommend`) say for the
    data trained on; `recommended` is the interview's choice and `answers` its answers, shown beside it.

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
    resolve_choice(decision, recommended)  # refuse an unknown choice before waiting
    if not 1 <= int(seeds) <= MAX_SEEDS:
        raise DataError(f"seeds must be between 1 and {MAX_SEEDS}; got {seeds}.")
    emit = on_progress or (lambda event: None)
    name = "csv" if csv is not None else (dataset or default_dataset(decision))
    root = runs_root(runs_dir)
    if csv is None:  # refuse bad settings before waiting in the queue or importing TensorFlow
        resolve_settings(decision, name, {**(settings or {}), "seq_len": seq_len})
    elif settings:
        raise DataError(f"Settings {sorted(settings)} apply to sample data sets, not to a CSV.")

    request = {"decision": decision, "dataset": name, "csv": csv_to_dict(csv) if csv is not None else None,
               "epochs": epochs, "seed": seed, "seeds": int(seeds), "seq_len": seq_len,
               "settings": dict(settings or {}), "recommended": recommended, "answers": dict(answers or {}),
               "runs_dir": str(root)}

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
    seeds = [seed + k for k in range(int(request.get("seeds", 1)))]
    root = Path(request["runs_dir"])
    runner.make_deterministic()
    # Each seed's data is made when first needed, so the first curve point waits for one seed's data only.
    prepared = _Lazy(lambda k: hold_out_test(decision, _prepare(request, seeds[k], root)), len(seeds))
    datas, tests = _Lazy(lambda k: prepared[k][0], len(seeds)), _Lazy(lambda k: prepared[k][1], len(seeds))
    config = train_config(decision)
    run_dir = new_run_dir(root, decision, name, seed)
    results = []
    try:
        for spec in candidates(decision):
            if stop is not None and stop.is_set():
                break
            emit(ProgressEvent(phase="started", candidate=spec.choice, epochs=epochs))
            result = runner.train_candidate(spec, datas, config, epochs, seeds, run_dir, False, emit, stop,  # type: ignore[arg-type]
                                            tests=tests)  # type: ignore[arg-type]
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
    recommendation = star(decision, datas[0], request.get("answers") or {}, request.get("recommended"),
                          measured_answers(decision, results))
    chosen = starred(decision, recommendation)
    results = [r.model_copy(update={"recommended": r.choice in chosen}) for r in results]
    stopped = (stop is not None and stop.is_set()) or any(not r.completed for r in results)
    data = datas[0]
    situation = Situation(seq_len=data.seq_len, n_classes=data.n_classes, n_train=len(data.x_train),
                          vocab_size=data.vocab_size)
    notes = list(data.notes)
    if decision == "overfitting":
        notes.append("Half of the validation set is held out as a test split: early stopping chooses its epoch on "
                     "the other half, and every candidate's test accuracy is scored on this one.")
    comparison = ComparisonResult(
        decision=decision, dataset=name, settings={**data.settings, "epochs": epochs,
                                                   "batch_size": config.batch_size,
                                                   "learning_rate": config.learning_rate},
        seed=seed, seeds=seeds, run_dir=str(run_dir), candidates=results,
        verdict=judge(decision, results, situation, stopped), stopped_early=stopped,
        wall_seconds=time.perf_counter() - started, notes=notes, recommendation=recommendation,
    )
    comparison.write(run_dir)
    caller_emit(ProgressEvent(phase="done", epochs=epochs))
    return comparison


class _Lazy:
    """A list whose k-th item is made by `make(k)` on first access, then kept."""

    def __init__(self, make: Callable[[int], Any], n: int):
        self._make, self._items, self._made = make, [None] * n, [False] * n

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, k: int) -> Any:
        if not self._made[k]:
            self._items[k], self._made[k] = self._make(k), True
        return self._items[k]

    def __iter__(self):
        return (self[k] for k in range(len(self)))


def _prepare(request: dict[str, Any], seed: int, root: Path) -> LabData:
    """Seed `seed`'s own draw of the data (generated sets) or own shuffle and split (a CSV)."""
    if request["csv"] is not None:
        from ..data.text_prep import prepare_csv

        return prepare_csv(csv_from_dict(request["csv"]), request["decision"], seed, request["seq_len"],
                           root / "cache")
    return prepare(request["decision"], request["dataset"], seed,
                   {**request["settings"], "seq_len": request["seq_len"]}, root / "cache")


def hold_out_test(decision: str, data: LabData) -> tuple[LabData, tuple[Any, Any] | None]:
    """For overfitting, split the validation set in two: the first half validates (and early stopping
    chooses its epoch on it), the second half is a test split scored once at the end."""
    if decision != "overfitting" or len(data.x_val) < 40:
        return data, None
    half = len(data.x_val) // 2
    test = (data.x_val[half:], data.y_val[half:])
    return replace(data, x_val=data.x_val[:half], y_val=data.y_val[:half]), test


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
