"""Where along a swept quantity the better of two choices changes, set against the rule's threshold.

The two choices are the ones the rule switches between at the threshold (below it the rule says `below`,
at or above it `above`). At each swept point the difference `below - above` is measured per seed (the
same seed gives both candidates the same data split, so the difference is paired) and summarised with a
95% interval. A point counts for a side only when that interval excludes zero; a crossover is placed
between the last point where `below` was clearly better and the first where `above` was, so its
uncertainty is that whole span, never a single interpolated number passed off as exact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..lab.results.stats import Spread, spread

Point = tuple[float, Mapping[str, Sequence[float]]]  # swept value, per-choice metric per seed


@dataclass(frozen=True)
class Crossover:
    """The measured switch between two choices, next to the rule's threshold, in words a learner reads."""

    below: str
    above: str
    threshold: float
    kind: str  # "crosses", "reversed", "mixed", "below_throughout", "above_throughout", "no_difference"
    span: tuple[float, float] | None  # where the switch happens (last point for `below`, first for `above`)
    estimate: float | None  # where the mean difference crosses zero, interpolated; None when it does not
    agrees: bool | None  # the threshold lies within the measured span; None when nothing crossed
    differences: tuple[tuple[float, Spread], ...]

    def to_dict(self) -> dict[str, object]:
        return {"below": self.below, "above": self.above, "threshold": self.threshold, "kind": self.kind,
                "span": list(self.span) if self.span else None, "estimate": self.estimate, "agrees": self.agrees,
                "differences": [{"x": x, "mean": s.mean, "low": s.low, "high": s.high} for x, s in self.differences]}


def paired_differences(points: Sequence[Point], below: str, above: str) -> list[tuple[float, Spread]]:
    out = []
    for x, metrics in points:
        a, b = metrics[below], metrics[above]
        if len(a) != len(b):
            raise ValueError(f"at {x:g}: {below} has {len(a)} seeds and {above} {len(b)}; pairs need both")
        found = spread([u - v for u, v in zip(a, b, strict=True)])
        if found is None or found.low is None:
            raise ValueError(f"at {x:g}: a crossover needs at least two seeds a point, with an interval")
        out.append((x, found))
    return out


def _side(summary: Spread) -> int:
    return 1 if summary.low > 0 else (-1 if summary.high < 0 else 0)


def _zero_crossing(diffs: Sequence[tuple[float, Spread]]) -> float | None:
    """Where the mean difference first goes from positive to negative, interpolated on a log scale."""
    for (x0, s0), (x1, s1) in zip(diffs, diffs[1:], strict=False):
        if s0.mean > 0 >= s1.mean:
            l0, l1 = math.log(x0), math.log(x1)
            share = s0.mean / (s0.mean - s1.mean)
            return math.exp(l0 + share * (l1 - l0))
    return None


def find_crossover(points: Sequence[Point], below: str, above: str, threshold: float) -> Crossover:
    diffs = paired_differences(sorted(points, key=lambda p: p[0]), below, above)
    sides = [_side(s) for _, s in diffs]
    below_wins = [i for i, s in enumerate(sides) if s > 0]
    above_wins = [i for i, s in enumerate(sides) if s < 0]
    span = None
    agrees = None
    if below_wins and above_wins and max(below_wins) < min(above_wins):
        kind = "crosses"
        span = (diffs[max(below_wins)][0], diffs[min(above_wins)][0])
        agrees = span[0] < threshold <= span[1]
    elif below_wins and above_wins:
        # `above` wins first: the opposite order; otherwise the lead changes hands more than once.
        kind = "reversed" if max(above_wins) < min(below_wins) else "mixed"
        agrees = False if kind == "reversed" else None
    elif below_wins:
        kind = "below_throughout"
    elif above_wins:
        kind = "above_throughout"
    else:
        kind = "no_difference"
    return Crossover(below, above, threshold, kind, span, _zero_crossing(diffs), agrees, tuple(diffs))


def describe(crossover: Crossover, labels: Mapping[str, str], quantity: str) -> str:
    """One or two sentences: what was measured, and how it sits against the rule's threshold."""
    a, b = labels.get(crossover.below, crossover.below), labels.get(crossover.above, crossover.above)
    xs = [x for x, _ in crossover.differences]
    rng = f"{xs[0]:g} to {xs[-1]:g} {quantity}"
    rule = f"The rule switches from {a} to {b} at {crossover.threshold:g} {quantity}."
    if not xs[0] <= crossover.threshold <= xs[-1]:
        rule += f" (The sweep covers {rng}, so it cannot reach the threshold itself.)"
    if crossover.kind == "crosses":
        low, high = crossover.span or (0, 0)
        where = f"between {low:g} and {high:g} {quantity}"
        verdict = ("The threshold lies in that span, so the measurement supports it." if crossover.agrees else
                   f"The threshold lies outside that span, so here the switch happens "
                   f"{'earlier' if high < crossover.threshold else 'later'} than the rule says.")
        return (f"{rule} Measured: {a} is clearly better up to {low:g}, {b} from {high:g}; "
                f"the switch is {where}. {verdict}")
    if crossover.kind == "reversed":
        return (f"{rule} Measured over {rng}: the opposite — {b} is clearly better at the low end and {a} at "
                f"the high end. The rule does not hold on this data.")
    if crossover.kind == "mixed":
        return (f"{rule} Measured over {rng}: each is clearly better somewhere, and the lead changes hands more "
                f"than once, so there is no single switch to set against the threshold.")
    if crossover.kind == "below_throughout":
        return (f"{rule} Measured over {rng}: {a} is never clearly worse than {b}, so no switch was seen "
                f"in this range; the rule's reason for {b} does not show here.")
    if crossover.kind == "above_throughout":
        return (f"{rule} Measured over {rng}: {b} is never clearly worse than {a}, even below the threshold; "
                f"no switch was seen in this range.")
    return (f"{rule} Measured over {rng}: the two are within each other's seed-to-seed spread everywhere, "
            f"so this sweep cannot place a switch.")


def describe_pair(points: Sequence[Point], first: str, second: str, labels: Mapping[str, str], quantity: str,
                  why: str = "") -> str:
    """Two candidates the rule does not switch between along this sweep, compared point by point: where each
    is clearly better (paired 95% interval of the difference excludes zero) and where neither is."""
    a, b = labels.get(first, first), labels.get(second, second)
    diffs = paired_differences(sorted(points, key=lambda p: p[0]), first, second)
    groups = {1: [], -1: [], 0: []}
    for x, s in diffs:
        groups[_side(s)].append(f"{x:g}")
    parts = []
    if groups[1]:
        parts.append(f"{a} is clearly better at {', '.join(groups[1])} {quantity}")
    if groups[-1]:
        parts.append(f"{b} is clearly better at {', '.join(groups[-1])} {quantity}")
    if groups[0]:
        parts.append(f"the two are within the seeds' spread at {', '.join(groups[0])} {quantity}")
    largest = max(diffs, key=lambda d: abs(d[1].mean))
    return (f"{a} against {b}{(' (' + why + ')') if why else ''}: " + "; ".join(parts)
            + f". The largest mean difference is {largest[1].mean:+.3f} at {largest[0]:g} {quantity} "
            f"(95% interval {largest[1].low:+.3f} to {largest[1].high:+.3f}).")
