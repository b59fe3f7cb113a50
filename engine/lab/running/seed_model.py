"""One Keras model holding S seeds of a candidate: derived from the S standalone models, trained as one.

`vectorise(models)` walks the first standalone model's functional graph (`keras.models.clone_model` with a
clone function) and puts a seed-axis twin (engine/lab/models/seed_layers.py) in place of every layer with
weights or randomness; layers without either that treat each example on its own are cloned as they are.
The twin is fed the S seeds' batches stacked along the batch axis (rows [k*B:(k+1)*B] are seed k's), so its
shapes and masks are the standalone graph's. Seed k's weights, and the seed states its dropout draws from,
are copied into slot k of the twin's; `unstack` copies them back, so everything measured after training
(saving, latency, gradient profiles, weight statistics, attention shares) runs on the ordinary standalone
models. The model code is written once, in each decision's builder: there is no hand-written twin model.

Training minimises the sum over seeds of each seed's own loss (its mean cross-entropy over its own rows,
masked as Keras masks a standalone loss, plus its own weight penalties), so each seed's gradient is its
standalone gradient; every optimizer here updates each element on its own (SGD, momentum, RMSprop, Adam,
AdamW), so each seed's optimizer state stays its own. Each seed's running-mean loss and accuracy are kept
as a standalone fit keeps them, logged as `seed{k}_loss` / `seed{k}_accuracy` (and `val_...`).

What cannot be vectorised raises NotVectorisable naming the layer (the caller trains those seeds one after
another): a layer type with no twin (e.g. BatchNormalization, convolutions), recurrent dropout, constraints,
activity regularisers, stateful RNNs, and seeds whose weights differ in shape (a text data set whose
vocabulary differs between seeds' draws).
Imports TensorFlow: import only from inside training functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops
from keras.src.backend import get_keras_mask  # the mask Keras attaches to an output, as its own losses read it

from ..models.layers import OneHot, TokenAndPositionEmbedding
from ..models.seed_layers import (
    NotVectorisable,
    SeedDropout,
    SeedEmbedding,
    SeedLayerNormalization,
    SeedMultiHeadAttention,
    SeedProjection,
    SeedTokenAndPositionEmbedding,
    seed_rnn,
)

# Layers without weights or randomness that treat each example on its own: the same layer serves a
# seed-stacked batch (B rows per seed) unchanged.
PER_EXAMPLE = (layers.InputLayer, layers.Flatten, layers.Reshape, layers.Permute, layers.GlobalAveragePooling1D,
               layers.GlobalMaxPooling1D, layers.GlobalAveragePooling2D, layers.GlobalMaxPooling2D, layers.Add,
               layers.Subtract, layers.Multiply, layers.Average, layers.Concatenate, layers.Activation,
               layers.ReLU, layers.Softmax, layers.Masking, layers.Attention, layers.Identity, OneHot)

# Elementwise (or identity) ops Keras records as graph nodes when a layer's mask is passed on (e.g. not_equal(ids, 0)).
ELEMENTWISE_OPS = {"NotEqual", "Equal", "Cast", "ConvertToTensor", "LogicalAnd", "LogicalOr", "LogicalNot", "Greater",
                   "Less"}

_TWINS = {layers.Dense: SeedProjection.of_dense, layers.Embedding: SeedEmbedding.of,
          TokenAndPositionEmbedding: SeedTokenAndPositionEmbedding.of, layers.Dropout: SeedDropout.of,
          layers.LayerNormalization: SeedLayerNormalization.of, layers.MultiHeadAttention: SeedMultiHeadAttention.of,
          layers.SimpleRNN: seed_rnn, layers.LSTM: seed_rnn, layers.GRU: seed_rnn}


def twin_of(layer: keras.Operation, seeds: int) -> keras.Operation:
    """The seed-axis twin of one standalone layer (a plain clone for a parameter-free per-example layer)."""
    if not isinstance(layer, layers.Layer) and type(layer).__name__ in ELEMENTWISE_OPS:
        return layer  # a keras.ops node: elementwise, so per example, and stateless
    make = _TWINS.get(type(layer))
    if make is not None:
        if getattr(layer, "activity_regularizer", None) is not None:
            raise NotVectorisable(f'layer "{layer.name}" ({type(layer).__name__}) has an activity regularizer')
        return make(layer, seeds)
    if type(layer) in PER_EXAMPLE and not layer.weights and not _generators(layer):
        return type(layer).from_config(layer.get_config())
    raise NotVectorisable(f'layer "{layer.name}" ({type(layer).__name__}) has no seed-axis twin')


@dataclass
class Pair:
    """A twin variable and the variable it stands for in each seed's model (value = stack, reshaped)."""

    twin: keras.Variable
    seeds: list[keras.Variable]

    def load(self) -> None:
        self.twin.assign(np.stack([np.asarray(v.numpy()) for v in self.seeds]).reshape(self.twin.shape))

    def part(self, k: int, value: np.ndarray | None = None) -> np.ndarray:
        """Seed k's slice of the twin's value (or of `value`, an array shaped like it)."""
        value = np.asarray(self.twin.numpy() if value is None else value)
        return value.reshape((len(self.seeds), *self.seeds[k].shape))[k]


@dataclass
class SeedLinks:
    """How the twin's state maps onto the standalone models'."""

    pairs: list[Pair] = field(default_factory=list)
    generators: list = field(default_factory=list)  # per dropout: [(twin copy's state, seed k's state)] by seed
    penalties: list = field(default_factory=list)  # (twin variable, the standalone regularizer for it)


class SeedMetrics(keras.metrics.Metric):
    """Every seed's running-mean loss and accuracy, in one (4, S) variable: loss totals, loss counts,
    accuracy totals, accuracy counts.

    Per seed the arithmetic of a standalone model's loss tracker (a mean weighted by the batch's rows) and
    of SparseCategoricalAccuracy (with a mask: right masked tokens over masked tokens). One metric rather
    than 2S, because Keras resets and reads every metric with eager ops each epoch.
    """

    def __init__(self, seeds: int, **kwargs):
        super().__init__(name="seed_metrics", **kwargs)
        self.seeds = seeds
        self.state = self.add_variable(shape=(4, seeds), initializer="zeros", name="state")

    def add(self, losses, rows, correct, counted) -> None:
        """Add this batch: each seed's loss (weighted by its `rows`), right predictions and predictions counted."""
        rows = ops.cast(ops.full((self.seeds,), rows), self.dtype)
        self.state.assign_add(ops.stack([ops.cast(losses, self.dtype) * rows, rows,
                                         ops.cast(correct, self.dtype), ops.cast(counted, self.dtype)]))

    def update_state(self, *args, **kwargs):
        raise NotImplementedError("SeedStackedModel updates SeedMetrics through add()")

    def result(self) -> dict:
        losses, accuracies = ops.unstack(ops.divide_no_nan(self.state[0::2], self.state[1::2]), 2)
        out = {f"seed{k}_loss": value for k, value in enumerate(ops.unstack(losses, self.seeds))}
        return out | {f"seed{k}_accuracy": value for k, value in enumerate(ops.unstack(accuracies, self.seeds))}

    def reset_state(self) -> None:
        self.state.assign(ops.zeros((4, self.seeds), dtype=self.dtype))


class SeedStackedModel(keras.Model):
    """A functional model over seed-stacked batches; `vectorise` makes it."""

    def __init__(self, inputs, outputs, seeds: int, **kwargs):
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.seeds = seeds
        self.seed_metrics = SeedMetrics(seeds)
        self.links = SeedLinks()  # set by vectorise (a plain object, so Keras does not track its variables)
        self._pending = None  # this step's per-seed losses, for compute_metrics

    @property
    def pairs(self) -> list[Pair]:
        return self.links.pairs

    @property
    def generators(self) -> list:
        return self.links.generators

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The sum over seeds of each seed's own loss: its mean cross-entropy over its rows (masked tokens left
        out, as Keras leaves them out of a standalone loss) plus its own weight penalties.

        One cross-entropy over all S*B rows (from the logits Keras keeps beside a softmax, as for a standalone
        output), then a mean per seed: S seeds add one reshape and one mean to the step, not S losses.
        """
        if sample_weight is not None:
            raise ValueError("A seed-stacked model takes no sample weights.")
        values = tf.reshape(keras.losses.sparse_categorical_crossentropy(y, y_pred), [self.seeds, -1])
        mask = get_keras_mask(y_pred)
        if mask is None:
            losses = tf.reduce_mean(values, axis=1)
        else:
            weights = tf.cast(tf.reshape(mask, [self.seeds, -1]), values.dtype)
            losses = tf.math.divide_no_nan(tf.reduce_sum(values * weights, axis=1), tf.reduce_sum(weights, axis=1))
        for variable, regularizer in self.links.penalties:  # each (S, ...): seed k's slice, its own penalty
            losses = losses + tf.stack([tf.cast(regularizer(w), values.dtype) for w in tf.unstack(variable)])
        self._pending = losses
        return tf.reduce_sum(losses)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        losses = self._pending
        right = tf.reshape(tf.cast(keras.metrics.sparse_categorical_accuracy(y, y_pred), losses.dtype),
                           [self.seeds, -1])
        mask = get_keras_mask(y_pred)
        counted = (tf.fill([self.seeds], tf.cast(tf.shape(right)[1], losses.dtype)) if mask is None
                   else tf.reduce_sum(tf.cast(tf.reshape(mask, [self.seeds, -1]), losses.dtype), axis=1))
        if mask is not None:
            right = right * tf.cast(tf.reshape(mask, [self.seeds, -1]), right.dtype)
        rows = tf.shape(y)[0] // self.seeds
        self.seed_metrics.add(losses, rows, tf.reduce_sum(right, axis=1), counted)
        return self.get_metrics_result()

    def seed_logs(self, logs: dict, k: int) -> dict[str, float]:
        """Seed k's part of an epoch's logs, under the names a standalone fit logs."""
        own = {}
        for prefix in ("", "val_"):
            for name in ("loss", "accuracy"):
                key = f"{prefix}seed{k}_{name}"
                if key in logs:
                    own[f"{prefix}{name}"] = float(logs[key])
        return own


def vectorise(models: list[keras.Model]) -> SeedStackedModel:
    """The twin of `models` (one standalone model per seed, built from the same spec), holding their weights."""
    first, seeds = models[0], len(models)
    for model in models[1:]:
        shapes = [[tuple(v.shape) for v in m.weights] for m in (first, model)]
        if shapes[0] != shapes[1] or len(model.layers) != len(first.layers):
            raise NotVectorisable("the seeds' models differ in shape (e.g. each seed's vocabulary has its own size)")
    twins: dict[int, layers.Layer] = {}

    def clone(layer: layers.Layer) -> layers.Layer:
        twins[id(layer)] = twin_of(layer, seeds)
        return twins[id(layer)]

    graph = keras.models.clone_model(first, clone_function=clone)
    vmodel = SeedStackedModel(graph.inputs, graph.outputs, seeds=seeds, name=f"{first.name}_x{seeds}")
    pairs, generators = [], []
    for i, layer in enumerate(first.layers):
        twin = twins.get(id(layer))
        if twin is None:  # the input layer
            continue
        per_seed = [m.layers[i] for m in models]
        for j, variable in enumerate(twin.weights):
            pairs.append(Pair(variable, [s.weights[j] for s in per_seed]))
        standalone_generators = zip(*(_generators(s) for s in per_seed), strict=True)  # per dropout, one a seed
        for twin_dropout, standalone in zip(_twin_dropouts(twin), standalone_generators, strict=True):
            generators.append([(copy.seed_generator.state, g.state)
                               for copy, g in zip(twin_dropout.copies, standalone, strict=True)])
    for pair in pairs:
        if int(np.prod(pair.twin.shape)) != seeds * int(np.prod(pair.seeds[0].shape)):
            raise NotVectorisable(f"{pair.twin.path}: twin shape {pair.twin.shape} for {pair.seeds[0].shape}")
        pair.load()
    for twin_state, state in (pair for group in generators for pair in group):
        twin_state.assign(state.numpy())
    penalties = [p for layer in vmodel._flatten_layers() if hasattr(layer, "penalties") for p in layer.penalties()]
    vmodel.links = SeedLinks(pairs, generators, penalties)
    return vmodel


def _generators(layer: layers.Layer) -> list:
    """The SeedGenerators a standalone layer's dropout draws from, in layer order."""
    if not isinstance(layer, layers.Layer):
        return []
    return [sub.seed_generator for sub in layer._flatten_layers() if type(sub) is layers.Dropout and sub.rate > 0]


def _twin_dropouts(layer: layers.Layer) -> list[SeedDropout]:
    if not isinstance(layer, layers.Layer):
        return []
    return [sub for sub in layer._flatten_layers() if isinstance(sub, SeedDropout) and sub.rate > 0]


def unstack(vmodel: SeedStackedModel, models: list[keras.Model], only: list[int] | None = None) -> None:
    """Copy the twin's trained weights and SeedGenerator states back into the standalone models."""
    seeds = range(len(models)) if only is None else only
    for pair in vmodel.pairs:
        value = pair.twin.numpy()
        for k in seeds:
            pair.seeds[k].assign(pair.part(k, value))
    for group in vmodel.generators:  # one [(twin copy's state, standalone state) per seed] per dropout
        for k in seeds:
            group[k][1].assign(group[k][0].numpy())
