"""The evidence bank shipped in evidence/: present, made by this code, and reproducible by retraining a point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from engine.evidence import bank
from engine.evidence.sweeps import BANKED, COMPARED, SWEEPS, levels, thresholds
from tests.app.conftest import ROOT


@pytest.mark.parametrize("decision", sorted(SWEEPS))
def test_the_stored_bank_was_made_by_this_code(decision):
    document = bank.load(decision)
    assert document is not None, f"run `python -m engine evidence --build --decision {decision}`"
    assert document["provenance"]["code_hash"] == bank.code_hash(decision), (
        f"a spec, builder, data generator or the sweep changed since the {decision} evidence was made: "
        f"regenerate it with `python -m engine evidence --build --decision {decision}`")
    sweep = SWEEPS[decision]
    assert [p["x"] for p in document["points"]] == list(sweep.values)
    assert all(len(v) == sweep.seeds for p in document["points"] for v in p["metric"].values())  # every seed stored
    assert len(document["crossovers"]) == len(thresholds(sweep))
    assert len(document.get("levels", [])) == len(levels(sweep))
    for point in document["points"]:  # every extra metric for every candidate and seed
        assert set(point.get("extra", {})) == set(sweep.extra_metrics)
        assert all(len(v) == len(point["seeds"]) for m in point.get("extra", {}).values() for v in m.values())
    if sweep.scaling:  # latency and memory up to and past the rule's 512 tokens
        lengths = {row["seq_len"] for row in document["scaling"]["rows"]}
        assert min(lengths) < 512 < max(lengths) and len(lengths) >= 4


# The check in two halves of about equal cost, each a unit of its own for the two test workers (one after another
# they were the suite's longest test, 190-250 s).
FIRST_HALF = ("attention_vs_transformer", "lookahead_tagging", "stdlib_docs_gru")
HALVES = (FIRST_HALF, tuple(sorted(set(BANKED) - set(FIRST_HALF))))


def test_the_halves_check_every_bank_once():
    assert sorted(HALVES[0] + HALVES[1]) == sorted(BANKED)


@pytest.mark.slow
@pytest.mark.parametrize("decisions", [
    pytest.param(half, id=f"half{i}", marks=pytest.mark.xdist_group(f"bank-check-{i}"))
    for i, half in enumerate(HALVES)])
def test_evidence_check_retrains_a_point_and_reproduces_it(tmp_path, decisions):
    env = {**os.environ, "DL_ADVISOR_RUNS_DIR": str(tmp_path / "runs"), "TF_CPP_MIN_LOG_LEVEL": "3"}
    # One seed of each cheapest point: every seed depends on itself alone, and all six would add minutes.
    chosen = [arg for decision in decisions for arg in ("--decision", decision)]
    done = subprocess.run([sys.executable, "-m", "engine", "evidence", "--check", "--seeds", "1", *chosen], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "evidence check: reproduced" in done.stderr
    assert done.stderr.count("1 seed retrained") == len(decisions)


def test_the_command_line_prints_each_crossover_next_to_its_threshold():
    script = ("import sys\nfrom engine.cli import main\nrc = main(['evidence', '--json'])\n"
              "print('tensorflow loaded' if 'tensorflow' in sys.modules else 'no tensorflow', file=sys.stderr)\n"
              "sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    documents = json.loads(done.stdout)
    assert set(documents) == set(BANKED)  # the sweeps and the one-point measurements
    for decision in SWEEPS:
        document = documents[decision]
        ruled = len(thresholds(SWEEPS[decision]))
        assert len(document["crossover_text"]) == ruled + len(COMPARED.get(decision, ()))
        assert all("The rule switches from" in line for line in document["crossover_text"][:ruled])
        assert len(document["level_text"]) == 3 * len(levels(SWEEPS[decision]))
        assert bool(document["scaling_text"]) == SWEEPS[decision].scaling
        assert document["budget_text"], decision  # every sweep stores how long each run trained
    assert done.stderr.strip().endswith("no tensorflow")  # reading the bank trains nothing


def test_the_command_line_prints_a_measurement_named_apart_from_its_decision(capsys):
    from engine.cli import main

    assert main(["evidence", "--decision", "lookahead_tagging", "--decision", "stdlib_docs_gru"]) == 0
    out = capsys.readouterr().out
    assert "Encoder-only" in out and "GRU" in out  # labelled by the decision the measurement belongs to
