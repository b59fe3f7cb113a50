"""How long the stored runs trained, against the sweep's epoch cap, read off the bank (nothing is retrained).

A sweep trained "to a decision" stops each run when its validation loss has not improved for `patience`
epochs, keeping the best epoch's weights, or at the epoch cap. A run that used every epoch allowed was not
stopped by early stopping before the cap: longer training might still change it, and a comparison where most
runs did so compares models that were still training. The page and `python -m engine evidence` say which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Budget:
    cap: int  # the most epochs a run could train
    patience: int | None  # early stopping's patience across the sweep (None: a fixed budget)
    at_cap: dict[float, tuple[int, int]]  # swept value -> (runs that used every epoch, runs)

    @property
    def capped(self) -> int:
        return sum(n for n, _ in self.at_cap.values())

    @property
    def runs(self) -> int:
        return sum(m for _, m in self.at_cap.values())


def training_budget(document: Mapping[str, Any]) -> Budget | None:
    """The stored runs' epochs against the cap; None when the bank file stores no `epochs_run`."""
    points = document["points"]
    if not points or any("epochs_run" not in p.get("extra", {}) for p in points):
        return None
    runs = {p["x"]: [int(v) for values in p["extra"]["epochs_run"].values() for v in values if v is not None]
            for p in points}
    longest = max((max(r) for r in runs.values() if r), default=0)
    cap = int(document["sweep"].get("epochs") or longest)
    return Budget(cap, document["sweep"].get("patience"),
                  {x: (sum(v >= cap for v in r), len(r)) for x, r in runs.items()})


def describe_budget(document: Mapping[str, Any]) -> list[str]:
    """One sentence on how long the runs trained, and what that means for reading them (none when unknown)."""
    budget = training_budget(document)
    if budget is None or budget.runs == 0:
        return []
    quantity = document["sweep"]["quantity"]
    if not budget.patience:
        shorter = budget.runs - budget.capped
        own = (f"; {shorter} of {budget.runs} runs ended earlier by a candidate's own early stopping" if shorter
               else "")
        return [f"Every candidate had the same fixed budget of {budget.cap} epochs (no early stopping across the "
                f"sweep){own}."]
    head = (f"Each run trained until its validation loss had not improved for {budget.patience} epochs (keeping "
            f"its best epoch's weights), at most {budget.cap} epochs.")
    if budget.capped == 0:
        return [f"{head} All {budget.runs} runs stopped before the cap: each was trained to a plateau."]
    where = ", ".join(f"{n} of {m} at {x:g} {quantity}" for x, (n, m) in budget.at_cap.items())
    share = budget.capped / budget.runs
    reading = ("Most runs were still training when the cap ended them, so this compares models short of their "
               "plateau: a higher cap would tell whether the ranking holds." if share > 0.5 else
               "Those runs might still move with more epochs; the rest stopped on a plateau.")
    return [f"{head} {budget.capped} of {budget.runs} runs used every epoch allowed ({where}): early stopping had "
            f"not ended them before the cap. {reading}"]
