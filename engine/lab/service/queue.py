"""One training at a time per process: a first-come queue callers can ask for their place in, or leave.

TensorFlow is not safe to train from several threads at once, and two Streamlit sessions are two threads.
Every training run takes a ticket, waits until it reaches the front, trains, then releases. A backend that
trains elsewhere, several at once (a Ray cluster: one per CPU), lets the first `slots` tickets train.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from ...errors import TrainingError


class TrainingCancelled(TrainingError):
    """The caller gave up while waiting for its turn (or stopped the run before it started)."""


@dataclass(frozen=True)
class Ticket:
    """A caller's place in the training queue; `number` only identifies it."""

    number: int
    label: str = ""


class TrainingQueue:
    """A fair (first come, first served) lock with positions and cancellation."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: deque[Ticket] = deque()
        self._counter = itertools.count(1)

    def join(self, label: str = "") -> Ticket:
        """Take a ticket; it is at the back of the queue until it reaches the front."""
        with self._cond:
            ticket = Ticket(next(self._counter), label)
            self._waiting.append(ticket)
            return ticket

    def position(self, ticket: Ticket, slots: int = 1) -> int | None:
        """0 when it is this ticket's turn (training), n when n runs must end before it, None when not queued."""
        with self._cond:
            try:
                return max(0, self._waiting.index(ticket) - slots + 1)
            except ValueError:
                return None

    def __len__(self) -> int:
        with self._cond:
            return len(self._waiting)

    def wait(
        self,
        ticket: Ticket,
        cancel: threading.Event | None = None,
        on_position: Callable[[int], None] | None = None,
        poll_seconds: float = 0.1,
        slots: int = 1,
    ) -> None:
        """Block until `ticket` is among the first `slots`; report each new position; raise TrainingCancelled if
        cancelled."""
        last = None
        with self._cond:
            while True:
                if ticket not in self._waiting:
                    raise TrainingCancelled("The training request left the queue before its turn came.")
                place = max(0, self._waiting.index(ticket) - slots + 1)
                if place != last and on_position is not None:
                    on_position(place)
                last = place
                if place == 0:
                    return
                if cancel is not None and cancel.is_set():
                    self._remove(ticket)
                    raise TrainingCancelled(
                        f"Cancelled while waiting: {place} training run(s) were ahead in the queue."
                    )
                self._cond.wait(poll_seconds)

    def release(self, ticket: Ticket) -> None:
        """Leave the queue (after training, or to give up a place); wakes the others."""
        with self._cond:
            self._remove(ticket)

    def _remove(self, ticket: Ticket) -> None:
        with suppress(ValueError):
            self._waiting.remove(ticket)
        self._cond.notify_all()

    @contextmanager
    def turn(
        self,
        label: str = "",
        cancel: threading.Event | None = None,
        on_position: Callable[[int], None] | None = None,
        slots: int = 1,
    ) -> Iterator[Ticket]:
        """`with queue.turn(): train()` waits for this caller's turn and always releases it afterwards."""
        ticket = self.join(label)
        try:
            self.wait(ticket, cancel=cancel, on_position=on_position, slots=slots)
            yield ticket
        finally:
            self.release(ticket)


_QUEUE = TrainingQueue()


def training_queue() -> TrainingQueue:
    """The process-wide queue every training run in this process goes through."""
    return _QUEUE
