"""Scale-out on Ray, measured: one small bank sweep built locally and through a local Ray head, alternating.

    python bench/bench_ray.py                 # 3 rounds: the sequence-model sweep at 2 points, 2 seeds, 2 epochs
    python bench/bench_ray.py --rounds 5 --seeds 3

Each round builds the same sweep twice, in turn: through this machine's training worker (the default: the
points one after another, every point's candidates in one request) and through a Ray head started here on
loopback with 2 CPUs (one task per point and candidate, all submitted at once). It prints the medians of
the wall times, their ratio (Ray's overhead on one machine, or its gain where 2 tasks at once beat one
worker), the load average, and every task's time, then the expected wall time of the full stored bank
(evidence/*.json) on N machines, computed from those numbers as the README's Benchmarks section explains.
Both builds must store the same numbers; the bench stops if they do not.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tests.bank_support import small_sweep  # noqa: E402
from tests.ray_support import LOOPBACK, start_head  # noqa: E402

os.environ.update(LOOPBACK)  # before Ray is imported (it reads them then): keep every address on loopback

from engine.evidence import bank, fanout, measure  # noqa: E402
from engine.evidence.sweeps import BANKED, SWEEPS  # noqa: E402
from engine.lab.service.backend import RAY_ENV, use_ray  # noqa: E402

CPUS_PER_MACHINE = 2


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def build_once(decision: str, out: Path, ray_address: str | None) -> tuple[float, dict, list]:
    """Build the (patched) sweep once; (wall seconds, the document, [(value, choice, seconds)] on Ray)."""
    use_ray(ray_address)
    tasks: list[tuple[int, str, float]] = []
    fan_out = (lambda sweep: fanout.measure_points(sweep, on_task=lambda *t: tasks.append(t))) if ray_address else None
    started = time.perf_counter()
    document = bank.build(decision, measure.measure_point, ["bench"], bank_dir=out, fan_out=fan_out)
    return time.perf_counter() - started, document, tasks


def numbers(document: dict) -> list:
    return [{k: v for k, v in p.items() if k != "seconds"} for p in document["points"]]


def estimate(ratio: float, imbalance: float, overhead_s: float, machines: list[int]) -> list[str]:
    """The full stored bank's wall time on N machines of CPUS_PER_MACHINE CPUs each, from its stored per-point
    seconds (local, candidates one after another), as lines of a Markdown table."""
    tasks = []  # the estimated seconds of every (point, candidate) task of the full bank
    scaling = local = 0.0
    for path in sorted((ROOT / "evidence").glob("*.json")):
        document = json.loads(path.read_text())
        scaling += document.get("scaling_seconds", 0.0)
        for point in document["points"]:
            k, local = len(point["metric"]), local + point["seconds"]
            mean = point["seconds"] * ratio / k  # a point's local time on Ray, shared among its candidates
            longest = mean * min(imbalance, k)
            tasks += [longest] + ([(mean * k - longest) / (k - 1)] * (k - 1) if k > 1 else [])
    tasks = [t + overhead_s for t in tasks]
    work, longest = sum(tasks), max(tasks)
    lines = [f"full bank: {len(tasks)} tasks, {work:.0f} s of task time, longest task {longest:.0f} s; "
             f"local build's training {local:.0f} s (+ {scaling:.0f} s latency/memory, one task)",
             "| machines (2 CPUs each) | lower bound max(work / CPUs, longest) | list-scheduling bound work / CPUs + "
             "longest |", "|---|---|---|"]
    for n in machines:
        cpus = n * CPUS_PER_MACHINE
        low, high = max(work / cpus, longest), work / cpus + longest
        lines.append(f"| {n} | {(low + scaling) / 60:.1f} min | {(high + scaling) / 60:.1f} min |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decision", default="sequence_model", choices=sorted(SWEEPS))
    parser.add_argument("--values", type=int, nargs="+", help="sweep points (default: the sweep's first two)")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    sweep = SWEEPS[args.decision]
    SWEEPS[args.decision] = BANKED[args.decision] = small_sweep(args.decision, args.values or sweep.values[:2],
                                                                args.seeds, args.epochs)
    print(f"{args.decision} at {SWEEPS[args.decision].values}, {args.seeds} seeds, {args.epochs} epochs, "
          f"{args.rounds} rounds; load average at start {load()}", flush=True)
    started = time.perf_counter()
    head = start_head(cpus=CPUS_PER_MACHINE)
    print(f"Ray head on {head.address} started in {time.perf_counter() - started:.1f} s", flush=True)
    walls: dict[str, list[float]] = {"local": [], "ray": []}
    tasks: list[tuple[int, str, float]] = []
    loads: list[str] = []
    reference = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["DL_ADVISOR_RUNS_DIR"] = str(Path(tmp) / "runs")
            for k in range(args.rounds):
                order = ("local", "ray") if k % 2 == 0 else ("ray", "local")
                for how in order:
                    seconds, document, done = build_once(args.decision, Path(tmp) / f"{how}{k}",
                                                         head.address if how == "ray" else None)
                    reference = reference or numbers(document)
                    if numbers(document) != reference:
                        print(f"round {k}, {how}: the stored numbers differ from the first build's", file=sys.stderr)
                        return 1
                    walls[how].append(seconds)
                    tasks += done
                    loads.append(load())
                    print(f"round {k + 1} {how}: {seconds:.1f} s (load {loads[-1]})", flush=True)
    finally:
        use_ray(None)
        from engine.lab.service import ray_backend

        for backend in ray_backend._BACKENDS.values():
            backend.close()
        head.stop()
        os.environ.pop(RAY_ENV, None)

    local, ray = statistics.median(walls["local"]), statistics.median(walls["ray"])
    print("\n| build | median wall | all rounds |\n|---|---|---|")
    for how, median in (("local worker", local), ("Ray, 2 CPUs on this machine", ray)):
        runs = walls["local" if how.startswith("local") else "ray"]
        print(f"| {how} | {median:.1f} s | {', '.join(f'{s:.1f}' for s in runs)} |")
    print(f"\nRay / local: {ray / local:.2f}x (load average during the rounds: {', '.join(loads)})")
    by_task: dict[tuple[int, str], list[float]] = {}
    for value, choice, seconds in tasks:
        by_task.setdefault((value, choice), []).append(seconds)
    print("\n| point | candidate | task seconds (median of rounds) |\n|---|---|---|")
    for (value, choice), seconds in sorted(by_task.items()):
        print(f"| {value} | {choice} | {statistics.median(seconds):.1f} |")
    medians = {key: statistics.median(v) for key, v in by_task.items()}
    points = sorted({value for value, _ in medians})
    imbalance = statistics.median(max(s for (v, _), s in medians.items() if v == p) /
                                  statistics.mean(s for (v, _), s in medians.items() if v == p) for p in points)
    print(f"\nlongest task / mean task at a point: {imbalance:.2f} (median over points)")
    # What one task costs beyond its training: the Ray build's wall time on its CPUs against the task time.
    task_time = sum(medians.values())
    overhead = max(0.0, (ray * CPUS_PER_MACHINE - task_time) / max(len(medians), 1))
    print(f"per-task overhead (2 x Ray wall - task time, per task): {overhead:.1f} s")
    ratio = task_time / local if local else 1.0
    print(f"task time summed / local wall: {ratio:.2f}\n")
    for line in estimate(ratio, imbalance, overhead, [1, 2, 4, 8, 16]):
        print(line)
    print(f"\nmeasured {time.strftime('%Y-%m-%d')}; {math.ceil(time.perf_counter() - started)} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
