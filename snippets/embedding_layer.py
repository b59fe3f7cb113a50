"""
Title: The Embedding layer is a lookup table
Topic: Text encodings & embeddings (Wednesday)

`layers.Embedding(input_dim=V, output_dim=D)` holds a trainable V x D matrix; token id i selects
row i. Keras 3 no longer takes `input_length`: the sequence length comes from `keras.Input`.
Embeddings are low-dimensional compared with one-hot vectors (D numbers instead of V).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

vocab_size, embedding_dim, max_len = 1000, 128, 6

model = keras.Sequential([
    keras.Input(shape=(max_len,), dtype="int32"),
    layers.Embedding(input_dim=vocab_size, output_dim=embedding_dim),
])
token_ids = np.array([[4, 25, 7, 0, 0, 0], [9, 9, 31, 2, 8, 1]])
vectors = keras.ops.convert_to_numpy(model(token_ids))
print("token ids", token_ids.shape, "-> vectors", vectors.shape)

table = keras.ops.convert_to_numpy(model.layers[0].embeddings)
print("embedding matrix shape (V x D):", table.shape, "=", table.size, "parameters")
print("vector of token 25 equals row 25 of the matrix:", np.allclose(vectors[0, 1], table[25]))
print(f"one-hot would need {vocab_size} numbers per token; the embedding uses {embedding_dim}")
