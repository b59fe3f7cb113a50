"""A progress bar with an ETA for building the evidence bank: units of work done, time spent, time left.

A unit is one candidate trained at one learning rate of the grid at one swept point (all its seeds). Units
differ in cost (a 100-token point costs more than a 5-token one), so the estimate weighs each remaining unit
by its point's swept value relative to the units done, when the caller gives weights; it is an estimate and
says so. On a terminal the bar redraws in place; elsewhere (CI logs) it prints a line every few percent.
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
    """Counts weighted units of work and draws a bar: `advance(label)` after each unit."""

    weights: Sequence[float]  # every unit's expected relative cost, in the order they run
    out: TextIO = field(default=sys.stderr)
    started: float = field(default_factory=time.perf_counter)
    done: int = 0
    _last_percent: int = -EVERY_PERCENT

    @property
    def total(self) -> float:
        return float(sum(self.weights)) or 1.0

    def eta(self, now: float | None = None) -> float | None:
        """Seconds left: elapsed time per unit of weight done, times the weight still to do."""
        finished = sum(self.weights[: self.done])
        if finished <= 0:
            return None
        elapsed = (now if now is not None else time.perf_counter()) - self.started
        return elapsed / finished * (self.total - finished)

    def line(self, label: str, now: float | None = None) -> str:
        share = sum(self.weights[: self.done]) / self.total
        filled = int(round(WIDTH * share))
        elapsed = (now if now is not None else time.perf_counter()) - self.started
        left = self.eta(now)
        remaining = f"~{clock(left)} left (estimate)" if left is not None else "estimating"
        return (f"[{'#' * filled}{'.' * (WIDTH - filled)}] {100 * share:3.0f}%  {self.done}/{len(self.weights)}  "
                f"{clock(elapsed)} elapsed, {remaining}  {label}")

    def advance(self, label: str) -> None:
        self.done = min(self.done + 1, len(self.weights))
        text = self.line(label)
        if self.out.isatty():
            self.out.write("\r" + text[:200].ljust(200))
            if self.done == len(self.weights):
                self.out.write("\n")
        else:
            percent = int(100 * sum(self.weights[: self.done]) / self.total)
            if percent - self._last_percent < EVERY_PERCENT and self.done < len(self.weights):
                return
            self._last_percent = percent
            self.out.write(text + "\n")
        self.out.flush()
