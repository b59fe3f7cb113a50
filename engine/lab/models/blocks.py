"""Encoder-only, decoder-only and encoder-decoder Transformers of one size, for per-token tagging.

All three share the same block (multi-head attention, residual, layer norm, 4x feed-forward) and the same
token-and-position embedding; they differ only in what each position may attend to:

- encoder-only: every position sees every other (bidirectional, as in BERT);
- decoder-only: position i sees positions up to i (a causal mask, as in GPT);
- encoder-decoder: an encoder reads the whole input; a causal decoder over the same tokens also attends to
  the encoder's outputs through cross-attention (as in T5). The decoder's queries are the input tokens,
  not previously generated tags, so tagging needs no step-by-step decoding here.

Imports Keras at module level: import only from training code.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from .layers import TokenAndPositionEmbedding

ARCHITECTURES = ("encoder_only", "decoder_only", "encoder_decoder")


def _block(h, context, d_model: int, heads: int, name: str, causal: bool):
    attended = layers.MultiHeadAttention(heads, key_dim=d_model // heads, name=f"{name}_attention")(
        h, context, use_causal_mask=causal)
    h = layers.Add(name=f"{name}_residual_1")([h, attended])
    h = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_norm_1")(h)
    ff = layers.Dense(d_model, name=f"{name}_project")(
        layers.Dense(4 * d_model, activation="relu", name=f"{name}_feed_forward")(h))
    h = layers.Add(name=f"{name}_residual_2")([h, ff])
    return layers.LayerNormalization(epsilon=1e-6, name=f"{name}_norm_2")(h)


def tagging_features(arch: str, x, vocab_size: int, seq_len: int, d_model: int = 32, heads: int = 4):
    """Per-token features (batch, seq_len, d_model) for `arch`; a Dense softmax on top gives the tags."""
    if arch not in ARCHITECTURES:
        raise ValueError(f'Unknown architecture "{arch}"; choose one of: {", ".join(ARCHITECTURES)}.')
    h = TokenAndPositionEmbedding(vocab_size, seq_len, d_model, name="embedding")(x)
    if arch == "encoder_only":
        return _block(h, h, d_model, heads, "self", causal=False)
    if arch == "decoder_only":
        return _block(h, h, d_model, heads, "self", causal=True)
    memory = _block(h, h, d_model, heads, "self", causal=False)  # the encoder
    d = _block(h, h, d_model, heads, "decoder", causal=True)
    return _block(d, memory, d_model, heads, "cross", causal=False)


def build_tagger(arch: str, vocab_size: int, seq_len: int, n_tags: int = 2) -> keras.Model:
    inputs = keras.Input(shape=(seq_len,), dtype="int32", name="tokens")
    h = tagging_features(arch, inputs, vocab_size, seq_len)
    outputs = layers.Dense(n_tags, activation="softmax", name="tags")(h)
    return keras.Model(inputs, outputs, name=arch)


def attention_scores(model: keras.Model, x: np.ndarray, causal: bool | None = None) -> np.ndarray:
    """The trained first self-attention layer's weights on `x`: (batch, heads, queries, keys).

    The layer is called again on the embedding with `return_attention_scores=True`, with the same mask it
    was trained with, so these are the weights the model used, not a re-implementation of them.
    """
    if causal is None:  # the candidates' models are named after their choice
        causal = model.name.startswith("decoder_only")
    h = model.get_layer("embedding")(x)
    _, scores = model.get_layer("self_attention")(h, h, return_attention_scores=True, use_causal_mask=causal)
    return np.asarray(scores)
