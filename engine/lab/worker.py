"""A long-lived worker process that trains comparisons for this process (JSON lines over stdin/stdout).

Why: measured here with TensorFlow 2.21 / Keras 3.15, every model trained through a traced training step
(model.fit, or a tf.function around GradientTape) leaves about 6 MB behind that neither
keras.backend.clear_session() nor gc frees (eager training and predict do not leak). A comparison
trains 3-6 models, so an app process would grow by tens of MB per run. The worker keeps the growth in a
process that is replaced once it has grown by RECYCLE_MB, and the caller never imports TensorFlow.

Protocol, one JSON object per line. To the worker: {"type": "run", "request": {...}}, {"type": "stop"},
{"type": "exit"}. From it: {"type": "ready"}, {"type": "event", "event": {...}},
{"type": "result", "result": {...}, "rss_mb": n}, {"type": "error", "kind": "DataError", "message": "..."}.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import DataError, EngineError, TrainingError
from .queue import TrainingCancelled
from .results import ComparisonResult, ProgressEvent

ROOT = Path(__file__).resolve().parents[2]
RECYCLE_MB = 300.0
ERRORS: dict[str, type[EngineError]] = {"DataError": DataError, "TrainingError": TrainingError,
                                        "TrainingCancelled": TrainingCancelled}


class Worker:
    """The parent's handle on one worker process; `run` is called by one thread at a time (the queue's turn)."""

    def __init__(self, recycle_mb: float = RECYCLE_MB):
        self.recycle_mb = recycle_mb
        self.recycles = 0
        self.rss_mb: float | None = None  # the worker's resident memory after its last comparison
        self._baseline: float | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._log: Any = None
        self._ready = False
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the worker (it imports TensorFlow at once, so call early to hide that cost); idempotent."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                   "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3")}
            self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - lives with the worker
            self._messages = queue.Queue()
            self._ready, self._baseline = False, None
            self._proc = subprocess.Popen(  # noqa: S603 - our own module, run by this interpreter
                [sys.executable, "-m", "engine.lab.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self._log, text=True, encoding="utf-8", bufsize=1, cwd=ROOT, env=env)
            threading.Thread(target=self._read, args=(self._proc, self._messages), daemon=True).start()

    @staticmethod
    def _read(proc: subprocess.Popen[str], messages: queue.Queue[dict[str, Any]]) -> None:
        assert proc.stdout is not None  # noqa: S101 - set by Popen(stdout=PIPE)
        for line in proc.stdout:
            try:
                messages.put(json.loads(line))
            except json.JSONDecodeError:
                continue
        messages.put({"type": "died"})

    def _send(self, message: dict[str, Any]) -> None:
        assert self._proc is not None and self._proc.stdin is not None  # noqa: S101
        self._proc.stdin.write(json.dumps(message) + "\n")
        self._proc.stdin.flush()

    def _log_tail(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        lines = [line for line in self._log.read().splitlines() if line.strip()]
        return lines[-1] if lines else ""

    def run(self, request: dict[str, Any], emit: Callable[[ProgressEvent], None],
            stop: threading.Event | None) -> ComparisonResult:
        """Run one comparison in the worker, relaying its progress; `stop` is forwarded to it."""
        return ComparisonResult.model_validate(self.call({"kind": "comparison", **request}, emit, stop))

    def call(self, request: dict[str, Any], emit: Callable[[ProgressEvent], None] = lambda e: None,
             stop: threading.Event | None = None) -> dict[str, Any]:
        """Send one request ("comparison" or "scaling") and return the worker's result as a dict."""
        self.start()
        self._send({"type": "run", "request": request})
        try:
            return self._relay(emit, stop)
        except EngineError:
            raise
        except BaseException:
            # The caller gave up mid-run (e.g. its progress callback raised): the worker is still training
            # and would hand its events to the next caller, so end it; the next run starts a fresh one.
            self.close(force=True)
            raise

    def _relay(self, emit: Callable[[ProgressEvent], None], stop: threading.Event | None) -> dict[str, Any]:
        stop_sent = False
        while True:
            if stop is not None and stop.is_set() and not stop_sent:
                self._send({"type": "stop"})
                stop_sent = True
            try:
                message = self._messages.get(timeout=0.1)
            except queue.Empty:
                continue
            kind = message["type"]
            if kind == "ready":
                self._ready = True
            elif kind == "event":
                emit(ProgressEvent.model_validate(message["event"]))
            elif kind == "result":
                self._after_run(float(message["rss_mb"]))
                return message["result"]
            elif kind == "error":
                raise ERRORS.get(message["kind"], TrainingError)(message["message"])
            elif kind == "died":
                tail = self._log_tail()
                self.close()
                raise TrainingError("The training worker stopped unexpectedly" + (f": {tail}" if tail else "."))

    def _after_run(self, rss_mb: float) -> None:
        self.rss_mb = rss_mb
        if self._baseline is None:
            self._baseline = rss_mb
        elif rss_mb > self._baseline + self.recycle_mb:
            self.close()
            self.recycles += 1
            self.start()  # warm the replacement now, not when the next user presses train

    def close(self, force: bool = False) -> None:
        """Ask the worker to exit (or kill it with `force`) and wait for it."""
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is None:
            return
        if force:
            proc.kill()
            proc.wait()
            return
        try:
            if proc.poll() is None and proc.stdin is not None:
                proc.stdin.write(json.dumps({"type": "exit"}) + "\n")
                proc.stdin.flush()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            proc.kill()
            proc.wait()


_WORKER = Worker()
atexit.register(_WORKER.close)


def shared_worker() -> Worker:
    """The worker every isolated comparison of this process runs in."""
    return _WORKER


def warm_up() -> None:
    """Start the worker (and its TensorFlow import, ~5 s) now, so the first comparison starts at once."""
    _WORKER.start()


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _exit_when_orphaned(parent: int) -> None:
    """End the worker within a second of its parent's death (a SIGKILLed server), rather than training on
    for nobody until the next progress message fails to send. (PR_SET_PDEATHSIG would fire when the
    spawning thread exits, and the app spawns the worker from short-lived threads.)"""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def serve() -> None:
    """The worker's side: read requests, run them one at a time, write events and results."""
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    protocol, sys.stdout = sys.stdout, sys.stderr  # stray prints from libraries must not corrupt the protocol
    lock = threading.Lock()

    def send(message: dict[str, Any]) -> None:
        with lock:
            protocol.write(json.dumps(message) + "\n")
            protocol.flush()

    import tensorflow  # noqa: F401  (paid once, before the first request)

    from .harness import run_here
    from .scaling import measure_scaling

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

    threading.Thread(target=read, daemon=True).start()
    while (request := runs.get()) is not None:
        try:
            if request.pop("kind", "comparison") == "scaling":
                result = measure_scaling(**request).to_dict()
            else:
                emit = lambda e: send({"type": "event", "event": e.model_dump(mode="json")})  # noqa: E731
                result = run_here(request, emit, stop).to_dict()
            send({"type": "result", "result": result, "rss_mb": _rss_mb()})
        except EngineError as error:
            send({"type": "error", "kind": type(error).__name__, "message": str(error)})
        except Exception as error:  # noqa: BLE001 - reported to the caller as a TrainingError sentence
            send({"type": "error", "kind": "TrainingError", "message": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    serve()
