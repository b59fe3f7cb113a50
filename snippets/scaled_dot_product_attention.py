"""
Title: Scaled dot-product self-attention by hand
Topic: Attention (Friday)

Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V. In self-attention Q, K and V are three learned
projections of the same input. The scale is the square root of d_k, the width of the keys:
dot products of d_k unit-variance numbers have variance d_k, and dividing by sqrt(d_k) keeps
the softmax out of saturation. (Scaling by the model width instead is only the same number when
the keys are as wide as the model, which is not the case inside multi-head attention.)
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(0)

batch, seq_len, d_model, d_k = 2, 5, 16, 8
inputs = np.random.randn(batch, seq_len, d_model).astype("float32")

query = layers.Dense(d_k)(inputs)
key = layers.Dense(d_k)(inputs)
value = layers.Dense(d_k)(inputs)

scores = ops.matmul(query, ops.transpose(key, axes=(0, 2, 1)))  # (batch, seq, seq)
scores = scores / ops.sqrt(ops.cast(ops.shape(key)[-1], "float32"))  # divide by sqrt(d_k)
attention_weights = ops.softmax(scores, axis=-1)
output = ops.matmul(attention_weights, value)

weights = ops.convert_to_numpy(attention_weights)
print("attention weights shape:", weights.shape, "| output shape:", tuple(output.shape))
print("each row sums to 1:", np.allclose(weights.sum(-1), 1.0, atol=1e-5))
print("weights of token 0 over the 5 tokens:", [round(float(w), 3) for w in weights[0, 0]])

# Why scale: the spread of raw dot products grows with the key width.
for width in (4, 64, 512):
    q, k = np.random.randn(10_000, width), np.random.randn(10_000, width)
    raw = (q * k).sum(1)
    print(f"d_k={width:3d}: std of q.k = {raw.std():6.2f}, after / sqrt(d_k) = {(raw / np.sqrt(width)).std():.2f}")
