"""
Title: Dropout and L1/L2 weight penalties
Topic: Regularization (Friday)

Dropout zeroes a fraction `rate` of its inputs during training and scales the rest by
1/(1 - rate) ("inverted dropout"); at inference it passes inputs through unchanged.
A kernel regularizer adds a penalty to the loss: `keras.regularizers.l2(lam)` adds
lam * sum(w^2) (the name is the letter l, not the digit 1); `l1(lam)` adds lam * sum(|w|).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

dropout = layers.Dropout(0.3)
ones = np.ones((1, 10), dtype="float32")
print("training :", [round(float(v), 3) for v in keras.ops.convert_to_numpy(dropout(ones, training=True))[0]])
print("inference:", [float(v) for v in keras.ops.convert_to_numpy(dropout(ones, training=False))[0]])
print("kept values are 1 / (1 - 0.3) =", round(1 / 0.7, 3))

lam = 0.001
model = keras.Sequential([
    keras.Input(shape=(4,)),
    layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.l2(lam)),
    layers.Dropout(0.3),
    layers.Dense(1, kernel_regularizer=keras.regularizers.l1(lam)),
])
model(np.zeros((1, 4), dtype="float32"))
kernel_1 = keras.ops.convert_to_numpy(model.layers[0].kernel)
kernel_2 = keras.ops.convert_to_numpy(model.layers[2].kernel)
by_hand = lam * np.sum(kernel_1**2) + lam * np.sum(np.abs(kernel_2))
by_keras = float(sum(keras.ops.convert_to_numpy(loss) for loss in model.losses))
print(f"penalty Keras adds to the loss: {by_keras:.6f}; lam*sum(w^2) + lam*sum(|w|) by hand: {by_hand:.6f}")
