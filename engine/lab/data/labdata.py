"""The arrays one comparison trains on (`LabData`), in a module of its own.

Shared by the data makers (`datasets.py`, `text_prep.py`) and everything that trains or judges, so that
none of them has to import another to name the type (this used to be an import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


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
    embedding: np.ndarray | None = None  # the pretrained candidate's vectors, one row per vocabulary id
    embedding_source: str = ""  # where those vectors come from, in words (GloVe, or word2vec on a corpus)
    word2vec: np.ndarray | None = None  # word2vec trained on this data's own training texts only
    x_more: np.ndarray | None = None  # a larger training sample for the `more_data` remedy
    y_more: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def seq_len(self) -> int:
        return int(self.x_train.shape[1]) if self.input_kind != "flat" else 0
