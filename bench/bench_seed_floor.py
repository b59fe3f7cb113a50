"""The floor under any seed-stacked model: what k seeds' arithmetic costs when done as one model's step.

    python bench/bench_seed_floor.py                   # every decision, 5 rounds
    python bench/bench_seed_floor.py --decisions optimizer sequence_model --rounds 7

Issue 18 asks for k seeds trained as one vectorised model within 1.3x (k = 3) and 1.6x (k = 5) of one
seed's time. A seed-stacked step does k seeds' arithmetic: k times the examples through k sets of weights.
The cheapest that arithmetic can be is one model's step on a batch k times as large (the same multiply-adds,
one weight set, one kernel per op, no seed axis to index): that is what this measures, for every candidate
of a decision at its default settings, on the Lab's own models (`decision.build`) and data.

Each reading is one candidate's training step (forward pass and gradients, `timing._step`, as the Lab's
speed judge times it) on batches of B, 3B and 5B rows, B being the decision's batch size, scaled to an
epoch of ceil(N / B) steps. The three sizes alternate within each round and the order flips every round,
so drifting load falls on all of them alike; the table shows medians of the rounds and ratios to 1 seed.
Left out, so the ratios are a floor rather than an estimate: the optimizer's update (it also grows k-fold),
validation, and the per-seed bookkeeping a stacked model needs. The targets are on a whole comparison, which
also spends time outside its epochs (data, tracing, saving, measuring) that stacking would not multiply. So
the bench also trains the decision's comparison at 1 seed (`train_comparison`, in this process) and bounds
k stacked seeds' comparison from below by its wall time plus (ratio - 1) x each candidate's step time x the
epochs it trained: the extra arithmetic k seeds must add at the least. If that bound is above a target, no
stacking of seeds into one model can meet the target for that decision on this machine: its epochs are
bound by arithmetic, not by per-step overhead.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bench_training import load, table, warm_up  # noqa: E402  (this folder: the same load and table printers)

from engine.lab import DECISIONS, TrainRequest, train_comparison  # noqa: E402
from engine.lab.data.datasets import prepare  # noqa: E402
from engine.lab.decisions import default_dataset, lab_decision  # noqa: E402

TARGETS = {3: 1.3, 5: 1.6}
SEEDS = (1, 3, 5)


def floor(decision: str, rounds: int, batches: int, root: Path) -> tuple[dict[int, float], dict[int, float],
                                                                         dict[int, float], dict[int, float]]:
    """Seconds per epoch (wall, CPU) of every candidate's step at B, 3B and 5B rows, summed over candidates; the
    comparison's wall seconds at 1, 3 and 5 seeds as the Lab trains them; and, per k, the least wall seconds k
    stacked seeds' comparison needs."""
    import numpy as np
    import tensorflow as tf

    from engine.lab.running.runner import build_model, free_memory, training_arrays
    from engine.lab.running.timing import _step

    found = lab_decision(decision)
    warm_up(decision, max(SEEDS), root)
    walls, results = {}, {}
    for k in SEEDS:  # the Lab's own path: a candidate's seeds stacked in one model where it has a twin
        started = time.perf_counter()
        result = train_comparison(TrainRequest.make(decision, seed=0, seeds=k), runs_dir=root, isolate=False,
                                  reuse=False)
        walls[k], results[k] = time.perf_counter() - started, result
        print(f"  {decision}: comparison at {k} seed(s) as the Lab trains them, {walls[k]:.1f} s (load {load()})",
              flush=True)
    epochs = {c.choice: len(c.runs[0].history) for c in results[1].candidates}
    data = prepare(default_dataset(decision), 0, {}, root / "cache", found.needs)
    batch = found.train.batch_size
    wall = {k: 0.0 for k in SEEDS}
    cpu = {k: 0.0 for k in SEEDS}
    least = {k: walls[1] for k in SEEDS}
    for spec in found.candidates:
        x, y = training_arrays(spec, data)
        model = build_model(found, spec, data)
        step = _step(model)
        steps_per_epoch = math.ceil(len(x) / batch)
        chunks = {}
        for k in SEEDS:  # k*B rows a batch, drawn from the data repeated as often as needed
            rows = np.arange(k * batch * batches) % len(x)
            cuts = [rows[i:i + k * batch] for i in range(0, len(rows), k * batch)]
            chunks[k] = [(tf.convert_to_tensor(x[cut]), tf.convert_to_tensor(y[cut])) for cut in cuts]
            step(*chunks[k][0]).numpy()  # trace each shape outside the timing
        readings: dict[int, list[tuple[float, float]]] = {k: [] for k in SEEDS}
        for r in range(rounds):
            for k in (SEEDS if r % 2 == 0 else SEEDS[::-1]):
                started, cpu_started = time.perf_counter(), time.process_time()
                for xb, yb in chunks[k]:
                    step(xb, yb).numpy()
                scale = steps_per_epoch / len(chunks[k])
                readings[k].append(((time.perf_counter() - started) * scale,
                                    (time.process_time() - cpu_started) * scale))
        for k in SEEDS:
            wall[k] += statistics.median(w for w, _ in readings[k])
            cpu[k] += statistics.median(c for _, c in readings[k])
            extra = statistics.median(w for w, _ in readings[k]) - statistics.median(w for w, _ in readings[1])
            least[k] += max(extra, 0.0) * epochs.get(spec.choice, 0)
        print(f"  {decision}/{spec.choice}: " + ", ".join(
            f"{k}x {statistics.median(w for w, _ in readings[k]):.3f} s" for k in SEEDS) + f" (load {load()})",
              flush=True)
        del model, step
        free_memory()
    return wall, cpu, walls, least


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=6, help="batches timed per reading")
    parser.add_argument("--decisions", nargs="+", choices=DECISIONS, default=list(DECISIONS))
    args = parser.parse_args()
    started = time.perf_counter()
    import tensorflow  # noqa: F401  (imported before timing anything)

    print(f"CPUs: {os.cpu_count()}; load {load()}", flush=True)
    rows: list[list[object]] = []
    steps: list[list[object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for decision in args.decisions:
            wall, cpu, walls, least = floor(decision, args.rounds, args.batches, Path(tmp) / decision)
            steps.append([decision, f"{wall[1]:.2f} ({cpu[1]:.2f})"] + [
                cell for k in (3, 5) for cell in (f"{wall[k]:.2f} ({cpu[k]:.2f})", f"{wall[k] / wall[1]:.2f}x",
                                                  f"{cpu[k] / cpu[1]:.2f}x")])
            row: list[object] = [decision, f"{walls[1]:.1f}"]
            for k in (3, 5):
                bound = least[k] / walls[1]
                row += [f"{walls[k]:.1f} ({walls[k] / walls[1]:.2f}x)", f"{bound:.2f}x",
                        "possible" if bound <= TARGETS[k] else "ruled out"]
            rows.append(row)
    table(f"One model's training step at k times the batch: seconds per epoch summed over a decision's candidates, "
          f"wall (CPU), median of {args.rounds} interleaved rounds",
          ["decision", "1x batch", "3x batch", "3/1 wall", "3/1 CPU", "5x batch", "5/1 wall", "5/1 CPU"], steps)
    table(f"Whole comparison at 1, 3 and 5 seeds as the Lab trains them (seeds stacked; wall s, ratio to 1 seed), "
          f"and the least ratio "
          f"k seeds stacked in one model could reach (targets: 3 seeds <= {TARGETS[3]}x, 5 seeds <= {TARGETS[5]}x); "
          f"{time.perf_counter() - started:.0f} s in all; load at the end {load()}",
          ["decision", "1 seed", "3 seeds", "stacked at least", "<= 1.3x", "5 seeds", "stacked at least",
           "<= 1.6x"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
