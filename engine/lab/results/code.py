"""A candidate's standalone code in pieces (`CandidateCode`): what its script and its notebooks are made of.

`engine.lab.codegen` fills one in from the functions a run called and joins the pieces into the script;
the notebooks (`codegen/notebook.py`) lay the same pieces out as cells. Stored with the candidate's result,
so a notebook can be made later, in a process that never imports TensorFlow and has no data at hand.
Plain data: every piece is Python text, exactly as the script shows it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CandidateCode(BaseModel):
    """One candidate's code: definitions copied from the project's source, and the few lines that call them.

    The lines in `data_calls`, `build`, `train`, `evaluate` and `save` read `SEED`, `EPOCHS`, `VERBOSE`,
    `OPTIONS` and `data` (after the data calls) as names, so the same text runs once at the top level of a
    script and once per seed inside a notebook's loop.
    """

    model_config = ConfigDict(frozen=True)

    decision: str
    choice: str
    label: str
    changes: str
    dataset: str
    epochs: int
    seeds: list[int]  # the seeds whose data calls are recorded, in order; the first is the script's SEED
    imports: list[str]
    options: str  # the builder's options as a Python literal (`OPTIONS = ...`)
    data_definitions: list[str]  # the data functions the run called, and what they use, dependencies first
    model_definitions: list[str]  # the decision's builder and the runner's batches, and what they use
    data_calls: list[list[str]] = Field(min_length=1)  # per seed: the lines that make that seed's data
    setup: str  # what the run sets before anything else (op determinism)
    build: str  # seed, build and compile the model
    train: str  # the training arrays, the batches and `history = model.fit(...)`
    evaluate: str  # `val_loss, val_accuracy = ...`, printed; the held-out test split where there is one
    save: str  # the trained model to a .keras file

    @property
    def seed(self) -> int:
        return self.seeds[0]
