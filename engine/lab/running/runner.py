"""Train and measure every candidate of one comparison (the TensorFlow side of `train_comparison`).

Imports TensorFlow: `harness.py` imports this module only after the caller's turn in the queue came.
"""

from __future__ import annotations

import gc
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from ..codegen.script import render_script
from ..data.datasets import LabData
from ..decisions.builders import build_model
from ..decisions.specs import CandidateSpec, TrainConfig
from ..models.optimizers import make_optimizer
from ..results.records import CandidateResult, EpochMetrics, ProgressEvent, SeedRun
from .callbacks import ScalarLogger, SeedTracker
from .measures import extras_for, gradient_profile

_DETERMINISM = {"on": False}
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


def compiled_model(spec: CandidateSpec, data: LabData, config: TrainConfig, seed: int) -> keras.Model:
    """One candidate built and compiled alone (what the standalone script does; used by tests and callers)."""
    keras.utils.set_random_seed(seed)
    model = build_model(spec, data)
    model.compile(optimizer=optimizer_for(spec, config), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def optimizer_for(spec: CandidateSpec, config: TrainConfig) -> keras.optimizers.Optimizer:
    """Adam at the decision's learning rate, except where the optimizer is the decision itself."""
    if "optimizer" in spec.options:
        return make_optimizer(spec.options["optimizer"])
    return keras.optimizers.Adam(config.learning_rate)


def pipelines(x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray, batch_size: int,
              seed: int) -> tuple[tf.data.Dataset, tf.data.Dataset]:
    """Seeded, reshuffled-each-epoch training batches and fixed validation batches.

    Measured here: with small data, Keras' per-epoch handling of NumPy arrays costs about 2.5x the
    time of iterating a ready tf.data pipeline (0.15 s vs 0.06 s per epoch for 150 digits).
    The shuffle order depends on TensorFlow's global seed too: make the pipeline right after
    `keras.utils.set_random_seed(seed)`, as `_seeded` does, so a seed's batches equal a standalone run's.
    """
    train = (tf.data.Dataset.from_tensor_slices((x, y)).cache()
             .shuffle(len(x), seed=seed, reshuffle_each_iteration=True).batch(batch_size))
    validation = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(512).cache()
    return train, validation


@dataclass
class _Seeded:
    seed: int
    data: LabData
    model: keras.Model
    train: tf.data.Dataset
    validation: tf.data.Dataset
    profile: list[float] | None
    test: tuple[np.ndarray, np.ndarray] | None = None  # held out: chose nothing, only scored at the end


def _seeded(spec: CandidateSpec, data: LabData, config: TrainConfig, seed: int,
            test: tuple[np.ndarray, np.ndarray] | None, profile: bool) -> _Seeded:
    """Seed, build, then make the pipelines, in the order a standalone run does (same init, same batches)."""
    keras.utils.set_random_seed(seed)
    model = build_model(spec, data)
    gradients = gradient_profile(model, data.x_val[:64]) if profile and spec.decision == "sequence_model" else None
    x, y = training_arrays(spec, data)
    train, validation = pipelines(x, y, data.x_val, data.y_val, config.batch_size, seed)
    return _Seeded(seed, data, model, train, validation, gradients, test)


def _fit_seed(spec: CandidateSpec, data: LabData, seed: int, test: Any, config: TrainConfig, epochs: int,
              run_dir: Path, emit: Callable[[ProgressEvent], None], stop: threading.Event | None, first_seed: int,
              reuse: keras.Model | None = None) -> tuple[SeedRun, keras.Model]:
    """Train one seed of a candidate; with `reuse` (the previous seed's compiled model of the same shape),
    in that model reset to this seed's fresh start, so its traced training step serves again."""
    r = _seeded(spec, data, config, seed, test, profile=seed == first_seed)
    if reuse is not None and _same_shapes(reuse, r.model):
        _start_from(reuse, r.model)
        r.model = reuse
    else:
        r.model.compile(optimizer=optimizer_for(spec, config), loss="sparse_categorical_crossentropy",
                        metrics=["accuracy"])
    tracker = SeedTracker(spec.choice, epochs, emit, stop, seed)
    callbacks: list[keras.callbacks.Callback] = [tracker, ScalarLogger(run_dir / "logs" / spec.choice / f"seed{seed}",
                                                                       tracker)]
    patience = spec.options.get("early_stopping")
    if patience:
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
                                                       restore_best_weights=True))
    r.model.fit(r.train, validation_data=r.validation, epochs=epochs, verbose=0, callbacks=callbacks, shuffle=False)
    run = _measure(spec, r, tracker.history, not tracker.stopped, run_dir, costs=seed == first_seed)
    return run, r.model


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


def _measure(spec: CandidateSpec, r: _Seeded, history: list[EpochMetrics], completed: bool, run_dir: Path,
             costs: bool) -> SeedRun:
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
        if spec.decision == "overfitting":  # training accuracy of the weights kept, without dropout
            train_accuracy = _scores(model, *training_arrays(spec, data))[1]
        if r.test is not None:
            test_loss, test_accuracy = _scores(model, *r.test)
    model_path = run_dir / f"{spec.choice}.keras"
    if costs:
        model.save(model_path)
    extras = extras_for(spec, model, data, history)
    if r.profile:
        extras["gradient_profile"] = r.profile  # at initialisation
        extras["gradient_profile_trained"] = gradient_profile(model, data.x_val[:64])
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
    spec: CandidateSpec, datas: list[LabData], config: TrainConfig, epochs: int, seeds: list[int], run_dir: Path,
    recommended: bool, emit: Callable[[ProgressEvent], None], stop: threading.Event | None,
    tests: list[tuple[np.ndarray, np.ndarray] | None] | None = None,
) -> CandidateResult:
    """Fit one candidate once per seed (seed k on `datas[k]`) and measure each.

    The seeds train one after another in one compiled model whose weights and optimizer are reset to
    each seed's fresh start, so the training step is traced once per candidate, not per seed; a seed
    reproduces its standalone run (tests/lab/test_harness.py). Training the seeds side by side as
    replicas in one model was tried and dropped: on this 2-core CPU it was 10-40% slower (bench notes in
    README). `tests[k]`, when given, is seed k's held-out test split: scored once at the end, never used
    to choose.
    """
    tests = tests or [None] * len(seeds)
    started = time.perf_counter()
    runs: list[SeedRun] = []
    first: keras.Model | None = None  # the first seed's model: its size is the candidate's
    model: keras.Model | None = None  # the latest compiled model, reused by the next seed when shapes match
    for data, seed, test in zip(datas, seeds, tests, strict=True):
        if runs and stop is not None and stop.is_set():
            break
        run, model = _fit_seed(spec, data, seed, test, config, epochs, run_dir, emit, stop, first_seed=seeds[0],
                               reuse=model)
        runs.append(run)
        first = first or model
    assert first is not None  # noqa: S101 - at least one group always runs
    shared = {"latency_ms_per_example": runs[0].latency_ms_per_example, "size_bytes": runs[0].size_bytes}
    runs = [runs[0], *(run.model_copy(update=shared) for run in runs[1:])]
    result = CandidateResult(
        choice=spec.choice, label=spec.label, changes=spec.changes, recommended=recommended, runs=runs,
        params=int(first.count_params()),
        trainable_params=int(sum(np.prod(w.shape) for w in first.trainable_weights)),
        code=render_script(spec, datas[0], config, epochs, seeds[0]), wall_seconds=time.perf_counter() - started,
    )
    return result


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
