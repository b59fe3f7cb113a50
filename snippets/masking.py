"""
Title: Masking padded steps
Topic: Padding & masking (Thursday)

For integer token ids, `Embedding(..., mask_zero=True)` marks id 0 as padding and passes the mask
to the layers after it. For float feature sequences (no embedding), a `Masking(mask_value=0.0)`
first layer masks every time step whose features all equal 0. (After an Embedding the vectors
are not all zero, so a Masking layer there would mask nothing.) With the mask, an LSTM gives the
same answer however much padding follows the real tokens.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

vocab_size, embedding_dim = 50, 8
embedding = layers.Embedding(vocab_size, embedding_dim, mask_zero=True)
lstm = layers.LSTM(4)

short = np.array([[12, 7, 33, 0, 0]])
longer = np.array([[12, 7, 33, 0, 0, 0, 0, 0, 0, 0]])
print("mask for", short.tolist(), "->", keras.ops.convert_to_numpy(embedding.compute_mask(short)).tolist())

out_short = keras.ops.convert_to_numpy(lstm(embedding(short)))
out_longer = keras.ops.convert_to_numpy(lstm(embedding(longer)))
print("masked LSTM output is independent of padding length:", np.allclose(out_short, out_longer, atol=1e-6))

unmasked = layers.Embedding(vocab_size, embedding_dim)
unmasked.build((None, None))
unmasked.embeddings.assign(embedding.embeddings)
plain_short = keras.ops.convert_to_numpy(lstm(unmasked(short)))
plain_longer = keras.ops.convert_to_numpy(lstm(unmasked(longer)))
print("without the mask the padding changes the output:", not np.allclose(plain_short, plain_longer, atol=1e-6))

# Float feature sequences: 2 sequences, 4 steps, 3 features; the last steps are all-zero padding.
features = np.array([
    [[0.5, 0.1, 0.9], [0.2, 0.4, 0.3], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
    [[0.7, 0.8, 0.1], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
], dtype="float32")
masking = layers.Masking(mask_value=0.0)
print("Masking layer on float features:", keras.ops.convert_to_numpy(masking.compute_mask(features)).tolist())
