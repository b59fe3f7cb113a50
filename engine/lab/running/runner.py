"""Train and measure every candidate of one comparison (the TensorFlow side of `train_comparison`).

Imports TensorFlow: `comparison.run_here` imports this module when a run starts.
"""

from __future__ import annotations

import gc
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from ..codegen.script import render_script
from ..data.labdata import LabData
from ..decisions.base import CandidateSpec, LabDecision, TrainConfig
from ..models.optimizers import make_optimizer
from ..models.seed_layers import NotVectorisable
from ..models.training import pipelines
from ..results.records import CandidateResult, EpochMetrics, ProgressEvent, SeedRun
from .callbacks import ScalarLogger, SeedTracker
from .stacked import fit_together

_DETERMINISM = {"on": False}
# Train a candidate's seeds as one seed-stacked model (stacked.py) when its layers allow; tests switch it off
# to compare the two paths.
STACK_SEEDS = {"on": True}
VALIDATION_BATCH = 512  # the validation batches of models.training.pipelines
# No XLA: Keras turns jit_compile off while op determinism is on, and forced on anyway it did not pay here.
# Measured on this 2-core CPU (bench notes in README): compiling took 2-4x as long as tracing (GRU 4.2 s
# against 1.9 s for its first epoch), repaid only by steady epochs 1.1-1.8x faster, which 8-15 epochs of
# these small models cannot recoup even with 3 seeds.


def make_deterministic() -> None:
    """Same seed, same numbers: pin op determinism once per process (it cannot be switched off again)."""
    if not _DETERMINISM["on"]:
        tf.config.experimental.enable_op_determinism()
        _DETERMINISM["on"] = True


def training_arrays(spec: CandidateSpec, data: LabData) -> tuple[np.ndarray, np.ndarray]:
    if spec.options.get("more_data") and data.x_more is not None:
        return data.x_more, data.y_more
    return data.x_train, data.y_train


def build_model(decision: LabDecision, spec: CandidateSpec, data: LabData) -> keras.Model:
    """The uncompiled model of `spec` on `data`, made by the decision's own builder and named after the choice."""
    return decision.build(spec.options, data, spec.choice)


def compiled_model(decision: LabDecision, spec: CandidateSpec, data: LabData, seed: int) -> keras.Model:
    """One candidate built and compiled alone (what the standalone script does; used by tests and callers)."""
    keras.utils.set_random_seed(seed)
    model = build_model(decision, spec, data)
    config = decision.train
    model.compile(optimizer=optimizer_for(spec, config), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def optimizer_for(spec: CandidateSpec, config: TrainConfig) -> keras.optimizers.Optimizer:
    """Adam at the decision's learning rate, except where the optimizer is the decision itself."""
    rate = spec.options.get("learning_rate")  # a tuned rate, when the request chose one (comparison.variants)
    if "optimizer" in spec.options:
        return make_optimizer(spec.options["optimizer"], rate)
    return keras.optimizers.Adam(config.learning_rate if rate is None else rate)


@dataclass
class _Seeded:
    seed: int
    data: LabData
    model: keras.Model
    train: tf.data.Dataset
    validation: tf.data.Dataset
    initial: dict[str, Any] | None  # what the decision measures before training (first seed only)


def _seeded(decision: LabDecision, spec: CandidateSpec, data: LabData, seed: int, first: bool) -> _Seeded:
    """Seed, build, then make the pipelines, in the order a standalone run does (same init, same batches)."""
    keras.utils.set_random_seed(seed)
    model = build_model(decision, spec, data)
    initial = decision.initial_extras(model, data) if first and decision.initial_extras else None
    x, y = training_arrays(spec, data)
    train, validation = pipelines(x, y, data.x_val, data.y_val, decision.train.batch_size, seed)
    return _Seeded(seed, data, model, train, validation, initial)


def _callbacks(spec: CandidateSpec, epochs: int, run_dir: Path, emit: Callable[[ProgressEvent], None],
               stop: threading.Event | None, seed: int) -> tuple[SeedTracker, list[keras.callbacks.Callback]]:
    """One seed's callbacks: its progress tracker (first), its TensorBoard scalars and, when the candidate
    uses it, early stopping on validation loss with the best epoch's weights restored."""
    tracker = SeedTracker(spec.choice, epochs, emit, stop, seed)
    callbacks: list[keras.callbacks.Callback] = [tracker, ScalarLogger(run_dir / "logs" / spec.choice / f"seed{seed}",
                                                                       tracker)]
    patience = spec.options.get("early_stopping")
    if patience:
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
                                                       restore_best_weights=True))
    return tracker, callbacks


def _fit_seed(decision: LabDecision, spec: CandidateSpec, data: LabData, seed: int, epochs: int, run_dir: Path,
              emit: Callable[[ProgressEvent], None], stop: threading.Event | None, first_seed: int,
              reuse: keras.Model | None = None) -> tuple[SeedRun, keras.Model]:
    """Train one seed of a candidate; with `reuse` (the previous seed's compiled model of the same shape),
    in that model reset to this seed's fresh start, so its traced training step serves again."""
    config = decision.train
    r = _seeded(decision, spec, data, seed, first=seed == first_seed)
    if reuse is not None and _same_shapes(reuse, r.model):
        _start_from(reuse, r.model)
        r.model = reuse
    else:
        r.model.compile(optimizer=optimizer_for(spec, config), loss="sparse_categorical_crossentropy",
                        metrics=["accuracy"])
    tracker, callbacks = _callbacks(spec, epochs, run_dir, emit, stop, seed)
    r.model.fit(r.train, validation_data=r.validation, epochs=epochs, verbose=0, callbacks=callbacks, shuffle=False)
    run = _measure(decision, spec, r, tracker.history, not tracker.stopped, run_dir, costs=seed == first_seed)
    return run, r.model


def _together(decision: LabDecision, spec: CandidateSpec, datas: Sequence[LabData], seeds: list[int], epochs: int,
              run_dir: Path, emit: Callable[[ProgressEvent], None], stop: threading.Event | None,
              first_seed: int) -> tuple[list[SeedRun], keras.Model]:
    """Every seed trained in one fit of a seed-stacked model (stacked.py), then measured alone as
    `_fit_seed` measures it; NotVectorisable, before anything is trained or reported, when it cannot be."""
    prepared = [_seeded(decision, spec, data, seed, first=seed == first_seed)
                for data, seed in zip(datas, seeds, strict=True)]
    sizes = {(len(training_arrays(spec, r.data)[0]), len(r.data.x_val)) for r in prepared}
    if len(sizes) > 1:
        raise NotVectorisable(f"the seeds' data differ in size (training and validation rows: {sorted(sizes)})")
    made = [_callbacks(spec, epochs, run_dir, emit, stop, seed) for seed in seeds]
    fit_together([r.model for r in prepared], [r.train for r in prepared], [r.validation for r in prepared],
                 (decision.train.batch_size, VALIDATION_BATCH), lambda: optimizer_for(spec, decision.train),
                 [callbacks for _, callbacks in made], epochs)
    runs = [_measure(decision, spec, r, tracker.history, not tracker.stopped, run_dir, costs=r.seed == first_seed)
            for r, (tracker, _) in zip(prepared, made, strict=True)]
    return runs, prepared[0].model


def _same_shapes(a: keras.Model, b: keras.Model) -> bool:
    return [tuple(v.shape) for v in a.variables] == [tuple(v.shape) for v in b.variables]


def _start_from(model: keras.Model, fresh: keras.Model) -> None:
    """Put `fresh`'s initial values (weights and dropout seed states) into the compiled `model` and reset its
    optimizer to a new one's state, so the next fit is the fresh model's run without tracing again."""
    for target, source in zip(model.variables, fresh.variables, strict=True):
        target.assign(source)
    for variable in model.optimizer.variables:  # step count and moment estimates; the learning rate stays
        if "learning_rate" not in variable.path:
            variable.assign(tf.zeros_like(variable))


def _scores(model: keras.Model, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Cross-entropy and accuracy of the weights as they are now, without dropout.

    A direct call, not `model.predict`: predict traces a new function for every new model (about 0.25 s
    here, against milliseconds for the small sets scored), and these are scored once each.
    """
    probs = np.concatenate([np.asarray(model(x[i:i + 512], training=False), dtype="float64")
                            for i in range(0, len(x), 512)])
    picked = np.clip(probs[np.arange(len(y)), y], 1e-7, 1.0)
    return float(-np.mean(np.log(picked))), float(np.mean(np.argmax(probs, axis=1) == y))


def _measure(decision: LabDecision, spec: CandidateSpec, r: _Seeded, history: list[EpochMetrics], completed: bool,
             run_dir: Path, costs: bool) -> SeedRun:
    """One seed's final metrics and decision extras; with `costs`, also its size on disk and latency.

    Size and latency depend on the architecture, not on the weights' values, so they are measured on the
    first seed's model only (and its file is the one offered for download); saving and timing every seed
    would add seconds per seed for the same numbers.
    """
    model, data = r.model, r.data
    val_loss = val_accuracy = train_accuracy = None
    test_loss = test_accuracy = None
    if history:
        last = history[-1]
        val_loss, val_accuracy, train_accuracy = last.val_loss, last.val_accuracy, last.accuracy
        if spec.options.get("early_stopping"):  # the restored best epoch's weights, not the last epoch's
            val_loss, val_accuracy = _scores(model, data.x_val, data.y_val)
        if decision.score_train_accuracy:  # training accuracy of the weights kept, without dropout
            train_accuracy = _scores(model, *training_arrays(spec, data))[1]
        if data.x_test is not None:  # held out: chose nothing, only scored at the end
            test_loss, test_accuracy = _scores(model, data.x_test, data.y_test)
    model_path = run_dir / f"{spec.choice}.keras"
    if costs:
        model.save(model_path)
    extras = decision.extras(spec, model, data, history, r.initial) if decision.extras else {}
    # The first epoch also traces (and compiles) the step functions: leave it out when there are others.
    steady = [h.seconds for h in history[1:]] or [h.seconds for h in history]
    seconds = statistics.median(steady) if history else 0.0
    return SeedRun(seed=r.seed, history=history, val_loss=val_loss, val_accuracy=val_accuracy,
                   train_accuracy=train_accuracy, test_loss=test_loss, test_accuracy=test_accuracy,
                   seconds_per_epoch=seconds,
                   latency_ms_per_example=latency_ms(model, data.x_val[:1]) if costs else None,
                   size_bytes=model_path.stat().st_size if costs else None,
                   model_path=str(model_path) if costs else None, completed=completed, extras=extras)


def train_candidate(
    decision: LabDecision, spec: CandidateSpec, datas: Sequence[LabData], epochs: int, seeds: list[int], run_dir: Path,
    emit: Callable[[ProgressEvent], None], stop: threading.Event | None, first_seed: int | None = None,
) -> CandidateResult:
    """Fit one candidate once per seed (seed k on `datas[k]`) and measure each; the model of `first_seed`
    (by default the first of `seeds`) is the one saved and whose size and latency are measured.

    Several seeds train as one seed-stacked model (stacked.py: weights with a leading seed axis, one fit
    for all seeds, each seed on its own data, batch order and early stopping), each seed's numbers within
    float rounding of its standalone run (tests/lab/test_stacked.py). When the model has a layer with no
    seed-axis twin, or the seeds' data differ in size, they train one after another instead, in one
    compiled model whose weights and optimizer are reset to each seed's fresh start, so the training step
    is traced once per candidate, not per seed; a seed then reproduces its standalone run
    (tests/lab/test_harness.py). The result says which (`trained_together`, `apart_because`).
    A seed's held-out test split (`LabData.x_test`), when there is one, is scored once at the end,
    never used to choose.
    """
    started = time.perf_counter()
    first_seed = seeds[0] if first_seed is None else first_seed
    runs: list[SeedRun] = []
    first: keras.Model | None = None  # the first seed's model: its size is the candidate's
    together = None if len(seeds) > 1 and STACK_SEEDS["on"] else "one seed" if len(seeds) == 1 else "switched off"
    if together is None:
        try:
            runs, first = _together(decision, spec, datas, seeds, epochs, run_dir, emit, stop, first_seed)
        except NotVectorisable as reason:
            together = str(reason)
    model: keras.Model | None = None  # the latest compiled model, reused by the next seed when shapes match
    for data, seed in zip(datas, seeds, strict=True) if together is not None else ():
        if runs and stop is not None and stop.is_set():
            break
        run, model = _fit_seed(decision, spec, data, seed, epochs, run_dir, emit, stop, first_seed, reuse=model)
        runs.append(run)
        first = first or model
    assert first is not None  # noqa: S101 - at least one group always runs
    shared = {"latency_ms_per_example": runs[0].latency_ms_per_example, "size_bytes": runs[0].size_bytes}
    runs = [runs[0], *(run.model_copy(update=shared) for run in runs[1:])]
    return CandidateResult(
        choice=spec.choice, label=spec.label, changes=spec.changes, recommended=False, runs=runs,
        params=int(first.count_params()),
        trainable_params=int(sum(np.prod(w.shape) for w in first.trainable_weights)),
        code=render_script(decision, spec, datas[0], epochs, seeds[0]), wall_seconds=time.perf_counter() - started,
        trained_together=together is None, apart_because=together,
    )


def latency_ms(model: keras.Model, example: np.ndarray, repeats: int = 50) -> float:
    """Fastest of several timed predictions of one example with a compiled call (tracing not counted).

    The minimum, not the median: other processes on a shared CPU only ever add time.
    """
    predict = tf.function(model, autograph=False, reduce_retracing=True)
    example = tf.convert_to_tensor(example)
    predict(example)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        predict(example).numpy()
        times.append(time.perf_counter() - started)
    return 1000.0 * min(times)


def free_memory() -> None:
    """Drop Keras' global graph state and collect, so repeated runs do not grow the process."""
    keras.backend.clear_session()
    gc.collect()
