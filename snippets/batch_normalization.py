"""
Title: Batch normalization, and where to put it
Topic: Batch normalization (Tuesday)

In training mode a BatchNormalization layer standardises each feature with the batch's mean and
variance, then applies a learned scale (gamma) and shift (beta); at inference it uses running
averages instead. Where to place it is contested: the original paper put it between the linear
layer and the activation, many practitioners put it after. Both are shown; try both on your data.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

x = (np.random.rand(256, 10) * 5 + 3).astype("float32")  # features far from mean 0 / variance 1

bn = layers.BatchNormalization()
out_train = keras.ops.convert_to_numpy(bn(x, training=True))
print("input  mean/var of first 3 features:", x.mean(0)[:3].round(2), x.var(0)[:3].round(2))
print("output mean/var in training mode:   ", out_train.mean(0)[:3].round(3), out_train.var(0)[:3].round(3))
out_infer = keras.ops.convert_to_numpy(bn(x, training=False))
print("inference mode uses running averages (barely updated yet), mean:", out_infer.mean(0)[:3].round(2))

# Placement A (original paper): linear -> BN -> activation. BN's shift makes the Dense bias redundant.
before = keras.Sequential([
    keras.Input(shape=(10,)),
    layers.Dense(64, use_bias=False), layers.BatchNormalization(), layers.Activation("relu"),
    layers.Dense(1),
])
# Placement B (common in practice): linear + activation -> BN.
after = keras.Sequential([
    keras.Input(shape=(10,)),
    layers.Dense(64, activation="relu"), layers.BatchNormalization(),
    layers.Dense(1),
])
y = x[:, :1] * 0.5 - x[:, 1:2]
for name, model in (("BN before activation", before), ("BN after activation", after)):
    model.compile(optimizer="adam", loss="mse")
    loss = model.fit(x, y, epochs=5, verbose=0).history["loss"][-1]
    print(f"{name}: training loss after 5 epochs {loss:.4f} (one toy run: compare on your own data)")
