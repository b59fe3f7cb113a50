"""The arrays one comparison trains on (`LabData`), the calls that made them (`Recipe`), and what a decision
asks of its data (`Needs`).

Shared by the data makers and everything that trains or judges, so that none of them has to import
another to name the types. A model builder reads `data["x_train"]`, `data["vocab_size"]`, ... the same way
from a `LabData` (in the Lab) and from the plain dict the generated script builds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Needs:
    """What a decision asks of its data beyond the arrays (text sets and CSVs read these)."""

    input_kinds: tuple[str, ...] = ("tokens", "features", "flat")  # LabData.input_kind values it can train on
    pretrained_vectors: bool = False  # GloVe (English) or word2vec (invented words) for a pretrained candidate
    one_hot_vocabulary: bool = False  # cap a CSV's vocabulary so a one-hot candidate fits in memory
    more_data_split: bool = False  # a CSV's remedies train on half its rows, `more_data` on all of them
    hold_out_test: bool = False  # half of validation becomes a test split that chooses nothing


@dataclass(frozen=True)
class Call:
    """One call that made a run's data: `data = function(*args)` (a loader) or `data = function(data, *args)`."""

    function: Callable[..., Any]  # a function in engine/lab/data whose source a generated script shows
    args: tuple[Any, ...]  # the arguments the script passes too (literals); the seed is `SEED` there
    step: bool  # True: takes the data so far as its first argument


class Recipe:
    """Calls data functions and records each call (without the arguments that only change where it is cached)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []

    def load(self, function: Callable[..., dict[str, Any]], *args: Any, **hidden: Any) -> dict[str, Any]:
        self.calls.append(Call(function, args, step=False))
        return function(*args, **hidden)

    def step(self, function: Callable[..., dict[str, Any]], data: dict[str, Any], *args: Any,
             **hidden: Any) -> dict[str, Any]:
        self.calls.append(Call(function, args, step=True))
        return function(data, *args, **hidden)


_ARRAYS = ("x_train", "y_train", "x_val", "y_val", "n_classes", "vocab_size", "vocabulary", "vectors", "word2vec",
           "x_more", "y_more", "x_test", "y_test", "x_corpus")


@dataclass
class LabData:
    """The arrays one comparison trains on, identical for every candidate except `more_data`."""

    name: str
    input_kind: str  # "features" (steps x channels), "flat" (a vector) or "tokens" (padded ids, 0 = padding)
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    n_classes: int
    settings: dict[str, Any]
    vocab_size: int = 0
    vocabulary: list[str] = field(default_factory=list)
    vectors: np.ndarray | None = None  # the pretrained candidate's vectors, one row per vocabulary id
    vectors_source: str = ""  # where those vectors come from, in words (GloVe, or word2vec on a corpus)
    word2vec: np.ndarray | None = None  # word2vec trained on this data's own training texts only
    x_more: np.ndarray | None = None  # a larger training sample for the `more_data` remedy
    y_more: np.ndarray | None = None
    x_test: np.ndarray | None = None  # held out: chooses nothing, scored once at the end
    y_test: np.ndarray | None = None
    x_corpus: np.ndarray | None = None  # unlabelled token ids the pretrained vectors may learn from
    notes: list[str] = field(default_factory=list)
    recipe: list[Call] = field(default_factory=list)  # how the arrays were made, for the generated script

    @classmethod
    def from_arrays(cls, name: str, input_kind: str, settings: dict[str, Any], arrays: dict[str, Any],
                    recipe: Recipe | None = None) -> LabData:
        known = {k: v for k, v in arrays.items() if k in _ARRAYS}
        return cls(name, input_kind, settings=settings, recipe=list(recipe.calls) if recipe else [], **known)

    def arrays(self) -> dict[str, Any]:
        """The arrays as the dict the data functions pass along (None entries left out)."""
        return {k: getattr(self, k) for k in _ARRAYS if getattr(self, k) is not None}

    def update(self, arrays: dict[str, Any], recipe: Recipe) -> None:
        """Take a data step's result and its recorded call."""
        for key in _ARRAYS:
            setattr(self, key, arrays.get(key, getattr(self, key) if key in ("n_classes", "vocab_size") else None))
        self.recipe = list(recipe.calls)

    def __getitem__(self, key: str) -> Any:
        if key not in _ARRAYS:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        value = getattr(self, key, None) if key in _ARRAYS else None
        return default if value is None else value

    @property
    def seq_len(self) -> int:
        return int(self.x_train.shape[1]) if self.input_kind != "flat" else 0
