"""`train` and `scaling` subcommands for `python -m engine` (registered by engine/cli.py via add_parsers).

Progress goes to stderr, results to stdout; an EngineError prints one line to stderr and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EngineError
from .datasets import DATASETS
from .specs import DECISIONS

if TYPE_CHECKING:  # pandas comes with the results module: keep it off `python -m engine recommend`
    from .results import ProgressEvent


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser(
        "train", help="train a decision's candidates side by side and compare them",
        description="Train the recommended model and its alternatives for one decision, changing only that "
                    "decision, and print per-candidate metrics and a verdict.")
    train.add_argument("decision", choices=DECISIONS)
    source = train.add_mutually_exclusive_group()
    source.add_argument("--data", metavar="NAME", choices=sorted(DATASETS), help="a sample data set "
                        "(default: the decision's own); one of: " + ", ".join(sorted(DATASETS)))
    source.add_argument("--csv", metavar="PATH", type=Path, help="a CSV with a text and a label column")
    train.add_argument("--text-column", help="CSV text column (guessed when omitted)")
    train.add_argument("--label-column", help="CSV label column (guessed when omitted)")
    train.add_argument("--epochs", type=int, help="epochs per candidate (default: the decision's)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--seq-len", type=int, help="sequence length, for data sets that have one")
    train.add_argument("--recommended", metavar="CHOICE", help="the choice to judge (default: from the data)")
    train.add_argument("--runs-dir", type=Path, help="where run folders go (default: $DL_ADVISOR_RUNS_DIR or runs/)")
    train.add_argument("--json", action="store_true", help="print metrics, curves and wall time as JSON")
    train.set_defaults(handler=run_train)

    scaling = subparsers.add_parser("scaling", help="measure time and memory vs sequence length: RNN vs attention")
    scaling.add_argument("--lengths", type=int, nargs="+", help="sequence lengths (default: 128 to 4096)")
    scaling.add_argument("--json", action="store_true")
    scaling.set_defaults(handler=run_scaling)


def _quiet_tensorflow() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _progress(event: ProgressEvent) -> None:
    if event.phase == "queued" and event.position:
        print(f"waiting: {event.position} run(s) ahead", file=sys.stderr)
    elif event.phase == "epoch":
        logs = " ".join(f"{k}={v:.3f}" for k, v in event.logs.items() if k != "seconds")
        print(f"{event.candidate} epoch {event.epoch}/{event.epochs} {logs}", file=sys.stderr)


def run_train(args: argparse.Namespace) -> int:
    from .harness import train_comparison

    _quiet_tensorflow()
    try:
        from .csv_data import load_csv

        csv = load_csv(args.csv, args.text_column, args.label_column) if args.csv else None
        result = train_comparison(args.decision, dataset=args.data, csv=csv, epochs=args.epochs, seed=args.seed,
                                  seq_len=args.seq_len, recommended=args.recommended,
                                  on_progress=None if args.json else _progress, runs_dir=args.runs_dir)
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        document = result.to_dict()
        for candidate in document["candidates"]:
            candidate.pop("code", None)  # the scripts are in the run folder's result.json
        print(json.dumps(document, indent=2))
        return 0
    table = result.to_frame().drop(columns=["label"])
    print(f"{result.decision} on {result.dataset} (seed {result.seed}, {result.wall_seconds:.1f} s)")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print()
    print(f"Claim: {result.verdict.claim}")
    print(f"Verdict: {result.verdict.text}")
    for note in result.notes:
        print(f"Note: {note}")
    print(f"Run folder: {result.run_dir}  (tensorboard --logdir {Path(result.run_dir) / 'logs'})")
    return 0


def run_scaling(args: argparse.Namespace) -> int:
    from .scaling import DEFAULT_LENGTHS, scaling_experiment

    _quiet_tensorflow()
    try:
        result = scaling_experiment(tuple(args.lengths or DEFAULT_LENGTHS))
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    print(result.to_frame().to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    print()
    print(f"Claim: {result.claim}")
    print(f"Measured: {result.verdict}")
    print(f"Memory: {result.memory_check}")
    print("\n".join(["", "A realistic model (estimate):", *(f"- {line}" for line in result.estimate_text)]))
    return 0
