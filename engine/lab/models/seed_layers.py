"""Seed-axis twins of the Keras layers with weights or randomness: one layer holding S seeds' weights.

A twin takes the seed-stacked batch its standalone layer would take S times over, (S*B, ...) with rows
[k*B:(k+1)*B] seed k's, and returns (S*B, ...), so the functional graph keeps the standalone model's shapes
and masks, and every layer without weights (pooling, attention arithmetic, activations, masks) serves all
seeds unchanged. A twin's weights carry a leading seed axis, (S, *standalone shape), and each op on them is
one batched op over that axis: seed k's rows, reshaped to (S, rows, features), meet seed k's kernel in one
`matmul` / `einsum`, so S seeds cost one op, not S.

Not bit for bit: a batched matmul may use another CPU kernel (another summation order) than the standalone
(rows, features) x (features, units) one, so a seed's numbers match its standalone run to float rounding,
which training then amplifies as any change of summation order does. tests/lab/test_stacked.py states the
tolerance per decision. Dropout is exact: each seed draws its masks from its own standalone layer's seed
state, with the same op on the same shape.

Weight layout: a twin variable holds the S standalone values as `np.stack(values).reshape(twin.shape)`:
(S, *shape), except embedding tables, stored folded as (S*V, D) (rows k*V..(k+1)*V-1 are seed k's) and read
with offset ids, so an embedding's gradient stays the sparse row update (IndexedSlices) Keras' optimizers
apply to a standalone table. Gathers copy values, so one gather serves all seeds.
Imports TensorFlow: import only from inside training functions.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops


class NotVectorisable(Exception):
    """The model has a layer (or a setting) with no seed-axis twin; train its seeds one after another."""


def split_seeds(x, seeds: int):
    """(S*B, *rest) -> (S, B, *rest)."""
    return tf.reshape(x, tf.concat([[seeds, -1], tf.shape(x)[1:]], 0))


def merge_seeds(x):
    """(S, B, *rest) -> (S*B, *rest)."""
    return tf.reshape(x, tf.concat([[-1], tf.shape(x)[2:]], 0))


def seed_matmul(x, kernel, bias=None):
    """(S*B, ..., n) rows times each seed's (n, m) kernel of `kernel` (S, n, m), plus each seed's (m,) bias of
    `bias` (S, m): one batched matmul and one broadcast add. Rank-2 rows (Dense on features, every recurrent
    step) reshape with static shapes only, which keeps the traced step small."""
    seeds, width = kernel.shape[0], kernel.shape[-1]
    y = tf.matmul(tf.reshape(x, [seeds, -1, kernel.shape[1]]), kernel)
    if bias is not None:
        y = y + tf.expand_dims(bias, 1)
    return tf.reshape(y, [-1, width] if len(x.shape) == 2 else tf.concat([tf.shape(x)[:-1], [width]], 0))


def seed_bias(y, bias):
    """Add each seed's bias (S, *shape) to its rows of y (S*B, ..., *shape)."""
    seeds = bias.shape[0]
    stacked = split_seeds(y, seeds)
    ones = [1] * (len(y.shape) + 1 - len(bias.shape))
    return merge_seeds(stacked + tf.reshape(bias, [seeds, *ones, *bias.shape[1:]]))


def _plain(layer: layers.Layer, settings: tuple[str, ...]) -> None:
    """Refuse a standalone layer with a setting the twin does not repeat (constraints, LoRA, quantization...)."""
    for name in settings:
        if getattr(layer, name, None):
            raise NotVectorisable(f'layer "{layer.name}" ({type(layer).__name__}) uses {name}, which has no twin')


_PLAIN_DENSE = ("kernel_constraint", "bias_constraint", "activity_regularizer", "lora_rank", "quantization_mode")


class SeedProjection(layers.Layer):
    """Twin of Dense and of the EinsumDense projections in MultiHeadAttention.

    Input (S*B, *free, *contracted); kernel (S, *contracted, *out); output (S*B, *free, *out): one batched
    matmul (Dense) or one einsum with a seed letter added to the standalone equation (EinsumDense).
    """

    def __init__(self, seeds: int, kernel_shape: tuple, use_bias: bool, activation=None, equation: str | None = None,
                 bias_shape: tuple | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seeds, self.kernel_shape = seeds, tuple(int(d) for d in kernel_shape)
        self.use_bias, self.equation = use_bias, equation
        self.bias_shape = tuple(bias_shape) if bias_shape is not None else self.kernel_shape[-1:]
        self.activation = keras.activations.get(activation)
        self.supports_masking = True
        self.regularizers: tuple = (None, None)  # the standalone layer's (kernel, bias) regularizers
        self.seed_equation = None if equation is None else _with_seed_axis(equation)

    @classmethod
    def of_dense(cls, layer: layers.Dense, seeds: int) -> SeedProjection:
        _plain(layer, _PLAIN_DENSE)
        twin = cls(seeds, tuple(layer.kernel.shape), layer.use_bias, layer.activation, name=layer.name)
        twin.regularizers = (layer.kernel_regularizer, layer.bias_regularizer)
        return twin

    @classmethod
    def of_einsum(cls, layer: layers.EinsumDense, seeds: int) -> SeedProjection:
        _plain(layer, _PLAIN_DENSE)
        bias = getattr(layer, "bias", None)
        twin = cls(seeds, tuple(layer.kernel.shape), bias is not None, layer.activation, equation=layer.equation,
                   bias_shape=None if bias is None else tuple(bias.shape), name=layer.name)
        twin.regularizers = (layer.kernel_regularizer, layer.bias_regularizer)
        return twin

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(self.seeds, *self.kernel_shape), initializer="zeros", name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.seeds, *self.bias_shape), initializer="zeros", name="bias")

    def penalties(self) -> list[tuple[keras.Variable, object]]:
        """(twin variable, the standalone layer's regularizer for it), for the seed-stacked model's loss."""
        found = zip((self.kernel, self.bias), self.regularizers, strict=True)
        return [(variable, reg) for variable, reg in found if variable is not None and reg is not None]

    def call(self, inputs):
        if self.equation is None:
            y = seed_matmul(inputs, self.kernel, self.bias)
        else:
            y = merge_seeds(tf.einsum(self.seed_equation, split_seeds(inputs, self.seeds), self.kernel))
            if self.bias is not None:
                y = seed_bias(y, self.bias)
        return self.activation(y) if self.activation is not None else y

    def compute_output_shape(self, input_shape):
        if self.equation is not None:  # only called inside MultiHeadAttention, which knows its shapes
            raise NotImplementedError
        return (*input_shape[:-1], self.kernel_shape[-1])


def _with_seed_axis(equation: str) -> str:
    """'abc,cde->abde' -> 'zabc,zcde->zabde': the same contraction, once per seed (a letter it does not use)."""
    letter = next(c for c in "zyxwvutsrqponmlkjihgfedcba" if c not in equation)
    inputs, output = equation.split("->")
    left, right = inputs.split(",")
    return f"{letter}{left},{letter}{right}->{letter}{output}"


class SeedEmbedding(layers.Layer):
    """Twin of Embedding: table (S*V, D), seed k's ids offset by k*V; the mask is the standalone one."""

    def __init__(self, seeds: int, input_dim: int, output_dim: int, mask_zero: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.seeds, self.input_dim, self.output_dim, self.mask_zero = seeds, input_dim, output_dim, mask_zero

    @classmethod
    def of(cls, layer: layers.Embedding, seeds: int) -> SeedEmbedding:
        _plain(layer, ("embeddings_constraint", "activity_regularizer", "lora_rank", "quantization_mode",
                       "embeddings_regularizer"))
        return cls(seeds, layer.input_dim, layer.output_dim, layer.mask_zero, name=layer.name,
                   trainable=layer.trainable)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(shape=(self.seeds * self.input_dim, self.output_dim), initializer="zeros",
                                          name="embeddings")

    def lookup(self, ids):
        """Rows of each seed's own table for `ids` (S, ...) of per-seed ids (as standalone: take along axis 0)."""
        if ids.dtype not in ("int32", "int64"):
            ids = ops.cast(ids, "int32")
        ids = ops.where(ops.less(ids, 0), ids + self.input_dim, ids)  # take's negative-index rule, per seed
        offsets = ops.reshape(ops.arange(self.seeds, dtype=ids.dtype) * self.input_dim,
                              (self.seeds,) + (1,) * (len(ids.shape) - 1))
        return ops.take(self.embeddings, ids + offsets, axis=0)

    def call(self, inputs):
        return merge_seeds(self.lookup(split_seeds(inputs, self.seeds)))

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0) if self.mask_zero else None

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)


class SeedTokenAndPositionEmbedding(layers.Layer):
    """Twin of layers.TokenAndPositionEmbedding: per-seed token and position tables."""

    def __init__(self, seeds: int, vocab_size: int, max_len: int, d_model: int, **kwargs):
        super().__init__(**kwargs)
        self.seeds, self.max_len = seeds, max_len
        self.tokens = SeedEmbedding(seeds, vocab_size, d_model, mask_zero=True)
        self.positions = SeedEmbedding(seeds, max_len, d_model)

    @classmethod
    def of(cls, layer, seeds: int) -> SeedTokenAndPositionEmbedding:
        return cls(seeds, layer.vocab_size, layer.max_len, layer.d_model, name=layer.name)

    def build(self, input_shape):
        self.tokens.build(input_shape)
        self.positions.build((self.max_len,))

    def call(self, inputs):
        length = ops.shape(inputs)[-1]
        tokens = self.tokens.lookup(split_seeds(inputs, self.seeds))  # (S, B, T, D)
        positions = self.positions.lookup(ops.tile(ops.expand_dims(ops.arange(length), 0), (self.seeds, 1)))
        return merge_seeds(tokens + ops.expand_dims(positions, 1))  # (S, 1, T, D) broadcast over each seed's B

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.tokens.output_dim)


class SeedDropout(layers.Layer):
    """Twin of Dropout: S standalone Dropout layers, seed k's drawing its masks for seed k's rows only.

    Each holds the SeedGenerator state of seed k's standalone layer, so it draws the same masks with the
    same op and shape, in the same order: dropout is exactly the standalone run's.
    """

    def __init__(self, seeds: int, rate: float, noise_shape=None, **kwargs):
        super().__init__(**kwargs)
        self.seeds, self.rate = seeds, rate
        self.supports_masking = True
        self.copies = [layers.Dropout(rate, noise_shape=noise_shape, seed=0) for _ in range(seeds)]

    @classmethod
    def of(cls, layer: layers.Dropout, seeds: int) -> SeedDropout:
        return cls(seeds, layer.rate, layer.noise_shape, name=layer.name)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        parts = ops.split(inputs, self.seeds, axis=0)
        return ops.concatenate([copy(part, training=training) for copy, part in zip(self.copies, parts,
                                                                                      strict=True)], axis=0)

    def compute_output_shape(self, input_shape):
        return input_shape


class SeedLayerNormalization(layers.Layer):
    """Twin of LayerNormalization over the last axis: Keras' own arithmetic (moments, x * inv + res) with
    each seed's scale and offset broadcast over its rows."""

    def __init__(self, seeds: int, epsilon: float, center: bool, scale: bool, **kwargs):
        super().__init__(**kwargs)
        self.seeds, self.epsilon, self.center, self.scale = seeds, epsilon, center, scale
        self.supports_masking = True

    @classmethod
    def of(cls, layer: layers.LayerNormalization, seeds: int) -> SeedLayerNormalization:
        axes = layer.axis if isinstance(layer.axis, (list, tuple)) else [layer.axis]
        rank = len(layer.input.shape)
        if [a % rank for a in axes] != [rank - 1] or layer.rms_scaling:
            raise NotVectorisable(f'layer "{layer.name}": layer normalization over axes {axes} or with rms_scaling')
        _plain(layer, ("gamma_regularizer", "beta_regularizer", "gamma_constraint", "beta_constraint"))
        return cls(seeds, layer.epsilon, layer.center, layer.scale, name=layer.name)

    def build(self, input_shape):
        dim = (self.seeds, input_shape[-1])
        self.gamma = self.add_weight(shape=dim, initializer="zeros", name="gamma") if self.scale else None
        self.beta = self.add_weight(shape=dim, initializer="zeros", name="beta") if self.center else None

    def call(self, inputs):
        x = split_seeds(inputs, self.seeds)  # (S, B, ..., D)
        per_seed = [self.seeds] + [1] * (len(inputs.shape) - 1) + [-1]
        mean, variance = ops.moments(x, axes=[-1], keepdims=True)
        inv = ops.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * tf.reshape(self.gamma, per_seed)
        res = -mean * inv
        if self.beta is not None:
            res = res + tf.reshape(self.beta, per_seed)
        return merge_seeds(x * inv + res)

    def compute_output_shape(self, input_shape):
        return input_shape


_PROJECTIONS = ("_query_dense", "_key_dense", "_value_dense", "_output_dense")


class SeedMultiHeadAttention(layers.MultiHeadAttention):
    """MultiHeadAttention for S seeds at once: Keras' own layer (same `call`, masks, causal mask, attention
    arithmetic, all per example) whose four projections become SeedProjections and whose attention-score
    dropout becomes a SeedDropout, right after Keras builds them."""

    def __init__(self, seeds: int, **config):
        super().__init__(**config)
        self.seeds = seeds

    @classmethod
    def of(cls, layer: layers.MultiHeadAttention, seeds: int) -> SeedMultiHeadAttention:
        config = layer.get_config()
        for name in ("kernel_constraint", "bias_constraint", "activity_regularizer", "kernel_regularizer",
                     "bias_regularizer"):
            if config.get(name):
                raise NotVectorisable(f'layer "{layer.name}" (MultiHeadAttention) uses {name}, which has no twin')
        if config.get("use_gate") or config.get("flash_attention"):
            raise NotVectorisable(f'layer "{layer.name}" (MultiHeadAttention) uses a gate or flash attention')
        return cls(seeds, **config)

    def build(self, query_shape, value_shape, key_shape=None):
        super().build(query_shape, value_shape, key_shape)
        for attr in _PROJECTIONS:
            twin = SeedProjection.of_einsum(getattr(self, attr), self.seeds)
            twin.build(None)  # the kernel's shape is the standalone one's, whatever the input
            self._swap(attr, twin)
        self._swap("_dropout_layer", SeedDropout.of(self._dropout_layer, self.seeds))

    def _swap(self, attr: str, twin: layers.Layer) -> None:
        """Replace a sublayer Keras just built by its twin, so only the twin's weights are tracked."""
        self._tracker.replace_tracked_value("layers", getattr(self, attr), twin)
        setattr(self, attr, twin)

    def get_config(self):
        return {**super().get_config(), "seeds": self.seeds}


class _SeedCell(layers.Layer):
    """What the three twin cells share: per-seed kernel (S, F, G*U), recurrent kernel (S, U, G*U) and bias.

    The cell runs inside Keras' own `keras.layers.RNN`, so the time loop, masking (a masked step keeps the
    previous state) and return_sequences are exactly the standalone layer's on a CPU (where LSTM and GRU
    fall back from cuDNN to that loop); each step's matmuls are batched over the seed axis, and the gates
    (Keras' `implementation=2` arithmetic) run once for all rows.
    """

    gates = 1

    def __init__(self, seeds: int, units: int, activation, recurrent_activation=None, use_bias: bool = True,
                 reset_after: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.seeds, self.units, self.use_bias, self.reset_after = seeds, units, use_bias, reset_after
        self.activation = keras.activations.get(activation)
        self.recurrent_activation = keras.activations.get(recurrent_activation)
        self.state_size = units
        self.output_size = units
        self.regularizers: tuple = (None, None, None)  # the standalone cell's (kernel, recurrent, bias) ones

    @classmethod
    def of(cls, cell: layers.Layer, seeds: int, layer: str) -> _SeedCell:
        """The twin of `cell`, the cell of recurrent layer `layer` (named in any refusal)."""
        if getattr(cell, "dropout", 0) or getattr(cell, "recurrent_dropout", 0):
            raise NotVectorisable(f'layer "{layer}": dropout inside a recurrent cell has no seed-axis twin')
        if getattr(cell, "implementation", 2) != 2:
            raise NotVectorisable(f'layer "{layer}": implementation {cell.implementation} has no seed-axis twin')
        for name in ("kernel_constraint", "recurrent_constraint", "bias_constraint"):
            if getattr(cell, name, None) is not None:
                raise NotVectorisable(f'layer "{layer}" uses {name}, which has no seed-axis twin')
        twin = cls(seeds, cell.units, cell.activation, getattr(cell, "recurrent_activation", None), cell.use_bias,
                   getattr(cell, "reset_after", False), name=cell.name)
        twin.regularizers = (cell.kernel_regularizer, cell.recurrent_regularizer, cell.bias_regularizer)
        return twin

    def build(self, input_shape):
        width = self.gates * self.units
        shapes = {"kernel": (input_shape[-1], width), "recurrent_kernel": (self.units, width),
                  "bias": ((2, width) if self.reset_after else (width,))}
        if not self.use_bias:
            shapes.pop("bias")
        for name, shape in shapes.items():
            setattr(self, name, self.add_weight(shape=(self.seeds, *shape), initializer="zeros", name=name))
        if not self.use_bias:
            self.bias = None

    def penalties(self) -> list[tuple[keras.Variable, object]]:
        """(twin variable, the standalone cell's regularizer for it), for the seed-stacked model's loss."""
        found = zip((self.kernel, self.recurrent_kernel, self.bias), self.regularizers, strict=True)
        return [(variable, reg) for variable, reg in found if variable is not None and reg is not None]


class SeedSimpleRNNCell(_SeedCell):
    """Twin of SimpleRNNCell: output = activation((x.K + b) + h.R)."""

    def call(self, inputs, states, training=False):
        prev = states[0] if isinstance(states, (list, tuple)) else states
        output = seed_matmul(inputs, self.kernel, self.bias) + seed_matmul(prev, self.recurrent_kernel)
        if self.activation is not None:
            output = self.activation(output)
        return output, [output] if isinstance(states, (list, tuple)) else output


class SeedLSTMCell(_SeedCell):
    """Twin of LSTMCell (implementation 2): z = (x.K + h.R) + b, then the four gates."""

    gates = 4

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state_size = [self.units, self.units]

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        seeds, width = self.seeds, self.gates * self.units
        z = (tf.matmul(tf.reshape(inputs, [seeds, -1, self.kernel.shape[1]]), self.kernel)
             + tf.matmul(tf.reshape(h_tm1, [seeds, -1, self.units]), self.recurrent_kernel))
        if self.bias is not None:  # (x.K + h.R) + b, the standalone cell's order
            z = z + tf.expand_dims(self.bias, 1)
        z = tf.reshape(z, [-1, width])
        z0, z1, z2, z3 = ops.split(z, 4, axis=1)
        i = self.recurrent_activation(z0)
        f = self.recurrent_activation(z1)
        c = f * c_tm1 + i * self.activation(z2)
        o = self.recurrent_activation(z3)
        h = o * self.activation(c)
        return h, [h, c]


class SeedGRUCell(_SeedCell):
    """Twin of GRUCell (implementation 2), with or without reset_after."""

    gates = 3

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h_tm1 = states[0] if nested else states
        u = self.units
        input_bias = recurrent_bias = None
        if self.bias is not None:
            input_bias, recurrent_bias = ((self.bias[:, 0], self.bias[:, 1]) if self.reset_after
                                          else (self.bias, None))
        matrix_x = seed_matmul(inputs, self.kernel, input_bias)
        x_z, x_r, x_h = ops.split(matrix_x, 3, axis=-1)
        if self.reset_after:
            matrix_inner = seed_matmul(h_tm1, self.recurrent_kernel, recurrent_bias)
        else:
            matrix_inner = seed_matmul(h_tm1, self.recurrent_kernel[:, :, : 2 * u])
        recurrent_z, recurrent_r = matrix_inner[:, :u], matrix_inner[:, u: 2 * u]
        z = self.recurrent_activation(x_z + recurrent_z)
        r = self.recurrent_activation(x_r + recurrent_r)
        if self.reset_after:
            recurrent_h = r * matrix_inner[:, 2 * u:]
        else:
            recurrent_h = seed_matmul(r * h_tm1, self.recurrent_kernel[:, :, 2 * u:])
        hh = self.activation(x_h + recurrent_h)
        h = z * h_tm1 + (1 - z) * hh
        return h, [h] if nested else h


_CELLS = {layers.SimpleRNN: SeedSimpleRNNCell, layers.LSTM: SeedLSTMCell, layers.GRU: SeedGRUCell}


def seed_rnn(layer: layers.RNN, seeds: int) -> layers.RNN:
    """Keras' RNN layer around the twin of `layer`'s cell, with `layer`'s own loop settings and name."""
    twin_cell = _CELLS.get(type(layer))
    if twin_cell is None:
        raise NotVectorisable(f'layer "{layer.name}" ({type(layer).__name__}) has no seed-axis twin')
    if layer.stateful or layer.return_state:
        raise NotVectorisable(f'layer "{layer.name}": a stateful RNN or one returning its states has no twin')
    return layers.RNN(twin_cell.of(layer.cell, seeds, layer.name), return_sequences=layer.return_sequences,
                      go_backwards=layer.go_backwards, unroll=layer.unroll,
                      zero_output_for_mask=layer.zero_output_for_mask, name=layer.name)
