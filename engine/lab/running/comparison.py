"""`run_here`: one comparison, trained in this process: every candidate of a decision on the same data, judged.

The training worker calls this for every request it gets (so do in-process callers and tests). This module
does not import TensorFlow; the TensorFlow side (`runner.py`) is imported when a run starts.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...errors import DataError, TrainingError
from ..codegen.script import candidate_code
from ..data.datasets import prepare, prepare_csv
from ..data.labdata import LabData
from ..decisions import LabDecision, dataset_info, lab_decision
from ..decisions.base import CandidateSpec
from ..models.optimizers import SETTINGS as OPTIMIZERS
from ..request import TrainRequest
from ..results.judging import Situation
from ..results.records import CandidateResult, ComparisonResult, ProgressEvent, Verdict
from .situation import star, starred

RUNS_ENV = "DL_ADVISOR_RUNS_DIR"


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


def prepare_seed(request: TrainRequest, seed: int, root: Path) -> LabData:
    """Seed `seed`'s own draw of the data (generated sets) or own shuffle and split (a CSV)."""
    needs = lab_decision(request.decision).needs
    if request.test_split:  # the bank scores every candidate on a split that chose nothing
        needs = replace(needs, hold_out_test=True)
    if request.csv is not None:
        return prepare_csv(request.csv.source(), seed, request.seq_len, root / "cache", needs)
    info = dataset_info(request.decision, request.dataset)
    return prepare(info, seed, {**request.settings, "seq_len": request.seq_len}, root / "cache", needs)


def run_here(request: TrainRequest, runs_dir: Path, emit: Callable[[ProgressEvent], None],
             stop: threading.Event | None) -> ComparisonResult:
    """The comparison itself, in this process: train, measure, star and judge; write the run folder."""
    started = time.perf_counter()
    from . import runner  # TensorFlow is imported here, not before

    caller_emit = emit

    def emit(event: ProgressEvent) -> None:
        try:
            caller_emit(event)
        except BaseException as exc:  # the caller's own exception, passed through untouched below
            raise _CallerAbort(exc) from exc

    decision = lab_decision(request.decision)
    seeds, root = request.seed_list, Path(runs_dir)
    runner.make_deterministic()
    # Each seed's data is made when first needed, so the first curve point waits for one seed's data only.
    datas = _Lazy(lambda k: prepare_seed(request, seeds[k], root), len(seeds))
    run_dir = new_run_dir(root, decision.id, request.dataset, request.seed)
    results = []
    try:
        for spec in (decision.candidate(choice) for choice in request.trains):
            if stop is not None and stop.is_set():
                break
            emit(ProgressEvent(phase="started", candidate=spec.choice, epochs=request.epochs))
            result = _trained(decision, spec, request, datas, seeds, run_dir, emit, stop)
            results.append(_with_code(decision, result.spec, result.result, datas, seeds, request.epochs))
            result = result.result
            emit(ProgressEvent(phase="finished", candidate=spec.choice, epoch=len(result.history),
                               epochs=request.epochs))
    except _CallerAbort as abort:
        raise abort.original from None
    except DataError:
        raise
    except Exception as exc:  # a Keras failure must reach the page as a sentence, not a traceback
        raise TrainingError(f"Training {decision.id} on {request.dataset} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        runner.free_memory()
    stopped = stop is not None and stop.is_set()
    if request.judge_speed and request.candidates is None and len(results) > 1 and not stopped:
        results = timed(decision, results, datas[0])
    comparison = _conclude(decision, request, datas[0], results, stop, run_dir, started)
    comparison.write(run_dir)
    caller_emit(ProgressEvent(phase="done", epochs=request.epochs))
    return comparison


@dataclass(frozen=True)
class _Tuned:
    spec: CandidateSpec  # as trained (its learning rate and early stopping in its options)
    result: CandidateResult


def variants(decision: LabDecision, spec: CandidateSpec, request: TrainRequest) -> list[tuple[float, CandidateSpec]]:
    """The candidate as the request trains it: at each learning-rate factor asked for, stopped early when asked."""
    factors = ((request.chosen_factors[spec.choice],) if spec.choice in request.chosen_factors
               else request.learning_rate_factors)
    options = dict(spec.options)
    if request.patience and "early_stopping" not in options:
        options["early_stopping"] = request.patience
    if not factors:
        return [(1.0, replace(spec, options=options) if options != spec.options else spec)]
    base = OPTIMIZERS[options["optimizer"]].learning_rate if "optimizer" in options else decision.train.learning_rate
    return [(f, replace(spec, options={**options, "learning_rate": round(base * f, 12)})) for f in factors]


def _trained(decision: LabDecision, spec: CandidateSpec, request: TrainRequest, datas: Any, seeds: list[int],
             run_dir: Path, emit: Callable[[ProgressEvent], None], stop: threading.Event | None) -> _Tuned:
    """Train the candidate at every learning rate of the grid (each in its own folder) and keep the rate whose
    seeds reach the best mean validation accuracy (then the lower validation loss); its runs carry the choice
    and every rate's mean in their extras. With `request.tuning_seeds`, the rates are tried on that many
    seeds and only the chosen one trains the rest."""
    from . import runner

    grid = variants(decision, spec, request)
    tune = len(seeds)
    if len(grid) > 1 and request.tuning_seeds is not None:
        tune = min(request.tuning_seeds, len(seeds))
    tried = []
    for factor, tuned in grid:
        folder = run_dir if len(request.learning_rate_factors) < 2 else run_dir / f"lr-{factor:g}"
        folder.mkdir(parents=True, exist_ok=True)
        tried.append((factor, tuned, folder, runner.train_candidate(
            decision, tuned, _Part(datas, 0, tune), request.epochs, seeds[:tune], folder, emit, stop)))
        if stop is not None and stop.is_set():
            break
    factor, tuned, folder, best = max(tried, key=lambda t: (t[3].val_accuracy or 0.0, -(t[3].val_loss or 0.0)))
    means = {f"{f:g}": r.val_accuracy for f, _, _, r in tried}
    if tune < len(seeds) and not (stop is not None and stop.is_set()):
        rest = runner.train_candidate(decision, tuned, _Part(datas, tune, len(seeds)), request.epochs, seeds[tune:],
                                      folder, emit, stop, first_seed=seeds[0])
        shared = {"latency_ms_per_example": best.runs[0].latency_ms_per_example,
                  "size_bytes": best.runs[0].size_bytes}
        best = best.model_copy(update={"runs": [*best.runs, *(r.model_copy(update=shared) for r in rest.runs)],
                                       "wall_seconds": best.wall_seconds + rest.wall_seconds})
    if len(tried) == 1 and "learning_rate" not in tuned.options:
        return _Tuned(tuned, best)
    runs = [run.model_copy(update={"extras": {**run.extras, "learning_rate": tuned.options["learning_rate"],
                                              "learning_rate_factor": factor, "learning_rate_grid": means}})
            for run in best.runs]
    return _Tuned(tuned, best.model_copy(update={"runs": runs}))


def timed(decision: LabDecision, results: list[CandidateResult], data: LabData) -> list[CandidateResult]:
    """The results with every candidate's time per epoch measured side by side (timing.py) on its first seed's
    trained model: wall time read during each fit lies minutes apart from the others', and load moves it.

    Sets `timed_seconds_per_epoch` and `cpu_seconds_per_epoch` on every seed's run (one model per candidate
    is timed: the seeds share its architecture); a candidate without a stored model leaves all untimed.
    """
    from .model_io import load_model
    from .runner import free_memory, training_arrays
    from .timing import time_epochs

    paths = {r.choice: r.model_path for r in results}
    if not all(path and Path(path).is_file() for path in paths.values()):
        return results
    models = {choice: load_model(path) for choice, path in paths.items()}
    arrays = {choice: training_arrays(decision.candidate(choice), data) for choice in models}
    try:
        timings = time_epochs(models, arrays, decision.train.batch_size)
    finally:
        del models
        free_memory()
    return [r.model_copy(update={"runs": [run.model_copy(update={
        "timed_seconds_per_epoch": timings[r.choice].wall_seconds,
        "cpu_seconds_per_epoch": timings[r.choice].cpu_seconds}) for run in r.runs]}) for r in results]


def _conclude(decision: LabDecision, request: TrainRequest, data: LabData, results: list, stop: threading.Event | None,
              run_dir: Path, started: float) -> ComparisonResult:
    """Star the candidate the rules choose for the data trained on, and judge the claim on every seed."""
    whole = request.candidates is None
    measured = decision.measured_answers(results) if decision.measured_answers and whole else {}
    recommendation = star(decision.id, data, request.answers, request.recommended, measured)
    chosen = starred(decision.id, recommendation)
    results = [r.model_copy(update={"recommended": r.choice in chosen}) for r in results]
    stopped = (stop is not None and stop.is_set()) or any(not r.completed for r in results)
    # One label an example (not a tag a token, where padding would count): a constant guess scores the largest
    # class's share of the first seed's validation labels.
    labels = Counter(data.y_val.tolist()) if data.y_val.ndim == 1 else Counter()
    majority = max(labels.values()) / len(data.y_val) if labels else 0.0
    situation = Situation(seq_len=data.seq_len, n_classes=data.n_classes, n_train=len(data.x_train),
                          vocab_size=data.vocab_size, majority=majority)
    verdict = decision.verdict(results, situation, stopped) if whole else Verdict(
        text=f"This run trained only {', '.join(r.label for r in results)}: the claim is judged on the whole "
             "comparison, not on part of it.", claim="", agrees=None)
    return ComparisonResult(
        decision=decision.id, dataset=request.dataset,
        settings={**data.settings, "epochs": request.epochs, "batch_size": decision.train.batch_size,
                  "learning_rate": decision.train.learning_rate},
        seed=request.seed, seeds=request.seed_list, run_dir=str(run_dir), candidates=results, verdict=verdict,
        stopped_early=stopped, wall_seconds=time.perf_counter() - started,
        notes=[*data.notes, *decision.notes], recommendation=recommendation,
    )


def _with_code(decision: LabDecision, spec: CandidateSpec, result: CandidateResult, datas: _Lazy, seeds: list[int],
               epochs: int) -> CandidateResult:
    """The result with its code in pieces, every seed it trained included: what its notebooks are made of.

    The script (`result.code`) is made by the same `candidate_code` from the first seed's data alone, so
    it is the pieces' first seed, joined.
    """
    trained = [datas[seeds.index(seed)] for seed in result.seeds]  # all made already: they were trained on
    return result.model_copy(update={"code_parts": candidate_code(decision, spec, trained, epochs, result.seeds)})


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


class _Part:
    """Items `start` to `stop` of a sequence (a _Lazy's items stay unmade until read)."""

    def __init__(self, items: Any, start: int, stop: int):
        self._items, self._start, self._stop = items, start, stop

    def __len__(self) -> int:
        return self._stop - self._start

    def __getitem__(self, k: int) -> Any:
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self._items[self._start + k]

    def __iter__(self):
        return (self[k] for k in range(len(self)))


class _CallerAbort(Exception):
    """Carries an exception raised by the caller's progress callback out through Keras, unwrapped.

    Kept as an attribute: Keras re-raises callback errors `from None`, which drops `__cause__`.
    """

    def __init__(self, original: BaseException):
        super().__init__(repr(original))
        self.original = original
