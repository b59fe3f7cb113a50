"""
Title: Early stopping with patience
Topic: Regularization (Friday)

`EarlyStopping` watches a validation metric and stops when it has not improved for `patience`
epochs; `restore_best_weights=True` then rolls back to the best epoch. It is cheap but not free:
it needs a validation pass every epoch (and a copy of the best weights). Here a too-large model
overfits a tiny noisy data set, so validation loss turns upward and training stops early.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

x = np.random.rand(60, 10).astype("float32")
y = (x[:, :1] + 0.5 * np.random.randn(60, 1)).astype("float32")  # mostly noise: easy to overfit

model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(256, activation="relu"), layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")

early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
history = model.fit(x, y, validation_split=0.3, epochs=200, verbose=0, callbacks=[early_stopping])

val = history.history["val_loss"]
best_epoch = int(np.argmin(val)) + 1
print(f"ran {len(val)} of 200 epochs; best val_loss {min(val):.4f} at epoch {best_epoch}")
print(f"stopped after {len(val) - best_epoch} epochs without improvement (patience 5)")
restored = model.evaluate(x[42:], y[42:], verbose=0)  # validation_split takes the last 30%
print(f"after restoring the best weights, val_loss is {restored:.4f} (the best epoch's value)")
