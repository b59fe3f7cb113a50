"""The `train` and `scaling` subcommands, driven through argparse as `python -m engine` will drive them."""

import argparse
import json

import pytest

from engine.lab.cli import add_parsers

from .conftest import tiny_csv


def run(argv):
    parser = argparse.ArgumentParser(prog="engine")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_bad_csv_is_one_line_on_stderr_and_exit_2(tmp_path, capsys, runs_dir):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"text,label\nonly one row,pos\n")
    assert run(["train", "text_encoding", "--csv", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: bad.csv:") and "\n" not in err


def test_sample_set_of_another_decision_is_refused(capsys, runs_dir):
    assert run(["train", "sequence_model", "--data", "digits", "--epochs", "1"]) == 2
    assert "not available for sequence_model" in capsys.readouterr().err


def test_data_and_csv_are_exclusive(capsys):
    with pytest.raises(SystemExit):
        run(["train", "overfitting", "--data", "digits", "--csv", "x.csv"])


@pytest.mark.training
def test_train_json_in_a_fresh_process_that_never_imports_tensorflow(tmp_path):
    """The CLI as `python -m engine train ... --json` runs it; the training happens in the worker process."""
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "reviews.csv"
    path.write_bytes(tiny_csv(40))
    code = f"""
import argparse, sys
from engine.lab.cli import add_parsers
parser = argparse.ArgumentParser(prog="engine")
add_parsers(parser.add_subparsers(dest="command", required=True))
args = parser.parse_args(["train", "text_encoding", "--csv", {str(path)!r}, "--epochs", "1", "--json", "--seeds", "2",
                          "--runs-dir", {str(tmp_path / "runs")!r}])
status = args.handler(args)
assert "tensorflow" not in sys.modules and "keras" not in sys.modules, "the caller imported TensorFlow"
sys.exit(status)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    document = json.loads(out.stdout)
    assert document["dataset"] == "csv" and document["wall_seconds"] > 0 and document["seeds"] == 2
    for candidate in document["candidates"]:
        assert [run["seed"] for run in candidate["runs"]] == [0, 1]
        assert candidate["runs"][0]["history"][0]["val_accuracy"] is not None
        assert candidate["val_accuracy_low"] <= candidate["val_accuracy_mean"] <= candidate["val_accuracy_high"]
        assert candidate["wall_seconds"] > 0 and "code" not in candidate
    assert sum(c["recommended"] for c in document["candidates"]) == 1
    verdict = document["verdict"]
    assert verdict["claim"] and verdict["agrees"] in (True, False, None) and verdict["seeds"] <= 2


def test_json_document_has_seeds_intervals_and_a_k_of_n_verdict():
    """The JSON shape other tools read, from a made-up two-seed result (no training)."""
    from engine.lab.cli import result_document
    from engine.lab.results.records import ComparisonResult

    def run(seed, acc):
        return {"seed": seed, "history": [{"epoch": 1, "loss": 0.5, "accuracy": acc, "val_accuracy": acc}],
                "val_loss": 0.5, "val_accuracy": acc, "train_accuracy": acc}

    result = ComparisonResult.model_validate({
        "decision": "sequence_model", "dataset": "adding", "settings": {}, "seed": 4, "seeds": [4, 5],
        "run_dir": "/tmp/x/run-1", "stopped_early": False, "wall_seconds": 1.0,
        "verdict": {"text": "t", "claim": "c", "agrees": None, "holds_in": 1, "seeds": 2, "per_seed": [True, False]},
        "candidates": [{"choice": "lstm", "label": "LSTM", "changes": "", "recommended": True, "params": 9,
                        "trainable_params": 9, "code": "", "runs": [run(4, 0.8), run(5, 0.9)]}]})
    document = json.loads(json.dumps(result_document(result)))
    assert document["seeds"] == 2 and document["run_id"] == "run-1"
    lstm = document["candidates"][0]
    assert lstm["val_accuracy_mean"] == pytest.approx(0.85)
    assert lstm["val_accuracy_low"] < 0.8 and lstm["val_accuracy_high"] > 0.9  # t-interval, 1 degree of freedom
    assert lstm["val_accuracy_high"] == 1.0  # cut to what an accuracy can be (the raw interval reaches 1.49)
    assert [r["seed"] for r in lstm["runs"]] == [4, 5] and lstm["recommended"] is True
    expected = {"agrees": None, "holds_in": 1, "seeds": 2, "per_seed": [True, False], "text": "t", "claim": "c"}
    assert document["verdict"] | {"rule": None} == expected | {"rule": None}
