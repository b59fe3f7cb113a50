"""The two custom Keras layers the candidates need, registered so `.keras` files load in safe mode.

Imports Keras at module level: only import this module from inside training functions.
"""

from __future__ import annotations

import keras
from keras import layers, ops

PACKAGE = "dl_advisor"


@keras.saving.register_keras_serializable(package=PACKAGE)
class OneHot(layers.Layer):
    """Token ids -> one 0/1 vector per token, as wide as the vocabulary; id 0 (padding) is masked."""

    def __init__(self, vocab_size: int, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size

    def call(self, inputs):
        return ops.one_hot(ops.cast(inputs, "int32"), self.vocab_size)

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.vocab_size)

    def get_config(self):
        return {**super().get_config(), "vocab_size": self.vocab_size}


@keras.saving.register_keras_serializable(package=PACKAGE)
class TokenAndPositionEmbedding(layers.Layer):
    """A learned token embedding plus a learned embedding of each position; id 0 (padding) is masked."""

    def __init__(self, vocab_size: int, max_len: int, d_model: int, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size, self.max_len, self.d_model = vocab_size, max_len, d_model
        self.tokens = layers.Embedding(vocab_size, d_model, mask_zero=True)
        self.positions = layers.Embedding(max_len, d_model)

    def build(self, input_shape):
        self.tokens.build(input_shape)
        self.positions.build((self.max_len,))
        self.built = True

    def call(self, inputs):
        length = ops.shape(inputs)[-1]
        return self.tokens(inputs) + self.positions(ops.arange(length))

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.d_model)

    def get_config(self):
        return {**super().get_config(), "vocab_size": self.vocab_size, "max_len": self.max_len,
                "d_model": self.d_model}
