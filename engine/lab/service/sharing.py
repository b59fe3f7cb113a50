"""Identical experiments shared: a stored run of the same request and code is offered at once, and two
sessions asking for the same run at the same time train it once.

An experiment is identified by its request (`TrainRequest.identity()`: decision, data set or the CSV's
content, settings, seeds, epochs, the recommended choice and answers) and the code version: a hash of
engine/lab/**/*.py, the decision tables and the versions of the libraries that train. Each trained run gets
`provenance.json` next to its `result.json`, saying when, on which host and by which code it was measured.
Sharing between sessions happens in this process; two server processes on one runs folder share stored
runs but may train the same new run once each.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from ...errors import EngineError
from ..request import TrainRequest
from ..results.records import ComparisonResult, ProgressEvent, finished_runs, load_result
from .queue import TrainingCancelled

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[3]
SIDECAR = "provenance.json"
LIBRARIES = ("tensorflow-cpu", "tensorflow", "keras", "numpy")

Emit = Callable[[ProgressEvent], None]
Train = Callable[[Emit], ComparisonResult]


@dataclass(frozen=True)
class Provenance:
    """When, where and by which code a stored run was measured."""

    key: str  # the experiment's identity (request and code version)
    code_version: str
    measured_at: str  # ISO 8601, UTC, when the result was stored
    host: str
    experiment: dict[str, Any]  # the request it answered (a CSV by its content hash)

    def sentence(self) -> str:
        """'Measured on 2026-11-24 at 12:40 UTC on host lab-1 (code 3f2a9c1d).'"""
        when = datetime.fromisoformat(self.measured_at)
        return (f"Measured on {when:%Y-%m-%d} at {when:%H:%M} UTC on host {self.host} "
                f"(code {self.code_version[:8]}).")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


@functools.cache
def code_version() -> str:
    """A hash of the Lab's source, the decision tables and the training libraries' versions."""
    digest = hashlib.sha256()
    lab = ROOT / "engine" / "lab"
    for path in sorted(lab.rglob("*.py")) + sorted((ROOT / "rules").glob("*.toml")):
        name = path.relative_to(lab).as_posix() if path.is_relative_to(lab) else path.name
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    return digest.hexdigest()[:16]


def experiment_key(request: TrainRequest, version: str | None = None) -> str:
    """Same request and code version, same key."""
    body = {"experiment": request.identity(), "code": version or code_version()}
    return hashlib.sha256(_canonical(body)).hexdigest()


def provenance(run: ComparisonResult | str | Path) -> Provenance | None:
    """The provenance stored with a run (a result or its folder); None for runs stored without one."""
    folder = Path(run.run_dir if isinstance(run, ComparisonResult) else run)
    try:
        return Provenance(**json.loads((folder / SIDECAR).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        log.warning("Ignoring unreadable %s in %s: %s", SIDECAR, folder, exc)
        return None


def record(result: ComparisonResult, request: TrainRequest) -> Provenance:
    """Write provenance.json next to the run's result.json (atomically, like the result)."""
    stamp = Provenance(key=experiment_key(request), code_version=code_version(),
                       measured_at=datetime.now(UTC).isoformat(timespec="seconds"), host=socket.gethostname(),
                       experiment=request.identity())
    folder = Path(result.run_dir)
    temporary = folder / f".{SIDECAR}.tmp"
    temporary.write_text(json.dumps(asdict(stamp), indent=2), encoding="utf-8")
    temporary.replace(folder / SIDECAR)
    return stamp


def find_stored(request: TrainRequest, root: Path) -> ComparisonResult | None:
    """The newest complete stored run of this experiment under the runs folder `root`, if any."""
    key = experiment_key(request)
    for folder in finished_runs(root):
        stamp = provenance(folder)
        if stamp is None or stamp.key != key:
            continue
        try:
            result = load_result(folder)
        except (OSError, ValueError) as exc:  # a damaged result.json: measure again rather than fail
            log.warning("Not reusing %s: its result.json cannot be read (%s).", folder, exc)
            continue
        if result is not None and not result.stopped_early:
            return result
    return None


class _InFlight:
    """A run being trained for one session that other sessions asking the same wait for and watch."""

    def __init__(self) -> None:
        self.future: Future[ComparisonResult] = Future()
        self.watchers: list[Emit] = []
        self.lock = threading.Lock()
        self.place: ProgressEvent | None = None  # the run's place in the queue while it waits

    def watch(self, watcher: Emit) -> ProgressEvent | None:
        """Add a watcher; returns the run's current queue place for it (queue events come only on change)."""
        with self.lock:
            self.watchers.append(watcher)
            return self.place

    def relay(self, own: Emit, event: ProgressEvent) -> None:
        own(event)  # the owner's own exceptions (its page went away) end the run, as without sharing
        with self.lock:
            self.place = event if event.phase == "queued" and event.position else None
            watchers = list(self.watchers)
        for watcher in watchers:
            try:
                watcher(event)
            except Exception:  # noqa: BLE001 - a watcher that went away must not end someone else's run
                self.leave(watcher)

    def leave(self, watcher: Emit) -> None:
        with self.lock, contextlib.suppress(ValueError):
            self.watchers.remove(watcher)


_LOCK = threading.Lock()
_IN_FLIGHT: dict[str, _InFlight] = {}
_RETRY = object()


def share(request: TrainRequest, root: Path, train: Train, emit: Emit, stop: threading.Event | None,
          reuse: bool = True) -> ComparisonResult:
    """Return a stored run of `request` (under the runs folder `root`) at once, or the result of an identical
    run already training for another session, or train it with `train(emit)`; every run trained here gets
    its provenance.

    Emits "reused" when a stored run is returned and "shared" when waiting for another session's run
    (whose progress events then follow). `reuse=False` trains anew whatever is stored ("run it again").
    """
    if not reuse:
        return _train_and_record(request, train, emit)
    key = experiment_key(request)
    while True:
        place = None
        with _LOCK:  # the lookup too, so a run finishing now is either found stored or found in flight
            stored = find_stored(request, root)
            flight = None if stored is not None else _IN_FLIGHT.get(key)
            owner = stored is None and flight is None
            if owner:
                flight = _IN_FLIGHT[key] = _InFlight()
            elif flight is not None:
                place = flight.watch(emit)
        if stored is not None:
            emit(ProgressEvent(phase="reused"))
            return stored
        assert flight is not None  # noqa: S101 - set in both remaining branches above
        if owner:
            return _own(key, flight, request, train, emit)
        outcome = _follow(flight, emit, stop, place)
        if outcome is not _RETRY:
            return outcome  # type: ignore[return-value]


def _own(key: str, flight: _InFlight, request: TrainRequest, train: Train, emit: Emit) -> ComparisonResult:
    try:
        result = _train_and_record(request, train, lambda event: flight.relay(emit, event))
    except BaseException as exc:
        flight.future.set_exception(exc)
        raise
    else:
        flight.future.set_result(result)
        return result
    finally:
        with _LOCK:
            _IN_FLIGHT.pop(key, None)


def _follow(flight: _InFlight, emit: Emit, stop: threading.Event | None,
            place: ProgressEvent | None) -> ComparisonResult | object:
    """Wait for another session's identical run; _RETRY when its outcome is no answer to this request."""
    emit(ProgressEvent(phase="shared"))
    if place is not None:
        emit(place)
    while True:
        try:
            result = flight.future.result(timeout=0.2)
        except FutureTimeout:
            if stop is not None and stop.is_set():
                flight.leave(emit)
                raise TrainingCancelled("Stopped waiting for the identical run another session is training; "
                                        "nothing was measured for you.") from None
            continue
        except TrainingCancelled:
            return _RETRY  # the other session left the queue: train it ourselves
        except EngineError:
            raise  # the same request fails the same way (bad data, a hung worker): say so at once
        except BaseException:  # noqa: BLE001 - the other session's own exception (its page went away)
            return _RETRY
        if result.stopped_early:  # the other session pressed Stop; we asked for the whole run
            return _RETRY
        return result


def _train_and_record(request: TrainRequest, train: Train, emit: Emit) -> ComparisonResult:
    result = train(emit)
    try:
        record(result, request)
    except OSError as exc:  # the result stands; it just will not be offered to others
        log.warning("Could not write %s for %s: %s", SIDECAR, result.run_dir, exc)
    return result
