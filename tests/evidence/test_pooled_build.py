"""The bank built several requests at a time (engine/evidence/fanout.py through a WorkerPool): costliest first,
a point whole or split by candidate, every request heard of, the first failure raised, and the same numbers as
the one-by-one build."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from engine.cli import main
from engine.errors import TrainingError
from engine.evidence import bank, fanout
from engine.evidence.sweeps import BANKED
from engine.lab.service.pool import WorkerPool
from tests.bank_support import CHOICES, DECISION, numbers, one_by_one_build, patch_small_sweep


class OneSlot:
    """A backend that trains one request at a time, so requests start in the order they were handed over."""

    def slots(self) -> int:
        return 1


def fake_training(monkeypatch, fail: tuple[int, str] | None = None) -> list[tuple[int, str]]:
    """Replace training by a record of which (value, candidate) was asked for, in order; `fail` raises."""
    asked = []

    def train(request, **options):
        unit = (request.seq_len, *request.candidates)
        asked.append(unit)
        if unit == fail:
            raise TrainingError(f"{unit} failed")
        return SimpleNamespace(wall_seconds=1.0, stopped_early=False)

    monkeypatch.setattr(fanout, "train_comparison", train)
    return asked


def test_the_costliest_requests_start_first(monkeypatch):
    asked = fake_training(monkeypatch)
    sweep = BANKED[DECISION]
    heard = []
    with fanout.FanOut([sweep], via=OneSlot(), cost=lambda unit: unit[1],
                       on_task=lambda unit, seconds: heard.append((unit[1], *unit[2]))):
        pass  # leaving waits for every request
    longest_first = [(v, c) for v in sorted(sweep.values, reverse=True) for c in CHOICES]
    assert asked == longest_first and heard == longest_first


def test_a_point_trains_whole_unless_split(monkeypatch):
    asked = fake_training(monkeypatch)
    sweep = BANKED[DECISION]
    with fanout.FanOut([sweep], via=OneSlot(), split=False):
        pass
    assert asked == [(value, *CHOICES) for value in sweep.values]


def test_the_first_failure_is_raised_and_stops_the_rest(monkeypatch):
    fake_training(monkeypatch, fail=(BANKED[DECISION].values[0], "lstm"))
    sweep = BANKED[DECISION]
    with pytest.raises(TrainingError, match="lstm"), fanout.FanOut([sweep], via=OneSlot()) as fanned:
        list(fanned.points(sweep))
    assert fanned.stop.is_set()  # a request still running ends after its epoch


def test_a_number_of_workers_below_one_is_refused_in_a_sentence(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["evidence", "--build", "--workers", "0"])
    assert exit_.value.code == 2
    assert "--workers takes a whole number of workers, 1 or more; got '0'" in capsys.readouterr().err


@pytest.mark.slow
def test_a_pooled_build_stores_the_one_by_one_builds_numbers(tmp_path, monkeypatch):
    """Two workers side by side, a point per request as the local build sends them, against one worker training
    the points one after another: training beside another process moves no number. Both on the bank's one
    thread (the test processes run TensorFlow on one; bank.THREADS says why the count is fixed). Splitting a
    point by candidate moves none either (tests/ray/test_ray_bank.py)."""
    local = one_by_one_build(tmp_path / "local")
    patch_small_sweep(monkeypatch, tmp_path / "runs")
    monkeypatch.delenv("DL_ADVISOR_RAY_ADDRESS", raising=False)
    sweep, heard = BANKED[DECISION], []
    with WorkerPool(2, threads=bank.THREADS) as pool, fanout.FanOut(
            [sweep], via=pool, cost=lambda unit: unit[1], on_task=lambda unit, s: heard.append(unit[1]),
            split=False) as fanned:
        document = bank.build(DECISION, None, ["test", "pooled"], bank_dir=tmp_path / "bank", fan_out=fanned.points,
                              how="2 workers")
    assert numbers(document) == numbers(local)
    assert document["crossovers"] == local["crossovers"]
    assert sorted(heard) == sorted(sweep.values)  # whole points (both at once: either may end first)
    assert document["provenance"]["trained"] == "2 workers" and "trained" not in local["provenance"]
