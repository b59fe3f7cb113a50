"""Run the sweeps into versioned files under `evidence/`, with provenance, and check a stored point reproduces.

A bank file holds, per swept point, every candidate's metric for every seed, plus where, when and how it
was measured: the date, the machine, the package versions, the command, and a hash of the code that
defines the candidates, the data generators and the sweep. `check` refuses a bank whose hash no longer
matches the code (the numbers would describe other models or other data), then retrains one point and
compares it seed by seed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import EngineError
from .crossover import describe, describe_pair, find_crossover
from .levels import LevelCheck, check_level, describe_level
from .sweeps import BANKED, COMPARED, SWEEPS, Sweep, levels, thresholds

ROOT = Path(__file__).resolve().parents[2]
BANK_DIR = ROOT / "evidence"
FORMAT = 1
# What a stored number depends on: change any of these files, the decision's own module
# (engine/lab/decisions/<id>.py: its candidates, builder and sweep) or any `code_files` its sweep names, and
# that decision's bank must be made again; another decision's module leaves it valid.
CODE_FILES = ("engine/lab/data/samples.py", "engine/lab/data/generators.py", "engine/lab/data/lookahead.py",
              "engine/lab/data/datasets.py", "engine/lab/data/labdata.py", "engine/lab/data/text_prep.py",
              "engine/lab/data/realtext.py", "engine/lab/data/glove.py", "engine/lab/data/word2vec.py",
              "engine/lab/models/layers.py", "engine/lab/models/blocks.py", "engine/lab/models/training.py",
              "engine/lab/models/optimizers.py", "engine/lab/models/seed_layers.py", "engine/lab/running/runner.py",
              "engine/lab/running/seed_model.py", "engine/lab/running/stacked.py", "engine/lab/running/comparison.py",
              "engine/evidence/measure.py")
# TensorFlow's threads per op for every number the bank stores, however many workers build it, and for its
# check: the thread count sets the order in which some matrix products sum, so it can move a number.
# Measured 2026-12-04, the whole bank rebuilt on one thread against TensorFlow's default (two here): 5 of the
# look-ahead decoder's 6 seeds moved, by up to 0.0043; the other 1,831 stored measurements were the same to
# the last bit. One thread is also what the test suite's processes use, so its check reproduces the bank
# bit for bit (but the look-ahead decoder checked on one seed: 0.0023 on the 6-seed bank made on an AMD EPYC,
# 0.0003 on the 8-seed bank made on an Intel Xeon, as a seed trained standalone drifts from the same seed
# trained seed-stacked over 20 epochs; on the AMD two seeds, stacked, matched exactly).
THREADS = 1
# Per-seed values must match this closely on the CPU that made the bank: with op determinism on, the same
# machine reproduces them bit for bit; 0.005 is under two of the 300 test examples of the smallest set.
TOLERANCE = 0.005
# On another CPU the same code and seeds can drift: measured on 2026-12-03, an "AMD EPYC" without AVX-512
# recomputed the bank made on 2026-11-24 on another "AMD EPYC" exactly for 5 of 6 overfitting candidates,
# and for 'more data' (570 training steps, where a rounding difference has longest to grow) moved single
# seeds by up to 0.017 (5 of 300 test examples) while its mean over 5 seeds moved by under 0.005. So across
# CPUs each seed may move by 0.03 and each candidate's mean by 0.01, twice what was seen, and the
# conclusions drawn from means and intervals stand.
CROSS_CPU_SEED = 0.03
FRACTIONS = ("test_accuracy", "val_accuracy", "train_accuracy", "gap")  # compared on another CPU too
CROSS_CPU_MEAN = 0.01
ISA_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
             "avx_vnni", "amx_tile", "amx_bf16")

# (sweep, value, seeds, the learning-rate factor chosen per candidate or None) -> metric -> choice -> per seed
Measure = Callable[..., dict[str, dict[str, list[float]]]]
Scaling = Callable[[], dict[str, Any]]  # the latency/memory measurement (engine.lab.scaling), as a dict
# sweep -> (value, what `measure` returns for it, seconds it took) for every point, in the sweep's order
FanOut = Callable[[Sweep], Iterable[tuple[int, dict[str, dict[str, list[float]]], float]]]


class EvidenceError(EngineError):
    """The bank is missing, out of date, or a recomputed point does not reproduce it."""


def code_hash(name: str, root: Path = ROOT) -> str:
    """A hash of what the numbers of the sweep or measurement `name` depend on (see CODE_FILES)."""
    sweep = BANKED[name]
    decision = sweep.decision
    digest = hashlib.sha256(json.dumps(_sweep_dict(sweep), sort_keys=True).encode())
    for name in (*CODE_FILES, f"engine/lab/decisions/{decision}.py", *sweep.code_files):
        path = root / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
    return digest.hexdigest()[:16]


def provenance(name: str, command: Sequence[str]) -> dict[str, Any]:
    versions = {}
    for package in ("tensorflow-cpu", "keras", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": _machine(), "cpu": cpu(),
            "python": platform.python_version(), "packages": versions, "command": " ".join(command),
            "code_hash": code_hash(name)}


def cpu() -> dict[str, Any]:
    """What decides how a CPU sums floating point: its model name, its vector instruction sets, its cores."""
    model, flags = platform.processor() or platform.machine(), set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name") and model == (platform.processor() or platform.machine()):
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    return {"model": model, "isa": [f for f in ISA_FLAGS if f in flags], "cores": os.cpu_count()}


def _machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model}, {os.cpu_count()} cores"


def bank_path(name: str, bank_dir: Path = BANK_DIR) -> Path:
    return bank_dir / f"{name}.json"


def one_by_one(measure: Measure) -> FanOut:
    """Points measured one after another with `measure`, each timed by the wall clock (the local build)."""

    def points(sweep: Sweep) -> Iterator[tuple[int, dict[str, dict[str, list[float]]], float]]:
        for value in sweep.values:
            started = time.perf_counter()
            measured = measure(sweep, value, sweep.seeds)
            yield value, measured, time.perf_counter() - started

    return points


def build(name: str, measure: Measure, command: Sequence[str], bank_dir: Path = BANK_DIR,
          on_point: Callable[[int, float], None] | None = None, scaling: Scaling | None = None,
          fan_out: FanOut | None = None, how: str | None = None) -> dict[str, Any]:
    """Measure every point of the sweep or measurement `name` (a decision's id for its sweep; and its cost
    against length, for a sweep that stores it) and write its bank file; returns what was written. Nothing is
    written unless every point was measured.

    By default the points are measured one after another with `measure`; `fan_out` measures them another way
    (several at a time: `engine.evidence.fanout.FanOut.points`) and yields them in the sweep's order with the
    seconds each took to train. `how` says in the provenance how the training was spread (a point's seconds
    are measured beside whatever else trained at the time).
    """
    sweep = BANKED[name]
    points = []
    for value, measured, seconds in (fan_out or one_by_one(measure))(sweep):
        point = {"x": value, "seeds": list(range(sweep.seeds)), "metric": measured[sweep.metric],
                 "seconds": round(seconds, 1)}
        if sweep.extra_metrics:
            point["extra"] = {m: measured[m] for m in sweep.extra_metrics}
        points.append(point)
        if on_point:
            on_point(value, seconds)
    document = {"format": FORMAT, "name": name, "decision": sweep.decision, "sweep": _sweep_dict(sweep),
                "points": points, "provenance": {**provenance(name, command), **({"trained": how} if how else {})}}
    if sweep.scaling:
        if scaling is None:
            raise EvidenceError(f"The {name} sweep stores a latency and memory measurement; pass one.")
        started = time.perf_counter()
        document["scaling"] = scaling()
        document["scaling_seconds"] = round(time.perf_counter() - started, 1)
    document["crossovers"] = [c.to_dict() for c in crossovers(document)]
    document["levels"] = [c.to_dict() for c in level_checks(document)]
    bank_dir.mkdir(parents=True, exist_ok=True)
    path = bank_path(name, bank_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return document


def _sweep_dict(sweep: Sweep) -> dict[str, Any]:
    out = asdict(sweep)
    out["base_answers"] = dict(sweep.base_answers)
    return out


def load(name: str, bank_dir: Path = BANK_DIR) -> dict[str, Any] | None:
    path = bank_path(name, bank_dir)
    if not path.exists():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("format") != FORMAT:
        raise EvidenceError(f"{path.name} is in format {document.get('format')}, this code reads format {FORMAT}; "
                            f"regenerate it with `python -m engine evidence --build --decision {name}`.")
    return document


def crossovers(document: Mapping[str, Any]):
    """Each rule threshold of the swept question, with where the measured winner changed."""
    sweep = SWEEPS.get(document.get("name", document["decision"]))
    if sweep is None:  # a one-point measurement for the published results: no rule threshold to cross
        return []
    points = [(p["x"], p["metric"]) for p in document["points"]]
    return [find_crossover(points, t.below, t.above, t.value, effect=sweep.effect, chance=sweep.chance)
            for t in thresholds(sweep) if all(t.below in m and t.above in m for _, m in points)]


def describe_all(document: Mapping[str, Any], labels: Mapping[str, str]) -> list[str]:
    """Each rule threshold's crossover, then each pair compared without one (`sweeps.COMPARED`)."""
    quantity = document["sweep"]["quantity"]
    points = [(p["x"], p["metric"]) for p in document["points"]]
    return [describe(c, labels, quantity) for c in crossovers(document)] + [
        describe_pair(points, a, b, labels, quantity, why) for a, b, why in COMPARED.get(document.get("name"), ())]


def level_checks(document: Mapping[str, Any]) -> list[LevelCheck]:
    """Each threshold the rule reads off a measured quantity, against that quantity along the sweep."""
    sweep = SWEEPS.get(document.get("name", document["decision"]))
    found = []
    for level in levels(sweep) if sweep is not None else ():
        points = [(p["x"], {"value": p["extra"][sweep.level_metric][sweep.level_candidate]})
                  for p in document["points"]]
        benefit = [(p["x"], p["metric"]) for p in document["points"]]
        found.append(check_level(points, benefit, quantity=sweep.level_input, level=level.value, below=level.below,
                                 above=level.above, baseline=sweep.baseline, scale=sweep.level_scale,
                                 effect=sweep.effect))
    return found


def describe_levels(document: Mapping[str, Any], labels: Mapping[str, str]) -> list[str]:
    quantity = document["sweep"]["quantity"]
    return [line for c in level_checks(document) for line in describe_level(c, labels, quantity)]


@dataclass(frozen=True)
class Reproduction:
    """One decision's stored point recomputed: what it was held to, the largest difference, what failed."""

    decision: str
    same_cpu: bool  # recomputed on the kind of CPU that made the bank (model, vector instructions, cores)
    largest: float  # the largest per-seed difference seen
    problems: list[str] = field(default_factory=list)
    seeds: int | None = None  # how many of the point's seeds were retrained (None: none, nothing to retrain)

    def sentence(self) -> str:
        if self.same_cpu:
            rule = f"the CPU that made it: every seed within {TOLERANCE}"
        else:
            rule = (f"another CPU: every seed within {CROSS_CPU_SEED} and every candidate's mean within "
                    f"{CROSS_CPU_MEAN}")
        outcome = "FAILED" if self.problems else "reproduced"
        retrained = f", {self.seeds} seed{'s' if self.seeds != 1 else ''} retrained" if self.seeds else ""
        return f"{self.decision}: {outcome} on {rule} (largest difference {self.largest:.4f}{retrained})."


def check(decision: str, measure: Measure, bank_dir: Path = BANK_DIR, here: Mapping[str, Any] | None = None,
          seeds: int | None = None) -> Reproduction:
    """Recompute the cheapest stored point of the sweep or measurement `decision` names; its problems are empty
    when it reproduces. Each candidate is retrained at the learning rate the stored grid chose (the choice
    itself is not re-made: that would cost the whole grid again).

    On the CPU that made the bank every value must match within TOLERANCE (epochs exactly); on another CPU
    (`here`, this machine's `cpu()` unless given) every fraction within CROSS_CPU_SEED and each candidate's
    mean within CROSS_CPU_MEAN, and counts such as epochs run are not compared (a rounding difference can
    move an early stop by an epoch or two). With `seeds`, only the point's first `seeds` seeds are retrained
    and compared: each seed's numbers depend on that seed alone (its data, its start, its batches), so a
    subset checks the same code at a fraction of the cost (the test suite checks 1).
    """
    document = load(decision, bank_dir)
    if document is None:
        return Reproduction(decision, True, 0.0, [f"No evidence stored for {decision}: run "
                                                  f"`python -m engine evidence --decision {decision}`."])
    stored_hash, now = document["provenance"]["code_hash"], code_hash(decision)
    if stored_hash != now:
        return Reproduction(decision, True, 0.0, [
            f"The {decision} evidence was made by other code (hash {stored_hash}, now {now}): a spec, builder, data "
            f"generator or the sweep changed since. Regenerate it with `python -m engine evidence --decision "
            f"{decision}`."])
    same = document["provenance"].get("cpu") == dict(here or cpu())
    per_seed = TOLERANCE if same else CROSS_CPU_SEED
    sweep = BANKED[decision]
    point = min(document["points"], key=lambda p: (p["seconds"], p["x"]))
    chosen = {c: values[0] for c, values in point.get("extra", {}).get("learning_rate_factor", {}).items()}
    n = len(point["seeds"]) if seeds is None else max(1, min(seeds, len(point["seeds"])))
    fresh = measure(sweep, point["x"], n, chosen or None)
    problems, largest = [], 0.0
    where = f"{decision} at {point['x']} {sweep.quantity}"
    for metric, per_choice in {sweep.metric: point["metric"], **point.get("extra", {})}.items():
        if not same and metric not in FRACTIONS and metric != sweep.metric:
            continue
        for choice, stored in per_choice.items():
            stored, got = stored[:n], fresh.get(metric, {}).get(choice, [])
            if len(got) != len(stored):
                problems.append(f"{where}: {choice} has {len(got)} recomputed seeds of {metric}, {len(stored)} stored.")
                continue
            for seed, (old, new) in enumerate(zip(stored, got, strict=True)):
                largest = max(largest, abs(old - new))
                if abs(old - new) > per_seed:
                    problems.append(f"{where}, {choice}, {metric}, seed {seed}: stored {old:.4f}, recomputed "
                                    f"{new:.4f} (tolerance {per_seed}).")
            drift = abs(sum(got) - sum(stored)) / max(len(got), 1)
            if not same and drift > CROSS_CPU_MEAN:
                problems.append(f"{where}, {choice}, {metric}: the mean over seeds moved by {drift:.4f} (tolerance "
                                f"{CROSS_CPU_MEAN} on another CPU).")
    return Reproduction(decision, same, largest, problems, n)


def print_table(document: Mapping[str, Any], labels: Mapping[str, str] | None = None, out=None) -> None:
    from ..lab.results.stats import spread

    out = out or sys.stdout  # read at the call: a caller (or a test) may have replaced it
    metric = document["sweep"]["metric"]
    choices = list(document["points"][0]["metric"])
    print(f"{document['decision']}: {metric} (mean [95% interval] over {len(document['points'][0]['seeds'])} seeds)",
          file=out)
    names = [(labels or {}).get(c, c) for c in choices]
    print("| " + document["sweep"]["quantity"] + " | " + " | ".join(names) + " | seconds |", file=out)
    print("|---" * (len(choices) + 2) + "|", file=out)
    for p in document["points"]:
        cells = []
        for c in choices:
            s = spread(p["metric"][c])
            cells.append(f"{s.mean:.3f}" + (f" [{s.low:.3f}, {s.high:.3f}]" if s.low is not None else ""))
        print(f"| {p['x']} | " + " | ".join(cells) + f" | {p['seconds']} |", file=out)
    sweep = document["sweep"]
    if sweep.get("level_input") and document["points"] and "extra" in document["points"][0]:
        who = (labels or {}).get(sweep["level_candidate"], sweep["level_candidate"])
        print(f"\n| {sweep['quantity']} | {sweep['level_input']} of {who} (x{sweep['level_scale']:g}) |\n|---|---|",
              file=out)
        for p in document["points"]:
            s = spread([v * sweep["level_scale"] for v in p["extra"][sweep["level_metric"]][sweep["level_candidate"]]])
            print(f"| {p['x']} | {s.mean:.1f} [{s.low:.1f}, {s.high:.1f}] |", file=out)
    if "scaling" in document:
        print(f"(latency and memory measured in {document.get('scaling_seconds', '?')} s; see below)", file=out)
