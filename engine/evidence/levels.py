"""Where a measured quantity crosses a rule's threshold along a sweep, and whether the rule's remedy helps there.

Some rules read a quantity the user measures rather than the one swept: the overfitting rule says "dropout
first" when training accuracy is at least 5 points above validation accuracy. The sweep (training-set size)
then asks two things, both per seed and paired, with the crossover machinery:

1. Where does the unremedied model's gap fall below the threshold? The gap minus the threshold is treated as
   a paired difference against a constant, so "clearly above" and "clearly below" mean a 95% interval that
   excludes the threshold, and the switch is the span between the last clearly-above and the first
   clearly-below point, as for a crossover.
2. Does the remedy's benefit over the baseline (e.g. dropout's test accuracy minus no remedy's) vanish there
   too? Each point is read for a clear benefit, a clear loss, or neither.

The two line up when the remedy clearly helps wherever the gap is clearly over the threshold, and does not
clearly help wherever it is clearly under; any point that breaks that is named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..lab.results.power import SMALLEST, seeds_to_detect
from ..lab.results.stats import Spread
from .crossover import Point, find_crossover, paired_differences

# find_crossover's kinds, read for "measured quantity minus a constant threshold"
_LEVEL_KINDS = {"crosses": "falls_below", "reversed": "rises_above", "mixed": "mixed",
                "below_throughout": "above_throughout", "above_throughout": "below_throughout",
                "no_difference": "unclear", "too_few_seeds": "unclear"}


@dataclass(frozen=True)
class LevelCheck:
    """The measured quantity against the rule's threshold, and the remedy's benefit, point by point."""

    quantity: str  # the rule input, e.g. "gap"
    level: float  # the rule's threshold, in the rule's unit
    below: str  # the rule's choice under the threshold
    above: str  # its choice at or over it (the remedy)
    baseline: str  # the candidate the remedy is measured against
    kind: str  # falls_below, rises_above, mixed, above_throughout, below_throughout, unclear
    span: tuple[float, float] | None  # last clearly-over point, first clearly-under point
    estimate: float | None  # where the mean crosses the threshold, interpolated on a log scale
    values: tuple[tuple[float, Spread], ...]  # the quantity per point, in the rule's unit
    benefits: tuple[tuple[float, Spread], ...]  # remedy minus baseline per point, in the metric's unit
    agreement: tuple[tuple[float, bool | None], ...]  # per point: does the remedy's benefit match the rule?
    effect: float = 0.0  # the smallest benefit the claim cares about (in the metric's unit)
    # Points where the benefit is not clearly on one side and its interval is wider than `effect`: the seeds
    # could not have told; and about how many seeds would.
    unclear_benefit: tuple[float, ...] = ()
    seeds_needed: int | None = None

    @property
    def lines_up(self) -> bool | None:
        decided = [ok for _, ok in self.agreement if ok is not None]
        return all(decided) if decided else None

    def to_dict(self) -> dict[str, Any]:
        def rows(pairs):
            return [{"x": x, "mean": s.mean, "low": s.low, "high": s.high} for x, s in pairs]

        return {"quantity": self.quantity, "level": self.level, "below": self.below, "above": self.above,
                "baseline": self.baseline, "kind": self.kind, "span": list(self.span) if self.span else None,
                "estimate": self.estimate, "values": rows(self.values), "benefits": rows(self.benefits),
                "agreement": [{"x": x, "agrees": ok} for x, ok in self.agreement], "lines_up": self.lines_up}


def side(summary: Spread, centre: float = 0.0) -> int:
    """+1 when the 95% interval lies wholly above `centre`, -1 wholly below, 0 when it straddles it."""
    return 1 if summary.low > centre else (-1 if summary.high < centre else 0)


def check_level(points: Sequence[Point], benefit_points: Sequence[Point], *, quantity: str, level: float,
                below: str, above: str, baseline: str, scale: float = 1.0, effect: float = 0.0) -> LevelCheck:
    """`points`: x -> {"value": the quantity per seed (run units)}; `benefit_points`: x -> per-choice metric.

    `scale` turns run units into the rule's (a gap of 0.05 is 5 points)."""
    ordered = sorted(points, key=lambda p: p[0])
    against = [(x, {"value": [v * scale for v in m["value"]], "level": [level] * len(m["value"])})
               for x, m in ordered]
    found = find_crossover(against, "value", "level", level)
    values = tuple((x, _shift(s, level)) for x, s in found.differences)
    ordered_benefits = sorted(benefit_points, key=lambda p: p[0])
    benefits = tuple(paired_differences(ordered_benefits, above, baseline))
    by_x = dict(benefits)
    raw = {x: [a - b for a, b in zip(m[above], m[baseline], strict=True)] for x, m in ordered_benefits}
    unclear = [x for x, s in benefits if side(s) == 0 and (s.high - s.low) / 2 > effect]
    agreement = []
    for x, s in values:
        over, helps = side(s, level), (side(by_x[x]) if x in by_x else 0)
        undecided = over == 0 or x not in by_x or (helps == 0 and x in unclear)  # the seeds could not tell
        agreement.append((x, None if undecided else (helps > 0) == (over > 0)))
    needed = [seeds_to_detect(raw[x], max(effect, SMALLEST)) for x in unclear]
    return LevelCheck(quantity, level, below, above, baseline, _LEVEL_KINDS[found.kind], found.span,
                      found.estimate, values, benefits, tuple(agreement), effect, tuple(unclear),
                      max((n for n in needed if n), default=None))


def _shift(s: Spread, by: float) -> Spread:
    return Spread(s.n, s.mean + by, s.minimum + by, s.maximum + by, s.low + by, s.high + by)


def describe_level(check: LevelCheck, labels: Mapping[str, str], quantity: str, unit: str = "points",
                   benefit_scale: float = 100.0) -> list[str]:
    """Sentences a learner reads: the threshold, where the gap crosses it, where the remedy helps, and
    whether the two tell the same story."""
    remedy, base = labels.get(check.above, check.above), labels.get(check.baseline, check.baseline)
    xs = [x for x, _ in check.values]
    rng = f"{xs[0]:g} to {xs[-1]:g} {quantity}"
    lvl = f"{check.level:g} {unit}"
    first = f"The rule recommends {remedy} when the {check.quantity} is {lvl} or more. "
    if check.kind == "falls_below":
        low, high = check.span or (0, 0)
        where = f" (the mean passes {lvl} near {check.estimate:.0f} {quantity})" if check.estimate else ""
        first += (f"Measured with {base}: the {check.quantity} is clearly over {lvl} up to {low:g} {quantity} "
                  f"and clearly under from {high:g}, so it falls below the threshold between {low:g} and "
                  f"{high:g}{where}.")
    elif check.kind == "rises_above":
        first += f"Measured with {base} over {rng}: the {check.quantity} starts under {lvl} and ends over it."
    elif check.kind == "above_throughout":
        first += f"Measured with {base}: the {check.quantity} is over {lvl} at every point from {rng}."
    elif check.kind == "below_throughout":
        first += f"Measured with {base}: the {check.quantity} is under {lvl} at every point from {rng}."
    elif check.kind == "mixed":
        first += f"Measured with {base} over {rng}: the {check.quantity} crosses {lvl} more than once."
    else:
        first += (f"Measured with {base} over {rng}: the seeds scatter too much around {lvl} to say on which "
                  f"side the {check.quantity} lies.")
    helps = [x for x, s in check.benefits if side(s) > 0]
    hurts = [x for x, s in check.benefits if side(s) < 0]
    if check.benefits:
        x0, s0 = check.benefits[0]
        x1, s1 = check.benefits[-1]
        gain = (f"{remedy} minus {base} on accuracy: {s0.mean * benefit_scale:+.1f} points at {x0:g} {quantity} "
                f"(95% interval {s0.low * benefit_scale:+.1f} to {s0.high * benefit_scale:+.1f}), "
                f"{s1.mean * benefit_scale:+.1f} at {x1:g} ({s1.low * benefit_scale:+.1f} to "
                f"{s1.high * benefit_scale:+.1f}). ")
        gain += (f"It clearly helps at {_list(helps)} {quantity}" if helps else "It never clearly helps")
        gain += (f", clearly hurts at {_list(hurts)}." if hurts else ".")
        if check.unclear_benefit:
            more = (f"about {check.seeds_needed} seeds would" if check.seeds_needed
                    else "many more seeds would be needed at this spread")
            gain += (f" At {_list(check.unclear_benefit)} {quantity} the seeds could not have detected a benefit "
                     f"of {check.effect * benefit_scale:.0f} points: too few seeds to tell there ({more}).")
    else:
        gain = f"{remedy} was not measured against {base}."
    bad = [x for x, ok in check.agreement if ok is False]
    if check.lines_up is None and any(side(s, check.level) != 0 for _, s in check.values):
        verdict = ("Where the gap is clearly on one side of the threshold, the seeds could not tell whether "
                   f"{remedy} helps, so the two cannot be set side by side.")
    elif check.lines_up is None:
        verdict = "Nowhere is the gap clearly on one side of the threshold, so the two cannot be set side by side."
    elif check.lines_up:
        verdict = (f"The two line up: wherever the gap is clearly over {lvl} {remedy} clearly helps, and wherever "
                   f"it is clearly under, {remedy} does not.")
    else:
        over = {x for x, s in check.values if side(s, check.level) > 0}
        parts = [f"at {x:g} the gap is {'over' if x in over else 'under'} {lvl} but {remedy} "
                 f"{'does not clearly help' if x in over else 'still clearly helps'}" for x in bad]
        verdict = "The two do not line up: " + "; ".join(parts) + "."
        undecided = [x for x, ok in check.agreement if ok is None and x in check.unclear_benefit]
        if undecided:
            verdict += f" (At {_list(undecided)} too few seeds to tell.)"
    return [first, gain, verdict]


def _list(xs: Sequence[float]) -> str:
    names = [f"{x:g}" for x in xs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
