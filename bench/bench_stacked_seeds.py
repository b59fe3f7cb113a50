"""1, 3 and 5 seeds of every decision's comparison, seeds trained as one seed-stacked model against one after another.

    python bench/bench_stacked_seeds.py                        # every decision, 1 round
    python bench/bench_stacked_seeds.py --rounds 3 --decisions optimizer sequence_model

Issue 18's targets: a comparison with 3 seeds within 1.3x of the same comparison with 1 seed, 5 seeds within
1.6x, for every decision, with the seeds of each candidate trained as one model whose weights carry a seed axis
(engine/lab/running/stacked.py). Each comparison runs as the Lab page runs it at its default settings (every
candidate, default epochs, the side-by-side speed judge), in this process, with every seed's data made once
beforehand (word2vec vectors cached on disk) so no timed run pays for a seed's first preparation. Beside the
stacked path, the same 3 and 5 seeds one after another (`runner.STACK_SEEDS` off), the Lab's path before.
Within a round the runs alternate and their order flips every round, so load drifts hit every column alike;
the table gives medians over rounds and the machine load before and after.
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

from bench_training import load, table, warm_up  # noqa: E402  (this folder: the same load and table printers)

from engine.lab import DECISIONS, TrainRequest, train_comparison  # noqa: E402

TARGETS = {3: 1.3, 5: 1.6}
RUNS = ((1, True), (3, True), (5, True), (3, False), (5, False))  # (seeds, stacked)


def _wall(decision: str, seeds: int, stacked: bool, root: Path) -> tuple[float, object]:
    from engine.lab.running import runner

    runner.STACK_SEEDS["on"] = stacked
    started = time.perf_counter()
    result = train_comparison(TrainRequest.make(decision, seed=0, seeds=seeds), runs_dir=root, isolate=False,
                              reuse=False)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", nargs="+", choices=DECISIONS, default=list(DECISIONS))
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    import tensorflow  # noqa: F401  (imported before timing anything)

    before = load()
    print(f"CPUs: {os.cpu_count()}; load {before}", flush=True)
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for decision in args.decisions:
            root = Path(tmp) / decision
            warm_up(decision, 5, root)
            walls: dict[tuple[int, bool], list[float]] = {run: [] for run in RUNS}
            together: dict[int, str] = {}
            for i in range(args.rounds):
                for run in (RUNS if i % 2 == 0 else RUNS[::-1]):
                    wall, result = _wall(decision, *run, root)
                    walls[run].append(wall)
                    if run[1]:
                        apart = {c.choice: c.apart_because for c in result.candidates if not c.trained_together}
                        together[run[0]] = "all" if not apart else "; ".join(f"{k}: {v}" for k, v in apart.items())
                print(f"{decision} round {i + 1}: " + ", ".join(f"{k}{'s' if s else 'a'}={walls[(k, s)][-1]:.1f}"
                                                               for k, s in RUNS), flush=True)
            one = statistics.median(walls[(1, True)])
            for k in (3, 5):
                stacked, apart = statistics.median(walls[(k, True)]), statistics.median(walls[(k, False)])
                met = "met" if stacked <= TARGETS[k] * one else "NOT met"
                rows.append([decision, f"{one:.1f}", k, f"{stacked:.1f}", f"{stacked / one:.2f}x",
                             f"{TARGETS[k]}x {met}", f"{apart:.1f}", f"{apart / one:.2f}x",
                             f"{apart / stacked:.2f}x", together[k]])
    table(f"Comparison wall time at default settings, k seeds against 1 (median of {args.rounds} round(s); "
          f"load {before} before, {load()} after)",
          ["decision", "1 seed s", "k", "stacked s", "ratio", "target", "one after another s", "ratio",
           "stacked saves", "stacked candidates"], rows)
    print(f"\nTotal bench time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
