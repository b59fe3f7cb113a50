"""Train and measure every candidate of one comparison (the TensorFlow side of `train_comparison`).

Imports TensorFlow: `harness.py` imports this module only after the caller's turn in the queue came.
"""

from __future__ import annotations

import gc
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .builders import build_model
from .callbacks import RunTracker, ScalarLogger
from .codegen import render_script
from .datasets import LabData
from .measures import extras_for, gradient_profile
from .results import CandidateResult, ProgressEvent
from .specs import CandidateSpec, TrainConfig

_DETERMINISM = {"on": False}


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
    keras.utils.set_random_seed(seed)
    model = build_model(spec, data)
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def pipelines(x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray, batch_size: int,
              seed: int) -> tuple[tf.data.Dataset, tf.data.Dataset]:
    """Seeded, reshuffled-each-epoch training batches and fixed validation batches.

    Measured here: with small data, Keras' per-epoch handling of NumPy arrays costs about 2.5x the
    time of iterating a ready tf.data pipeline (0.15 s vs 0.06 s per epoch for 150 digits).
    """
    train = (tf.data.Dataset.from_tensor_slices((x, y)).cache()
             .shuffle(len(x), seed=seed, reshuffle_each_iteration=True).batch(batch_size))
    validation = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(512).cache()
    return train, validation


def train_candidate(
    spec: CandidateSpec, data: LabData, config: TrainConfig, epochs: int, seed: int, run_dir: Path,
    recommended: bool, emit: Callable[[ProgressEvent], None], stop: threading.Event | None,
) -> CandidateResult:
    """Fit one candidate, then measure it: final metrics, size on disk, latency, decision extras."""
    started = time.perf_counter()
    model = compiled_model(spec, data, config, seed)
    profile = gradient_profile(model, data.x_val[:64]) if spec.decision == "sequence_model" else None
    x, y = training_arrays(spec, data)
    tracker = RunTracker(spec.choice, epochs, emit, stop)
    callbacks: list[keras.callbacks.Callback] = [tracker, ScalarLogger(run_dir / "logs" / spec.choice)]
    patience = spec.options.get("early_stopping")
    if patience:
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
                                                       restore_best_weights=True))
    train, validation = pipelines(x, y, data.x_val, data.y_val, config.batch_size, seed)
    model.fit(train, validation_data=validation, epochs=epochs, verbose=0, callbacks=callbacks, shuffle=False)
    history = tracker.history
    completed = not tracker.stopped
    val_loss = val_accuracy = train_accuracy = None
    if history:
        last = history[-1]
        val_loss, val_accuracy, train_accuracy = last.val_loss, last.val_accuracy, last.accuracy
        if patience and len(history) < epochs:  # early stopping restored the best epoch's weights
            val_loss, val_accuracy = _evaluate(model, data.x_val, data.y_val)
        if spec.decision == "overfitting":  # training accuracy of the weights kept, without dropout
            train_accuracy = _evaluate(model, x, y)[1]
    model_path = run_dir / f"{spec.choice}.keras"
    model.save(model_path)
    extras = extras_for(spec, model, data, history)
    if profile:
        extras["gradient_profile"] = profile  # at initialisation
        extras["gradient_profile_trained"] = gradient_profile(model, data.x_val[:64])
    result = CandidateResult(
        choice=spec.choice, label=spec.label, changes=spec.changes, recommended=recommended,
        history=history, val_loss=val_loss, val_accuracy=val_accuracy, train_accuracy=train_accuracy,
        params=int(model.count_params()),
        trainable_params=int(sum(np.prod(w.shape) for w in model.trainable_weights)),
        seconds_per_epoch=statistics.median([h.seconds for h in history]) if history else 0.0,
        latency_ms_per_example=latency_ms(model, data.x_val[:1]),
        size_bytes=model_path.stat().st_size, model_path=str(model_path),
        code=render_script(spec, data, config, epochs, seed), completed=completed, extras=extras,
        wall_seconds=time.perf_counter() - started,
    )
    del model
    return result


def _evaluate(model: keras.Model, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    loss, accuracy = model.evaluate(x, y, batch_size=512, verbose=0)
    return float(loss), float(accuracy)


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
