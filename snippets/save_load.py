"""
Title: Saving and loading models in Keras 3
Topic: Saving & checkpoints (Friday)

- Whole model (architecture + weights + optimizer state): `model.save("name.keras")`, then
  `keras.models.load_model("name.keras")`. HDF5 (`.h5`) still loads but is a legacy format.
- Weights only: `save_weights("name.weights.h5")`; the suffix `.weights.h5` is required.
- A TensorFlow SavedModel folder is now an export for serving: `model.export("folder")`;
  `model.save("folder")` without an extension is an error.
Everything is written to a temporary folder.
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)
folder = tempfile.mkdtemp(prefix="saving-")
x = np.random.rand(8, 4).astype("float32")


def build():
    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(2)])


model = build()
model.compile(optimizer="adam", loss="mse")
model.fit(x, np.random.rand(8, 2), epochs=1, verbose=0)
expected = model.predict(x, verbose=0)

path = os.path.join(folder, "model.keras")
model.save(path)
restored = keras.models.load_model(path)
print("full model .keras reloads with the same predictions:", np.allclose(restored.predict(x, verbose=0), expected))

weights = os.path.join(folder, "model.weights.h5")
model.save_weights(weights)
rebuilt = build()  # weights need the code that builds the architecture
rebuilt.load_weights(weights)
print("weights-only file restores a rebuilt model:", np.allclose(rebuilt.predict(x, verbose=0), expected))

for attempt, call in (
    ("model.save('model_dir')", lambda: model.save(os.path.join(folder, "model_dir"))),
    ("model.save_weights('weights.h5')", lambda: model.save_weights(os.path.join(folder, "weights.h5"))),
):
    try:
        call()
        print(attempt, "-> unexpectedly worked")
    except ValueError as error:
        print(attempt, "-> ValueError:", str(error).split(" Received")[0].split(" Please")[0])

print("files written:", sorted(os.listdir(folder)))
