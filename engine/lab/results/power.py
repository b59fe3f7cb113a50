"""How small a difference a run could have detected, set against the difference a claim needs (pure Python).

A run compares two candidates seed by seed (paired: a seed gives both the same data). The 95% interval of
the mean paired difference has a half-width of t * sd / sqrt(n); a difference smaller than that half-width
cannot be told from zero with these seeds. So:

- when the interval lies wholly on one side of the difference the claim needs, the run decides it;
- when it straddles that difference and its half-width is larger than the difference itself, the run had
  too few seeds to tell, and the seeds' spread says about how many would (the sd held fixed);
- when both candidates sit near chance, nothing was learned, and no number of seeds fixes that: it is
  too little training to tell.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .stats import Spread, spread, t_quantile

MOST_SEEDS = 200  # beyond this, "about how many seeds" is not a useful answer
NEAR_CHANCE = 0.05  # within 5 accuracy points of chance, a model has not learned the task
SMALLEST = 0.01  # the smallest difference worth detecting, for claims whose threshold is at or near zero


def half_width(summary: Spread) -> float | None:
    """The 95% interval's half-width (None with one value: no interval)."""
    if summary.low is None or summary.high is None:
        return None
    return (summary.high - summary.low) / 2


def seeds_to_detect(values: Sequence[float], effect: float) -> int | None:
    """About how many seeds would make the 95% half-width at most `effect`, if the seeds' sd stayed as measured.

    None when the values do not vary (any two seeds already resolve it) or when it would take more than
    MOST_SEEDS.
    """
    if len(values) < 2 or effect <= 0:
        return None
    sd = statistics.stdev(values)
    if sd == 0:
        return None
    for n in range(max(len(values), 2), MOST_SEEDS + 1):
        if t_quantile(n - 1) * sd / math.sqrt(n) <= effect:
            return n
    return None


@dataclass(frozen=True)
class Power:
    """One paired difference against the difference a claim needs."""

    difference: Spread  # the mean paired difference over seeds, with its 95% interval
    needed: float  # the difference the claim needs (a threshold on the difference)
    detectable: float | None  # the half-width: the smallest difference these seeds could tell from zero
    outcome: str  # "above" (clearly more than needed), "below" (clearly less), "too_few_seeds", "one_seed"
    seeds_needed: int | None  # when too few: about how many seeds would resolve a difference of `needed`

    def sentence(self, what: str) -> str:
        d = self.difference
        if self.outcome == "one_seed":
            return f"{what}: {d.mean:+.3f} from one seed, which has no interval; run 3 or more to tell."
        if self.detectable == 0:  # every seed gave the same difference: a zero-width interval, not precision
            text = (f"{what}: {d.mean:+.3f} in each of the {d.n} seeds, which show no spread to build an interval "
                    f"from (a coarse metric on few seeds can agree by chance; more seeds would show how far "
                    f"another lands), the claim needs {self.needed:+.3f}")
        else:
            text = (f"{what}: {d.mean:+.3f} (95% interval {d.low:+.3f} to {d.high:+.3f}); these {d.n} seeds could "
                    f"detect a difference of {self.detectable:.3f}, the claim needs {self.needed:+.3f}")
        if self.outcome == "too_few_seeds":
            more = (f"about {self.seeds_needed} seeds would tell" if self.seeds_needed
                    else f"more than {MOST_SEEDS} seeds would be needed at this spread")
            return f"{text}: too few seeds to tell ({more})."
        return text + ("; the claim's difference is there." if self.outcome == "above" else
                       "; the difference is clearly smaller than the claim needs.")


def power(differences: Sequence[float], needed: float) -> Power | None:
    """Read paired per-seed differences against the difference a claim needs; None when there are none."""
    summary = spread(list(differences))
    if summary is None:
        return None
    width = half_width(summary)
    if width is None:
        return Power(summary, needed, None, "one_seed", None)
    if summary.low > needed:
        outcome = "above"
    elif summary.high <= needed:  # the claim needs more than `needed`: an interval ending there rules it out
        outcome = "below"
    else:
        outcome = "too_few_seeds"
    # To detect a difference as large as the claim's, the half-width must shrink to it (1 point at least).
    target = max(abs(needed), SMALLEST)
    return Power(summary, needed, width, outcome,
                 seeds_to_detect(differences, target) if outcome == "too_few_seeds" else None)


def near_chance(accuracies: Sequence[float], chance: float) -> bool:
    """True when the mean accuracy is within NEAR_CHANCE of chance: the model learned nothing measurable."""
    present = [a for a in accuracies if a is not None]
    return bool(present) and statistics.fmean(present) <= chance + NEAR_CHANCE
