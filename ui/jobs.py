"""Background jobs for the Lab: training runs in a thread so the page stays live and a run survives reruns.

A job never calls Streamlit, and never imports TensorFlow: the engine trains and measures in its own
worker process. It records progress events (appended by the training thread, read by the
page's fragment) and ends with a result or an error sentence. One job per session at a time; across
sessions the engine's training queue makes runs take turns, and a waiting job reports its place.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pandas as pd

from engine.errors import EngineError

log = logging.getLogger(__name__)

Work = Callable[[Callable[[Any], None], threading.Event], Any]


class Job:
    """One piece of Lab work (a comparison or the scaling experiment) running in a daemon thread."""

    def __init__(self, kind: str, title: str, params: dict[str, Any]):
        self.kind = kind
        self.title = title
        self.params = params
        self.stop = threading.Event()
        self.finished = threading.Event()
        self.events: list[Any] = []  # list.append is atomic: the thread appends, the page reads
        self.result: Any = None
        self.error: str | None = None
        self.cancelled = False
        self.id = uuid.uuid4().hex[:8]
        self.started = time.time()
        self.finished_at: float | None = None  # time.time() when the work ended, for the load test's lag
        self.first_epoch_after: float | None = None

    def start(self, work: Work) -> Job:
        threading.Thread(target=self._run, args=(work,), daemon=True, name=f"lab-{self.kind}").start()
        return self

    def _record(self, event: Any) -> None:
        if self.first_epoch_after is None and getattr(event, "phase", "") == "epoch":
            self.first_epoch_after = time.time() - self.started
        self.events.append(event)

    def _run(self, work: Work) -> None:
        from engine.lab import TrainingCancelled

        try:
            self.result = work(self._record, self.stop)
        except TrainingCancelled as exc:
            self.cancelled, self.error = True, str(exc)
        except EngineError as exc:
            self.error = str(exc)
        except Exception as exc:  # the page shows a sentence; the log keeps the traceback for us
            log.exception("Lab job %s failed", self.title)
            self.error = f"The run failed unexpectedly ({type(exc).__name__}: {exc}). Try again, or fewer epochs."
        finally:
            self.finished_at = time.time()
            self.finished.set()

    @property
    def running(self) -> bool:
        return not self.finished.is_set()

    def queue_position(self) -> int | None:
        """Runs ahead of this one while it waits for its turn, else None."""
        for event in reversed(self.events):
            if getattr(event, "phase", "") == "queued":
                return event.position or None
            if getattr(event, "phase", "") in ("started", "epoch", "finished", "done"):
                return None
        return None

    def status(self) -> str:
        """One line saying what is happening now."""
        ahead = self.queue_position()
        if ahead:
            return f"Waiting for the trainer: {ahead} run(s) from other sessions ahead of yours."
        last = self.events[-1] if self.events else None
        phase = getattr(last, "phase", "")
        name = self.params.get("labels", {}).get(getattr(last, "candidate", None), getattr(last, "candidate", ""))
        seeds = self.params.get("seeds", 1)
        together = f" ({seeds} seeds together)" if seeds > 1 else ""
        if phase == "reused":
            return "This exact experiment is stored already: loading it..."
        if phase == "shared":
            return "Another session is training this exact experiment right now: waiting for its result..."
        if phase == "epoch":
            return f"Training {name}{together}: epoch {last.epoch} of {last.epochs}."
        if phase == "started":
            return f"Building and training {name}{together}..."
        if phase == "finished":
            return f"Measured {name}; starting the next candidate..."
        return "Preparing the data (the first run also loads TensorFlow)..."

    def live_curves(self) -> pd.DataFrame:
        """Per-epoch metrics received so far, in the same long format (and with the same candidate names) as a
        finished result's curves, so a candidate keeps its name and colour from the first epoch on."""
        labels = self.params.get("labels", {})
        rows = []
        for e in list(self.events):
            if getattr(e, "phase", "") != "epoch":
                continue
            for key, value in e.logs.items():
                split = "validation" if key.startswith("val_") else "train"
                metric = key.removeprefix("val_")
                if metric in ("loss", "accuracy"):
                    rows.append({"candidate": e.candidate, "label": labels.get(e.candidate, e.candidate),
                                 "recommended": False, "seed": getattr(e, "seed", None) or 0, "epoch": e.epoch,
                                 "split": split, "metric": metric, "value": float(value)})
        return pd.DataFrame(rows, columns=["candidate", "label", "recommended", "seed", "epoch", "split", "metric",
                                           "value"])

    def progress(self) -> float:
        """Share of candidate-epochs done (over every seed), for a progress bar."""
        epochs = [e for e in self.events if getattr(e, "phase", "") == "epoch"]
        total = self.params.get("candidates", 1) * max(self.params.get("epochs", 1), 1) * self.params.get("seeds", 1)
        return min(1.0, len(epochs) / total) if total else 0.0
