"""Where an extra seed's time goes, phase by phase, and what a seed-stacked model could save at most.

    python bench/bench_seed_parts.py                          # every decision, 1 and 3 seeds
    python bench/bench_seed_parts.py --decisions optimizer --seeds 1 5

Issue 18 asks for k seeds within 1.3x (k = 3) and 1.6x (k = 5) of one seed's comparison, by training a
candidate's seeds as one vectorised model. That model replaces only the seeds' fits. This bench trains each
decision's comparison in this process at each seed count as the Lab trains it (seeds stacked), with
every seed's data already made once (word2vec vectors cached on disk, as bench_seed_floor.py does), and
splits its wall time into phases by wrapping the functions that do them (the innermost phase gets the time):

  data     a seed's data drawn, split and encoded (`comparison.prepare_seed`)
  build    the seed's model built and its pipelines made (`runner._seeded`, without its data)
  fit      `keras.Model.fit`: epochs, validation, callbacks; the first seed's also traces the step
  measure  scoring the kept weights, the decision's extras, saving and latency (`runner._measure`)
  speed    the side-by-side speed judge (`comparison.timed`, once per comparison, not per seed)
  other    the rest: on the stacked path the twin made, its pipelines, each seed's weights and optimizer
           state copied back; then judging, writing the run folder, code for the page

An extra seed's cost in a phase is (phase at k seeds - phase at 1 seed) / (k - 1). The last column bounds
a stacked model from below as if its extra seeds' fits cost nothing at all: one seed's comparison plus k - 1
times the extra seed's data, build and measure. Where that bound is above the target, no vectorising of fits
alone can meet it here; what else a seed costs has to go too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bench_training import load, table, warm_up  # noqa: E402  (this folder: the same load and table printers)

from engine.lab import DECISIONS, TrainRequest, train_comparison  # noqa: E402

TARGETS = {3: 1.3, 5: 1.6}
PHASES = ("data", "build", "fit", "measure", "speed", "other")
PER_SEED = ("data", "build", "measure")  # what a stacked model would still do once a seed


class Phases:
    """Exclusive wall time per phase: time inside a nested phase counts for the inner one only."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[tuple[str, float]] = []

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        now = time.perf_counter()
        if self._stack:  # pause the enclosing phase
            outer, since = self._stack[-1]
            self.seconds[outer] += now - since
        self._stack.append((name, now))
        try:
            yield
        finally:
            end = time.perf_counter()
            inner, since = self._stack.pop()
            self.seconds[inner] += end - since
            if self._stack:
                outer, _ = self._stack[-1]
                self._stack[-1] = (outer, end)

    def wrap(self, owner: object, attribute: str, name: str) -> Callable[[], None]:
        """Time every call of `owner.attribute` as phase `name`; returns the undo."""
        original = getattr(owner, attribute)

        def timed(*args, **kwargs):
            with self.phase(name):
                return original(*args, **kwargs)

        setattr(owner, attribute, timed)
        return lambda: setattr(owner, attribute, original)


def measure(decision: str, counts: tuple[int, ...], root: Path) -> dict[int, dict[str, float]]:
    """Phase seconds of the decision's comparison at each seed count (plus "total")."""
    import keras

    from engine.lab.running import comparison, runner

    warm_up(decision, max(counts), root)
    out = {}
    for k in counts:
        phases = Phases()
        undo = [phases.wrap(comparison, "prepare_seed", "data"), phases.wrap(runner, "_seeded", "build"),
                phases.wrap(keras.Model, "fit", "fit"), phases.wrap(runner, "_measure", "measure"),
                phases.wrap(comparison, "timed", "speed")]
        try:
            with phases.phase("other"):
                train_comparison(TrainRequest.make(decision, seed=0, seeds=k), runs_dir=root, isolate=False,
                                 reuse=False)
        finally:
            for step in reversed(undo):
                step()
        out[k] = {**phases.seconds, "total": sum(phases.seconds.values())}
        print(f"  {decision} at {k} seed(s): {out[k]['total']:.1f} s, " + ", ".join(
            f"{p} {out[k].get(p, 0.0):.1f}" for p in PHASES) + f" (load {load()})", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", nargs="+", choices=DECISIONS, default=list(DECISIONS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 3], help="seed counts; the first is the base")
    args = parser.parse_args()
    counts = tuple(args.seeds)
    started = time.perf_counter()
    import tensorflow  # noqa: F401  (imported before timing anything)

    print(f"CPUs: {os.cpu_count()}; load {load()}", flush=True)
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for decision in args.decisions:
            seconds = measure(decision, counts, Path(tmp) / decision)
            base = seconds[counts[0]]
            for k in counts[1:]:
                extra = {p: (seconds[k].get(p, 0.0) - base.get(p, 0.0)) / (k - counts[0]) for p in (*PHASES, "total")}
                bound = (base["total"] + (k - counts[0]) * sum(max(extra[p], 0.0) for p in PER_SEED)) / base["total"]
                target = TARGETS.get(k)
                verdict = "" if target is None else ("possible" if bound <= target else "ruled out")
                rows.append([decision, f"{base['total']:.1f}", k, f"{seconds[k]['total']:.1f}",
                             f"{seconds[k]['total'] / base['total']:.2f}x", f"{extra['total']:.1f}",
                             *(f"{extra[p]:.1f}" for p in PHASES), f"{bound:.2f}x {verdict}".strip()])
    table("Where an extra seed's seconds go (the Lab's path: seeds stacked where the model allows; data cached)",
          ["decision", f"{counts[0]} seed s", "k", "k seeds s", "ratio", "per extra seed",
           *(f"{p}" for p in PHASES), "fits free: at least"], rows)
    print(f"\nTotal bench time {time.perf_counter() - started:.0f} s; load {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
