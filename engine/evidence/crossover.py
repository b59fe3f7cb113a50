"""Where along a swept quantity the better of two choices changes, set against the rule's threshold.

The two choices are the ones the rule switches between at the threshold (below it the rule says `below`,
at or above it `above`). At each swept point the difference `below - above` is measured per seed (the
same seed gives both candidates the same data split, so the difference is paired) and summarised with a
95% interval. A point counts for a side only when that interval excludes zero; a crossover is placed
between the last point where `below` was clearly better and the first where `above` was, so its
uncertainty is that whole span, never a single interpolated number passed off as exact.

Where neither side is clear, the sweep may simply have had too few seeds: each point's interval has a
half-width (the smallest difference its seeds could detect), and when that is wider than the difference
the claim needs (`effect`), the point says "too few seeds to tell" and about how many would. Where both
candidates sit near chance, nothing was learned there: too little training to tell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..lab.results.power import SMALLEST, near_chance, seeds_to_detect
from ..lab.results.stats import Spread, spread

Point = tuple[float, Mapping[str, Sequence[float]]]  # swept value, per-choice metric per seed


@dataclass(frozen=True)
class Crossover:
    """The measured switch between two choices, next to the rule's threshold, in words a learner reads."""

    below: str
    above: str
    threshold: float
    # "crosses", "reversed", "mixed", "below_throughout", "above_throughout", "no_difference" (within the
    # effect everywhere, measured well enough to say so) or "too_few_seeds" (neither side clear anywhere, and
    # the seeds could not have told)
    kind: str
    span: tuple[float, float] | None  # where the switch happens (last point for `below`, first for `above`)
    estimate: float | None  # where the mean difference crosses zero, interpolated; None when it does not
    agrees: bool | None  # the threshold lies within the measured span; None when nothing crossed
    differences: tuple[tuple[float, Spread], ...]
    effect: float = 0.0  # the smallest difference the claim cares about
    unclear: tuple[float, ...] = ()  # points with no clear side whose seeds could not detect `effect`
    seeds_needed: int | None = None  # about how many seeds would detect `effect` at the widest unclear point
    untrained: tuple[float, ...] = ()  # points where both candidates stayed near chance

    @property
    def detectable(self) -> tuple[tuple[float, float], ...]:
        """Per point, the smallest difference these seeds could tell from zero (the interval's half-width)."""
        return tuple((x, (s.high - s.low) / 2) for x, s in self.differences)

    def to_dict(self) -> dict[str, object]:
        return {"below": self.below, "above": self.above, "threshold": self.threshold, "kind": self.kind,
                "span": list(self.span) if self.span else None, "estimate": self.estimate, "agrees": self.agrees,
                "differences": [{"x": x, "mean": s.mean, "low": s.low, "high": s.high} for x, s in self.differences],
                "effect": self.effect, "detectable": [{"x": x, "half_width": w} for x, w in self.detectable],
                "unclear": list(self.unclear), "seeds_needed": self.seeds_needed, "untrained": list(self.untrained)}


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


def find_crossover(points: Sequence[Point], below: str, above: str, threshold: float, effect: float = 0.0,
                   chance: float | None = None) -> Crossover:
    """The switch between `below` and `above` along the points; `effect` is the smallest difference the claim
    cares about and `chance` the accuracy of guessing (for "nothing learned"), when the metric is accuracy."""
    ordered = sorted(points, key=lambda p: p[0])
    diffs = paired_differences(ordered, below, above)
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
    unclear = [(x, s, [u - v for u, v in zip(m[below], m[above], strict=True)])
               for (x, s), (_, m) in zip(diffs, ordered, strict=True)
               if _side(s) == 0 and (s.high - s.low) / 2 > effect]
    if kind == "no_difference" and unclear:
        kind = "too_few_seeds"
    needed = [seeds_to_detect(values, max(effect, SMALLEST)) for _, _, values in unclear]
    untrained = tuple(x for x, m in ordered if chance is not None
                      and near_chance(m[below], chance) and near_chance(m[above], chance))
    return Crossover(below, above, threshold, kind, span, _zero_crossing(diffs), agrees, tuple(diffs), effect,
                     tuple(x for x, _, _ in unclear), max((n for n in needed if n), default=None), untrained)


def power_text(crossover: Crossover, quantity: str) -> str:
    """What the sweep's seeds could detect, against the difference the claim cares about, and where it could not
    tell (too few seeds) or nothing was learned (too little training)."""
    widths = [w for _, w in crossover.detectable]
    n = crossover.differences[0][1].n
    text = (f"With {n} seeds a point the sweep could detect differences of {min(widths):.3f} to {max(widths):.3f} "
            f"(the paired interval's half-width, per point); the claim cares about {crossover.effect:.2f}.")
    if crossover.unclear:
        where = ", ".join(f"{x:g}" for x in crossover.unclear)
        more = (f"about {crossover.seeds_needed} seeds would" if crossover.seeds_needed
                else "many more seeds would be needed at this spread")
        text += (f" At {where} {quantity} neither was clearly better and the seeds could not have detected "
                 f"{crossover.effect:.2f}: too few seeds to tell there ({more}).")
    if crossover.untrained:
        where = ", ".join(f"{x:g}" for x in crossover.untrained)
        text += (f" At {where} {quantity} both stayed near chance: too little training to tell there; more "
                 "epochs (or a training run that stops when validation stops improving) would.")
    return text


def describe(crossover: Crossover, labels: Mapping[str, str], quantity: str) -> str:
    """What was measured, how it sits against the rule's threshold, and what the seeds could detect."""
    return _describe(crossover, labels, quantity) + " " + power_text(crossover, quantity)


def _describe(crossover: Crossover, labels: Mapping[str, str], quantity: str) -> str:
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
        reason = ("cannot be told from these seeds" if crossover.unclear or crossover.untrained
                  else "does not show here")
        return (f"{rule} Measured over {rng}: {a} is never clearly worse than {b}, so no switch was seen "
                f"in this range; the rule's reason for {b} {reason}.")
    if crossover.kind == "above_throughout":
        return (f"{rule} Measured over {rng}: {b} is never clearly worse than {a}, even below the threshold; "
                f"no switch was seen in this range.")
    if crossover.kind == "too_few_seeds":
        return (f"{rule} Measured over {rng}: neither is clearly better anywhere, but the seeds' spread is wider "
                f"than the difference the claim cares about: too few seeds to tell, not evidence against the rule.")
    return (f"{rule} Measured over {rng}: the two differ by less than {crossover.effect:.2f} everywhere, measured "
            f"closely enough to say so, so the rule's switch does not show on this data.")


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
