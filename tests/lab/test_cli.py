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
args = parser.parse_args(["train", "text_encoding", "--csv", {str(path)!r}, "--epochs", "1", "--json",
                          "--runs-dir", {str(tmp_path / "runs")!r}])
status = args.handler(args)
assert "tensorflow" not in sys.modules and "keras" not in sys.modules, "the caller imported TensorFlow"
sys.exit(status)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    document = json.loads(out.stdout)
    assert document["dataset"] == "csv" and document["wall_seconds"] > 0
    for candidate in document["candidates"]:
        assert candidate["history"][0]["val_accuracy"] is not None
        assert candidate["wall_seconds"] > 0 and "code" not in candidate
    assert document["verdict"]["claim"]
