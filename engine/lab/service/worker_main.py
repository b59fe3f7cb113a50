"""The training worker's own side: `python -m engine.lab.service.worker_main` reads requests, runs them, reports.

Started by `worker.Worker` (the app's side, which never imports this module or TensorFlow). It speaks the
JSON-lines protocol described in worker.py, beats once a second while its work moves on (see
heartbeat.py), and exits within a second of its parent's death. It beats from its first moment: this
module imports only the standard library and the heartbeat, and everything heavier (pydantic, pandas,
TensorFlow) is imported after the beat thread runs, so a busy machine's slow imports are not silence.
"""

from __future__ import annotations

import functools
import json
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import heartbeat

if TYPE_CHECKING:
    from ..results.records import ProgressEvent

BEAT_S = 1.0
Emit = Callable[["ProgressEvent"], None]
Handler = Callable[[dict[str, Any], Emit, threading.Event], dict[str, Any]]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _exit_when_orphaned(parent: int) -> None:
    """End the worker within a second of its parent's death (a SIGKILLed server), rather than training on
    for nobody. (PR_SET_PDEATHSIG would fire when the spawning thread exits, and the app spawns the worker
    from short-lived threads.)"""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _protocol_stream() -> TextIO:
    """The protocol gets its own copy of stdout; fd 1 and sys.stdout then point at stderr (the worker's
    log), so prints from libraries, Python or native, can never corrupt a protocol line."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


def beat(send: Callable[[dict[str, Any]], None], until: threading.Event | None = None) -> None:
    """Report a beat only when work moved on: progress ticks, or (while importing) modules loaded; until
    `until` is set (the worker's thread beats for the process's life, a Ray task's for the task's).

    A thread that beat unconditionally would keep beating through a hang in native code, which
    releases the GIL; this one falls silent with the work it watches.
    """
    last, until = None, until or threading.Event()
    while not until.is_set():
        count, phase = heartbeat.snapshot()
        now = (count, len(sys.modules))
        if now != last:
            send({"type": "beat", "phase": phase})
            last = now
        until.wait(BEAT_S)


def _beat_every_batch() -> None:
    """Make every `fit` in this process tick per batch (training and its validation), so a long epoch
    is not silence. Patched here, once, rather than in each caller: it covers every fit the worker runs
    (the comparison's candidates and word2vec alike) and exists only in the watched process."""
    import keras

    class BatchBeat(keras.callbacks.Callback):
        async_safe = True  # a counter; keeps Keras' asynchronous callback dispatch available

        def on_train_batch_end(self, batch, logs=None):
            heartbeat.tick()

        def on_test_batch_end(self, batch, logs=None):
            heartbeat.tick()

        def on_train_begin(self, logs=None):  # built and compiled; tracing the first step comes next
            heartbeat.tick()

        def on_epoch_begin(self, epoch, logs=None):
            heartbeat.tick()

        def on_test_begin(self, logs=None):  # validation: its step is traced on the first epoch
            heartbeat.tick()

    fit = keras.Model.fit

    @functools.wraps(fit)
    def fit_with_beat(self, *args, callbacks=None, **kwargs):
        return fit(self, *args, callbacks=[*(callbacks or []), BatchBeat()], **kwargs)

    keras.Model.fit = fit_with_beat


def default_handlers() -> dict[str, Handler]:
    """The real work: comparisons and the scaling measurement (imports TensorFlow, seconds)."""
    heartbeat.phase("loading TensorFlow")
    import tensorflow  # noqa: F401  (paid once, before the first request)

    _beat_every_batch()
    from ..request import TrainRequest
    from ..running.comparison import run_here
    from ..scaling.experiment import measure_scaling

    def comparison(message: dict[str, Any], emit: Emit, stop: threading.Event) -> dict[str, Any]:
        heartbeat.phase("preparing the data")
        request = TrainRequest.model_validate(message["request"])
        return run_here(request, Path(message["runs_dir"]), emit, stop).to_dict()

    def scaling(request: dict[str, Any], emit: Emit, stop: threading.Event) -> dict[str, Any]:
        heartbeat.phase("measuring time and memory per sequence length")
        return measure_scaling(**request, on_step=heartbeat.tick).to_dict()

    return {"comparison": comparison, "scaling": scaling}


def serve(handlers: dict[str, Handler] | Callable[[], dict[str, Handler]] = default_handlers) -> None:
    """Read requests, run them one at a time, write beats, events and results until told to exit."""
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    protocol, lock = _protocol_stream(), threading.Lock()

    def send(message: dict[str, Any]) -> None:
        with lock:
            protocol.write(json.dumps(message) + "\n")
            protocol.flush()

    heartbeat.phase("starting")
    threading.Thread(target=beat, args=(send,), daemon=True, name="heartbeat").start()
    from .worker import describe  # after the first beat: importing it takes seconds on a busy machine

    table = handlers() if callable(handlers) else handlers
    heartbeat.phase("waiting for work")
    send({"type": "ready"})
    runs: queue.Queue[dict[str, Any] | None] = queue.Queue()
    stop = threading.Event()

    def read() -> None:
        for line in sys.stdin:
            message = json.loads(line)
            if message["type"] == "run":
                stop.clear()
                runs.put(message["request"])
            elif message["type"] == "stop":
                stop.set()
            elif message["type"] == "exit":
                break
        runs.put(None)

    def emit(event: ProgressEvent) -> None:
        heartbeat.phase(describe(event))
        send({"type": "event", "event": event.model_dump(mode="json")})

    threading.Thread(target=read, daemon=True).start()
    while (request := runs.get()) is not None:
        send(run_one(table, request, emit, stop))
        heartbeat.phase("waiting for work")


def run_one(table: dict[str, Handler], request: dict[str, Any], emit: Emit, stop: threading.Event) -> dict[str, Any]:
    """One request through its handler: the protocol's result message, or its error message (with the
    traceback for the caller's log). The Ray task (ray_task.py) answers with the same messages."""
    from ...errors import EngineError

    request = dict(request)
    kind = request.pop("kind", "comparison")
    try:
        if kind not in table:
            raise EngineError(f"The training worker has no handler for {kind!r}; it has {sorted(table)}.")
        return {"type": "result", "result": table[kind](request, emit, stop), "rss_mb": rss_mb()}
    except EngineError as error:
        return {"type": "error", "kind": type(error).__name__, "message": str(error),
                "traceback": traceback.format_exc()}
    except Exception as error:  # noqa: BLE001 - reported to the caller as a TrainingError sentence
        return {"type": "error", "kind": "TrainingError", "message": f"Training failed: {type(error).__name__}: "
                f"{error}", "traceback": traceback.format_exc()}


if __name__ == "__main__":
    serve()
