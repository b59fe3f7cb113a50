"""`python -m engine evidence [--decision D] [--check] [--json]`: the stored sweeps, their crossovers, a re-check.

Without `--build` it prints what the bank holds (no training); `--build` regenerates the bank (minutes);
`--check` retrains one stored point (its first `--seeds N` seeds) and exits 0 only when it reproduces.
With `--ray ADDRESS` (or $DL_ADVISOR_RAY_ADDRESS) the training goes to that Ray cluster, one task per point
and candidate.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time

from ..lab.cli import add_ray_option, use_ray_option
from ..lab.decisions import candidates
from .bank import EvidenceError, build, check, describe_all, describe_levels, load, print_table
from .budget import describe_budget
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
    ev.add_argument("--json", action="store_true", help="print the bank documents as JSON")
    add_ray_option(ev)
    ev.set_defaults(handler=run_evidence)


def _labels(decision: str) -> dict[str, str]:
    """How the decision's own rules name its choices (another decision may label the same id otherwise), and
    the Lab's name for a candidate the rules do not list (the overfitting baseline, L1 and L2 apart)."""
    from ..tables import load_tables

    rules = {c: choice.label for c, choice in load_tables().decisions[decision].choices.items()}
    return {**{spec.choice: spec.label for spec in candidates(decision)}, **rules}


def _progress(names: list[str]) -> Progress:
    """A bar over every (point, candidate) to build, each weighted by what it cost in the stored bank (its point's
    seconds shared among its candidates) or, for a point never built, by the mean of those stored."""
    weights = []
    for name in names:
        sweep = BANKED[name]
        stored = {}
        with contextlib.suppress(EvidenceError):  # a bank in an old format: no timings to go on
            stored = {p["x"]: p["seconds"] for p in (load(name) or {}).get("points", [])}
        trains = sweep.candidates or tuple(spec.choice for spec in candidates(sweep.decision))
        for value in sweep.values:
            share = stored.get(value, 0.0) / len(trains)
            weights += [share] * len(trains)
    known = [w for w in weights if w] or [1.0]
    return Progress([w or sum(known) / len(known) for w in weights])


def run_evidence(args: argparse.Namespace) -> int:
    from ..lab.service.backend import ray_address
    from .measure import measure_point, measure_points, measure_scaling

    use_ray_option(args)
    # On a Ray cluster every point and candidate is its own task, all submitted at once; locally the points
    # train one after another, each in one request.
    fan_out = measure_points if ray_address() else None
    decisions = args.decision or list(BANKED)
    if args.papers:
        rows = table({name: doc for name in BANKED if (doc := load(name)) is not None})
        print(json.dumps(rows, indent=1) if args.json else markdown(rows))
        return 0
    if args.check:
        checked = [check(d, measure_point, seeds=args.seeds) for d in decisions]
        for found in checked:
            for problem in found.problems:
                print(problem, file=sys.stderr)
            print(found.sentence(), file=sys.stderr)
        failed = any(found.problems for found in checked)
        print("evidence check: " + ("FAILED" if failed else "reproduced"), file=sys.stderr)
        return 1 if failed else 0
    documents = {}
    progress = _progress(decisions) if args.build else None
    for decision in decisions:
        if args.build:
            started = time.perf_counter()

            def measure(sweep, value, seeds, chosen=None, name=decision):
                def tick(event):
                    if event.phase == "finished":
                        progress.advance(f"{name} at {value:g} {sweep.quantity}: {event.candidate}")

                return measure_point(sweep, value, seeds, chosen, on_progress=tick)

            documents[decision] = build(decision, measure, ["python", "-m", "engine", *sys.argv[1:]],
                                        scaling=measure_scaling, fan_out=fan_out)
            print(f"{decision}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        else:
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
