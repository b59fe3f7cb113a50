"""`python -m engine evidence [--decision D] [--check] [--json]`: the stored sweeps, their crossovers, a re-check.

Without `--build` it prints what the bank holds (no training); `--build` regenerates the bank (minutes);
`--check` retrains one stored point and exits 0 only when it reproduces. With `--ray ADDRESS` (or
$DL_ADVISOR_RAY_ADDRESS) the training goes to that Ray cluster, one task per point and candidate.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from ..lab.cli import add_ray_option, use_ray_option
from .bank import EvidenceError, build, check, describe_all, describe_levels, load, print_table
from .scaling_evidence import describe_scaling
from .sweeps import SWEEPS


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    ev = subparsers.add_parser("evidence", help="the evidence bank: sweeps over seeds, crossovers vs thresholds",
                               description=__doc__)
    ev.add_argument("--decision", choices=sorted(SWEEPS), action="append",
                    help="only this decision (repeatable); default: every swept decision")
    action = ev.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="retrain one stored point and compare")
    action.add_argument("--build", action="store_true", help="regenerate the bank (trains; minutes)")
    ev.add_argument("--json", action="store_true", help="print the bank documents as JSON")
    add_ray_option(ev)
    ev.set_defaults(handler=run_evidence)


def _labels(decision: str) -> dict[str, str]:
    """How the decision's own rules name its choices (another decision may label the same id otherwise), and
    the Lab's name for a candidate the rules do not list (the overfitting baseline, L1 and L2 apart)."""
    from ..lab.decisions import candidates
    from ..tables import load_tables

    rules = {c: choice.label for c, choice in load_tables().decisions[decision].choices.items()}
    return {**{spec.choice: spec.label for spec in candidates(decision)}, **rules}


def run_evidence(args: argparse.Namespace) -> int:
    from ..lab.service.backend import ray_address
    from .measure import measure_point, measure_points, measure_scaling

    use_ray_option(args)
    # On a Ray cluster every point and candidate is its own task, all submitted at once; locally the points
    # train one after another, each in one request.
    fan_out = measure_points if ray_address() else None
    decisions = args.decision or list(SWEEPS)
    if args.check:
        checked = [check(d, measure_point) for d in decisions]
        for found in checked:
            for problem in found.problems:
                print(problem, file=sys.stderr)
            print(found.sentence(), file=sys.stderr)
        failed = any(found.problems for found in checked)
        print("evidence check: " + ("FAILED" if failed else "reproduced"), file=sys.stderr)
        return 1 if failed else 0
    documents = {}
    for decision in decisions:
        if args.build:
            started = time.perf_counter()
            documents[decision] = build(decision, measure_point, ["python", "-m", "engine", *sys.argv[1:]],
                                        on_point=lambda x, s: print(f"  {x}: {s:.1f} s", file=sys.stderr),
                                        scaling=measure_scaling, fan_out=fan_out)
            print(f"{decision}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        else:
            document = load(decision)
            if document is None:
                raise EvidenceError(f"No evidence stored for {decision}; make it with "
                                    f"`python -m engine evidence --build --decision {decision}`.")
            documents[decision] = document
    if args.json:
        out = {d: {**doc, "crossover_text": describe_all(doc, _labels(d)),
                   "level_text": describe_levels(doc, _labels(d)), "scaling_text": describe_scaling(doc)}
               for d, doc in documents.items()}
        print(json.dumps(out, indent=1))
        return 0
    for decision, document in documents.items():
        print_table(document, _labels(decision))
        for line in [*describe_all(document, _labels(decision)), *describe_levels(document, _labels(decision)),
                     *describe_scaling(document)]:
            print("- " + line)
        prov = document["provenance"]
        print(f"(measured {prov['date']} on {prov['machine']}; code {prov['code_hash']}; `{prov['command']}`)\n")
    return 0
