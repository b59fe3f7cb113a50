"""How far the work in this process has got: a counter that only real progress moves.

The training worker's heartbeat thread reads it once a second and reports a beat only when it moved, so
a run stuck anywhere (native code with the GIL released, a deadlock, a stopped process) falls silent even
though that thread itself lives on. Training moves it once per batch (a callback the worker adds to every
`fit`), other phases with `phase(...)` or `tick()`. Plain Python, no TensorFlow: anything may import it.
"""

from __future__ import annotations

import threading


class _Progress:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.phase = "starting"


_progress = _Progress()


def tick() -> None:
    """One more unit of work done (a batch, a forward pass)."""
    with _progress.lock:
        _progress.count += 1


def phase(name: str) -> None:
    """Entering a new phase of work (it counts as progress, and names what a hang would have stopped)."""
    with _progress.lock:
        _progress.phase = name
        _progress.count += 1


def snapshot() -> tuple[int, str]:
    """(progress count, current phase)."""
    with _progress.lock:
        return _progress.count, _progress.phase
