"""The cluster's side of training on Ray: a task that runs the training worker's own handlers, and the relay
its messages travel through.

`ray_backend.RayBackend` (the app's side) submits `train` once per request. On whichever node Ray picks,
the task runs exactly what `worker_main` runs for a request (`run_one` over `default_handlers`: the
comparison's `run_here`, the scaling measurement), with the same heartbeat: a thread reports a beat
only when the work moved on, and every progress event, into a `Relay` actor the caller polls. The caller's
Stop reaches the task through the relay too (read twice a second, and by the run between epochs, as in the
local worker). A comparison's run folder is written on the node under the caller's runs path and sent back
with the result, so the caller can store it where it does not see it already (a node without shared
storage). Imported only where Ray is configured: the caller's process and Ray's worker processes.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
from pathlib import Path
from typing import Any

import ray

from . import heartbeat

POLL_S = 0.5  # how often a task reads whether its caller pressed Stop
MAX_CALLS = 10  # tasks per Ray worker process: TensorFlow keeps ~6 MB per trained model that nothing frees
_TABLES: dict[str, dict[str, Any]] = {}  # handler tables already loaded in this Ray worker process


@ray.remote(num_cpus=0)
class Relay:
    """A mailbox per call: the messages a task sent that its caller has not taken yet, and the stop requests.

    Owned by the caller's process (it ends with it); takes no CPU, so it never waits for one.
    """

    def __init__(self) -> None:
        self._boxes: dict[str, list[dict[str, Any]]] = {}
        self._stops: set[str] = set()

    def put(self, call: str, message: dict[str, Any]) -> None:
        self._boxes.setdefault(call, []).append(message)

    def take(self, call: str) -> list[dict[str, Any]]:
        return self._boxes.pop(call, [])

    def stop(self, call: str) -> None:
        self._stops.add(call)

    def stopped(self, call: str) -> bool:
        return call in self._stops

    def forget(self, call: str) -> None:
        self._boxes.pop(call, None)
        self._stops.discard(call)


def _table(handlers: str | None) -> dict[str, Any]:
    """The handlers of this process: the real ones (TensorFlow, loaded once per Ray worker), or the table
    `HANDLERS` of module `handlers` (tests: workers that hang or echo, without TensorFlow)."""
    key = handlers or ""
    if key not in _TABLES:
        if handlers:
            _TABLES[key] = importlib.import_module(handlers).HANDLERS
        else:
            from .worker_main import default_handlers

            _TABLES[key] = default_handlers()
    return _TABLES[key]


def _watch(relay: Any, call: str, stop: threading.Event, done: threading.Event) -> None:
    """Until the task is done: pass the caller's Stop on (the run reads `stop` between epochs)."""
    while not done.wait(POLL_S):
        try:
            if not stop.is_set() and ray.get(relay.stopped.remote(call), timeout=10):
                stop.set()
        except ray.exceptions.GetTimeoutError:
            continue  # a slow answer is not a Stop
        except ray.exceptions.RayError:  # the relay went with its caller: nobody waits for this run
            stop.set()


def files_of(result: dict[str, Any]) -> dict[str, bytes]:
    """Every file of a comparison's run folder but result.json, by path inside it (the caller writes those
    first and the result last, as a run does)."""
    folder = Path(result.get("run_dir") or "")
    if not result.get("run_dir") or not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "result.json"}


@ray.remote(num_cpus=1, max_calls=MAX_CALLS, max_retries=0)  # the caller retries (ray_backend._Run)
def train(message: dict[str, Any], relay: Any, call: str, handlers: str | None = None) -> dict[str, Any]:
    """One request, as the local worker runs it; returns the worker's result or error message, a comparison's
    run folder's files with a result (`files`), and where and by which code (sharing.code_version) it ran."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow is imported in this process
    # A task holds one CPU, so TensorFlow gets one thread, as every number of the evidence bank is trained
    # (engine/evidence/bank.py, THREADS: the thread count can move a number); a cluster's own setting wins.
    for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        os.environ.setdefault(name, "1")

    def send(item: dict[str, Any]) -> None:
        relay.put.remote(call, item)

    from .sharing import code_version

    where = {"pid": os.getpid(), "host": socket.gethostname(), "code": code_version()}
    send({"type": "attempt", **where})  # a retry after a lost worker starts with this too
    from .worker import describe
    from .worker_main import beat, run_one

    stop, done = threading.Event(), threading.Event()
    heartbeat.phase("starting")
    watchers = [threading.Thread(target=beat, args=(send, done), daemon=True, name=f"beat-{call[:8]}"),
                threading.Thread(target=_watch, args=(relay, call, stop, done), daemon=True)]
    for thread in watchers:
        thread.start()

    def emit(event: Any) -> None:
        heartbeat.phase(describe(event))
        send({"type": "event", "event": event.model_dump(mode="json")})

    try:
        out = run_one(_table(handlers), message, emit, stop)
        if out["type"] == "result" and message.get("kind") == "comparison":
            out["files"] = files_of(out["result"])
        return {**out, **where}
    finally:
        done.set()
        for thread in watchers:
            thread.join(5)
        ray.get(relay.put.remote(call, {"type": "flushed"}))  # calls from here run in order: all arrived
