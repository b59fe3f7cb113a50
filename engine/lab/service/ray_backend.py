"""Training on a Ray cluster behind the same call as the local worker: `RayBackend.call(message, emit, stop)`.

Chosen by `backend.py` when $DL_ADVISOR_RAY_ADDRESS (or `--ray ADDRESS`) is set; nothing else imports this
module, so without that setting Ray is never imported. Each request is one Ray task (`ray_task.train`, one
CPU) running the training worker's own handlers on whichever node Ray picks; its beats and progress events
come back through a `Relay` actor this process polls, Stop goes the other way, and the watchdog is the local
worker's: a task that made no progress for the deadline is killed (`ray.cancel(force=True)`) and the run
ends with the same sentence. A task whose worker process or node dies is submitted again (once by default,
$DL_ADVISOR_RAY_RETRIES); the events the retry repeats are not shown twice, and a second loss ends the run
with one sentence. Deadlines count from each attempt's first word: waiting for a free CPU on the cluster is
not a hang (which is why this backend retries, not Ray: a retry Ray queued would look like silence).
Memory: a Ray worker process serves at most `ray_task.MAX_CALLS` tasks, then Ray starts a fresh one (the
local worker is replaced when it has grown by RECYCLE_MB instead).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ray

from ...errors import EngineError, TrainingError
from ..results.records import ProgressEvent
from .ray_task import Relay, train
from .sharing import code_version
from .worker import ERRORS, deadline_from_env, describe

log = logging.getLogger(__name__)

RETRIES_ENV = "DL_ADVISOR_RAY_RETRIES"
RETRIES = 1
POLL_S = 0.2


def retries_from_env() -> int:
    raw = os.environ.get(RETRIES_ENV, "").strip()
    return int(raw) if raw.isdigit() else RETRIES


class RayBackend:
    """Sends training requests to the Ray cluster at `address` ("auto", "HOST:PORT" or "ray://HOST:PORT")."""

    def __init__(self, address: str, deadline_s: float | None = None, retries: int | None = None,
                 handlers: str | None = None):
        self.address = address
        self.deadline_s = deadline_from_env() if deadline_s is None else float(deadline_s)
        self.retries = retries_from_env() if retries is None else int(retries)
        self.handlers = handlers  # a module with HANDLERS for the task to run instead of the real ones (tests)
        self.hangs = 0  # tasks killed by the watchdog
        self.retried = 0  # tasks Ray ran again after losing their worker
        self.attempts: list[dict[str, Any]] = []  # where each task attempt ran (pid, host), newest last
        self._relay: Any = None
        self._lock = threading.Lock()

    def _connect(self) -> Any:
        """Connect this process to the cluster once, and make the relay; TrainingError if nothing answers."""
        with self._lock:
            if self._relay is not None:
                return self._relay
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # this app reports nothing anywhere
            try:
                _reachable(self.address)
                if not ray.is_initialized():
                    ray.init(address=self.address, namespace="dl-advisor", log_to_driver=False,
                             logging_level=logging.WARNING, **_local(self.address))
                self._relay = Relay.remote()
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise TrainingError(
                    f"No Ray cluster answered at {self.address!r} ({type(exc).__name__}: {str(exc)[:200]}). Start "
                    "one with `ray start --head`, or unset DL_ADVISOR_RAY_ADDRESS to train on this machine."
                ) from exc
            log.info("Training on the Ray cluster at %s (%s CPUs).", self.address,
                     ray.cluster_resources().get("CPU"))
            return self._relay

    def close(self) -> None:
        """Disconnect this process from the cluster (its relay goes with it); the next call connects again."""
        with self._lock:
            self._relay = None
            if ray.is_initialized():
                ray.shutdown()

    def slots(self) -> int:
        """How many requests the cluster trains at once: its CPUs (one per task)."""
        self._connect()
        return max(1, int(ray.cluster_resources().get("CPU", 1)))

    def call(self, message: dict[str, Any], emit: Callable[[ProgressEvent], None] = lambda e: None,
             stop: threading.Event | None = None) -> dict[str, Any]:
        """Run one request (its "kind" names the handler) on the cluster and return its result."""
        relay, call = self._connect(), uuid.uuid4().hex
        try:
            out = _Run(self, relay, call, lambda: train.remote(message, relay, call, self.handlers)).until_done(
                emit, stop)
        except ray.exceptions.RayError as exc:  # the relay or the connection went: the run cannot be followed
            log.error("Lost touch with the Ray cluster during a run: %s", exc)
            self.close()
            raise TrainingError(f"The Ray cluster stopped answering during this run ({type(exc).__name__}); "
                                "nothing was stored. Press Train to try again.") from exc
        finally:
            with contextlib.suppress(ray.exceptions.RayError):
                relay.forget.remote(call)
        if out.get("code") != code_version():
            raise TrainingError(
                f"The Ray node {out.get('host')} runs other code (version {str(out.get('code'))[:8]}, here "
                f"{code_version()[:8]}), so its numbers would not be this code's; put the same checkout and "
                "packages on every node, then try again.")
        if out["type"] == "error":
            _log_error(out)
            raise ERRORS.get(out.get("kind", ""), TrainingError)(out["message"])
        if message.get("kind") == "comparison":
            store_files(out["result"], out.get("files") or {})
        return out["result"]


class _Run:
    """One request followed on the cluster: its messages relayed, its deadline watched, a lost worker's task
    submitted again (here, not by Ray, so the wait for a free CPU before a retry is not counted as silence)."""

    def __init__(self, backend: RayBackend, relay: Any, call: str, submit: Callable[[], Any]):
        self.backend, self.relay, self.call, self.submit = backend, relay, call, submit
        self.doing, self.attempts, self.lost = "waiting for a free CPU on the Ray cluster", 0, 0
        self.seen = self.shown = 0  # events seen in this attempt; events shown to the caller in all

    def until_done(self, emit: Callable[[ProgressEvent], None], stop: threading.Event | None) -> dict[str, Any]:
        ref = self.submit()
        try:
            last, stop_sent = None, False  # no deadline until the task's first word: it may wait for a CPU
            while True:
                if stop is not None and stop.is_set() and not stop_sent:
                    self.relay.stop.remote(self.call)
                    stop_sent = True
                finished = bool(ray.wait([ref], timeout=POLL_S)[0])
                try:
                    messages = ray.get(self.relay.take.remote(self.call), timeout=max(self.backend.deadline_s, 5.0))
                except ray.exceptions.GetTimeoutError:
                    messages = []
                for item in messages:
                    last = time.monotonic()  # every message means the task's work moved on
                    self._take(item, emit)
                if finished:
                    out = self._outcome(ref)
                    if out is not None:
                        return out
                    ref, last = self.submit(), None  # the worker was lost: once more, from the start
                elif last is not None and time.monotonic() - last > self.backend.deadline_s:
                    self._hung(ref)
        except EngineError:
            raise
        except BaseException:
            with contextlib.suppress(ray.exceptions.RayError):
                ray.cancel(ref, force=True)  # the caller gave up (its page went away): free the CPU
            raise

    def _take(self, item: dict[str, Any], emit: Callable[[ProgressEvent], None]) -> None:
        kind = item["type"]
        if kind == "attempt":
            self.attempts, self.seen = self.attempts + 1, 0
            self.backend.attempts.append({"pid": item["pid"], "host": item["host"]})
        elif kind == "beat":
            self.doing = str(item.get("phase") or self.doing)
        elif kind == "event":
            self.seen += 1
            event = ProgressEvent.model_validate(item["event"])
            self.doing = describe(event)
            if self.seen > self.shown:  # a retry repeats the lost attempt's events: show each once
                self.shown = self.seen
                emit(event)

    def _outcome(self, ref: Any) -> dict[str, Any] | None:
        """The task's answer; None when its worker was lost and a retry is left; else a TrainingError."""
        try:
            return ray.get(ref)
        except ray.exceptions.TaskCancelledError as exc:
            raise TrainingError("The training run on the Ray cluster was cancelled; nothing was stored.") from exc
        except (ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError, ray.exceptions.ObjectLostError,
                ray.exceptions.LocalRayletDiedError, ray.exceptions.OutOfMemoryError) as exc:
            self.lost += 1
            if self.lost <= self.backend.retries:
                self.backend.retried += 1
                log.warning("The Ray worker training %s was lost (%s): %s; running it again.", self.call[:8],
                            self.doing, str(exc).strip().splitlines()[0] if str(exc).strip() else exc)
                return None
            log.error("Ray task lost %d time(s) (%s): %s", self.lost, self.doing, exc)
            tries = "and so did its retry" if self.lost > 1 else "and was not retried"
            raise TrainingError(f"The Ray worker training this run died ({self.doing}) {tries}, so this run was not "
                                "stored (runs stored earlier are untouched); press Train to try again.") from exc
        except ray.exceptions.RayError as exc:  # e.g. a node that cannot import this code
            log.error("Ray task failed: %s", exc)
            first = str(exc).strip().splitlines()[-1][:300] if str(exc).strip() else type(exc).__name__
            raise TrainingError(f"The Ray cluster could not run the training: {first}") from exc

    def _hung(self, ref: Any) -> None:
        """Kill a task that made no progress for the deadline (its worker process with it) and say so."""
        deadline, doing = self.backend.deadline_s, self.doing
        log.error("Ray task made no progress for %.0f s (last: %s); killing it.", deadline, doing)
        ray.cancel(ref, force=True)
        self.backend.hangs += 1
        raise TrainingError(
            f"The training worker on the Ray cluster made no progress for {deadline:.0f} s ({doing}) and "
            "was stopped. Runs stored earlier are untouched and this one was not stored; press Train to try again.")


def _reachable(address: str, timeout: float = 10.0) -> None:
    """ConnectionError unless HOST:PORT (or ray://HOST:PORT) takes a connection: Ray itself would retry an
    unreachable address for minutes, and the caller would wait with no word."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" and "local": Ray finds or starts the cluster itself, and says at once when it cannot
    with socket.create_connection((host, int(port)), timeout=timeout):
        pass


def _local(address: str) -> dict[str, Any]:
    """"local" starts a private one-machine cluster for this process (no dashboard, loopback only)."""
    if address != "local":
        return {}
    return {"num_cpus": os.cpu_count() or 1, "include_dashboard": False, "_node_ip_address": "127.0.0.1"}


def _log_error(out: dict[str, Any]) -> None:
    kind, text = out.get("kind", "?"), out.get("message", "")
    if kind in ("DataError", "TrainingCancelled"):
        log.info("Training request refused on the Ray cluster: %s: %s", kind, text)
    else:
        log.error("Training failed on the Ray cluster (%s): %s: %s\n%s", out.get("host"), kind, text,
                  out.get("traceback", ""))


def store_files(result: dict[str, Any], files: dict[str, bytes]) -> None:
    """Write a run folder trained on another machine under the same path here: every file, then result.json
    last and atomically, so a half-copied folder is never offered. A folder already here (the same machine,
    or shared storage) is left as it is."""
    folder = Path(result["run_dir"])
    if (folder / "result.json").exists():
        return
    for name, body in files.items():
        path = folder / name
        if not path.resolve().is_relative_to(folder.resolve()):
            raise TrainingError(f"The Ray cluster sent a file outside the run folder ({name}); nothing was stored.")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    from ..results.records import ComparisonResult

    ComparisonResult.model_validate(result).write(folder)


_BACKENDS: dict[str, RayBackend] = {}


def ray_backend(address: str) -> RayBackend:
    """The backend of this process for `address` (one connection per process)."""
    if address not in _BACKENDS:
        _BACKENDS[address] = RayBackend(address)
    return _BACKENDS[address]

