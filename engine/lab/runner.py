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

from .builders import build_model
from .callbacks import ReplicaTracker, ScalarLogger
from .codegen import render_script
from .datasets import LabData
from .measures import extras_for, gradient_profile
from .optimizers import make_optimizer
from .results import CandidateResult, EpochMetrics, ProgressEvent, SeedRun
from .specs import CandidateSpec, TrainConfig

_DETERMINISM = {"on": False}
# XLA per decision, where it paid on this 2-core CPU (measured with the default data, load average ~8): the
# GRU candidate's comparison took 3.8 s with XLA against 6.4 s without (1 seed), 8.2 s against 15.6 s (3
# seeds). For the small dense networks of overfitting the compile cost was not repaid (16 s against 9 s).
JIT_COMPILE: dict[str, bool] = {"sequence_model": True}


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
    `keras.utils.set_random_seed(seed)`, as `_replica` does, so a replica's batches equal a standalone run's.
    """
    train = (tf.data.Dataset.from_tensor_slices((x, y)).cache()
             .shuffle(len(x), seed=seed, reshuffle_each_iteration=True).batch(batch_size))
    validation = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(512).cache()
    return train, validation


@dataclass
class _Replica:
    seed: int
    data: LabData
    model: keras.Model
    train: tf.data.Dataset
    validation: tf.data.Dataset
    n_train: int
    profile: list[float] | None
    test: tuple[np.ndarray, np.ndarray] | None = None  # held out: chose nothing, only scored at the end


def _replica(spec: CandidateSpec, data: LabData, config: TrainConfig, seed: int, suffix: str,
             test: tuple[np.ndarray, np.ndarray] | None, profile: bool) -> _Replica:
    """Seed, build, then make the pipelines, in the order a standalone run does (same init, same batches)."""
    keras.utils.set_random_seed(seed)
    model = build_model(spec, data, suffix=suffix)
    gradients = gradient_profile(model, data.x_val[:64]) if profile and spec.decision == "sequence_model" else None
    x, y = training_arrays(spec, data)
    train, validation = pipelines(x, y, data.x_val, data.y_val, config.batch_size, seed)
    return _Replica(seed, data, model, train, validation, len(x), gradients, test)


def _zip(datasets: list[tf.data.Dataset]) -> tf.data.Dataset:
    """N (x, y) pipelines as one of ((x1..xN), (y1..yN)): each replica keeps its own batches."""
    return tf.data.Dataset.zip(tuple(datasets)).map(
        lambda *pairs: (tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)))


def together(spec: CandidateSpec, datas: list[LabData]) -> bool:
    """Whether the seeds of `spec` can train as replicas of one model (same batch count per epoch).

    Early stopping cannot: each seed stops at its own epoch, so those seeds train one after another.
    """
    if len(datas) < 2 or spec.options.get("early_stopping"):
        return False
    sizes = {len(training_arrays(spec, d)[0]) for d in datas}
    return len(sizes) == 1 and len({len(d.x_val) for d in datas}) == 1


def _group(spec: CandidateSpec, datas: list[LabData], seeds: list[int], tests: list[Any], config: TrainConfig,
           epochs: int, run_dir: Path, emit: Callable[[ProgressEvent], None], stop: threading.Event | None,
           first_seed: int, reuse: keras.Model | None = None) -> tuple[list[SeedRun], keras.Model]:
    """Train the seeds of one candidate together, as independent replicas in one Keras model.

    Each replica is the candidate's own model (its own weights, initialised from its seed) reading its own
    data and batches; the replicas' losses are summed, so each weight's gradient comes from its own replica
    only and Adam treats every weight separately: a replica follows the same path as a standalone run
    (tests/lab/test_harness.py checks it). One fit call for N seeds shares the per-step overhead.
    """
    suffix = len(seeds) > 1
    replicas = [_replica(spec, d, config, s, f"seed{s}" if suffix else "", t, profile=s == first_seed)
                for d, s, t in zip(datas, seeds, tests, strict=True)]
    if len(replicas) == 1:
        combined = replicas[0].model
        train, validation = replicas[0].train, replicas[0].validation
    else:
        inputs = [keras.Input(shape=r.model.inputs[0].shape[1:], dtype=r.model.inputs[0].dtype, name=f"input_{k}")
                  for k, r in enumerate(replicas)]
        combined = keras.Model(inputs, [r.model(i) for r, i in zip(replicas, inputs, strict=True)],
                               name=f"{spec.choice}_replicas")
        train, validation = _zip([r.train for r in replicas]), _zip([r.validation for r in replicas])
    n = len(replicas)
    if n == 1 and reuse is not None and _same_shapes(reuse, combined):
        _start_from(reuse, combined)  # the traced training step of the previous seed is used again
        combined = replicas[0].model = reuse
    else:
        combined.compile(optimizer=optimizer_for(spec, config),
                         loss=["sparse_categorical_crossentropy"] * n, metrics=[["accuracy"]] * n,
                         jit_compile=JIT_COMPILE.get(spec.decision, False))
    tracker = ReplicaTracker(spec.choice, epochs, emit, stop, [(r.seed, r.model) for r in replicas])
    callbacks: list[keras.callbacks.Callback] = [tracker]
    callbacks += [ScalarLogger(run_dir / "logs" / spec.choice / f"seed{r.seed}", tracker, r.seed) for r in replicas]
    patience = spec.options.get("early_stopping")
    if patience:  # only ever one replica (see `together`)
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
                                                       restore_best_weights=True))
    combined.fit(train, validation_data=validation, epochs=epochs, verbose=0, callbacks=callbacks, shuffle=False)
    runs = [_measure(spec, r, tracker.histories[r.seed], not tracker.stopped, run_dir, n, costs=r.seed == first_seed)
            for r in replicas]
    return runs, replicas[0].model


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
    """Cross-entropy and accuracy of the weights as they are now, without dropout."""
    probs = np.asarray(model.predict(x, batch_size=512, verbose=0), dtype="float64")
    picked = np.clip(probs[np.arange(len(y)), y], 1e-7, 1.0)
    return float(-np.mean(np.log(picked))), float(np.mean(np.argmax(probs, axis=1) == y))


def _measure(spec: CandidateSpec, r: _Replica, history: list[EpochMetrics], completed: bool, run_dir: Path,
             together_with: int, costs: bool) -> SeedRun:
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
    if together_with > 1:
        extras["trained_with_seeds"] = together_with
    # The first epoch also traces (and compiles) the step functions: leave it out when there are others.
    # With replicas trained together an epoch's time covers all of them: each seed is charged an equal share.
    steady = [h.seconds for h in history[1:]] or [h.seconds for h in history]
    seconds = statistics.median(steady) / together_with if history else 0.0
    return SeedRun(seed=r.seed, history=history, val_loss=val_loss, val_accuracy=val_accuracy,
                   train_accuracy=train_accuracy, test_loss=test_loss, test_accuracy=test_accuracy,
                   seconds_per_epoch=seconds,
                   latency_ms_per_example=latency_ms(model, data.x_val[:1]) if costs else None,
                   size_bytes=model_path.stat().st_size if costs else None,
                   model_path=str(model_path) if costs else None, completed=completed, extras=extras)


def train_candidate(
    spec: CandidateSpec, datas: list[LabData], config: TrainConfig, epochs: int, seeds: list[int], run_dir: Path,
    recommended: bool, emit: Callable[[ProgressEvent], None], stop: threading.Event | None,
    replicas: bool = False, tests: list[tuple[np.ndarray, np.ndarray] | None] | None = None,
) -> CandidateResult:
    """Fit one candidate once per seed (seed k on `datas[k]`) and measure each.

    By default the seeds train one after another in one compiled model whose weights and optimizer are
    reset to each seed's fresh start, so the training step is traced once per candidate, not per seed.
    `replicas=True` trains them side by side in one model instead; measured in bench/bench_training.py on
    this 2-core CPU it was slower (one graph of N recurrent loops traces and steps more slowly than N
    fits of one), so it is not the default. Both reproduce a standalone run (tests/lab/test_harness.py).
    `tests[k]`, when given, is seed k's held-out test split: scored once at the end, never used to choose.
    """
    tests = tests or [None] * len(seeds)
    started = time.perf_counter()
    groups = [list(range(len(seeds)))] if replicas and together(spec, datas) else [[k] for k in range(len(seeds))]
    runs: list[SeedRun] = []
    first: keras.Model | None = None
    reused: keras.Model | None = None
    for group in groups:
        if runs and stop is not None and stop.is_set():
            break
        done, model = _group(spec, [datas[k] for k in group], [seeds[k] for k in group], [tests[k] for k in group],
                             config, epochs, run_dir, emit, stop, first_seed=seeds[0], reuse=reused)
        runs.extend(done)
        first = first or model
        reused = model if len(group) == 1 else None
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
