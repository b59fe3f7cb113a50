"""Timing trace of the Lab's live panel, for bench/load_test.py: off unless $DL_ADVISOR_LIVE_TRACE names a file.

Each line is one JSON object: when a panel rerun or a page run started (time.time()), how long it took,
whether it drew anything, and the job's events and end time, so the load test can split the lag between
"a job ended" and "its result is on screen" into the server's part and the browser's part. Full garbage
collections (generation 2) are traced too: each one holds the GIL, for every session, while it runs.
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time

_lock = threading.Lock()


def enabled() -> bool:
    return bool(os.environ.get("DL_ADVISOR_LIVE_TRACE"))


def record(kind: str, started: float, **fields: object) -> None:
    """Append one line (no-op when tracing is off); `started` is time.time() at the start of the work."""
    path = os.environ.get("DL_ADVISOR_LIVE_TRACE")
    if not path:
        return
    line = json.dumps({"kind": kind, "t": round(started, 3), "ms": round((time.time() - started) * 1000, 1),
                       "thread": threading.get_ident(), **fields})
    with _lock, open(path, "a", encoding="utf-8") as out:  # one short append per rerun: cheap next to a rerun
        out.write(line + "\n")


_gc_began: list[float] = []


def _time_full_collections(phase: str, info: dict[str, int]) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start":
        _gc_began[:] = [time.time()]
    elif _gc_began:
        record("gc", _gc_began.pop())


if enabled() and _time_full_collections not in gc.callbacks:
    gc.callbacks.append(_time_full_collections)
