"""What a decision's judge reads and returns, and the thresholds judges share (pure Python).

Each decision's judge (`judge` in engine/lab/decisions/<id>.py) answers: do one seed's numbers bear out
the cheatsheet's claim for a choice? It tests every part its claim names (accuracy, and speed, size,
sparsity or gap where the claim names them) and returns a `Check`: each part with whether it held, or
the reason this seed cannot test the claim at all. `verdicts.py` runs the judge once per seed and counts
in how many seeds it held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TIE = 0.02  # accuracy differences below this are a tie (a brief run's noise)
CLOSE = 0.03  # "about as accurate as": within 3 accuracy points
CLEAR_WIN = 0.05  # "learns what the other cannot": ahead by 5 points or more
GAP_NARROWER = 0.03  # a remedy "narrows the gap" when it is 3 points narrower than the baseline's
NOT_WORSE = 0.01  # a remedy must not cost more than 1 point of accuracy on held-out data
SPARSER = 0.05  # L1: at least 5 percentage points more weights near zero than without it
SMALLER = 0.9  # L2: mean |weight| at most 90% of the baseline's
SAME_SPEED = 1.05  # "fastest": within 5% of the fastest alternative's time per epoch
# "Faster per epoch than X": at most 90% of X's time. A brief run's epoch times are wall-clock medians taken
# minutes apart, and machine load moved the GRU-vs-LSTM order between runs (0.25 vs 0.20 s in one, the reverse
# in another): a smaller difference is not evidence of speed either way.
FASTER = 0.9


@dataclass(frozen=True)
class Measured:
    """One candidate's numbers in one seed (what a judge reads)."""

    choice: str
    label: str
    val_accuracy: float | None = None
    val_loss: float | None = None
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    test_loss: float | None = None
    params: int = 0
    seconds_per_epoch: float = 0.0
    cpu_seconds_per_epoch: float | None = None  # from the interleaved timing (running/timing.py), when measured
    latency_ms_per_example: float | None = None
    epochs_run: int = 0
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        if self.train_accuracy is None or self.val_accuracy is None:
            return None
        return self.train_accuracy - self.val_accuracy

    @property
    def acc(self) -> float:
        return self.val_accuracy if self.val_accuracy is not None else float("nan")


@dataclass(frozen=True)
class Situation:
    """What the data trained on was like (for the texts, and for chance level)."""

    seq_len: int = 0
    n_classes: int = 2
    n_train: int = 0
    vocab_size: int = 0
    majority: float = 0.0  # the most common class's share of the validation labels: what always guessing it scores

    @property
    def chance(self) -> float | None:
        """The accuracy a model that learned nothing reaches: always guessing the most common class (or 1 / classes,
        when the split is balanced or its labels were not counted)."""
        return max(1 / self.n_classes, self.majority) if self.n_classes else None


@dataclass(frozen=True)
class Part:
    name: str  # one part of the claim, e.g. "fewer parameters than the LSTM"
    held: bool
    # For a part that compares two numbers: the measured difference and the difference the claim needs
    # (held means difference > needed, or >= for "at least"), so the verdict can say what the seeds could
    # detect against what the claim needs (power.py).
    difference: float | None = None
    needed: float | None = None


@dataclass(frozen=True)
class Check:
    parts: tuple[Part, ...] = ()
    untestable: str = ""  # why this seed cannot test the claim; empty when it can

    @property
    def agrees(self) -> bool | None:
        return None if self.untestable or not self.parts else all(p.held for p in self.parts)


def cannot(why: str) -> Check:
    return Check(untestable=why)


def parts(*items: tuple[str, bool] | Part) -> Check:
    return Check(parts=tuple(item if isinstance(item, Part) else Part(item[0], bool(item[1])) for item in items))


def more_than(name: str, mine: float, other: float, margin: float) -> Part:
    """Holds when `mine` exceeds `other` by more than `margin`; the difference is `mine - other`."""
    return Part(name, bool(mine > other + margin), mine - other, margin)


def at_least(name: str, mine: float, other: float, margin: float) -> Part:
    """Holds when `mine` is at least `other + margin` (margin -0.03: "no more than 3 points below")."""
    return Part(name, bool(mine >= other + margin), mine - other, margin)


def epoch_cost(r: Measured, other: Measured) -> tuple[float, float]:
    """The two candidates' time per epoch as a speed claim is judged: CPU time from the interleaved timing when
    both have it (a busy machine stretches wall time, not the CPU this process spends), else wall time."""
    if r.cpu_seconds_per_epoch is not None and other.cpu_seconds_per_epoch is not None:
        return r.cpu_seconds_per_epoch, other.cpu_seconds_per_epoch
    return r.seconds_per_epoch, other.seconds_per_epoch


def faster(name: str, me: Measured, other: Measured, ratio: float) -> Part:
    """Holds when `me` takes at most `ratio` times `other`'s time per epoch (epoch_cost)."""
    mine, theirs = epoch_cost(me, other)
    return Part(name, bool(mine <= theirs * ratio))


def best_other(results: dict[str, Measured], choice: str) -> Measured | None:
    others = [r for c, r in results.items() if c != choice and r.val_accuracy is not None]
    return max(others, key=lambda r: r.acc, default=None)


def learned_something(r: Measured, situation: Situation) -> bool:
    """Clearly above chance: what always guessing the most common class scores (at least 1 / classes)."""
    return r.acc > (situation.chance or 0.0) + CLEAR_WIN
