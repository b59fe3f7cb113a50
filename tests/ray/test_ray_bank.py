"""The evidence bank built through Ray (one task per point and candidate) stores exactly the numbers of the
local build; a Ray worker killed mid-task is retried and the bank is still complete and the same."""

from __future__ import annotations

import json
import os
import signal
import threading

import pytest

from engine.evidence import bank, fanout, measure
from tests.bank_support import CHOICES, DECISION, numbers, one_by_one_build, patch_small_sweep

pytestmark = [pytest.mark.ray, pytest.mark.slow]


@pytest.fixture(scope="module")
def local_build(tmp_path_factory):
    return one_by_one_build(tmp_path_factory.mktemp("local"))


def test_a_sweep_built_through_ray_stores_the_local_builds_numbers(local_build, on_ray, tmp_path, monkeypatch):
    patch_small_sweep(monkeypatch, tmp_path / "runs")
    tasks = []
    document = bank.build(DECISION, measure.measure_point, ["test", "ray"], bank_dir=tmp_path / "bank",
                          fan_out=lambda sweep: fanout.measure_points(sweep, on_task=lambda *t: tasks.append(t)))
    assert numbers(document) == numbers(local_build)
    assert json.loads((tmp_path / "bank" / f"{DECISION}.json").read_text())["points"] == document["points"]
    assert document["crossovers"] == local_build["crossovers"]
    assert sorted((v, c) for v, c, _ in tasks) == sorted((v, c) for v in (5, 10) for c in CHOICES)
    assert on_ray.attempts  # the tasks ran on the cluster's workers


def test_a_worker_killed_mid_task_is_retried_and_the_bank_is_whole(local_build, on_ray, tmp_path, monkeypatch):
    """SIGKILL the Ray worker of the first task that reports an epoch: Ray runs that task again, the build
    finishes, and the stored numbers are still the local build's (nothing half-written, nothing left over)."""
    patch_small_sweep(monkeypatch, tmp_path / "runs", values=(5,))
    killed, retried_before = threading.Event(), on_ray.retried
    real = fanout.train_comparison

    def train_and_kill_once(request, **options):
        def on_progress(event):
            if event.phase == "epoch" and not killed.is_set():
                killed.set()
                os.kill(on_ray.attempts[-1]["pid"], signal.SIGKILL)

        return real(request, on_progress=on_progress, **options)

    monkeypatch.setattr(fanout, "train_comparison", train_and_kill_once)
    document = bank.build(DECISION, measure.measure_point, ["test", "ray"], bank_dir=tmp_path / "bank",
                          fan_out=fanout.measure_points)
    assert killed.is_set() and on_ray.retried == retried_before + 1
    assert numbers(document) == numbers(local_build)[:1]
    assert sorted(p.name for p in (tmp_path / "bank").iterdir()) == [f"{DECISION}.json"]  # no .tmp left
