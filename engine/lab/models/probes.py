"""Measurements read off a trained (or freshly built) Keras model: gradients per time step, weight size and
sparsity, attention weights. The decisions' `extras` call these; imports TensorFlow (import inside functions).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


def gradient_profile(model: keras.Model, x: np.ndarray) -> list[float] | None:
    """Mean norm of d(output)/d(input at step t) for each step t; None when inputs are token ids."""
    if x.dtype.kind not in "f" or x.ndim != 3:
        return None
    inputs = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        output = tf.reduce_sum(model(inputs, training=False)[:, -1])
    grads = tape.gradient(output, inputs)  # (batch, steps, channels)
    per_step = tf.reduce_mean(tf.norm(grads, axis=-1), axis=0)
    return [float(v) for v in per_step.numpy()]


def weight_stats(model: keras.Model) -> dict[str, float]:
    """Mean |weight| and the share of weights near zero in the hidden layers' kernels."""
    kernels = [layer.kernel.numpy() for layer in model.layers
               if layer.name.startswith("hidden") and hasattr(layer, "kernel")]
    flat = np.concatenate([k.ravel() for k in kernels]) if kernels else np.zeros(1)
    return {"mean_abs_weight": float(np.mean(np.abs(flat))),
            "near_zero_weights": float(np.mean(np.abs(flat) < 1e-3))}


def attention_scores(model: keras.Model, x: np.ndarray, causal: bool | None = None) -> np.ndarray:
    """The trained first self-attention layer's weights on `x`: (batch, heads, queries, keys).

    The layer is called again on the embedding with `return_attention_scores=True`, with the same mask it
    was trained with, so these are the weights the model used, not a re-implementation of them.
    """
    if causal is None:  # the candidates' models are named after their choice
        causal = model.name.startswith("decoder_only")
    h = model.get_layer("embedding")(x)
    _, scores = model.get_layer("self_attention")(h, h, return_attention_scores=True, use_causal_mask=causal)
    return np.asarray(scores)
