"""Decision-specific measurements beside the common metrics (imports TensorFlow; import inside functions).

- sequence_model: how strongly the output depends on each time step at initialisation (the vanishing
  gradient, measured with GradientTape), which brief training alone may not reveal;
- overfitting: the hidden weights' size and sparsity (what L2 and L1 claim to change) and where early stopping stopped.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from ..data.datasets import LabData
from ..decisions.specs import CandidateSpec
from ..results.records import EpochMetrics


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
    kernels = [layer.kernel.numpy() for layer in model.layers
               if layer.name.startswith("hidden") and hasattr(layer, "kernel")]
    flat = np.concatenate([k.ravel() for k in kernels]) if kernels else np.zeros(1)
    return {"mean_abs_weight": float(np.mean(np.abs(flat))),
            "near_zero_weights": float(np.mean(np.abs(flat) < 1e-3))}


def extras_for(spec: CandidateSpec, model: keras.Model, data: LabData,
               history: list[EpochMetrics]) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if spec.decision == "optimizer":
        from ..models.optimizers import state_values

        extras["optimizer_state_values"] = state_values(model.optimizer, model.trainable_weights)
    if spec.decision == "transformer_architecture":
        from ..data.lookahead import attention_rows, right_neighbour_share
        from ..models.blocks import attention_scores

        scores = attention_scores(model, data.x_val[:64], causal=spec.options["arch"] == "decoder_only")
        extras["right_neighbour_attention"] = right_neighbour_share(scores)
        extras["attention_example"] = {"tokens": [int(t) for t in data.x_val[0]],
                                       "weights": attention_rows(scores, 0).round(3).tolist()}
    if spec.decision == "overfitting":
        extras.update(weight_stats(model))
        if spec.options.get("early_stopping") and history:
            losses = [h.val_loss for h in history if h.val_loss is not None]
            extras["best_epoch"] = int(np.argmin(losses)) + 1 if losses else None
            extras["epochs_run"] = len(history)
    return extras
