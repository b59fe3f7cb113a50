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
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_train_json_has_metrics_curves_and_wall_time_per_candidate(tmp_path, capsys, runs_dir):
    path = tmp_path / "reviews.csv"
    path.write_bytes(tiny_csv(40))
    assert run(["train", "text_encoding", "--csv", str(path), "--epochs", "1", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["dataset"] == "csv" and document["wall_seconds"] > 0
    for candidate in document["candidates"]:
        assert candidate["history"][0]["val_accuracy"] is not None
        assert candidate["wall_seconds"] > 0 and "code" not in candidate
    assert document["verdict"]["claim"]
