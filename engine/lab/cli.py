"""`train` and `scaling` subcommands for `python -m engine` (registered by engine/cli.py via add_parsers).

Progress goes to stderr, results to stdout; an EngineError prints one line to stderr and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EngineError
from .decisions import DECISIONS, dataset_names

if TYPE_CHECKING:  # pandas comes with the results module: keep it off `python -m engine recommend`
    from .results.records import ProgressEvent


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser(
        "train", help="train a decision's candidates side by side and compare them",
        description="Train the recommended model and its alternatives for one decision, changing only that "
                    "decision, and print per-candidate metrics and a verdict.")
    train.add_argument("decision", choices=DECISIONS)
    source = train.add_mutually_exclusive_group()
    source.add_argument("--data", metavar="NAME", choices=dataset_names(), help="a sample data set "
                        "(default: the decision's own); one of: " + ", ".join(dataset_names()))
    source.add_argument("--csv", metavar="PATH", type=Path, help="a CSV with a text and a label column")
    train.add_argument("--text-column", help="CSV text column (guessed when omitted)")
    train.add_argument("--label-column", help="CSV label column (guessed when omitted)")
    train.add_argument("--epochs", type=int, help="epochs per candidate (default: the decision's)")
    train.add_argument("--seed", type=int, default=0, help="the first seed (the others follow it)")
    train.add_argument("--seeds", type=int, default=1, metavar="N",
                       help="train every candidate N times with seeds SEED, SEED+1, ... (default 1; the app uses 3)")
    train.add_argument("--seq-len", type=int, help="sequence length, for data sets that have one")
    train.add_argument("--examples", type=int, metavar="N", help="labelled (training) examples, for sample data sets")
    train.add_argument("--recommended", metavar="CHOICE",
                       help="your interview's choice, shown beside the rules' choice for the data trained on")
    train.add_argument("--runs-dir", type=Path, help="where run folders go (default: $DL_ADVISOR_RUNS_DIR or runs/)")
    train.add_argument("--json", action="store_true", help="print metrics, curves and wall time as JSON")
    add_ray_option(train)
    train.set_defaults(handler=run_train)

    scaling = subparsers.add_parser("scaling", help="measure time and memory vs sequence length: RNN vs attention")
    scaling.add_argument("--lengths", type=int, nargs="+", help="sequence lengths (default: 128 to 4096)")
    scaling.add_argument("--json", action="store_true")
    add_ray_option(scaling)
    scaling.set_defaults(handler=run_scaling)


def add_ray_option(parser: argparse.ArgumentParser) -> None:
    """`--ray ADDRESS`: train on that Ray cluster (as $DL_ADVISOR_RAY_ADDRESS does), e.g. auto or ray://host:10001."""
    parser.add_argument("--ray", metavar="ADDRESS", help="train on the Ray cluster at ADDRESS (auto, HOST:PORT, "
                        "ray://HOST:PORT or local); default: $DL_ADVISOR_RAY_ADDRESS, else this machine")


def _quiet_tensorflow() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def use_ray_option(args: argparse.Namespace) -> None:
    """Send this command's training to `--ray`'s cluster, when given."""
    if getattr(args, "ray", None):
        from .service.backend import use_ray

        use_ray(args.ray)


def _progress(event: ProgressEvent) -> None:
    if event.phase == "queued" and event.position:
        print(f"waiting: {event.position} run(s) ahead", file=sys.stderr)
    elif event.phase == "epoch":
        logs = " ".join(f"{k}={v:.3f}" for k, v in event.logs.items() if k != "seconds")
        print(f"{event.candidate} epoch {event.epoch}/{event.epochs} {logs}", file=sys.stderr)


def run_train(args: argparse.Namespace) -> int:
    from .request import TrainRequest
    from .train import train_comparison

    _quiet_tensorflow()
    use_ray_option(args)
    try:
        from .data.csv_data import load_csv
        from .decisions import default_dataset
        from .running.situation import settings_for

        csv = load_csv(args.csv, args.text_column, args.label_column) if args.csv else None
        settings: dict[str, int] = {}
        if args.examples is not None:
            if csv is not None:
                raise EngineError("--examples applies to sample data sets; a CSV trains on its own rows.")
            if args.examples < 20:
                raise EngineError(f"--examples must be at least 20; got {args.examples}.")
            name = args.data or default_dataset(args.decision)
            settings, notes = settings_for(args.decision, name, {"labelled_examples": args.examples})
            for note in notes:
                print(f"note: {note}", file=sys.stderr)
        request = TrainRequest.make(args.decision, dataset=args.data, csv=csv, epochs=args.epochs, seed=args.seed,
                                    seeds=args.seeds, seq_len=args.seq_len, settings=settings,
                                    recommended=args.recommended)
        result = train_comparison(request, on_progress=None if args.json else _progress, runs_dir=args.runs_dir)
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result_document(result), indent=2))
        return 0
    table = result.to_frame()[["choice", "recommended", "val_accuracy", "val_accuracy_low", "val_accuracy_high",
                               "gap", "params", "seconds_per_epoch", "latency_ms_per_example"]]
    seeds = result.seed_list
    print(f"{result.decision} on {result.dataset} ({len(seeds)} seed{'s' if len(seeds) > 1 else ''}: "
          f"{', '.join(map(str, seeds))}; {result.wall_seconds:.1f} s)")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if len(seeds) > 1:
        print("(val_accuracy is the mean over seeds; _low/_high its 95% t-interval)")
    print()
    if result.recommendation is not None:
        rec = result.recommendation
        print(f"Recommended for this data by the rules: {rec.label} (rule {rec.rule_id}).")
        if rec.note:
            print(f"Note: {rec.note}")
    print(f"Claim: {result.verdict.claim}")
    print(f"Verdict: {result.verdict.text}")
    for note in result.notes:
        print(f"Note: {note}")
    print(f"Run folder: {result.run_dir}  (tensorboard --logdir {Path(result.run_dir) / 'logs'})")
    return 0


def result_document(result: Any) -> dict[str, Any]:
    """The JSON other tools read: seeds, per-candidate runs and 95% intervals, and the k-of-n verdict."""
    from .results.records import RUN_METRICS

    frame = result.to_frame().set_index("choice")
    candidates = []
    for c in result.candidates:
        row = frame.loc[c.choice]
        doc: dict[str, Any] = {"choice": c.choice, "label": c.label, "recommended": c.recommended,
                               "params": c.params, "trainable_params": c.trainable_params,
                               "wall_seconds": c.wall_seconds}
        for metric in RUN_METRICS:
            if metric == "size_bytes":
                continue
            for end in ("mean", "low", "high", "min", "max"):
                value = row[metric if end == "mean" else f"{metric}_{end}"]
                doc[f"{metric}_{end}"] = None if value is None or value != value else float(value)
        doc["runs"] = [run.model_dump(mode="json") for run in c.runs]
        candidates.append(doc)
    verdict = result.verdict
    return {"decision": result.decision, "dataset": result.dataset, "settings": result.settings,
            "seeds": len(result.seed_list), "seed_list": result.seed_list, "run_id": result.run_id,
            "run_dir": result.run_dir, "wall_seconds": result.wall_seconds, "stopped_early": result.stopped_early,
            "notes": result.notes,
            "recommendation": None if result.recommendation is None else result.recommendation.model_dump(),
            "candidates": candidates,
            "verdict": {"agrees": verdict.agrees, "holds_in": verdict.holds_in or 0, "seeds": verdict.seeds or 0,
                        "per_seed": verdict.per_seed, "text": verdict.text, "claim": verdict.claim,
                        "rule": "agrees when the claim held in at least 2/3 of the seeds that tested it, "
                                "disagrees when it failed in at least 2/3, otherwise null (inconclusive)"}}


def run_scaling(args: argparse.Namespace) -> int:
    from .scaling.experiment import DEFAULT_LENGTHS
    from .train import scaling_experiment

    _quiet_tensorflow()
    use_ray_option(args)
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
