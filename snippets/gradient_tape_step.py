"""
Title: A training step by hand with tf.GradientTape
Topic: Backpropagation (Tuesday)

Backpropagation and the weight update are two separate steps:
1. the tape records the forward pass, and `tape.gradient` (singular) runs backpropagation;
2. the optimizer turns those gradients into a weight update (`apply_gradients`).
Call the model with `training=True` so layers like Dropout behave as in training.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(0)

x_train = np.random.rand(128, 3).astype("float32")
y_train = (x_train @ np.array([[2.0], [-1.0], [0.5]], dtype="float32")) + 0.3

model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
loss_fn = keras.losses.MeanSquaredError()
optimizer = keras.optimizers.SGD(learning_rate=0.1)

for step in range(1, 31):
    with tf.GradientTape() as tape:
        predictions = model(x_train, training=True)  # forward pass, recorded by the tape
        loss = loss_fn(y_train, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)  # backpropagation
    optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))  # gradient descent update
    if step in (1, 10, 20, 30):
        print(f"step {step:2d}  loss {float(loss):.4f}")

print("one gradient per trainable variable:", [tuple(g.shape) for g in gradients])
