"""`TrainRequest`: one comparison asked for, validated once, the same object everywhere it goes.

The Lab page, `python -m engine train` and the evidence bank all build one with `TrainRequest.make`, which
refuses anything unusable with a sentence (DataError or TrainingError) before a queue or TensorFlow is
touched. The training worker receives it as JSON and reads it back with `model_validate`; the sharing of
identical runs hashes `identity()`, so what is hashed is exactly what was asked for.

May import: engine.lab.results, data and decisions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import DataError, TrainingError
from .data.csv_data import CsvSource
from .data.datasets import resolve_settings
from .decisions import dataset_info, default_dataset, lab_decision, resolve_choice

MAX_EPOCHS = 200
MAX_SEEDS = 10
DEFAULT_SEEDS = 3


class CsvRows(BaseModel):
    """An uploaded CSV as it crosses to the worker: its columns, rows and which columns hold text and label."""

    model_config = ConfigDict(frozen=True)

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    text_column: str
    label_column: str

    @classmethod
    def of(cls, source: CsvSource) -> CsvRows:
        return cls(name=source.name, columns=tuple(source.columns), rows=tuple(tuple(r) for r in source.rows),
                   text_column=source.text_column, label_column=source.label_column)

    def source(self) -> CsvSource:
        return CsvSource(self.name, self.columns, self.rows, self.text_column, self.label_column)

    def digest(self) -> str:
        body = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return "sha256:" + hashlib.sha256(body.encode()).hexdigest()


class TrainRequest(BaseModel):
    """One comparison: which decision, on which data, at which settings, how many seeds and epochs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decision: str
    dataset: str  # a sample set's name, or "csv"
    csv: CsvRows | None = None
    epochs: int = Field(ge=1, le=MAX_EPOCHS)
    seed: int = 0
    seeds: int = Field(default=1, ge=1, le=MAX_SEEDS)
    seq_len: int | None = None
    settings: dict[str, Any] = Field(default_factory=dict)  # a sample set's settings, overriding its defaults
    recommended: str | None = None  # the interview's choice, shown beside the rules' choice for the data
    answers: dict[str, Any] = Field(default_factory=dict)  # the interview's answers
    # Only these candidates train (in the decision's order); None trains all. The evidence bank sends one
    # candidate of a point per task to a cluster; a restricted run's verdict is not judged.
    candidates: tuple[str, ...] | None = None
    # Training to a decision, as the evidence bank does, rather than to a demo's fixed budget: every candidate
    # stops once its validation loss has not improved for `patience` epochs (its best weights restored;
    # `epochs` is then the cap); its learning rate is chosen from its usual rate times each of
    # `learning_rate_factors` by validation accuracy (or fixed per candidate by `chosen_factors`, as a re-check
    # of a stored choice does), on the first `tuning_seeds` seeds only (all when None), the other seeds then
    # training at the chosen rate alone; `test_split` holds half of validation out as a test split that
    # chooses nothing.
    patience: int | None = Field(default=None, ge=1)
    learning_rate_factors: tuple[float, ...] = ()
    tuning_seeds: int | None = Field(default=None, ge=1)
    chosen_factors: dict[str, float] = Field(default_factory=dict)
    test_split: bool = False
    # Time every candidate per epoch side by side after training (comparison.timed, seconds a comparison) for
    # the speed verdicts; the evidence bank turns it off, since it stores no time per epoch.
    judge_speed: bool = True

    @classmethod
    def make(cls, decision: str, *, dataset: str | None = None, csv: CsvSource | None = None,
             epochs: int | None = None, seed: int = 0, seeds: int = 1, seq_len: int | None = None,
             settings: Mapping[str, Any] | None = None, recommended: str | None = None,
             answers: Mapping[str, Any] | None = None, candidates: Sequence[str] | None = None,
             patience: int | None = None, learning_rate_factors: Sequence[float] = (),
             chosen_factors: Mapping[str, float] | None = None, test_split: bool = False,
             tuning_seeds: int | None = None, judge_speed: bool = True) -> TrainRequest:
        """A checked request; DataError or TrainingError naming what is wrong and what is accepted."""
        found = lab_decision(decision)
        if dataset is not None and csv is not None:
            raise DataError("Give either a sample data set or a CSV, not both.")
        epochs = found.train.epochs if epochs is None else int(epochs)
        if not 1 <= epochs <= MAX_EPOCHS:
            raise DataError(f"epochs must be between 1 and {MAX_EPOCHS}; got {epochs}.")
        if not 1 <= int(seeds) <= MAX_SEEDS:
            raise DataError(f"seeds must be between 1 and {MAX_SEEDS}; got {seeds}.")
        resolve_choice(decision, recommended)  # refuse an unknown choice before waiting
        chosen = _candidates(decision, candidates)
        if any(f <= 0 for f in [*learning_rate_factors, *(chosen_factors or {}).values()]):
            raise DataError("learning-rate factors must be above 0; got "
                            f"{[*learning_rate_factors, *(chosen_factors or {}).values()]}.")
        unknown = sorted(set(chosen_factors or {}) - {spec.choice for spec in found.candidates})
        if unknown:
            raise DataError(f"chosen_factors names no candidate of {decision}: {', '.join(unknown)}.")
        name = "csv" if csv is not None else (dataset or default_dataset(decision))
        if csv is None:
            resolve_settings(dataset_info(decision, name), {**(settings or {}), "seq_len": seq_len})
        elif settings:
            raise DataError(f"Settings {sorted(settings)} apply to sample data sets, not to a CSV.")
        try:
            return cls(decision=decision, dataset=name, csv=CsvRows.of(csv) if csv is not None else None,
                       epochs=epochs, seed=int(seed), seeds=int(seeds), seq_len=seq_len, settings=dict(settings or {}),
                       recommended=recommended, answers=dict(answers or {}), candidates=chosen, patience=patience,
                       learning_rate_factors=tuple(float(f) for f in learning_rate_factors),
                       chosen_factors=dict(chosen_factors or {}), test_split=test_split, tuning_seeds=tuning_seeds,
                       judge_speed=judge_speed)
        except ValidationError as error:
            problem = error.errors()[0]
            field = ".".join(str(p) for p in problem["loc"])
            raise DataError(f"{field}: {problem['msg']} (got {problem.get('input')!r}).") from None

    @property
    def trains(self) -> tuple[str, ...]:
        """The candidates this request trains, in the decision's order."""
        every = tuple(spec.choice for spec in lab_decision(self.decision).candidates)
        return every if self.candidates is None else tuple(c for c in every if c in self.candidates)

    @property
    def seed_list(self) -> list[int]:
        return [self.seed + k for k in range(self.seeds)]

    def identity(self) -> dict[str, Any]:
        """What decides the numbers: every field, a CSV by its content's hash, `candidates` when restricted."""
        fields = self.model_dump(mode="json")
        for name, default in (("candidates", None), ("patience", None), ("learning_rate_factors", []),
                              ("chosen_factors", {}), ("test_split", False), ("tuning_seeds", None),
                              ("judge_speed", True)):
            if fields[name] == default:  # not asked for: the same identity as before the field existed
                del fields[name]
        if self.csv is not None:
            fields["csv"] = self.csv.digest()
        return fields


def _candidates(decision: str, asked: Sequence[str] | None) -> tuple[str, ...] | None:
    """`asked` checked against the decision's candidates and put in its order; None for all of them."""
    if asked is None:
        return None
    every = [spec.choice for spec in lab_decision(decision).candidates]
    unknown = [str(c) for c in asked if c not in every]
    if unknown or not asked:
        what = f"{', '.join(unknown)} is not a candidate of {decision}" if unknown else "No candidate was named"
        raise TrainingError(f"{what}; name one or more of: {', '.join(every)}.")
    return tuple(c for c in every if c in asked)
