"""Build each candidate's Keras model from its spec and the data it will see.

Every decision has one fixed architecture with a single slot; the spec fills only that slot, so the
candidates of a comparison differ in exactly one choice. Imports Keras: import only inside functions.
"""

from __future__ import annotations

import keras
from keras import layers, regularizers

from ...errors import DataError
from ..data.datasets import LabData
from ..models.layers import OneHot, TokenAndPositionEmbedding
from .specs import CandidateSpec

RNN_CELLS = {"simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}


def build_model(spec: CandidateSpec, data: LabData) -> keras.Model:
    """The uncompiled model for `spec` on `data`, named after the choice."""
    builder = {
        "text_encoding": _text_encoding,
        "sequence_model": _sequence_model,
        "overfitting": _overfitting,
        "attention_vs_transformer": _attention,
        "optimizer": _optimizer_network,
        "transformer_architecture": _tagger,
    }[spec.decision]
    inputs = _input(data)
    outputs = builder(spec.options, data, inputs)
    outputs = layers.Dense(data.n_classes, activation="softmax", name="classes")(outputs)
    return keras.Model(inputs, outputs, name=spec.choice)


def _input(data: LabData) -> keras.KerasTensor:
    if data.input_kind == "tokens":
        return keras.Input(shape=(data.seq_len,), dtype="int32", name="tokens")
    return keras.Input(shape=data.x_train.shape[1:], dtype="float32", name="inputs")


def _need_tokens(data: LabData, decision: str) -> None:
    if data.input_kind != "tokens":
        raise DataError(f'Data set "{data.name}" holds numbers, not text; {decision} needs token sequences.')


def _token_embedding(data: LabData, dim: int = 32):
    return layers.Embedding(data.vocab_size, dim, mask_zero=True, name="embedding")


def _text_encoding(options, data: LabData, x):
    _need_tokens(data, "text_encoding")
    encoding = options["encoding"]
    if encoding == "one_hot":
        h = OneHot(data.vocab_size, name="one_hot")(x)
    elif encoding == "learned":
        h = _token_embedding(data, options["embedding_dim"])(x)
    else:
        # "vectors": "word2vec" is the home-made candidate (word2vec on this data's training texts only).
        vectors = data.word2vec if options.get("vectors") == "word2vec" else data.embedding
        if vectors is None:
            raise DataError(f'Data set "{data.name}" has no pretrained vectors for the pretrained candidate.')
        embedding = layers.Embedding(data.vocab_size, vectors.shape[1], mask_zero=True,
                                     trainable=options["trainable"], name="pretrained_embedding")
        h = embedding(x)
        # Set after building rather than via a Constant initializer, which would copy the matrix into the config.
        embedding.set_weights([vectors])
    h = layers.GlobalAveragePooling1D(name="average")(h)
    return layers.Dense(32, activation="relu", name="hidden")(h)


def _recurrent(cell: str, units: int, return_sequences: bool = False, name: str = "recurrent"):
    return RNN_CELLS[cell](units, return_sequences=return_sequences, name=name)


def _sequence_model(options, data: LabData, x):
    h = _token_embedding(data)(x) if data.input_kind == "tokens" else x
    stack = int(options.get("stack", 1))
    for depth in range(stack):
        last = depth == stack - 1
        # Every layer but the last must hand its whole sequence to the next one.
        h = _recurrent(options["cell"], options["units"], return_sequences=not last,
                       name="recurrent" if last else f"recurrent_{depth + 1}")(h)
    return h


def _overfitting(options, data: LabData, x):
    if data.input_kind == "tokens":
        h = layers.GlobalAveragePooling1D(name="average")(_token_embedding(data)(x))
    elif data.input_kind == "features":
        h = layers.Flatten(name="flatten")(x)
    else:
        h = x
    l1, l2 = options.get("l1", 0.0), options.get("l2", 0.0)
    penalty = regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    for i in (1, 2):
        h = layers.Dense(256, activation="relu", kernel_regularizer=penalty, name=f"hidden_{i}")(h)
        if options.get("dropout"):
            h = layers.Dropout(options["dropout"], name=f"dropout_{i}")(h)
    return h


def _attention(options, data: LabData, x):
    _need_tokens(data, "attention_vs_transformer")
    arch = options["arch"]
    if arch == "transformer":
        d_model, heads, rate = options["d_model"], options["num_heads"], options["dropout"]
        h = TokenAndPositionEmbedding(data.vocab_size, data.seq_len, d_model, name="embedding")(x)
        attended = layers.MultiHeadAttention(heads, key_dim=d_model // heads, dropout=rate, name="self_attention")(h, h)
        h = layers.LayerNormalization(epsilon=1e-6, name="norm_1")(
            layers.Add(name="residual_1")([h, layers.Dropout(rate, name="dropout_1")(attended)]))
        ff = layers.Dense(4 * d_model, activation="relu", name="feed_forward")(h)
        ff = layers.Dropout(rate, name="dropout_2")(layers.Dense(d_model, name="project")(ff))
        h = layers.LayerNormalization(epsilon=1e-6, name="norm_2")(layers.Add(name="residual_2")([h, ff]))
        return layers.GlobalAveragePooling1D(name="average")(h)
    h = _token_embedding(data)(x)
    if arch == "rnn_attention":
        states = _recurrent("lstm", options["units"], return_sequences=True)(h)
        attended = layers.Attention(name="attention")([states, states])
        return layers.GlobalAveragePooling1D(name="average")(attended)
    return _recurrent(options["cell"], options["units"])(h)


def _optimizer_network(options, data: LabData, x):
    """A small MLP that every decent optimizer can fit: the comparison is about speed and state, not capacity."""
    h = x if data.input_kind == "flat" else layers.Flatten(name="flatten")(x)
    for i in (1, 2):
        h = layers.Dense(64, activation="relu", name=f"hidden_{i}")(h)
    return h


def _tagger(options, data: LabData, x):
    """Per-token features of an encoder, a decoder or both (arch_models.py); the Dense head tags each token."""
    _need_tokens(data, "transformer_architecture")
    from ..models.blocks import tagging_features

    return tagging_features(options["arch"], x, data.vocab_size, data.seq_len)
