"""Small-sample summaries of a metric measured once per seed: mean, spread and a 95% t-interval."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom; beyond 30 the normal's 1.96
# is within 4% of the exact value, which is well inside what five seeds can resolve.
_T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042)


def t95(df: int) -> float:
    return _T95[df - 1] if df <= len(_T95) else 1.96


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
    if not values:
        raise ValueError("a summary needs at least one value")
    mean = statistics.fmean(values)
    if len(values) == 1:
        return Summary(1, mean, mean, mean, mean, mean)
    half = t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return Summary(len(values), mean, mean - half, mean + half, min(values), max(values))
