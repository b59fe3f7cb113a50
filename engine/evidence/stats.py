"""Small-sample summaries of a metric measured once per seed: mean, spread and a 95% t-interval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..lab.stats import spread


@dataclass(frozen=True)
class Summary:
    """A metric over seeds: `low`/`high` is the 95% interval of the mean (equal to the mean for one seed)."""

    n: int
    mean: float
    low: float
    high: float
    minimum: float
    maximum: float

    def separated_from(self, other: Summary) -> bool:
        """True when the two intervals do not overlap: a difference five seeds can vouch for."""
        return self.low > other.high or other.low > self.high


def summarize(values: Sequence[float]) -> Summary:
    """The Lab's own spread (engine.lab.stats), with a single seed's interval collapsed onto its value."""
    found = spread(list(values))
    if found is None:
        raise ValueError("a summary needs at least one value")
    low = found.mean if found.low is None else found.low
    high = found.mean if found.high is None else found.high
    return Summary(found.n, found.mean, low, high, found.minimum, found.maximum)
