"""Feasibility of issue 18's vectorised seeds on the simplest case: k seeds of a Dense model as one fit.

    python bench/bench_stacked_fit.py                      # optimizer decision, Adam candidate, 5 rounds
    python bench/bench_stacked_fit.py --rounds 3 --choice sgd

bench_seed_parts.py found that an extra seed costs its `fit` (76-96%), and bench_seed_floor.py that the extra
arithmetic is small; so one fit for all seeds, with kernels that carry a seed axis, should bring k seeds near
one seed's time. This tries it before any of it goes into the Lab: the optimizer decision's MLP (Flatten,
Dense(64) x2, Dense(classes)) rebuilt with weights of shape [k, in, out] (one `einsum` per layer over the seed
axis), each seed starting from its own standalone model's weights and fed its own data and batch order (the
k pipelines zipped, a batch stacked on a leading seed axis), the loss the sum of the seeds' own mean
cross-entropies (so each seed's gradient is its standalone one). It trains the decision's epochs with a
validation pass every epoch, as the Lab's fit does. Beside it, the Lab's way: the k standalone fits one after
another in one compiled model reset to each seed's start.

Reported: medians of interleaved rounds (the paths and seed counts alternate, order flipped every round), the
ratio to one seed, and how far each stacked seed's final validation accuracy lands from its standalone run
(the batched kernels sum in another order, so they are not bit-for-bit equal; training amplifies that).
Not in it: the Lab's per-seed callbacks, logs and scoring (under a second a seed, bench_seed_parts.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bench_training import load, table  # noqa: E402  (this folder: the same load and table printers)

from engine.lab.data.datasets import prepare  # noqa: E402
from engine.lab.decisions import default_dataset, lab_decision  # noqa: E402

COUNTS = (1, 3, 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--choice", default="adam", help="the optimizer decision's candidate")
    args = parser.parse_args()
    started = time.perf_counter()

    import keras
    import numpy as np
    import tensorflow as tf
    from keras import layers, ops

    from engine.lab.models.training import pipelines
    from engine.lab.running.runner import _start_from, build_model, make_deterministic, optimizer_for, training_arrays

    make_deterministic()
    decision = lab_decision("optimizer")
    spec = decision.candidate(args.choice)
    config = decision.train
    epochs = config.epochs

    class SeedDense(layers.Layer):
        """Dense with a seed axis: x [k, B, in] . kernel [k, in, out] + bias [k, 1, out]."""

        def __init__(self, seeds: int, units: int, activation=None, **kwargs):
            super().__init__(**kwargs)
            self.seeds, self.units, self.activation = seeds, units, keras.activations.get(activation)

        def build(self, shape):
            self.kernel = self.add_weight(shape=(self.seeds, shape[-1], self.units), initializer="zeros")
            self.bias = self.add_weight(shape=(self.seeds, 1, self.units), initializer="zeros")

        def call(self, x):
            return self.activation(ops.einsum("sbi,sio->sbo", x, self.kernel) + self.bias)

    def stacked_model(models: list[keras.Model]) -> keras.Model:
        k = len(models)
        dense = [[m.get_layer(name) for m in models] for name in ("hidden_1", "hidden_2", "classes")]
        x_in = keras.Input(shape=(None, *models[0].input_shape[1:]), batch_size=k, dtype="float32")
        h = ops.reshape(x_in, (k, -1, int(np.prod(models[0].input_shape[1:]))))
        twins = []
        for per_seed in dense:
            twin = SeedDense(k, per_seed[0].units, per_seed[0].activation)
            h = twin(h)
            twins.append((twin, per_seed))
        model = keras.Model(x_in, h)
        for twin, per_seed in twins:
            twin.kernel.assign(np.stack([d.kernel.numpy() for d in per_seed]))
            twin.bias.assign(np.stack([d.bias.numpy()[None, :] for d in per_seed]))
        return model

    def summed_loss(k: int):
        base = keras.losses.SparseCategoricalCrossentropy()

        def loss(y, p):  # Keras averages over all k*B rows: times k is the sum of the seeds' own means
            return base(y, p) * k

        return loss

    with tempfile.TemporaryDirectory() as tmp:
        datas = [prepare(default_dataset("optimizer"), seed, {}, Path(tmp) / "cache", decision.needs)
                 for seed in range(max(COUNTS))]

        def seeded(seed: int):
            keras.utils.set_random_seed(seed)
            model = build_model(decision, spec, datas[seed])
            x, y = training_arrays(spec, datas[seed])
            train, validation = pipelines(x, y, datas[seed].x_val, datas[seed].y_val, config.batch_size, seed)
            return model, train, validation

        def sequential(k: int) -> tuple[float, list[float]]:
            t0 = time.perf_counter()
            compiled, accuracies = None, []
            for seed in range(k):
                model, train, validation = seeded(seed)
                if compiled is None:
                    model.compile(optimizer=optimizer_for(spec, config), loss="sparse_categorical_crossentropy",
                                  metrics=["accuracy"])
                    compiled = model
                else:  # the Lab's reuse: the compiled model reset to this seed's start
                    _start_from(compiled, model)
                history = compiled.fit(train, validation_data=validation, epochs=epochs, verbose=0, shuffle=False)
                accuracies.append(history.history["val_accuracy"][-1])
            return time.perf_counter() - t0, accuracies

        def stacked(k: int) -> tuple[float, list[float]]:
            t0 = time.perf_counter()
            parts = [seeded(seed) for seed in range(k)]
            model = stacked_model([p[0] for p in parts])

            def stack(*batches):
                return tf.stack([b[0] for b in batches]), tf.stack([b[1] for b in batches])

            train = tf.data.Dataset.zip(tuple(p[1] for p in parts)).map(stack)
            validation = tf.data.Dataset.zip(tuple(p[2] for p in parts)).map(stack)
            model.compile(optimizer=optimizer_for(spec, config), loss=summed_loss(k))
            model.fit(train, validation_data=validation, epochs=epochs, verbose=0, shuffle=False)
            x_val = np.stack([datas[s].x_val for s in range(k)]).astype("float32")
            predictions = np.asarray(model(x_val))
            accuracies = [float(np.mean(np.argmax(predictions[s], -1) == datas[s].y_val)) for s in range(k)]
            return time.perf_counter() - t0, accuracies

        for k in COUNTS:  # warm-up: every path and shape traced once outside the timing
            stacked(k)
        sequential(1)
        walls: dict[tuple[str, int], list[float]] = {}
        found: dict[tuple[str, int], list[float]] = {}
        paths = {"one after another": sequential, "one stacked fit": stacked}
        order = [(name, k) for k in COUNTS for name in paths]
        for r in range(args.rounds):
            for name, k in (order if r % 2 == 0 else order[::-1]):
                seconds, accuracies = paths[name](k)
                walls.setdefault((name, k), []).append(seconds)
                found[(name, k)] = accuracies
                keras.backend.clear_session()
            print(f"  round {r + 1}: " + ", ".join(f"{n} x{k} {walls[(n, k)][-1]:.1f} s" for n, k in order)
                  + f" (load {load()})", flush=True)
    rows = []
    for name in paths:
        one = statistics.median(walls[(name, 1)])
        rows.append([name, f"{one:.2f}"] + [
            f"{statistics.median(walls[(name, k)]):.2f} ({statistics.median(walls[(name, k)]) / one:.2f}x)"
            for k in COUNTS[1:]])
    drift = max(abs(a - b) for a, b in zip(found[("one stacked fit", 5)], found[("one after another", 5)],
                                           strict=True))
    table(f"The optimizer decision's '{args.choice}' MLP, {epochs} epochs with validation: seconds (median of "
          f"{args.rounds} interleaved rounds) and ratio to 1 seed",
          ["path", "1 seed", "3 seeds", "5 seeds"], rows)
    print(f"\nLargest difference in a seed's final validation accuracy, stacked against standalone (5 seeds): "
          f"{drift:.4f}")
    print(f"Total bench time {time.perf_counter() - started:.0f} s; load {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
