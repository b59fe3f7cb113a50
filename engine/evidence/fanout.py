"""The bank's points trained several at a time: one request per point (or per point and candidate, `split`),
for every sweep being built, all handed to a backend that trains several at once (local workers in a
`WorkerPool`, or a Ray cluster), costliest first; each sweep reads its points back in its own order, as
`bank.build` expects.

Where a candidate trains does not change its numbers: they depend only on its own seeds and code (its data,
start and batches are drawn from its seeds), so the bank built this way stores what the one-by-one build
stores (tests/evidence/test_pooled_build.py, tests/ray/test_ray_bank.py). This module decides where and
when, never what: it is not among the files the bank's code hash reads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from ..lab.decisions import candidates
from ..lab.results.records import ComparisonResult
from ..lab.service.backend import Backend, backend
from ..lab.train import train_comparison
from .measure import Measured, metrics, point_request
from .sweeps import Sweep

Unit = tuple[Sweep, int, tuple[str, ...]]  # a sweep, one of its values, the candidates trained: one request


def choices(sweep: Sweep) -> tuple[str, ...]:
    """The candidates the sweep trains: its own list, or every candidate of its decision."""
    return sweep.candidates or tuple(spec.choice for spec in candidates(sweep.decision))


def groups(sweep: Sweep, split: bool) -> list[tuple[str, ...]]:
    """The candidates of one request: each on its own (`split`), or all of them together."""
    return [(choice,) for choice in choices(sweep)] if split else [choices(sweep)]


def units(sweeps: Sequence[Sweep], split: bool = True) -> list[Unit]:
    """Every request the sweeps make, sweep by sweep, value by value (candidate by candidate with `split`)."""
    return [(sweep, value, group) for sweep in sweeps for value in sweep.values for group in groups(sweep, split)]


class FanOut:
    """Trains every unit of `sweeps` on `via` (the configured backend when None), as many at a time as it has
    slots, the costliest (by `cost`) first so that no long request starts last. A unit is a point with all
    its candidates, or with `split` one candidate of a point: more, smaller requests for a cluster, but each
    makes its seeds' data (a text point: its word vectors) and traces its model itself, which a point's
    candidates otherwise share. `on_task(unit, seconds)`
    hears of each request as it ends. Use as a context manager; `points` is a `bank.FanOut` for `bank.build`.
    The first failure stops the rest (queued requests never start, running ones end after their epoch) and
    is raised by `points`.
    """

    def __init__(self, sweeps: Sequence[Sweep], via: Backend | None = None,
                 cost: Callable[[Unit], float] | None = None,
                 on_task: Callable[[Unit, float], None] | None = None, split: bool = True):
        self.sweeps = list(sweeps)
        self.split = split
        self.via = via
        self.on_task = on_task
        self.stop = threading.Event()
        todo = units(self.sweeps, split)
        if cost is not None:
            todo.sort(key=cost, reverse=True)  # stable: equal costs keep the sweep's order
        self._pool = ThreadPoolExecutor(max_workers=max(1, (via or backend()).slots()), thread_name_prefix="sweep")
        self._futures: dict[tuple[int, int, tuple[str, ...]], Future[ComparisonResult]] = {
            (self._place(unit[0]), unit[1], unit[2]): self._pool.submit(self._one, unit) for unit in todo}

    def _place(self, sweep: Sweep) -> int:
        return next(i for i, known in enumerate(self.sweeps) if known is sweep)

    def _one(self, unit: Unit) -> ComparisonResult:
        sweep, value, group = unit
        result = train_comparison(point_request(sweep, value, sweep.seeds, group), reuse=False, stop=self.stop,
                                  via=self.via)
        if self.on_task is not None and not result.stopped_early:
            self.on_task(unit, result.wall_seconds)
        return result

    def points(self, sweep: Sweep) -> Iterator[tuple[int, Measured, float]]:
        """(value, measured, seconds) for each point of `sweep` (one of those given), in the sweep's order, as
        its candidates finish; `seconds` is the point's training time summed over its candidates."""
        place = self._place(sweep)
        try:
            for value in sweep.values:
                parts = [self._futures[(place, value, group)].result() for group in groups(sweep, self.split)]
                yield value, merge(sweep, value, parts), sum(p.wall_seconds for p in parts)
        except BaseException:
            self.stop.set()
            raise

    def __enter__(self) -> FanOut:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        """Wait for every request; after a failure, drop those not started and end the running ones early."""
        if kind is not None:
            self.stop.set()
        self._pool.shutdown(wait=True, cancel_futures=kind is not None)


def measure_points(sweep: Sweep, on_task: Callable[[int, str, float], None] | None = None
                   ) -> Iterator[tuple[int, Measured, float]]:
    """One sweep's points through the configured backend (a Ray cluster: every point and candidate at once);
    `on_task(value, choice, seconds)` hears of each request as it ends."""
    heard = None if on_task is None else (lambda unit, seconds: on_task(unit[1], unit[2][0], seconds))
    with FanOut([sweep], on_task=heard) as fanned:
        yield from fanned.points(sweep)


def merge(sweep: Sweep, value: int, parts: list[ComparisonResult]) -> Measured:
    """Per-candidate results of one point as the one result `measure_point` reads (candidates in order)."""
    merged: Measured = {}
    for part in parts:
        for metric, per_choice in metrics(sweep, value, part).items():
            merged.setdefault(metric, {}).update(per_choice)
    return merged
