"""
Title: SimpleRNN and LSTM, and stacking them correctly
Topic: Recurrent networks (Thursday)

A recurrent layer returns only its last step, shape (batch, units), unless
`return_sequences=True`, which returns every step, (batch, time, units). A recurrent layer
needs a sequence as input, so in a stack every layer that feeds another recurrent layer returns
sequences, and the last one usually does not (the classifier head wants one vector per sequence).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

x = np.random.rand(32, 20, 8).astype("float32")  # 32 sequences, 20 steps, 8 features
y = (x[:, :10, 0].mean(axis=1) > x[:, 10:, 0].mean(axis=1)).astype("float32")  # early vs late

for layer in (layers.SimpleRNN(16, activation="tanh"), layers.LSTM(16), layers.LSTM(16, return_sequences=True)):
    out = layer(x)
    flag = layer.get_config()["return_sequences"]
    print(f"{layer.__class__.__name__:9} return_sequences={flag!s:5} -> output shape {tuple(out.shape)}")

model = keras.Sequential([
    keras.Input(shape=(20, 8)),
    layers.LSTM(32, return_sequences=True),  # feeds another recurrent layer: return every step
    layers.LSTM(16),                         # last recurrent layer: return the final state only
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=8, verbose=0)
print("stacked LSTM output shape:", model.output_shape)
print("training accuracy per epoch:", [round(v, 2) for v in history.history["accuracy"]])
