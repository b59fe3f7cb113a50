"""
Title: Padding and truncating sequences
Topic: Padding & masking (Thursday)

Batches need equal lengths, so short sequences are padded (with 0) and long ones truncated.
In Keras 3 the function is `keras.utils.pad_sequences`. 'pre' (the default) pads and cuts at the
start; 'post' at the end. With padding='post' pair it with a mask so layers skip the zeros.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from keras.utils import pad_sequences

sequences = [[5, 8, 2], [7, 1], [3, 9, 4, 6, 2, 8, 1]]
max_len = 5

print("post/post:\n", pad_sequences(sequences, maxlen=max_len, padding="post", truncating="post"))
print("pre/pre (defaults):\n", pad_sequences(sequences, maxlen=max_len))
print("no maxlen pads to the longest:", pad_sequences(sequences, padding="post").shape)
