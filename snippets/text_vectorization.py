"""
Title: Word-level tokenization with TextVectorization
Topic: Tokenization (Wednesday)

Keras 3 replaces the deprecated `Tokenizer` / `fit_on_texts` / `texts_to_sequences` API with the
`TextVectorization` layer: `adapt` builds the vocabulary, calling the layer maps text to ids.
Index 0 is padding and index 1 is [UNK] (unknown words), so the size to give an Embedding layer
is `vocabulary_size()`, which already counts both.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

texts = np.array([
    "The cat sat on the mat",
    "The dog sat on the log",
    "A cat and a dog",
])

vectorizer = layers.TextVectorization(max_tokens=20, output_mode="int", output_sequence_length=8)
vectorizer.adapt(texts)

vocab = vectorizer.get_vocabulary()
print("vocabulary (index: token):", {i: str(t) for i, t in enumerate(vocab)})
print("vocabulary_size() =", vectorizer.vocabulary_size(), "-> use as Embedding(input_dim=...)")

sequences = keras.ops.convert_to_numpy(vectorizer(texts))
for text, ids in zip(texts, sequences, strict=True):
    print(f"{str(text)!r:28} -> {ids.tolist()}")

unseen = keras.ops.convert_to_numpy(vectorizer(np.array(["The zebra sat"])))
print("unseen word 'zebra' maps to 1 ([UNK]):", unseen[0].tolist())
