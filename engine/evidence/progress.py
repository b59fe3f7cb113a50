"""A progress bar with an ETA for building the evidence bank: units of work done, time spent, time left.

A unit is one request of the build: a swept point with all its candidates (or, on a Ray cluster, one of
them), every seed and learning rate. Units differ in cost (a 100-token point costs more than a 5-token one),
so the estimate weighs each remaining unit by the weight the caller gives it (what it cost in the stored
bank) relative to the units done; it is an estimate and says so. Units may finish in any order (a build
that trains several at a time names the unit it finished).
On a terminal the bar redraws in place; elsewhere (CI logs) it prints a line every few percent.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

WIDTH = 30
EVERY_PERCENT = 5  # without a terminal, a line at most this often


def clock(seconds: float) -> str:
    seconds = max(int(round(seconds)), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@dataclass
class Progress:
    """Counts weighted units of work and draws a bar: `advance(label)` after each unit (`advance(label, unit)`
    names which, when they do not finish in order)."""

    weights: Sequence[float]  # every unit's expected relative cost
    out: TextIO = field(default=sys.stderr)
    started: float = field(default_factory=time.perf_counter)
    finished: set[int] = field(default_factory=set)  # the units done, by their place in `weights`
    _last_percent: int = -EVERY_PERCENT

    @property
    def total(self) -> float:
        return float(sum(self.weights)) or 1.0

    @property
    def done(self) -> int:
        return len(self.finished)

    def weight_done(self) -> float:
        return float(sum(self.weights[k] for k in self.finished))

    def eta(self, now: float | None = None) -> float | None:
        """Seconds left: elapsed time per unit of weight done, times the weight still to do."""
        finished = self.weight_done()
        if finished <= 0:
            return None
        elapsed = (now if now is not None else time.perf_counter()) - self.started
        return elapsed / finished * (self.total - finished)

    def line(self, label: str, now: float | None = None) -> str:
        share = self.weight_done() / self.total
        filled = int(round(WIDTH * share))
        elapsed = (now if now is not None else time.perf_counter()) - self.started
        left = self.eta(now)
        remaining = f"~{clock(left)} left (estimate)" if left is not None else "estimating"
        return (f"[{'#' * filled}{'.' * (WIDTH - filled)}] {100 * share:3.0f}%  {self.done}/{len(self.weights)}  "
                f"{clock(elapsed)} elapsed, {remaining}  {label}")

    def advance(self, label: str, unit: int | None = None) -> None:
        """Count `unit` (by default the first not yet counted) as done and redraw."""
        if unit is None:
            unit = next((k for k in range(len(self.weights)) if k not in self.finished), None)
        if unit is not None:
            self.finished.add(unit)
        text = self.line(label)
        if self.out.isatty():
            self.out.write("\r" + text[:200].ljust(200))
            if self.done == len(self.weights):
                self.out.write("\n")
        else:
            percent = int(100 * self.weight_done() / self.total)
            if percent - self._last_percent < EVERY_PERCENT and self.done < len(self.weights):
                return
            self._last_percent = percent
            self.out.write(text + "\n")
        self.out.flush()
