"""Benchmarks of the training harness (engine.lab) on this machine; prints tables of medians.

    python bench/bench_training.py            # 3 runs per decision, 5 overhead pairs, memory over 20 comparisons
    python bench/bench_training.py --quick    # 1 run per decision, 3 pairs, memory over 20 tiny comparisons
    python bench/bench_training.py --only memory

Targets (issue 10): 3 seeds within 1.5x the wall time of 1 seed for every decision, first curve point within
3 s of pressing Train. Targets (issue 4): a comparison at default settings under 20 s wall; the harness's fit
under 5% slower than a bare model.fit of the same model and data; 20 consecutive comparisons grow resident
memory by under 100 MB.
The machine's load average is printed too: other processes on a shared 2-core machine slow every number,
so the CPU seconds a comparison used are printed beside its wall time.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from engine.lab import DECISIONS, TrainRequest, candidates, train_comparison  # noqa: E402
from engine.lab.data.datasets import prepare  # noqa: E402
from engine.lab.decisions import default_dataset, lab_decision  # noqa: E402

SMALL = {  # for the memory loop: every builder, a fraction of the data
    "sequence_model": {"examples": 400, "seq_len": 20},
    "text_encoding": {"labelled": 80, "corpus": 600},
    "overfitting": {"train": 100, "more": 300},
    "attention_vs_transformer": {"examples": 300, "seq_len": 20},
}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def warm_up(decision: str, seeds: int, root: Path) -> None:
    """One-off imports and tracing, and seeds 0..seeds-1's data made once under `root` (word2vec vectors for
    text are cached on disk), so that no timed run pays for a seed's first preparation."""
    found = lab_decision(decision)
    for seed in range(seeds):
        prepare(default_dataset(decision), seed, {}, root / "cache", found.needs)
    train_comparison(TrainRequest.make(decision, seed=0, seeds=1), runs_dir=root, isolate=False, reuse=False)


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))


def _timed(decision: str, seeds: int, root: Path, isolate: bool) -> tuple[float, float, object]:
    """Wall seconds of one comparison as the caller sees it, and seconds until its first curve point."""
    first: list[float] = []
    started = time.perf_counter()

    def on_progress(event) -> None:
        if event.phase == "epoch" and not first:
            first.append(time.perf_counter() - started)

    result = train_comparison(TrainRequest.make(decision, seed=0, seeds=seeds), runs_dir=root, isolate=isolate,
                              on_progress=on_progress, reuse=False)
    return time.perf_counter() - started, (first or [float("nan")])[0], result


def bench_walls(runs: int, root: Path, isolate: bool = True) -> None:
    """1 seed against 3 seeds for every decision, side by side in one run (alternating, so load drifts hit both)."""
    if isolate:  # the app's worker is started when the Lab opens: do not charge its TensorFlow import to a run
        from engine.lab.service.worker import shared_worker

        shared_worker().start()
        warm = TrainRequest.make("sequence_model", epochs=1, settings={"examples": 160}, seq_len=8)
        train_comparison(warm, runs_dir=root, reuse=False)
    rows = []
    for decision in DECISIONS:
        walls: dict[int, list[float]] = {1: [], 3: []}
        firsts: dict[int, list[float]] = {1: [], 3: []}
        results: dict[int, object] = {}
        for i in range(runs):
            for seeds in ((1, 3) if i % 2 == 0 else (3, 1)):
                wall, first, result = _timed(decision, seeds, root, isolate)
                walls[seeds].append(wall)
                firsts[seeds].append(first)
                results.setdefault(seeds, result)
        one, three = statistics.median(walls[1]), statistics.median(walls[3])
        verdict = results[3].verdict
        accuracies = " ".join(f"{c.choice}={c.val_accuracy:.2f}" for c in results[3].candidates)
        rows.append([decision, f"{one:.1f}", f"{three:.1f}", f"{three / one:.2f}x",
                     "yes" if three <= 1.5 * one else "NO", f"{statistics.median(firsts[1]):.1f}",
                     f"{statistics.median(firsts[3]):.1f}", "yes" if statistics.median(firsts[3]) <= 3 else "NO",
                     {True: "agrees", False: "disagrees", None: "inconclusive"}[verdict.agrees]
                     + f" ({verdict.holds_in} of {verdict.seeds})", accuracies])
    where = "through the training worker, as the app runs it" if isolate else "in this process"
    table(f"Comparison wall time at default settings, 1 seed vs 3 seeds, {where} (median of {runs}; "
          f"load {load()})",
          ["decision", "1 seed s", "3 seeds s", "ratio", "<=1.5x", "1st point s (1)", "1st point s (3)", "<=3 s",
           "verdict (3 seeds)", "mean val accuracy (3 seeds)"], rows)


def bench_overhead(pairs: int) -> None:
    import keras

    from engine.lab.running import runner
    from engine.lab.running.callbacks import ScalarLogger, SeedTracker

    runner.make_deterministic()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for decision, choice in (("sequence_model", "gru"), ("overfitting", "no_remedy")):
            spec = next(s for s in candidates(decision) if s.choice == choice)
            found = lab_decision(decision)
            data = prepare(default_dataset(decision), 0, {}, Path(tmp), found.needs)
            config = found.train
            train, validation = runner.pipelines(data.x_train, data.y_train, data.x_val, data.y_val,
                                                 config.batch_size, 0)
            times: dict[str, list[float]] = {"bare": [], "harness": [], "numpy": [], "candidate": []}
            cpu: dict[str, list[float]] = {"bare": [], "harness": []}

            def fit(kind: str, spec=spec, data=data, config=config, train=train, validation=validation, found=found,
                    times=times, cpu=cpu, choice=choice) -> None:
                if kind == "candidate":  # everything the harness does for one candidate
                    started = time.perf_counter()
                    runner.train_candidate(found, spec, [data], config.epochs, [0], Path(tmp), lambda e: None, None)
                    times[kind].append(time.perf_counter() - started)
                    return
                model = runner.compiled_model(found, spec, data, 0)
                callbacks = []
                if kind == "harness":
                    tracker = SeedTracker(choice, config.epochs, lambda e: None, None, 0)
                    callbacks = [tracker, ScalarLogger(Path(tmp) / "logs" / kind, tracker)]
                started, cpu_started = time.perf_counter(), time.process_time()
                if kind == "numpy":  # what a hand-written script usually does
                    model.fit(data.x_train, data.y_train, validation_data=(data.x_val, data.y_val),
                              epochs=config.epochs, batch_size=config.batch_size, verbose=0)
                else:
                    model.fit(train, validation_data=validation, epochs=config.epochs, verbose=0,
                              callbacks=callbacks, shuffle=False)
                times[kind].append(time.perf_counter() - started)
                if kind in cpu:
                    cpu[kind].append(time.process_time() - cpu_started)
                keras.backend.clear_session()

            for i in range(pairs):  # interleaved, alternating order, so drifting load hits both sides
                order = ["bare", "harness"] if i % 2 == 0 else ["harness", "bare"]
                for kind in [*order, "numpy", "candidate"]:
                    fit(kind)
            bare, harness = statistics.median(times["bare"]), statistics.median(times["harness"])
            bare_cpu, harness_cpu = statistics.median(cpu["bare"]), statistics.median(cpu["harness"])
            per_epoch_ms = callback_cost_ms(choice, Path(tmp))
            share = per_epoch_ms / 1000 * config.epochs / bare
            rows.append([f"{decision}/{choice}", f"{bare:.2f}", f"{harness:.2f}",
                         f"{100 * (harness / bare - 1):+.1f}%", f"{100 * (harness_cpu / bare_cpu - 1):+.1f}%",
                         f"{per_epoch_ms:.2f} ms = {100 * share:.2f}%", "yes" if share < 0.05 else "NO",
                         f"{statistics.median(times['numpy']):.2f}", f"{statistics.median(times['candidate']):.2f}"])
    table(f"Harness overhead: model.fit alone vs with the harness's callbacks (median of {pairs}; load {load()})",
          ["model", "bare fit s", "harness fit s", "wall", "CPU", "callbacks per epoch", "<5%",
           "NumPy-input fit s", "whole candidate s"], rows)


def callback_cost_ms(choice: str, tmp: Path, epochs: int = 200) -> float:
    """What the harness's callbacks cost per epoch, timed alone (immune to load swings that swamp a fit)."""
    from engine.lab.running.callbacks import ScalarLogger, SeedTracker

    tracker = SeedTracker(choice, epochs, lambda e: None, None, 0)
    logger = ScalarLogger(tmp / "cost", tracker)
    logs = {"loss": 0.5, "accuracy": 0.8, "val_loss": 0.6, "val_accuracy": 0.7}
    logger.on_train_begin()
    started = time.perf_counter()
    for epoch in range(epochs):
        tracker.on_epoch_begin(epoch)
        tracker.on_epoch_end(epoch, logs)
        logger.on_epoch_end(epoch, logs)
    cost = (time.perf_counter() - started) / epochs
    logger.on_train_end()
    return 1000 * cost


def _memory_loop(count: int, root: Path, tiny: bool, isolate: bool) -> list[float]:
    samples = [rss_mb()]
    for i in range(count):
        decision = list(SMALL)[i % len(SMALL)]
        settings = dict(SMALL[decision])
        if tiny:
            settings = {k: max(v // 2, 20) if k != "seq_len" else v for k, v in settings.items()}
        request = TrainRequest.make(decision, seed=i % 5, epochs=2, settings=settings)
        train_comparison(request, runs_dir=root, isolate=isolate, reuse=False)  # every time: the point is growth
        gc.collect()
        samples.append(rss_mb())
    return samples


def bench_memory(count: int, root: Path, tiny: bool, in_process: int) -> None:
    from engine.lab.service.worker import shared_worker

    started = time.perf_counter()
    caller = _memory_loop(count, root / "isolated", tiny, isolate=True)
    worker = shared_worker()
    rows = [[f"caller, {count} comparisons in the worker (the default)", f"{caller[1]:.0f}", f"{caller[-1]:.0f}",
             f"{caller[-1] - caller[1]:+.0f}", "yes" if caller[-1] - caller[1] < 100 else "NO"],
            ["worker after its last comparison", "", f"{worker.rss_mb or 0:.0f}",
             f"replaced {worker.recycles}x", ""]]
    if in_process:
        here = _memory_loop(in_process, root / "here", tiny, isolate=False)
        per_run = (here[-1] - here[1]) / max(in_process - 1, 1)
        rows.append([f"in this process (isolate=False), {in_process} comparisons", f"{here[1]:.0f}", f"{here[-1]:.0f}",
                     f"{here[-1] - here[1]:+.0f} ({per_run:.0f}/run)",
                     "yes" if per_run * (count - 1) < 100 else "NO (20 runs: "
                     f"~{per_run * (count - 1):.0f})"])
    table(f"Resident memory (MB) over consecutive comparisons, all four decisions in turn, 2 epochs, small data "
          f"({time.perf_counter() - started:.0f} s; load {load()})",
          ["process", "after 1st", "after last", "growth", "<100 MB"], rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, tiny data in the memory loop")
    parser.add_argument("--only", choices=("walls", "overhead", "memory"), action="append")
    parser.add_argument("--in-process", action="store_true", help="walls: train in this process, not the worker")
    args = parser.parse_args()
    parts = args.only or ["walls", "overhead", "memory"]
    started = time.perf_counter()
    import tensorflow  # noqa: F401  (timed on its own: every first comparison in a process pays it)

    print(f"TensorFlow import: {time.perf_counter() - started:.1f} s; CPUs: {os.cpu_count()}; load {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if "walls" in parts:
            bench_walls(1 if args.quick else 3, root / "walls", isolate=not args.in_process)
        if "overhead" in parts:
            bench_overhead(3 if args.quick else 5)
        if "memory" in parts:
            bench_memory(20, root / "memory", tiny=args.quick, in_process=4 if args.quick else 8)
    return 0


if __name__ == "__main__":
    sys.exit(main())
