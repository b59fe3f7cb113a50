"""
Title: A Transformer encoder block
Topic: Transformers (Friday)

Input -> multi-head self-attention -> dropout -> add & layer-norm -> feed-forward (widen, then
project back) -> dropout -> add & layer-norm. The residual additions let gradients pass
through deep stacks; layer normalisation works per example, independent of the batch.
The layer forwards **kwargs, uses its dropout rate, takes `training`, and has `get_config`,
so it can be saved in a .keras file.
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)


@keras.saving.register_keras_serializable(package="snippets")
class TransformerEncoderBlock(layers.Layer):
    def __init__(self, d_model, num_heads, ff_dim, dropout_rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.d_model, self.num_heads, self.ff_dim, self.dropout_rate = d_model, num_heads, ff_dim, dropout_rate
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([
            layers.Dense(ff_dim, activation="relu"),  # widen (commonly about 4 x d_model)
            layers.Dense(d_model),                    # project back to d_model
        ])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(dropout_rate)
        self.dropout2 = layers.Dropout(dropout_rate)

    def call(self, x, training=False):
        attn = self.dropout1(self.attention(x, x, training=training), training=training)
        x = self.norm1(x + attn)  # residual connection, then normalise
        ffn = self.dropout2(self.ffn(x), training=training)
        return self.norm2(x + ffn)  # residual connection, then normalise

    def get_config(self):
        config = super().get_config()
        config.update(d_model=self.d_model, num_heads=self.num_heads, ff_dim=self.ff_dim,
                      dropout_rate=self.dropout_rate)
        return config


seq_len, d_model = 10, 32
x = np.random.randn(128, seq_len, d_model).astype("float32")
y = (x[:, :, 0].mean(axis=1) > 0).astype("float32")  # toy label: is feature 0 positive on average?

inputs = keras.Input(shape=(seq_len, d_model))
h = TransformerEncoderBlock(d_model, num_heads=4, ff_dim=4 * d_model, name="encoder_block")(inputs)
outputs = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling1D()(h))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=4, batch_size=32, verbose=0)
print("block output shape:", tuple(h.shape), "(same as its input)")
print("training accuracy per epoch:", [round(v, 3) for v in history.history["accuracy"]])

path = os.path.join(tempfile.mkdtemp(), "encoder.keras")
model.save(path)
reloaded = keras.models.load_model(path)
print("saved and reloaded with identical predictions:",
      np.allclose(reloaded.predict(x[:4], verbose=0), model.predict(x[:4], verbose=0), atol=1e-6))
