"""`python -m engine evidence [--decision D] [--check] [--json]`: the stored sweeps, their crossovers, a re-check.

Without `--build` it prints what the bank holds (no training); `--build` regenerates the bank (minutes);
`--check` retrains one stored point (its first `--seeds N` seeds) and exits 0 only when it reproduces.
`--build` trains one point per request, `--workers N` (default: one per core) at a time in one-thread
training workers (one thread for every stored number, see bank.THREADS). With `--ray
ADDRESS` (or $DL_ADVISOR_RAY_ADDRESS) the training goes to that Ray cluster, one task per point and candidate.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import sys

from ..lab.cli import add_ray_option, use_ray_option
from ..lab.decisions import candidates
from .bank import THREADS, EvidenceError, build, check, describe_all, describe_levels, load, print_table
from .budget import describe_budget
from .fanout import Unit, choices, units
from .papers import markdown, table
from .progress import Progress
from .scaling_evidence import describe_scaling
from .sweeps import BANKED


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    ev = subparsers.add_parser("evidence", help="the evidence bank: sweeps over seeds, crossovers vs thresholds",
                               description=__doc__)
    ev.add_argument("--decision", choices=sorted(BANKED), action="append", metavar="NAME",
                    help="only this decision's sweep, or this measurement for the published results (repeatable): "
                         + ", ".join(sorted(BANKED)) + "; default: all of them")
    ev.add_argument("--papers", action="store_true",
                    help="the published results beside what the bank measured (no training)")
    action = ev.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="retrain one stored point and compare")
    action.add_argument("--build", action="store_true", help="regenerate the bank (trains; minutes)")
    ev.add_argument("--seeds", type=int, metavar="N",
                    help="with --check: retrain only the first N seeds of the point (default: all of them)")
    ev.add_argument("--workers", type=_positive, metavar="N",
                    help="with --build on this machine: train N points at once, each in its own training worker "
                         "on one TensorFlow thread (default: one per core)")
    ev.add_argument("--json", action="store_true", help="print the bank documents as JSON")
    add_ray_option(ev)
    ev.set_defaults(handler=run_evidence)


def _labels(decision: str) -> dict[str, str]:
    """How the decision's own rules name its choices (another decision may label the same id otherwise), and
    the Lab's name for a candidate the rules do not list (the overfitting baseline, L1 and L2 apart)."""
    from ..tables import load_tables

    rules = {c: choice.label for c, choice in load_tables().decisions[decision].choices.items()}
    return {**{spec.choice: spec.label for spec in candidates(decision)}, **rules}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"--workers takes a whole number of workers, 1 or more; got {text!r}.")
    return value


def _costs(names: list[str], split: bool) -> list[float]:
    """Every unit's expected cost (`fanout.units` of the named sweeps, in that order): what its point cost in the
    stored bank (its candidates' share, with `split`), or for a point never built the mean of those stored."""
    weights = []
    for name in names:
        stored = {}
        with contextlib.suppress(EvidenceError):  # a bank in an old format: no timings to go on
            stored = {p["x"]: p["seconds"] for p in (load(name) or {}).get("points", [])}
        sweep = BANKED[name]
        share = 1 / len(choices(sweep))
        weights += [stored.get(value, 0.0) * len(group) * share for _, value, group in units([sweep], split)]
    known = [w for w in weights if w] or [1.0]
    return [w or sum(known) / len(known) for w in weights]


def _build(names: list[str], workers: int | None) -> dict[str, dict]:
    """Regenerate the named bank files, with a progress bar. On this machine: `workers` training workers (default:
    one per core) on one TensorFlow thread each (bank.THREADS), each training one point at a time, costliest
    first (engine/lab/service/pool.py says why); on a Ray cluster, every point and candidate as its own task."""
    from ..lab.service.backend import ray_address
    from ..lab.service.pool import WorkerPool
    from .fanout import FanOut
    from .measure import measure_point, measure_scaling

    command = ["python", "-m", "engine", *sys.argv[1:]]
    workers = workers or os.cpu_count() or 1
    split = ray_address() is not None  # a cluster has CPUs for every candidate; here a point's share its data
    weights = _costs(names, split)
    progress = Progress(weights)
    sweeps = [BANKED[name] for name in names]
    place = {(id(sweep), value, group): k for k, (sweep, value, group) in enumerate(units(sweeps, split))}

    def cost(unit: Unit) -> float:
        return weights[place[id(unit[0]), unit[1], unit[2]]]

    def heard(unit: Unit, seconds: float) -> None:
        sweep, value, group = unit
        progress.advance(f"{sweep.name or sweep.decision} at {value:g} {sweep.quantity}: {', '.join(group)}",
                         unit=place[id(sweep), value, group])

    pool = None if split else WorkerPool(workers, threads=THREADS)
    how = (f"Ray cluster at {ray_address()}, one task per point and candidate" if pool is None else
           f"{workers} training worker{'s' if workers > 1 else ''} side by side, {THREADS} TensorFlow thread each, "
           "one point at a time")
    # The latency and memory measurement times inference: it runs after every training has ended, so nothing
    # shares the machine with it (the sweeps that store one are built last; each build waits for its points).
    order = sorted(names, key=lambda name: BANKED[name].scaling)
    documents: dict[str, dict] = {}
    with contextlib.ExitStack() as stack:
        if pool is not None:
            stack.enter_context(pool)
        fanned = stack.enter_context(FanOut(sweeps, via=pool, cost=cost, on_task=heard, split=split))
        for name in order:
            documents[name] = build(name, measure_point, command, scaling=measure_scaling, fan_out=fanned.points,
                                    how=how)
            seconds = sum(point["seconds"] for point in documents[name]["points"])
            print(f"{name}: {seconds:.0f} s of training, summed over its points", file=sys.stderr)
    return {name: documents[name] for name in names}


def run_evidence(args: argparse.Namespace) -> int:
    use_ray_option(args)
    decisions = args.decision or list(BANKED)
    if args.papers:
        rows = table({name: doc for name in BANKED if (doc := load(name)) is not None})
        print(json.dumps(rows, indent=1) if args.json else markdown(rows))
        return 0
    if args.check:
        from ..lab.service.backend import ray_address
        from ..lab.service.pool import WorkerPool
        from .measure import measure_point

        with contextlib.ExitStack() as stack:  # locally, on the thread count the bank was made with
            pool = None if ray_address() else stack.enter_context(WorkerPool(1, threads=THREADS))
            checked = [check(d, functools.partial(measure_point, via=pool), seeds=args.seeds) for d in decisions]
        for found in checked:
            for problem in found.problems:
                print(problem, file=sys.stderr)
            print(found.sentence(), file=sys.stderr)
        failed = any(found.problems for found in checked)
        print("evidence check: " + ("FAILED" if failed else "reproduced"), file=sys.stderr)
        return 1 if failed else 0
    if args.build:
        documents = _build(decisions, args.workers)
    else:
        documents = {}
        for decision in decisions:
            document = load(decision)
            if document is None:
                raise EvidenceError(f"No evidence stored for {decision}; make it with "
                                    f"`python -m engine evidence --build --decision {decision}`.")
            documents[decision] = document
    if args.json:
        out = {d: {**doc, "crossover_text": describe_all(doc, _labels(doc["decision"])),
                   "level_text": describe_levels(doc, _labels(doc["decision"])), "scaling_text": describe_scaling(doc),
                   "budget_text": describe_budget(doc)}
               for d, doc in documents.items()}
        print(json.dumps(out, indent=1))
        return 0
    for document in documents.values():
        labels = _labels(document["decision"])  # a measurement is named apart from its decision
        print_table(document, labels)
        for line in [*describe_all(document, labels), *describe_levels(document, labels),
                     *describe_scaling(document), *describe_budget(document)]:
            print("- " + line)
        prov = document["provenance"]
        print(f"(measured {prov['date']} on {prov['machine']}; code {prov['code_hash']}; `{prov['command']}`)\n")
    return 0
