"""The app's handle on its training worker: a long-lived child process, watched by a deadline.

Why a worker: measured here with TensorFlow 2.21 / Keras 3.15, every model trained through a traced
training step leaves about 6 MB behind that neither keras.backend.clear_session() nor gc frees. A
comparison trains 3-6 models, so the app process would grow by tens of MB per run; the worker keeps the
growth in a process that is replaced once it has grown by RECYCLE_MB, and this process never imports
TensorFlow. Why a watchdog: a worker that stops making progress without dying (a hang in native code, a
stopped process, a deadlock) would otherwise hold the training queue for good. The child side lives in
`worker_main.py`; README "Reliability" says why this is a pipe of JSON lines and not a process pool.

Protocol, one JSON object per line. To the worker: {"type": "run", "request": {...}}, {"type": "stop"},
{"type": "exit"}. From it: {"type": "ready"}, {"type": "beat", "phase": "..."} (only when its work moved
on), {"type": "event", "event": {...}}, {"type": "result", "result": {...}, "rss_mb": n},
{"type": "error", "kind": "DataError", "message": "...", "traceback": "..."}.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
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

from ...errors import DataError, EngineError, TrainingError
from ..results.records import ProgressEvent
from .queue import TrainingCancelled

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[3]
RECYCLE_MB = 300.0
DEADLINE_ENV = "DL_ADVISOR_WORKER_DEADLINE_S"
DEADLINE_S = 30.0
ENTRY = "engine.lab.service.worker_main"
ERRORS: dict[str, type[EngineError]] = {"DataError": DataError, "TrainingError": TrainingError,
                                        "TrainingCancelled": TrainingCancelled}


def deadline_from_env() -> float:
    """$DL_ADVISOR_WORKER_DEADLINE_S seconds when it is a positive number, else DEADLINE_S (and a log line)."""
    raw = os.environ.get(DEADLINE_ENV, "").strip()
    if not raw:
        return DEADLINE_S
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        log.warning("%s=%r is not a positive number of seconds; using %.0f s.", DEADLINE_ENV, raw, DEADLINE_S)
        return DEADLINE_S
    return value


class Worker:
    """One worker process; `call` is used by one thread at a time (the training queue's turn)."""

    def __init__(self, recycle_mb: float = RECYCLE_MB, deadline_s: float | None = None, entry: str = ENTRY,
                 threads: int | None = None):
        self.recycle_mb = recycle_mb
        self.threads = threads  # TensorFlow's threads per op and between ops in the child; None: its default
        self.deadline_s = deadline_from_env() if deadline_s is None else float(deadline_s)
        self.entry = entry  # the child's module; tests point it at workers that hang on purpose
        self.recycles = 0  # replaced for memory growth
        self.hangs = 0  # killed by the watchdog
        self.rss_mb: float | None = None  # the worker's resident memory after its last run
        self._baseline: float | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._ready = threading.Event()
        self._log: Any = None
        self._spare: _Child | None = None  # the replacement warming up while the grown worker still serves
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def start(self) -> None:
        """Start the worker (it imports TensorFlow at once, so call early to hide that cost); idempotent."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            self._proc, self._messages, self._ready, self._log = self._spawn()
            self._baseline = None

    def _spawn(self) -> _Child:
        """A new worker process with its reader thread (which turns its lines into messages)."""
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3")}
        if self.threads is not None:
            env["TF_NUM_INTRAOP_THREADS"] = env["TF_NUM_INTEROP_THREADS"] = str(self.threads)
        logfile = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - lives with the worker
        messages: queue.Queue[dict[str, Any]] = queue.Queue()
        ready = threading.Event()
        proc = subprocess.Popen(  # noqa: S603 - our own module, run by this interpreter
            [sys.executable, "-m", self.entry], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=logfile, text=True, encoding="utf-8", bufsize=1, cwd=ROOT, env=env)
        threading.Thread(target=self._read, args=(proc, messages, ready), daemon=True,
                         name=f"worker-{proc.pid}-reader").start()
        return proc, messages, ready, logfile

    def _take_spare(self) -> None:
        """Switch to the replacement started for memory growth once it has loaded TensorFlow (or when the
        old worker is gone); until then the grown worker keeps serving, so nobody waits for the swap."""
        with self._lock:
            spare = self._spare
            old_alive = self._proc is not None and self._proc.poll() is None
            if spare is None or (old_alive and not spare[2].is_set()):
                return
            old, self._spare = self._proc, None
            self._proc, self._messages, self._ready, self._log = spare
            self._baseline = None
        if old is not None:  # its exit (TensorFlow's teardown takes seconds) is not this run's wait
            threading.Thread(target=_retire, args=(old,), daemon=True, name=f"worker-{old.pid}-retire").start()

    def slots(self) -> int:
        """Requests this worker trains at once: one (TensorFlow is not safe to train from two threads)."""
        return 1

    def wait_ready(self, timeout: float) -> bool:
        """True once the worker has loaded what it needs (TensorFlow) and waits for work."""
        return self._ready.wait(timeout)

    @staticmethod
    def _read(proc: subprocess.Popen[str], messages: queue.Queue[dict[str, Any]], ready: threading.Event) -> None:
        assert proc.stdout is not None  # noqa: S101 - set by Popen(stdout=PIPE)
        for line in proc.stdout:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                message = None
            if not isinstance(message, dict) or "type" not in message:
                # The worker points native stdout at its log, so this is a bug worth seeing, not noise.
                log.warning("Training worker %s wrote a line outside the protocol: %r", proc.pid, line[:500])
                continue
            if message["type"] == "ready":
                ready.set()
                continue
            messages.put(message)
        messages.put({"type": "died"})

    def _send(self, message: dict[str, Any]) -> None:
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise BrokenPipeError("no training worker is running")
        proc.stdin.write(json.dumps(message) + "\n")
        proc.stdin.flush()

    def _log_tail(self, lines: int = 20) -> list[str]:
        if self._log is None:
            return []
        try:
            self._log.seek(0)
            return [line for line in self._log.read().splitlines() if line.strip()][-lines:]
        except (OSError, ValueError):  # closed with a replaced worker
            return []

    def call(self, request: dict[str, Any], emit: Callable[[ProgressEvent], None] = lambda e: None,
             stop: threading.Event | None = None) -> dict[str, Any]:
        """Send one request (its "kind" names the worker's handler) and return the worker's result."""
        self._take_spare()
        self.start()
        self._send_quietly({"type": "run", "request": request})
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
        last_progress, doing = time.monotonic(), "waiting for the worker to start"
        while True:
            if stop is not None and stop.is_set() and not stop_sent:
                self._send_quietly({"type": "stop"})
                stop_sent = True
            try:
                message = self._messages.get(timeout=0.1)
            except queue.Empty:
                if time.monotonic() - last_progress > self.deadline_s:
                    self._hung(doing if self._ready.is_set() else "starting (loading TensorFlow)")
                continue
            last_progress = time.monotonic()  # every message means the worker's work moved on
            kind = message["type"]
            if kind == "beat":
                doing = str(message.get("phase") or doing)
            elif kind == "event":
                event = ProgressEvent.model_validate(message["event"])
                doing = describe(event)
                emit(event)
            elif kind == "result":
                self._after_run(float(message["rss_mb"]))
                return message["result"]
            elif kind == "error":
                self._log_error(message)
                raise ERRORS.get(message.get("kind", ""), TrainingError)(message["message"])
            elif kind == "died":
                tail = self._log_tail()
                code = self._proc.poll() if self._proc is not None else None
                log.error("Training worker exited (status %s) during a run; its log ends:\n%s", code, "\n".join(tail))
                self.close()
                last = f": {tail[-1]}" if tail else "."
                raise TrainingError(f"The training worker stopped unexpectedly{last} Press Train to try again.")

    def _send_quietly(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(OSError, ValueError):  # a worker gone: its reader reports that as "died"
            self._send(message)

    def _hung(self, doing: str) -> None:
        """Kill a worker that made no progress for the deadline, start its replacement, and say so."""
        pid, tail = self.pid, self._log_tail()
        log.error("Training worker %s made no progress for %.0f s (last: %s); killing it and starting another. "
                  "Its log ends:\n%s", pid, self.deadline_s, doing, "\n".join(tail))
        self.close(force=True)
        self.hangs += 1
        self.start()  # the replacement loads TensorFlow while the queue moves on
        raise TrainingError(
            f"The training worker made no progress for {self.deadline_s:.0f} s ({doing}) and was stopped. "
            "Runs stored earlier are untouched and this one was not stored; press Train to try again.")

    @staticmethod
    def _log_error(message: dict[str, Any]) -> None:
        kind, text, trace = message.get("kind", "?"), message.get("message", ""), message.get("traceback", "")
        if kind in ("DataError", "TrainingCancelled"):  # the user's data or choice, not a fault to look into
            log.info("Training request refused by the worker: %s: %s", kind, text)
        else:
            log.error("Training failed in the worker: %s: %s\n%s", kind, text, trace)

    def _after_run(self, rss_mb: float) -> None:
        self.rss_mb = rss_mb
        if self._baseline is None:
            self._baseline = rss_mb
        elif rss_mb > self._baseline + self.recycle_mb and self._spare is None:
            log.info("Training worker grew from %.0f to %.0f MB; starting its replacement.", self._baseline, rss_mb)
            self._spare = self._spawn()  # loads TensorFlow now; taken at the first run after it is ready
            self.recycles += 1

    def close(self, force: bool = False) -> None:
        """Ask the worker (and a replacement warming up) to exit, or kill them with `force`, and wait."""
        with self._lock:
            procs = [self._proc, self._spare[0] if self._spare is not None else None]
            self._proc, self._spare = None, None
        for proc in procs:
            if proc is not None:
                _retire(proc, force)


_Child = tuple[subprocess.Popen, queue.Queue, threading.Event, Any]  # process, its messages, ready flag, log file


def _retire(proc: subprocess.Popen[str], force: bool = False) -> None:
    """End one worker process: politely (exit message, 10 s) unless `force`, then kill."""
    if force:
        proc.kill()  # SIGKILL also ends a stopped (SIGSTOP) process
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


def describe(event: ProgressEvent) -> str:
    """What the worker was doing when it sent `event`, for the hang message."""
    if event.phase == "epoch":
        return f"training {event.candidate}, epoch {event.epoch} of {event.epochs} done"
    if event.phase == "started":
        return f"building and training {event.candidate}"
    if event.phase == "finished":
        return f"measuring {event.candidate}"
    return event.phase


_WORKER = Worker()
atexit.register(_WORKER.close)


def shared_worker() -> Worker:
    """The worker every isolated comparison of this process runs in."""
    return _WORKER

