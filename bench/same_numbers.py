"""Does a refactor move any number? Train one small point of every decision with this checkout and another, and diff.

    python bench/same_numbers.py --before /path/to/other/checkout [--seeds 2]

Each checkout trains, in its own process and one after the other (so they do not share the CPU), every
decision at a small setting with the same seeds, and writes every candidate's per-seed validation accuracy
and loss, training and test accuracy, parameter count, the verdict's opening and the star. The table
prints how many values are identical and lists any that differ. Checkouts from before `TrainRequest`
existed are called with the keyword arguments `train_comparison` took then.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POINTS = {
    "sequence_model": {"dataset": "adding", "seq_len": 20, "settings": {"examples": 1000}},
    "text_encoding": {"dataset": "stdlib_docs", "settings": {"labelled": 70}},
    "overfitting": {"dataset": "digits", "settings": {"train": 50, "more": 1197}},
    "attention_vs_transformer": {"dataset": "marker_count", "seq_len": 16, "settings": {"examples": 600}},
    "optimizer": {"dataset": "digits_clean", "settings": {"train": 300}},
    "transformer_architecture": {"dataset": "lookahead_tags", "settings": {"examples": 800}},
}
CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from engine.lab import train_comparison
try:
    from engine.lab import TrainRequest
except ImportError:
    TrainRequest = None
out = {{}}
for decision, options in json.loads({points!r}).items():
    if TrainRequest is not None:
        result = train_comparison(TrainRequest.make(decision, seed=0, seeds={seeds}, **options), isolate=False,
                                  reuse=False, runs_dir={runs!r})
    else:
        result = train_comparison(decision, seed=0, seeds={seeds}, isolate=False, reuse=False, runs_dir={runs!r},
                                  **options)
    out[decision] = {{c.choice: {{"val_accuracy": [r.val_accuracy for r in c.runs],
                                  "val_loss": [r.val_loss for r in c.runs],
                                  "train_accuracy": [r.train_accuracy for r in c.runs],
                                  "test_accuracy": [r.test_accuracy for r in c.runs], "params": c.params}}
                     for c in result.candidates}}
    out[decision]["verdict opening"] = result.verdict.text.split("Mean validation")[0]
    out[decision]["star"] = result.recommendation.choice
print(json.dumps(out))
"""


def measure(root: Path, seeds: int) -> dict:
    with tempfile.TemporaryDirectory() as runs:
        code = CHILD.format(root=str(root), points=json.dumps(POINTS), seeds=seeds, runs=runs)
        done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                              env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's root")
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    before, after = measure(args.before, args.seeds), measure(ROOT, args.seeds)
    same, differ = 0, []
    for decision, found in before.items():
        for key, value in found.items():
            other = after.get(decision, {}).get(key)
            if value == other:
                same += 1
            else:
                differ.append(f"{decision} {key}: {value} -> {other}")
    print(f"| values compared | identical | differ |\n|---|---|---|\n| {same + len(differ)} | {same} | {len(differ)} |")
    for line in differ:
        print("  " + line)
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
