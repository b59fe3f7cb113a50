"""The Ray backend's watchdog and errors, on the session's Ray head with the fake worker's handlers (no
TensorFlow): a silent task is killed and the run ends with the local worker's sentence; errors keep their
kind and sentence; a lost worker without a retry is one sentence."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from engine.errors import TrainingError

pytestmark = [pytest.mark.ray, pytest.mark.slow]

FAKE = "tests.reliability.fake_worker"


@pytest.fixture
def fake(ray_head):
    from engine.lab.service.ray_backend import RayBackend

    return RayBackend(ray_head, deadline_s=5.0, retries=0, handlers=FAKE)


def test_a_silent_task_is_killed_and_the_next_call_works(fake):
    events = []
    with pytest.raises(TrainingError) as caught:
        fake.call({"kind": "hang"}, events.append)
    assert str(caught.value).startswith("The training worker on the Ray cluster made no progress for 5 s "
                                        "(building and training sleeper) and was stopped.")
    assert "press Train to try again" in str(caught.value)
    assert [e.phase for e in events] == ["started"] and fake.hangs == 1
    assert fake.call({"kind": "echo", "n": 1})["echo"] == {"n": 1}


def test_an_error_in_the_task_is_a_training_error_sentence(fake):
    with pytest.raises(TrainingError, match="Training failed: ValueError: a deliberate bug in the worker"):
        fake.call({"kind": "fail"})
    with pytest.raises(Exception, match="has no handler for 'nothing'"):
        fake.call({"kind": "nothing"})


def test_a_worker_killed_mid_task_without_a_retry_is_one_sentence(fake):
    """SIGKILL the Ray worker while it runs (after its first beat): Ray gives up (retries=0), the caller gets
    one sentence, and the next call is served by a fresh worker."""
    started = threading.Event()

    def kill_when_started(event):
        if event.phase == "started" and not started.is_set():
            started.set()
            os.kill(fake.attempts[-1]["pid"], signal.SIGKILL)

    with pytest.raises(TrainingError) as caught:
        fake.call({"kind": "slow_but_moving", "steps": 40, "every": 0.25}, kill_when_started)
    message = str(caught.value)
    assert message.startswith("The Ray worker training this run died (") and "and was not retried" in message
    assert ". " not in message and message.endswith("press Train to try again.")  # one sentence
    assert fake.call({"kind": "echo"})["pid"] != fake.attempts[0]["pid"]
