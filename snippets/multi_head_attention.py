"""
Title: Multi-head attention with keras.layers.MultiHeadAttention
Topic: Transformers (Friday)

`MultiHeadAttention(num_heads, key_dim)` runs `num_heads` attentions side by side, each on its own
`key_dim`-wide projection, and projects the result back to the query's width. The usual choice
key_dim = d_model // num_heads (an integer) keeps the cost near one full-width head. The call is
`attention(query, value, key=None)`: the key defaults to the value, so `attention(x, x)` is
self-attention.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

batch, seq_len, d_model, num_heads = 2, 6, 32, 4
inputs = np.random.randn(batch, seq_len, d_model).astype("float32")

attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=0.1)
output, scores = attention(inputs, inputs, return_attention_scores=True)  # (query, value); key = value
print("output shape:", tuple(output.shape), "(same width as the query)")
print("attention scores shape (batch, heads, query pos, key pos):", tuple(scores.shape))
print("parameters:", attention.count_params())

try:
    layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model / num_heads)
except ValueError as error:
    print("key_dim = d_model / num_heads (a float) is rejected:", str(error).split(".")[0])

wide = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model)
print("key_dim = d_model also runs, output", tuple(wide(inputs, inputs).shape), "but with",
      wide.count_params(), "parameters")
