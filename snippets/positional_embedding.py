"""
Title: Positional embeddings (learned) and positional encodings (fixed)
Topic: Transformers (Friday)

Attention ignores order, so position information is added to the token embeddings. A learned
version keeps one trainable vector per position. Build it inside a Layer, taking the positions
from the input's actual length with `keras.ops.arange`: computing positions and the position
embedding outside the model bakes them in as a constant (never trained) and fixes the length.
The fixed sinusoidal encoding of the original Transformer is shown for comparison.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(0)


class PositionalEmbedding(layers.Layer):
    """token embedding + learned position embedding, for sequences up to max_seq_len."""

    def __init__(self, vocab_size, max_seq_len, d_model, **kwargs):
        super().__init__(**kwargs)
        self.token_emb = layers.Embedding(vocab_size, d_model)
        self.pos_emb = layers.Embedding(max_seq_len, d_model)

    def call(self, token_ids):
        length = ops.shape(token_ids)[-1]
        positions = ops.arange(0, length)  # 0, 1, ..., length - 1, from the actual input
        return self.token_emb(token_ids) + self.pos_emb(positions)


vocab_size, max_seq_len, d_model = 100, 20, 16
inputs = keras.Input(shape=(None,), dtype="int32")
model = keras.Model(inputs, PositionalEmbedding(vocab_size, max_seq_len, d_model)(inputs))

for length in (7, 12):
    print(f"input length {length:2d} -> output", tuple(model(np.random.randint(1, vocab_size, (2, length))).shape))
print("trainable weights:", [w.path for w in model.trainable_weights])

same_token = model(np.array([[5, 5]]))
print("the same token at two positions gets different vectors:",
      not np.allclose(ops.convert_to_numpy(same_token[0, 0]), ops.convert_to_numpy(same_token[0, 1])))


def sinusoidal_encoding(length, depth):
    """PE[pos, 2i] = sin(pos / 10000^(2i/depth)), PE[pos, 2i+1] = cos(...)."""
    positions = np.arange(length)[:, None]
    rates = 1 / np.power(10000, np.arange(0, depth, 2) / depth)
    table = np.zeros((length, depth), dtype="float32")
    table[:, 0::2] = np.sin(positions * rates)
    table[:, 1::2] = np.cos(positions * rates)
    return table


pe = sinusoidal_encoding(max_seq_len, d_model)
print("sinusoidal encoding shape:", pe.shape, "| first row (position 0):", pe[0, :4].tolist(), "...")
