"""The Lab's path through Ray: train_comparison on the cluster gives the local result's numbers, with
progress events, the run folder stored, provenance, and identical runs shared; without configuration no
Ray is imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine.lab import finished_runs, load_result, provenance
from tests.lab_support import compare
from tests.ray_support import ROOT

TINY = {"dataset": "adding", "epochs": 2, "seq_len": 8, "settings": {"examples": 160}, "seeds": 2}

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def curves(result):
    return {c.choice: [[(h.loss, h.val_accuracy) for h in run.history] for run in c.runs] for c in result.candidates}


@pytest.mark.ray
def test_a_lab_run_on_ray_matches_the_local_run_with_progress_and_sharing(on_ray, tmp_path, monkeypatch):
    events = []
    on_cluster = compare("sequence_model", runs_dir=tmp_path / "ray", on_progress=events.append, **TINY)
    phases = [(e.phase, e.candidate) for e in events]
    assert phases[0][0] == "queued" and phases[-1] == ("done", None)
    assert phases.count(("epoch", "gru")) == 2 * 2 and ("finished", "lstm") in phases
    assert load_result(on_cluster.run_dir) == on_cluster  # the run folder is stored where the caller reads
    assert (tmp_path / "ray" / on_cluster.run_id / "simple_rnn.keras").exists()
    assert provenance(on_cluster) is not None

    shared = []
    again = compare("sequence_model", runs_dir=tmp_path / "ray", on_progress=shared.append, **TINY)
    assert [e.phase for e in shared] == ["reused"] and again.run_dir == on_cluster.run_dir

    monkeypatch.delenv("DL_ADVISOR_RAY_ADDRESS")
    here = compare("sequence_model", runs_dir=tmp_path / "local", **TINY)
    assert curves(on_cluster) == curves(here)  # the numbers; the verdict also reads epoch times, which vary
    assert [c.params for c in on_cluster.candidates] == [c.params for c in here.candidates]
    assert on_cluster.verdict.text and on_cluster.recommendation == here.recommendation
    assert len(finished_runs(tmp_path / "ray")) == 1


def test_without_configuration_the_lab_imports_no_ray():
    script = ("import os, sys\nos.environ.pop('DL_ADVISOR_RAY_ADDRESS', None)\n"
              "import engine.lab\nfrom engine.lab.service.backend import backend\n"
              "from engine.lab.service.worker import Worker\n"
              "assert isinstance(backend(), Worker) and backend().slots() == 1\n"
              "engine.lab.train_comparison, engine.lab.warm_up\n"
              "print('ray' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
