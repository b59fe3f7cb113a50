"""A published result set beside this project's own measurement: what a decision module declares, and the
helpers its readers use to read the evidence bank (pure Python).

A decision lists its published results in `LabDecision.papers`: each names a qualitative result from the
literature (in the project's words) and a reader that looks at the stored bank and says one of:

- "reproduced": the measurement shows the published effect, with the seeds' 95% intervals deciding it;
- "not reproduced": the measurement decides against it, and the row says what was measured instead;
- "too few seeds to tell": the intervals are wider than the effect (power.py);
- "out of reach here": the run could not get where the result lives (too little training within the epoch
  cap, or a scale two cores cannot train), with what it would take;
- "not measured": the bank holds nothing to read yet.

engine.evidence.papers gathers every decision's rows into one table. The readers are rules on numbers,
tested on made-up banks for every outcome (tests/evidence/test_papers.py).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Bank = Mapping[str, Mapping[str, Any]]  # a sweep's or measurement's name -> its stored document
SOLVED = 0.9  # a binary task counts as solved at 90% test accuracy (chance is 50%)
COMPARABLE = 0.03  # "comparable": the paired difference's interval lies within +/- 3 points
STATUS = {"above": "reproduced", "below": "not reproduced"}  # a power outcome as a row's status


@dataclass(frozen=True)
class Finding:
    status: str  # reproduced, not reproduced, too few seeds to tell, out of reach here, not measured
    text: str


@dataclass(frozen=True)
class Paper:
    id: str
    decision: str
    source: str
    result: str  # the published qualitative result, in the project's words
    read: Callable[[Bank], Finding]

    def row(self, bank: Bank) -> dict[str, str]:
        found = self.read(bank)
        return {"id": self.id, "decision": self.decision, "source": self.source, "result": self.result,
                "status": found.status, "measured": found.text}


def point(bank: Bank, name: str, at: Callable[[Sequence[float]], float]) -> Mapping[str, Any] | None:
    """The stored point of sweep `name` at `at(xs)` (e.g. `max`: the longest length), or None."""
    document = bank.get(name)
    if not document or not document.get("points"):
        return None
    xs = [p["x"] for p in document["points"]]
    return next(p for p in document["points"] if p["x"] == at(xs))


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values)


def paired(first: Sequence[float], second: Sequence[float]) -> list[float]:
    return [a - b for a, b in zip(first, second, strict=True)]


def capped(found: Mapping[str, Any], choice: str, cap: int | None) -> bool | None:
    """Whether the candidate's seeds mostly ran to the epoch cap (still improving when training stopped); None
    when the point stored no epochs (a bank trained for a fixed budget cannot say)."""
    epochs = found.get("extra", {}).get("epochs_run", {}).get(choice)
    if not epochs or cap is None:
        return None
    return sum(e >= cap for e in epochs) * 2 > len(epochs)


def solved_and_stopped(found: Mapping[str, Any], labels: Mapping[str, str], stoppable: Sequence[str],
                       cap: int | None, patience: int | None) -> str:
    """How many seeds of each candidate in `labels` solved the task (SOLVED or more), and where each unsolved
    seed of the `stoppable` candidates ended: stopped early, or at the cap.

    For tasks whose loss sits on a plateau before it drops (the adding problem), a seed that early stopping
    ended on the plateau says nothing about whether it would have learned: patience (and the number of seeds)
    is the lever there, not the epoch cap those seeds never reached; a seed still going at the cap is the
    cap's question.
    """
    metric, epochs = found["metric"], found.get("extra", {}).get("epochs_run", {})
    solved = ", ".join(f"{labels[c]} {sum(v >= SOLVED for v in metric[c])} of {len(metric[c])}" for c in labels)
    unsolved = [(labels[c], e) for c in stoppable
                for v, e in zip(metric[c], epochs.get(c, []), strict=False) if v < SOLVED]
    stopped = [f"{label} at epoch {e:g}" for label, e in unsolved if cap is None or e < cap]
    at_cap = [label for label, e in unsolved if cap is not None and e >= cap]
    text = f" Seeds that solved it: {solved}."
    if stopped:
        rule = f"after {patience} epochs without a better validation loss" if patience else "by early stopping"
        text += f" Unsolved seeds stopped {rule}: {', '.join(stopped)}" + (f" (cap {cap})." if cap else ".")
        text += (" The loss on this task often sits on a plateau before it drops, so whether those seeds would "
                 "have solved it was not measured: a longer patience or more seeds would tell, a higher epoch "
                 "cap would not.")
    if at_cap:
        text += f" Still improving at the cap of {cap} epochs: {', '.join(at_cap)}; more epochs would tell there."
    return text


def not_measured(name: str) -> Finding:
    return Finding("not measured", f"The bank holds no {name} measurement yet; build it with `python -m engine "
                                   f"evidence --build`.")


def cost(found: Mapping[str, Any], cap: int | None) -> str:
    """What ten times the epoch cap would cost for this point, from its stored build time."""
    seconds = found.get("seconds")
    if not seconds or not cap:
        return "more than this machine was given."
    return (f"so 10 times the cap would take about {10 * seconds / 60:.0f} minutes for this point on this "
            "machine, out of reach for a bank that must rebuild in under 45 minutes.")


def measurement(bank: Bank, name: str) -> Mapping[str, Any] | None:
    """The only point of a one-point measurement stored for the published results (e.g. a GRU on real text)."""
    return point(bank, name, max)
