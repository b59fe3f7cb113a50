"""What a comparison returns: per-candidate measurements, a verdict, and progress events.

Pydantic models, so a result round-trips through JSON (`result.json` in each run folder) and renders
itself as tables for the page. No TensorFlow here.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .code import CandidateCode
from .stats import Spread, spread

METRICS = ("loss", "accuracy")
CURVE_COLUMNS = ["candidate", "label", "recommended", "seed", "epoch", "split", "metric", "value"]


class ProgressEvent(BaseModel):
    """One thing that happened during a run; `phase` is queued, started, epoch, finished or done."""

    model_config = ConfigDict(frozen=True)

    phase: str
    candidate: str | None = None  # choice id; None for run-level events
    epoch: int = 0  # 1-based, 0 before the first epoch
    epochs: int = 0
    logs: dict[str, float] = Field(default_factory=dict)
    position: int | None = None  # place in the training queue (queued events only)
    seed: int | None = None  # which seed an epoch event belongs to


class EpochMetrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    epoch: int
    loss: float
    accuracy: float
    val_loss: float | None = None
    val_accuracy: float | None = None
    seconds: float = 0.0


class Verdict(BaseModel):
    """The conclusion of this run's numbers, next to the cheatsheet's claim it tests.

    Each seed is judged on its own; `agrees` is True when the claim held in at least two thirds of the seeds
    that could test it, False when it failed in at least two thirds, None otherwise (or when none could).
    """

    model_config = ConfigDict(frozen=True)

    text: str
    claim: str
    agrees: bool | None  # None: inconclusive, or the run measured too little to say (e.g. stopped early)
    holds_in: int | None = None  # seeds in which the claim held
    seeds: int | None = None  # seeds that could test it
    per_seed: list[bool | None] = Field(default_factory=list)
    # Per part that compares two numbers: the difference measured over seeds, what these seeds could detect,
    # and what the claim needs (results/power.py), one sentence each.
    power: list[str] = Field(default_factory=list)
    too_few_seeds: bool = False  # undecided only because the seeds' spread is wider than the claim's difference
    too_little_training: bool = False  # undecided because every candidate stayed at chance


class SeedRun(BaseModel):
    """One candidate trained with one seed: its own data draw, split, batch order and initial weights."""

    model_config = ConfigDict(frozen=True)

    seed: int
    history: list[EpochMetrics]
    val_loss: float | None
    val_accuracy: float | None
    train_accuracy: float | None  # on the training sample at the end (the weights kept)
    test_loss: float | None = None  # on a held-out split that chose nothing (overfitting runs only)
    test_accuracy: float | None = None
    seconds_per_epoch: float = 0.0
    # Per epoch, from the interleaved timing of every candidate's training step after the run (running/timing.py):
    # wall and CPU seconds (the same for every seed of a candidate: it times the architecture, not the weights).
    timed_seconds_per_epoch: float | None = None
    cpu_seconds_per_epoch: float | None = None
    latency_ms_per_example: float | None = None
    size_bytes: int | None = None
    model_path: str | None = None
    completed: bool = True
    extras: dict[str, Any] = Field(default_factory=dict)

    @property
    def epochs_run(self) -> int:
        """Epochs trained (fewer than asked when early stopping ended the run)."""
        return len(self.history)

    @property
    def gap(self) -> float | None:
        """Training minus validation accuracy: how much the model memorised rather than learned."""
        if self.train_accuracy is None or self.val_accuracy is None:
            return None
        return self.train_accuracy - self.val_accuracy


_BOUNDS = {"val_accuracy": (0.0, 1.0), "train_accuracy": (0.0, 1.0), "test_accuracy": (0.0, 1.0),
           "gap": (-1.0, 1.0)}  # the rest (losses, seconds, sizes) cannot go below 0
RUN_METRICS = ("val_accuracy", "val_loss", "train_accuracy", "gap", "test_accuracy", "test_loss",
               "seconds_per_epoch", "cpu_seconds_per_epoch", "latency_ms_per_example", "size_bytes")
_OLD_RUN_FIELDS = ("history", "val_loss", "val_accuracy", "train_accuracy", "seconds_per_epoch",
                   "latency_ms_per_example", "size_bytes", "model_path", "completed", "extras")


class CandidateResult(BaseModel):
    """One candidate over every seed; the metric properties are means over the seeds that measured them."""

    model_config = ConfigDict(frozen=True)

    choice: str
    label: str
    changes: str
    recommended: bool
    runs: list[SeedRun]
    params: int
    trainable_params: int
    code: str
    wall_seconds: float = 0.0  # build, train and measure this candidate (all seeds)
    code_parts: CandidateCode | None = None  # `code` in pieces, every seed's data calls; None in older results
    # How the seeds trained: as one seed-stacked model (running/stacked.py), or one after another because of
    # `apart_because` (a layer with no seed-axis twin, one seed only, ...). Older results: False, None.
    trained_together: bool = False
    apart_because: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _single_seed_format(cls, data: Any) -> Any:
        """Results saved before seeds existed hold one run's fields at the top: read them as one seed."""
        if isinstance(data, dict) and "runs" not in data:
            data = dict(data)
            data["runs"] = [{"seed": data.pop("seed", 0), **{k: data.pop(k) for k in _OLD_RUN_FIELDS if k in data}}]
        return data

    def spread(self, metric: str) -> Spread | None:
        """Mean, min-max and 95% interval of `metric` (a SeedRun field or `gap`) over the seeds.

        The interval is cut to the values the metric can take (an accuracy stays within 0 to 1): with two
        or three seeds a t-interval can reach past them.
        """
        found = spread([getattr(run, metric) for run in self.runs])
        if found is None or found.low is None or found.high is None:
            return found
        low, high = _BOUNDS.get(metric, (0.0, float("inf")))
        return replace(found, low=max(found.low, low), high=min(found.high, high))

    def _mean(self, metric: str) -> float | None:
        found = self.spread(metric)
        return None if found is None else found.mean

    history = property(lambda self: self.runs[0].history if self.runs else [])
    val_accuracy = property(lambda self: self._mean("val_accuracy"))
    val_loss = property(lambda self: self._mean("val_loss"))
    train_accuracy = property(lambda self: self._mean("train_accuracy"))
    gap = property(lambda self: self._mean("gap"))
    seconds_per_epoch = property(lambda self: self._mean("seconds_per_epoch") or 0.0)
    latency_ms_per_example = property(lambda self: self._mean("latency_ms_per_example"))
    size_bytes = property(lambda self: self.runs[0].size_bytes if self.runs else None)
    model_path = property(lambda self: self.runs[0].model_path if self.runs else None)
    completed = property(lambda self: bool(self.runs) and all(run.completed for run in self.runs))
    extras = property(lambda self: self.runs[0].extras if self.runs else {})
    seeds = property(lambda self: [run.seed for run in self.runs])


class DataRecommendation(BaseModel):
    """The star: what the project's rules say for the data actually trained on, next to the interview's pick."""

    model_config = ConfigDict(frozen=True)

    choice: str | None  # the rules' choice for this data (None when the rules could not be asked)
    label: str = ""
    rule_id: str = ""
    because: str = ""
    answers: dict[str, Any] = Field(default_factory=dict)  # the data's profile as interview answers
    interview: str | None = None  # the Advisor's choice from the user's answers, when given
    interview_label: str = ""
    note: str = ""  # why they differ, or why the rules could not be asked

    @property
    def differs(self) -> bool:
        return self.interview is not None and self.choice is not None and self.interview != self.choice


class ComparisonResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    decision: str
    dataset: str
    settings: dict[str, Any]
    seed: int  # the first seed; the others follow it (seed, seed + 1, ...)
    run_dir: str
    candidates: list[CandidateResult]
    verdict: Verdict
    stopped_early: bool
    wall_seconds: float
    notes: list[str] = Field(default_factory=list)
    seeds: list[int] = Field(default_factory=list)  # every seed trained; [] in results saved before seeds
    recommendation: DataRecommendation | None = None

    @property
    def seed_list(self) -> list[int]:
        return self.seeds or [self.seed]

    @property
    def run_id(self) -> str:
        """The run folder's name: how a link refers to a stored run."""
        return Path(self.run_dir).name

    def candidate(self, choice: str) -> CandidateResult:
        for result in self.candidates:
            if result.choice == choice:
                return result
        raise KeyError(choice)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_json(cls, text: str) -> ComparisonResult:
        return cls.model_validate_json(text)

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate: means over seeds, plus each metric's 95% interval (`<metric>_low/_high`)."""
        rows = []
        for c in self.candidates:
            row: dict[str, Any] = {"choice": c.choice, "label": c.label, "recommended": c.recommended,
                                   "seeds": len(c.runs), "epochs": len(c.history), "params": c.params,
                                   "size_bytes": c.size_bytes}
            for metric in RUN_METRICS:
                if metric == "size_bytes":
                    continue
                found = c.spread(metric)
                row[metric] = None if found is None else found.mean
                row[f"{metric}_low"] = None if found is None else found.low
                row[f"{metric}_high"] = None if found is None else found.high
                row[f"{metric}_min"] = None if found is None else found.minimum
                row[f"{metric}_max"] = None if found is None else found.maximum
            rows.append(row)
        return pd.DataFrame(rows)

    def seeds_frame(self) -> pd.DataFrame:
        """One row per candidate and seed: the per-seed numbers behind the means."""
        rows = [{"choice": c.choice, "label": c.label, "seed": r.seed, "val_accuracy": r.val_accuracy,
                 "val_loss": r.val_loss, "gap": r.gap, "test_accuracy": r.test_accuracy, "epochs": len(r.history),
                 "seconds_per_epoch": r.seconds_per_epoch, "latency_ms_per_example": r.latency_ms_per_example}
                for c in self.candidates for r in c.runs]
        return pd.DataFrame(rows)

    def curves_frame(self) -> pd.DataFrame:
        """Long format for charts: candidate, seed, epoch, split (train/validation), metric, value."""
        rows = []
        for c in self.candidates:
            for run in c.runs:
                for h in run.history:
                    for metric in METRICS:
                        pairs = (("train", getattr(h, metric)), ("validation", getattr(h, f"val_{metric}")))
                        for split, value in pairs:
                            if value is not None:
                                rows.append({"candidate": c.choice, "label": c.label, "recommended": c.recommended,
                                             "seed": run.seed, "epoch": h.epoch, "split": split, "metric": metric,
                                             "value": value})
        return pd.DataFrame(rows, columns=CURVE_COLUMNS)

    def write(self, run_dir: Path) -> Path:
        """Write result.json last and atomically: a folder without it is an unfinished run."""
        final = run_dir / "result.json"
        temporary = run_dir / ".result.json.tmp"
        temporary.write_text(self.to_json(), encoding="utf-8")
        temporary.replace(final)
        return final


def load_result(run_dir: Path) -> ComparisonResult | None:
    """The finished result in `run_dir`, or None when the run never finished."""
    path = Path(run_dir) / "result.json"
    if not path.is_file():
        return None
    return ComparisonResult.from_json(path.read_text(encoding="utf-8"))


def finished_runs(runs_dir: Path) -> list[Path]:
    """Run folders under `runs_dir` that have their completion marker, newest first."""
    root = Path(runs_dir)
    if not root.is_dir():
        return []
    done = [p for p in root.iterdir() if p.is_dir() and (p / "result.json").is_file()]
    return sorted(done, key=lambda p: p.name, reverse=True)
