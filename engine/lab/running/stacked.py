"""A candidate's S seeds trained in one fit of one seed-stacked model (seed_model.py), each seed its own run.

`fit_together` takes the S standalone models exactly as the one-after-another path prepares them (seed set,
model built, then its pipelines: so each seed's initial weights, dropout seed states and batch order are its
standalone run's), stacks them into one twin, feeds it the S training pipelines in step (each step's batches
concatenated seed-major; validation likewise) and trains all seeds in one `fit`. Each seed's callbacks (its
progress tracker, scalar logger and, when the candidate uses it, Keras' own EarlyStopping) see only that
seed's logs, through a `SeedView` standing in for a model. Afterwards each seed's trained weights go back
into its standalone model, which is compiled with its own optimizer holding that seed's slots, so it is
measured, saved and timed exactly as a seed trained alone.

Per-seed early stopping: a seed whose patience runs out keeps being carried by the shared fit (the seeds do
not interact, so it changes no other seed), but its history, progress and scalars end at its stop epoch,
its state at that epoch is kept, and its best weights are restored at the end, as Keras restores a standalone
model's. The fit ends when every seed has ended, or between epochs when the stop flag is set.

Timing: each seed's `seconds` per epoch is the shared epoch's wall time, which trains and validates all S
seeds; a single seed's own share cannot be separated from it (the Lab's speed verdicts use timing.py's
side-by-side measurement instead).
Imports TensorFlow: import only from inside training functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
import numpy as np
import tensorflow as tf

from .seed_model import SeedStackedModel, unstack, vectorise


def stacked_pipeline(datasets: Sequence[tf.data.Dataset], batch_size: int) -> tf.data.Dataset:
    """The seeds' pipelines in step: an element is every seed's next batch, concatenated seed-major.

    Taken in turn from each seed's pipeline (`batch_size` rows each; the last batch of a pass is as short in
    every seed, since their data are equally large) and cut into S times as large batches. Keras makes its
    iterators over it exactly as over a standalone pipeline, so each seed's shuffle draws the same orders.
    Measured on the branch that first tried this: zip + map(concat) costs 16 ms to start each iterator
    (tf.data sets the map's function up anew), this 5 ms.
    """
    turns = tf.data.Dataset.range(len(datasets)).repeat()
    merged = tf.data.Dataset.choose_from_datasets(list(datasets), turns).unbatch().batch(batch_size * len(datasets))
    # A known length, as a standalone pipeline's: Keras makes its iterators differently for an unknown one,
    # and every iterator made draws a new shuffle order.
    return merged.apply(tf.data.experimental.assert_cardinality(datasets[0].cardinality()))


class SeedView:
    """What a per-seed callback sees as its model: seed k's weights in the twin, and its own stop flag."""

    def __init__(self, vmodel: SeedStackedModel, k: int):
        self.vmodel, self.k = vmodel, k
        self.stop_training = False
        self.restored: list[np.ndarray] | None = None

    def get_weights(self) -> list[np.ndarray]:
        return [pair.part(self.k) for pair in self.vmodel.pairs]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        """Kept aside: applied to seed k's standalone model after training (`fit_together`)."""
        self.restored = weights


class PerSeed(keras.callbacks.Callback):
    """Hands each seed's part of the logs to its own callbacks; stops the fit when every seed has stopped."""

    def __init__(self, vmodel: SeedStackedModel, per_seed: list[list[keras.callbacks.Callback]]):
        super().__init__()
        self.views = [SeedView(vmodel, k) for k in range(len(per_seed))]
        self.per_seed = per_seed
        self.active = [True] * len(per_seed)
        self.frozen: dict[int, dict] = {}  # seed -> its weights, dropout states and optimizer state when it stopped
        for view, callbacks in zip(self.views, per_seed, strict=True):
            for callback in callbacks:
                callback.set_model(view)

    def on_train_begin(self, logs=None):
        for callbacks in self.per_seed:
            for callback in callbacks:
                callback.on_train_begin()

    def on_epoch_begin(self, epoch, logs=None):
        for k, callbacks in enumerate(self.per_seed):
            if self.active[k]:
                for callback in callbacks:
                    callback.on_epoch_begin(epoch)

    def on_epoch_end(self, epoch, logs=None):
        vmodel = self.model
        for k, callbacks in enumerate(self.per_seed):
            if not self.active[k]:
                continue
            own = vmodel.seed_logs(logs or {}, k)
            for callback in callbacks:
                callback.on_epoch_end(epoch, own)
            if self.views[k].stop_training:
                self.active[k] = False
                self.frozen[k] = _snapshot(vmodel, k)
        if not any(self.active):
            vmodel.stop_training = True

    def on_train_end(self, logs=None):
        for callbacks in self.per_seed:
            for callback in callbacks:
                callback.on_train_end()


def _snapshot(vmodel: SeedStackedModel, k: int) -> dict:
    """Seed k's whole trainable state in the twin now: weights, dropout seed states, optimizer slots."""
    return {"weights": [pair.part(k) for pair in vmodel.pairs],
            "generators": [np.asarray(group[k][0].numpy()) for group in vmodel.generators],
            "optimizer": [np.asarray(v.numpy()) for v in vmodel.optimizer.variables]}


def fit_together(models: list[keras.Model], trains: Sequence[tf.data.Dataset],
                 validations: Sequence[tf.data.Dataset], batch_sizes: tuple[int, int],
                 new_optimizer: Callable[[], keras.optimizers.Optimizer],
                 per_seed: list[list[keras.callbacks.Callback]], epochs: int) -> None:
    """Train the standalone `models` (seed k on `trains[k]`, validated on `validations[k]`, reporting to
    `per_seed[k]`) in one fit of their twin; afterwards each holds its trained (or restored) weights and is
    compiled with an optimizer holding its own state. Raises NotVectorisable before training anything when
    the models have no twin."""
    vmodel = vectorise(models)
    vmodel.compile(optimizer=new_optimizer(), loss="sparse_categorical_crossentropy")
    dispatch = PerSeed(vmodel, per_seed)
    train_batch, validation_batch = batch_sizes
    vmodel.fit(stacked_pipeline(trains, train_batch), validation_data=stacked_pipeline(validations, validation_batch),
               epochs=epochs, verbose=0, callbacks=[dispatch], shuffle=False)
    unstack(vmodel, models)
    for k, model in enumerate(models):
        frozen = dispatch.frozen.get(k)
        if frozen is not None:  # stopped early: its state when it stopped, not after being carried on
            _put(vmodel, k, frozen["weights"], frozen["generators"])
        if dispatch.views[k].restored is not None:
            _put(vmodel, k, dispatch.views[k].restored)
        model.compile(optimizer=new_optimizer(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        _copy_optimizer(vmodel, model, k, frozen["optimizer"] if frozen else None)


def _put(vmodel: SeedStackedModel, k: int, weights: list[np.ndarray],
         generators: list[np.ndarray] | None = None) -> None:
    """Set seed k's standalone weights (and dropout states) to values taken from the twin's seed slot."""
    for pair, value in zip(vmodel.pairs, weights, strict=True):
        pair.seeds[k].assign(value)
    for group, value in zip(vmodel.generators, generators or [], strict=False):
        group[k][1].assign(value)


def _copy_optimizer(vmodel: SeedStackedModel, model: keras.Model, k: int, values: list[np.ndarray] | None) -> None:
    """Build seed k's optimizer and give it seed k's slots of the twin's (step count and rate as they are)."""
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    pair_of = {id(pair.twin): pair for pair in vmodel.pairs}
    for twin, own in zip(vmodel.trainable_variables, model.trainable_variables, strict=True):
        if pair_of[id(twin)].seeds[k] is not own:
            raise RuntimeError(f"{model.name}: the twin's trainable variables are not in the standalone order")
    twin_vars = vmodel.optimizer.variables
    values = values if values is not None else [np.asarray(v.numpy()) for v in twin_vars]
    if len(twin_vars) != len(optimizer.variables):
        raise RuntimeError(f"{model.name}: the twin's optimizer has {len(twin_vars)} variables, a seed's "
                           f"{len(optimizer.variables)}")
    for target, value in zip(optimizer.variables, values, strict=True):
        value = np.asarray(value)
        target.assign(value if value.shape == tuple(target.shape) else
                      value.reshape((vmodel.seeds, *target.shape))[k])
