"""
Title: Logging training to TensorBoard
Topic: TensorBoard (Monday)

The TensorBoard callback writes event files while `fit` runs; the `tensorboard` command then
plots them. Here the logs go to a temporary folder and we list what was written.
View them later with:  tensorboard --logdir <the folder printed below>
The callback needs the `tensorboard` package (TensorFlow's summary writer comes from it).
"""

import importlib.util
import os
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

if importlib.util.find_spec("tensorboard") is None:
    print("The tensorboard package is not installed, so the callback cannot write logs: pip install tensorboard")
    sys.exit(0)

keras.utils.set_random_seed(0)

# Tiny random regression data: 64 samples, 4 features.
x = np.random.rand(64, 4).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")

log_dir = tempfile.mkdtemp(prefix="tb-logs-")
tensorboard = keras.callbacks.TensorBoard(log_dir=log_dir)
history = model.fit(x, y, validation_split=0.25, epochs=3, verbose=0, callbacks=[tensorboard])

print("loss per epoch:", [round(v, 4) for v in history.history["loss"]])
for root, _dirs, files in os.walk(log_dir):
    for name in files:
        run = os.path.relpath(root, log_dir)
        print(f"wrote an event file for the {run!r} run ({os.path.getsize(os.path.join(root, name))} bytes)")
print(f"Run: tensorboard --logdir {log_dir}")
