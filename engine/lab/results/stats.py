"""Summaries over seeds: mean, min-max spread and a 95% t-interval of one metric (pure Python, no SciPy).

Why a t-interval: with 3-5 seeds the standard deviation is itself uncertain, and Student's t widens the
interval for that (with 3 seeds the half-width is 2.48 standard errors, not 1.96). It assumes the seeds'
values scatter roughly normally around the mean; with so few seeds it is a guide, not a guarantee.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

# Two-sided 95% quantiles of Student's t (0.975 point) by degrees of freedom; 1.96 beyond 30.
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
         10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101,
         19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052,
         28: 2.048, 29: 2.045, 30: 2.042}


def t_quantile(dof: int) -> float:
    """The 97.5% point of Student's t with `dof` degrees of freedom (for a two-sided 95% interval)."""
    if dof < 1:
        raise ValueError("a t-interval needs at least two values")
    return _T975.get(dof, 1.96)


@dataclass(frozen=True)
class Spread:
    """One metric over seeds. `low`/`high` are the 95% interval of the mean; None with a single seed."""

    n: int
    mean: float
    minimum: float
    maximum: float
    low: float | None
    high: float | None

    def interval_text(self, fmt: str = "{:.3f}") -> str:
        if self.low is None or self.high is None:
            return "one seed: no interval"
        return f"95% interval {fmt.format(self.low)} to {fmt.format(self.high)}"


def spread(values: list[float | None]) -> Spread | None:
    """Mean, min, max and 95% t-interval of the values that were measured (None values are skipped)."""
    present = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not present:
        return None
    mean = statistics.fmean(present)
    if len(present) < 2:
        return Spread(1, mean, mean, mean, None, None)
    half = t_quantile(len(present) - 1) * statistics.stdev(present) / math.sqrt(len(present))
    return Spread(len(present), mean, min(present), max(present), mean - half, mean + half)
