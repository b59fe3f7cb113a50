"""Growth exponents fitted from repeated measurements, and the rule that judges the O(n) / O(n^2) claim.

Pure Python (no NumPy, no TensorFlow), so every branch is tested on made-up numbers.

A cost that grows as c * n^p is a straight line of slope p on log-log axes. Fixed overheads (launching a
kernel, a Python call) flatten the line at short lengths, so the slope is fitted only on the upper range of
lengths, where the leading term dominates. Each repeat (one timing of every length) gives its own slope;
the interval is the mean slope +- Student's t * standard error over the repeats.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

# Two-sided 95% quantiles of Student's t by degrees of freedom (1..10); beyond that, the normal 1.96 is close.
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}

MIDPOINT = 1.5  # halfway between linear (1) and quadratic (2): an interval wholly on one side decides


@dataclass(frozen=True)
class Exponent:
    value: float  # mean slope over the repeats
    low: float  # 95% interval over the repeats (equal to value when there is one repeat)
    high: float
    repeats: int
    lengths: tuple[int, ...]  # the lengths the slope was fitted on

    def describe(self) -> str:
        if self.repeats < 2:
            return f"n^{self.value:.2f} (one repeat, no interval)"
        return f"n^{self.value:.2f} (95% interval {self.low:.2f} to {self.high:.2f} over {self.repeats} repeats)"


def slope(lengths: list[int] | tuple[int, ...], values: list[float]) -> float:
    """Least-squares slope of log(value) against log(length)."""
    if len(lengths) != len(values) or len(lengths) < 2:
        raise ValueError(f"need at least two (length, value) pairs; got {len(lengths)} lengths, {len(values)} values")
    if min(values) <= 0 or min(lengths) <= 0:
        raise ValueError("lengths and values must be positive to be fitted on log-log axes")
    xs, ys = [math.log(n) for n in lengths], [math.log(v) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    if spread == 0:
        raise ValueError("need at least two different lengths")
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread


def upper_range(lengths: tuple[int, ...], points: int = 3) -> tuple[int, ...]:
    """The longest `points` lengths (at least two), where the leading term of the cost dominates."""
    ordered = tuple(sorted(set(lengths)))
    return ordered[-max(2, min(points, len(ordered))):]


def fit_exponent(lengths: tuple[int, ...], repeats: list[list[float]], points: int = 3) -> Exponent:
    """The growth exponent on the upper range of `lengths`, with a 95% interval over `repeats`.

    `repeats[r][i]` is repeat r's measurement at `lengths[i]`.
    """
    fitted = upper_range(lengths, points)
    where = [list(lengths).index(n) for n in fitted]
    slopes = [slope(fitted, [run[i] for i in where]) for run in repeats]
    mean = statistics.fmean(slopes)
    if len(slopes) < 2:
        return Exponent(mean, mean, mean, len(slopes), fitted)
    half = _T95.get(len(slopes) - 1, 1.96) * statistics.stdev(slopes) / math.sqrt(len(slopes))
    return Exponent(mean, mean - half, mean + half, len(slopes), fitted)


def judge(rnn: Exponent, attention: Exponent) -> tuple[bool | None, str]:
    """Does the measurement support "attention's time grows as n^2, an RNN's as n"?

    True when the RNN's whole interval lies below 1.5 (closer to linear) and attention's above it (closer to
    quadratic); False when either interval lies wholly on the wrong side; None (undecided) when an interval
    straddles 1.5, which says the repeats disagree too much to tell.
    """
    if rnn.high < MIDPOINT < attention.low:
        beyond = (" Above 2 the n x n tensors have outgrown the processor's caches, so each element costs more "
                  "memory traffic as well." if attention.value > 2.3 else "")
        return True, (f"Holds: the recurrent layer's time grew as {rnn.describe()}, close to linear, and "
                      f"self-attention's as {attention.describe()}, quadratic or steeper.{beyond}")
    if rnn.low > MIDPOINT or attention.high < MIDPOINT:
        wrong = []
        if rnn.low > MIDPOINT:
            wrong.append(f"the recurrent layer grew faster than linear ({rnn.describe()})")
        if attention.high < MIDPOINT:
            wrong.append(f"self-attention grew slower than quadratic ({attention.describe()}): at these "
                         "lengths its fixed and linear costs still dominate")
        return False, "Does not hold here: " + "; ".join(wrong) + "."
    return None, (f"Undecided: the recurrent layer grew as {rnn.describe()} and self-attention as "
                  f"{attention.describe()}; an interval reaches across 1.5, so the repeats disagree too much to "
                  "tell linear from quadratic (another process may have been using the CPU).")
