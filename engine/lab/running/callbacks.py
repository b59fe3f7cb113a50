"""Keras callbacks the harness adds to every fit: per-epoch progress, the stop flag, TensorBoard scalars.

Imports TensorFlow: import only inside functions. The scalar logger uses TensorFlow's own summary
ops, so logs are written without the `tensorboard` package (which is only needed to view them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import keras
import tensorflow as tf
from tensorflow.core.framework import summary_pb2

from ..results.records import EpochMetrics, ProgressEvent

_SCALARS = summary_pb2.SummaryMetadata(
    plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))


class SeedTracker(keras.callbacks.Callback):
    """Records one seed's metrics per epoch, reports them, and ends training when `stop` is set."""

    def __init__(self, candidate: str, epochs: int, emit: Callable[[ProgressEvent], None],
                 stop: threading.Event | None, seed: int):
        super().__init__()
        self.candidate, self.epochs, self.emit, self.stop, self.seed = candidate, epochs, emit, stop, seed
        self.history: list[EpochMetrics] = []
        self.last_logs: dict[str, float] = {}
        self.stopped = False
        self._started = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        seconds = time.perf_counter() - self._started
        own = self.last_logs = {k: float(v) for k, v in (logs or {}).items()}
        self.history.append(EpochMetrics(
            epoch=epoch + 1, loss=own.get("loss", float("nan")), accuracy=own.get("accuracy", float("nan")),
            val_loss=own.get("val_loss"), val_accuracy=own.get("val_accuracy"), seconds=seconds))
        self.emit(ProgressEvent(phase="epoch", candidate=self.candidate, epoch=epoch + 1, epochs=self.epochs,
                                seed=self.seed, logs={**own, "seconds": seconds}))
        # The stop flag is read between epochs (each is well under a second here), so every epoch kept is whole
        # and nothing of the harness runs per batch (which keeps its cost next to a bare fit small).
        if self.stop is not None and self.stop.is_set() and epoch + 1 < self.epochs:
            self.stopped = True
            self.model.stop_training = True


class ScalarLogger(keras.callbacks.Callback):
    """Writes epoch_loss/epoch_accuracy under log_dir/train and log_dir/validation, as Keras' TensorBoard does."""

    def __init__(self, log_dir: Path, tracker: SeedTracker):
        super().__init__()
        self.log_dir = Path(log_dir)
        self.tracker = tracker  # reads the seed's logs as the tracker kept them (callbacks run in order)
        self._writers: dict[str, tf.summary.SummaryWriter] = {}

    def on_train_begin(self, logs=None):
        self._writers = {split: tf.summary.create_file_writer(str(self.log_dir / split))
                         for split in ("train", "validation")}

    def on_epoch_end(self, epoch, logs=None):
        for key, value in self.tracker.last_logs.items():
            split, name = ("validation", key[4:]) if key.startswith("val_") else ("train", key)
            with self._writers[split].as_default():
                tf.summary.write(f"epoch_{name}", tf.constant(float(value)), step=epoch, metadata=_SCALARS)

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
