"""Several local training workers behind the one backend call: for batch work (the evidence bank's build) that
has many independent requests and a machine with more cores than one training uses.

Why: measured on this project's 2-core machines (2026-12-04, the sequence-model sweep at 20 steps, 3
candidates x 6 seeds), one worker with TensorFlow's default threads kept 1.2 cores busy (148 s wall, 179 s
CPU); with one thread it took 166 s, and two one-thread workers side by side finished two such points in
203 s, against 296 s one after another: 1.46 times the throughput, with the same numbers to the last bit.
The app keeps its single worker (`worker.shared_worker`): a user waits for one run, which two threads
finish sooner.

`WorkerPool(size, threads)` answers the backend protocol (backend.py): `call` hands each request to an idle
worker (waiting for one when all are busy), `slots()` is `size`. Each worker is a `worker.Worker`, with its
own watchdog and memory recycling.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from ..results.records import ProgressEvent
from .worker import Worker


class WorkerPool:
    """`size` training workers, each running TensorFlow on `threads` threads, one request each at a time."""

    def __init__(self, size: int, threads: int | None = 1, **options: Any):
        if size < 1:
            raise ValueError(f"A worker pool needs at least one worker; got {size}.")
        self.workers = [Worker(threads=threads, **options) for _ in range(size)]
        self._idle: queue.Queue[Worker] = queue.Queue()
        for worker in self.workers:
            self._idle.put(worker)

    def slots(self) -> int:
        return len(self.workers)

    def start(self) -> None:
        """Start every worker now (each loads TensorFlow, seconds), so the first requests do not wait for it."""
        for worker in self.workers:
            worker.start()

    def call(self, message: dict[str, Any], emit: Callable[[ProgressEvent], None] = lambda e: None,
             stop: threading.Event | None = None) -> dict[str, Any]:
        worker = self._idle.get()
        try:
            return worker.call(message, emit, stop)
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        for worker in self.workers:
            worker.close()

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
