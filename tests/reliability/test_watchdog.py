"""The worker's deadline: a worker that makes no progress is killed and replaced, the run ends with a
sentence, and the next run works; a worker that keeps moving is left alone however long it takes.

These start real worker processes (tests/reliability/fake_worker.py: the real protocol, heartbeat and
serve loop, without TensorFlow) with a short deadline.
"""

from __future__ import annotations

import logging
import time

import pytest

from engine.errors import TrainingError
from engine.lab.service.worker import DEADLINE_ENV, Worker, deadline_from_env

ENTRY = "tests.reliability.fake_worker"


@pytest.fixture
def worker():  # tests using it start a process: marked slow
    started = Worker(deadline_s=2.0, entry=ENTRY)
    yield started
    started.close(force=True)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["hang", "freeze"])
def test_a_silent_worker_is_killed_replaced_and_the_next_run_works(worker, kind, caplog):
    worker.start()
    assert worker.wait_ready(30)
    first, events = worker.pid, []
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="engine.lab.service.worker"), \
            pytest.raises(TrainingError) as caught:
        worker.call({"kind": kind}, events.append)
    waited = time.monotonic() - started
    assert str(caught.value).startswith("The training worker made no progress for 2 s")
    assert "press Train to try again" in str(caught.value)
    assert 2.0 <= waited < 10.0
    assert [e.phase for e in events] == ["started"]
    assert not alive(first), "the hung worker must be gone"
    assert worker.hangs == 1
    assert any("made no progress" in r.getMessage() for r in caplog.records)
    result = worker.call({"kind": "echo", "n": 1})
    assert result["echo"] == {"n": 1} and result["pid"] != first


@pytest.mark.slow
def test_a_worker_that_keeps_moving_is_not_killed_however_long_the_run(worker):
    # 5 s in all, against a 2 s deadline: only silence counts, not the length of the run.
    result = worker.call({"kind": "slow_but_moving", "steps": 10, "every": 0.5})
    assert result["steps"] == 10 and worker.hangs == 0


@pytest.mark.slow
def test_a_worker_error_reaches_the_log_with_its_traceback(worker, caplog):
    with caplog.at_level(logging.ERROR, logger="engine.lab.service.worker"), \
            pytest.raises(TrainingError, match="Training failed: ValueError: a deliberate bug in the worker"):
        worker.call({"kind": "fail"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Traceback (most recent call last)" in logged and 'in fail' in logged
    assert worker.call({"kind": "echo"})["echo"] == {}  # the same worker carries on


@pytest.mark.slow
def test_prints_in_the_worker_never_corrupt_the_protocol(worker, caplog):
    with caplog.at_level(logging.WARNING, logger="engine.lab.service.worker"):
        assert worker.call({"kind": "native_print"}) == {"printed": True}
    assert not [r for r in caplog.records if "outside the protocol" in r.getMessage()]
    assert "stray native output" in "\n".join(worker._log_tail())


def test_lines_outside_the_protocol_are_logged_not_dropped(caplog):
    import queue
    import threading

    class Proc:
        pid = 4242
        stdout = iter(['{"type": "beat", "phase": "x"}\n', "Segmentation fault\n", '[1, 2]\n'])

    messages, ready = queue.Queue(), threading.Event()
    with caplog.at_level(logging.WARNING, logger="engine.lab.service.worker"):
        Worker._read(Proc(), messages, ready)
    warned = [r.getMessage() for r in caplog.records]
    assert len(warned) == 2 and "Segmentation fault" in warned[0] and "[1, 2]" in warned[1]
    assert [messages.get_nowait()["type"] for _ in range(2)] == ["beat", "died"]


@pytest.mark.parametrize(("raw", "expected"), [("", 30.0), ("5", 5.0), ("0.5", 0.5), ("0", 30.0), ("-3", 30.0),
                                               ("soon", 30.0), ("inf", 30.0), ("nan", 30.0)])
def test_the_deadline_comes_from_the_environment_when_it_is_a_positive_number(monkeypatch, raw, expected):
    monkeypatch.setenv(DEADLINE_ENV, raw)
    assert deadline_from_env() == expected
    assert Worker().deadline_s == expected
    assert Worker(deadline_s=7).deadline_s == 7.0


@pytest.mark.training
def test_a_real_worker_stopped_mid_training_is_replaced_and_the_queue_moves_on(tmp_path, monkeypatch):
    """The real worker, SIGSTOPped after its first epoch: the run ends with the sentence, the run stored
    before is untouched, the hung run is not offered, and the caller queued behind it gets its result."""
    import os
    import signal
    import threading

    from engine.lab import finished_runs, load_result, training_queue
    from engine.lab.service.worker import shared_worker
    from tests.lab_support import compare

    runs = tmp_path / "runs"
    tiny = {"dataset": "adding", "seq_len": 8, "settings": {"examples": 160}, "runs_dir": runs, "reuse": False}
    worker = shared_worker()
    worker.start()
    assert worker.wait_ready(180)
    # Long enough for a fresh worker to trace a model on a busy machine (no batch ends while tracing).
    monkeypatch.setattr(worker, "deadline_s", 15.0)
    stored = compare("sequence_model", epochs=1, **tiny)
    hung_pid, stopped = worker.pid, threading.Event()

    def freeze_after_first_epoch(event):
        if event.phase == "epoch" and not stopped.is_set():
            os.kill(hung_pid, signal.SIGSTOP)
            stopped.set()

    behind: dict = {}

    def queued_behind():
        stopped.wait(120)
        try:
            behind["result"] = compare("sequence_model", epochs=1, seed=1, **tiny,
                                                on_progress=lambda e: behind.setdefault("events", []).append(e))
        except Exception as exc:  # noqa: BLE001 - asserted below
            behind["error"] = exc

    thread = threading.Thread(target=queued_behind)
    thread.start()
    try:
        started = time.monotonic()
        with pytest.raises(TrainingError, match=r"made no progress for 15 s \(training simple_rnn, epoch 1 of 50"):
            compare("sequence_model", epochs=50, seed=2, on_progress=freeze_after_first_epoch, **tiny)
        assert time.monotonic() - started < 120
        thread.join(300)
    finally:
        if alive(hung_pid):
            os.kill(hung_pid, signal.SIGKILL)
    assert not alive(hung_pid) and worker.hangs >= 1
    assert "error" not in behind, behind.get("error")
    assert behind["result"].seed == 1 and not behind["result"].stopped_early
    assert any(e.phase == "queued" and e.position == 1 for e in behind["events"])
    assert len(training_queue()) == 0
    assert load_result(stored.run_dir) == stored
    offered = {p.name for p in finished_runs(runs)}
    assert len(offered) == 2 and len(list(runs.glob("*-seed2-*"))) == 1  # the hung run's folder, unfinished
    assert not any(name for name in offered if "-seed2-" in name)
