"""
Title: A dense autoencoder
Topic: Autoencoders (Monday)

An encoder squeezes 784 inputs into a 32-number latent code (the bottleneck) and a decoder
rebuilds the 784 inputs from it. Training minimises the reconstruction loss (here mean squared
error between input and output). Keras 3 style: shapes come from `keras.Input`, not from an
`input_shape=` argument on the first layer, and encoder and decoder are joined into one model.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)

# Stand-in for flattened 28x28 images: 256 random "images" with values in [0, 1].
x = np.random.rand(256, 784).astype("float32")

encoder = keras.Sequential(
    [keras.Input(shape=(784,)), layers.Dense(128, activation="relu"), layers.Dense(32, activation="relu")],
    name="encoder",
)
decoder = keras.Sequential(
    [keras.Input(shape=(32,)), layers.Dense(128, activation="relu"), layers.Dense(784, activation="sigmoid")],
    name="decoder",
)

# Join the two halves: input -> code -> reconstruction.
inputs = keras.Input(shape=(784,))
autoencoder = keras.Model(inputs, decoder(encoder(inputs)), name="autoencoder")
autoencoder.compile(optimizer="adam", loss="mse")

history = autoencoder.fit(x, x, epochs=3, batch_size=32, verbose=0)  # the target is the input itself
print("reconstruction loss per epoch:", [round(v, 4) for v in history.history["loss"]])
print("latent code shape:", encoder.predict(x[:5], verbose=0).shape)
print("reconstruction shape:", autoencoder.predict(x[:5], verbose=0).shape)
