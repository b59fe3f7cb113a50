"""Where training runs: the local training worker (the default) or a Ray cluster, behind one call.

Both answer `call(message, emit, stop) -> dict` (a comparison or scaling request in, progress events and
the result out, Stop honoured) and `slots()` (how many requests may train at once: 1 for the local worker,
the cluster's CPUs for Ray). With $DL_ADVISOR_RAY_ADDRESS unset (or `use_ray` not called) this is the
shared local worker and Ray is never imported; set to "auto", "HOST:PORT" or "ray://HOST:PORT" it is the
Ray backend (ray_backend.py), "local" starts a private one-machine Ray cluster in this process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, Protocol

from ..results.records import ProgressEvent
from .worker import shared_worker

RAY_ENV = "DL_ADVISOR_RAY_ADDRESS"


class Backend(Protocol):
    def call(self, message: dict[str, Any], emit: Callable[[ProgressEvent], None] = ...,
             stop: threading.Event | None = None) -> dict[str, Any]: ...

    def slots(self) -> int: ...


def ray_address() -> str | None:
    """The Ray cluster training goes to, or None for this machine's worker."""
    return os.environ.get(RAY_ENV, "").strip() or None


def use_ray(address: str | None) -> None:
    """Send this process's training to the Ray cluster at `address` (the CLI's `--ray`); None: back to local."""
    if address:
        os.environ[RAY_ENV] = address
    else:
        os.environ.pop(RAY_ENV, None)


def backend() -> Backend:
    """The backend configured now: the shared local worker, or the Ray backend for the configured address."""
    address = ray_address()
    if address is None:
        return shared_worker()
    from .ray_backend import ray_backend  # imports Ray: only when configured

    return ray_backend(address)


def warm_up() -> None:
    """Get training ready before the first request: start the local worker (TensorFlow loads, ~5 s); with Ray,
    nothing (the cluster's workers load TensorFlow on their first task; connecting waits for that task)."""
    if ray_address() is None:
        shared_worker().start()
