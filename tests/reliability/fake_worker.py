"""A training worker for the watchdog tests: the real protocol, heartbeat and loop (worker_main.serve),
with handlers that hang, keep moving, fail or print, instead of TensorFlow. Run as
`python -m tests.reliability.fake_worker` by `Worker(entry=...)`.
"""

from __future__ import annotations

import os
import signal
import time

from engine.lab.service import heartbeat
from engine.lab.service.worker_main import serve


def started(candidate):
    from engine.lab.results.records import ProgressEvent  # imported in the worker's serve loop already

    return ProgressEvent(phase="started", candidate=candidate)


def echo(request, emit, stop):
    emit(started("echo"))
    return {"echo": request, "pid": os.getpid()}


def hang(request, emit, stop):
    """Progress stops while the heartbeat thread lives on: time.sleep releases the GIL, as a native call
    stuck in a lock or a read would."""
    emit(started("sleeper"))
    time.sleep(3600)
    return {}


def freeze(request, emit, stop):
    """The whole process stops (every thread), as a process stopped by a debugger or the kernel would."""
    emit(started("frozen"))
    os.kill(os.getpid(), signal.SIGSTOP)
    return {}


def slow_but_moving(request, emit, stop):
    """Longer than the deadline in total, but never silent for long: must not be killed."""
    emit(started("moving"))
    for _ in range(request["steps"]):
        time.sleep(request["every"])
        heartbeat.tick()
    return {"steps": request["steps"], "pid": os.getpid()}


def fail(request, emit, stop):
    raise ValueError("a deliberate bug in the worker")


def native_print(request, emit, stop):
    """Writes to file descriptor 1 directly, as C code would; must land in the log, not the protocol."""
    os.write(1, b"stray native output\n")
    print("stray Python output")
    return {"printed": True}


HANDLERS = {f.__name__: f for f in (echo, hang, freeze, slow_but_moving, fail, native_print)}

if __name__ == "__main__":
    serve(HANDLERS)
