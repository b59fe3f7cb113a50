"""What a comparison returns: per-candidate measurements, a verdict, and progress events.

Pydantic models, so a result round-trips through JSON (`result.json` in each run folder) and renders
itself as tables for the page. No TensorFlow here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

METRICS = ("loss", "accuracy")


class ProgressEvent(BaseModel):
    """One thing that happened during a run; `phase` is queued, started, epoch, finished or done."""

    model_config = ConfigDict(frozen=True)

    phase: str
    candidate: str | None = None  # choice id; None for run-level events
    epoch: int = 0  # 1-based, 0 before the first epoch
    epochs: int = 0
    logs: dict[str, float] = Field(default_factory=dict)
    position: int | None = None  # place in the training queue (queued events only)


class EpochMetrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    epoch: int
    loss: float
    accuracy: float
    val_loss: float | None = None
    val_accuracy: float | None = None
    seconds: float = 0.0


class Verdict(BaseModel):
    """The conclusion of this run's numbers, next to the cheatsheet's claim it tests."""

    model_config = ConfigDict(frozen=True)

    text: str
    claim: str
    agrees: bool | None  # None when the run measured too little to say (e.g. stopped early)


class CandidateResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    choice: str
    label: str
    changes: str
    recommended: bool
    history: list[EpochMetrics]
    val_loss: float | None
    val_accuracy: float | None
    train_accuracy: float | None  # on the training sample at the end (the weights kept)
    params: int
    trainable_params: int
    seconds_per_epoch: float
    latency_ms_per_example: float | None
    size_bytes: int | None
    model_path: str | None
    code: str
    completed: bool  # False when the run was stopped during this candidate
    wall_seconds: float = 0.0  # build, train and measure this candidate
    extras: dict[str, Any] = Field(default_factory=dict)  # decision-specific measurements

    @property
    def gap(self) -> float | None:
        """Training minus validation accuracy: how much the model memorised rather than learned."""
        if self.train_accuracy is None or self.val_accuracy is None:
            return None
        return self.train_accuracy - self.val_accuracy


class ComparisonResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    decision: str
    dataset: str
    settings: dict[str, Any]
    seed: int
    run_dir: str
    candidates: list[CandidateResult]
    verdict: Verdict
    stopped_early: bool
    wall_seconds: float
    notes: list[str] = Field(default_factory=list)

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
        """One row per candidate: the numbers the page's table shows."""
        rows = [{
            "choice": c.choice, "label": c.label, "recommended": c.recommended,
            "val_accuracy": c.val_accuracy, "val_loss": c.val_loss, "train_accuracy": c.train_accuracy,
            "gap": c.gap, "epochs": len(c.history), "params": c.params,
            "seconds_per_epoch": c.seconds_per_epoch, "latency_ms_per_example": c.latency_ms_per_example,
            "size_bytes": c.size_bytes,
        } for c in self.candidates]
        return pd.DataFrame(rows)

    def curves_frame(self) -> pd.DataFrame:
        """Long format for charts: candidate, epoch, split (train/validation), metric, value."""
        rows = []
        for c in self.candidates:
            for h in c.history:
                for metric in METRICS:
                    for split, value in (("train", getattr(h, metric)), ("validation", getattr(h, f"val_{metric}"))):
                        if value is not None:
                            rows.append({"candidate": c.choice, "label": c.label, "recommended": c.recommended,
                                         "epoch": h.epoch, "split": split, "metric": metric, "value": value})
        columns = ["candidate", "label", "recommended", "epoch", "split", "metric", "value"]
        return pd.DataFrame(rows, columns=columns)

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
