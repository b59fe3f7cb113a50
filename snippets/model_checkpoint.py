"""
Title: Checkpointing the best model during training
Topic: Saving & checkpoints (Friday)

`ModelCheckpoint` saves during `fit`. With `save_best_only=True` it writes only when the
monitored value improves ('min' for a loss, 'max' for an accuracy; 'auto' guesses from the name).
Keras 3 formats: `.keras` for the full model, `.weights.h5` with `save_weights_only=True`.
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)
folder = tempfile.mkdtemp(prefix="checkpoints-")

x = np.random.rand(200, 5).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5], [0.0], [1.5]], dtype="float32")

model = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")

best_models = keras.callbacks.ModelCheckpoint(
    filepath=os.path.join(folder, "model_{epoch:02d}_{val_loss:.3f}.keras"),
    monitor="val_loss",
    save_best_only=True,
    mode="min",
)
best_weights = keras.callbacks.ModelCheckpoint(
    filepath=os.path.join(folder, "best.weights.h5"), monitor="val_loss", save_best_only=True,
    save_weights_only=True,
)
history = model.fit(x, y, validation_split=0.2, epochs=6, verbose=0, callbacks=[best_models, best_weights])
print("val_loss per epoch:", [round(v, 4) for v in history.history["val_loss"]])
print("saved (one file per improving epoch):", sorted(os.listdir(folder)))

latest = sorted(f for f in os.listdir(folder) if f.endswith(".keras"))[-1]
reloaded = keras.models.load_model(os.path.join(folder, latest))
print("reloaded", latest, "-> evaluates to", round(reloaded.evaluate(x, y, verbose=0), 4))
