"""A candidate as a standalone Keras script, made of the very functions the Lab called to train it.

The data section is the source of the data functions the run called (`LabData.recipe`), with the same
arguments; the model section is the decision's own builder; the batches come from `pipelines`, the
function the runner uses. Only the few lines that call them are written here, so the script cannot drift
from what the Lab trains: the same seed gives the same numbers on the same machine. The script prints
`params: N`, which the tests compare with the trained model.

The pieces are made once, as a `CandidateCode` (`candidate_code`): `sections` lays them out as the script,
and the notebooks (`notebook.py`) lay the very same pieces out as cells.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Sequence
from typing import Any

from ..data.labdata import Call, LabData
from ..decisions.base import CandidateSpec, LabDecision
from ..models.optimizers import SETTINGS as OPTIMIZERS
from ..results.code import CandidateCode
from .sources import add, closure

# The runner's batches (engine/lab/models/training.py); named, not imported: importing it imports TensorFlow.
PIPELINES = ("engine.lab.models.training", "pipelines")
SETUP = "tf.config.experimental.enable_op_determinism()  # as in the Lab: the same seed gives the same numbers"
READ_CSV = '''def read_csv(path, text_column, label_column):
    """Your CSV's texts and labels, stripped of surrounding spaces."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r[text_column].strip() for r in rows], [r[label_column].strip() for r in rows]'''


def optimizer_code(spec: CandidateSpec, learning_rate: float) -> str:
    """The optimizer as Keras code: the candidate's own where it names one, else Adam (runner.optimizer_for)."""
    choice, tuned = spec.options.get("optimizer"), spec.options.get("learning_rate")
    if choice is None:
        return f"keras.optimizers.Adam({learning_rate if tuned is None else tuned})"
    setting = OPTIMIZERS[choice]
    extra = "".join(f", {k}={v}" for k, v in setting.options)
    return f"keras.optimizers.{setting.keras_class}({setting.learning_rate if tuned is None else tuned}{extra})"


def _argument(name: str, value: Any) -> str:
    if name == "seed":
        return "SEED"
    if name in ("texts", "labels"):  # the CSV's columns, read by `read_csv` above the call
        return name
    return repr(value)


def call_code(call: Call) -> str:
    """`data = function(...)` with the recorded arguments (the seed as SEED)."""
    names = [p for p in inspect.signature(call.function).parameters][1 if call.step else 0:]
    arguments = ", ".join(_argument(n, v) for n, v in zip(names, call.args, strict=False))
    inputs = f"data, {arguments}" if call.step and arguments else ("data" if call.step else arguments)
    return f"data = {call.function.__name__}({inputs})"


def data_lines(data: LabData) -> list[str]:
    """The lines that make `data` (its recorded calls; a CSV's read first), reading `SEED` for the seed."""
    lines = [call_code(c) for c in data.recipe]
    if data.name == "csv":
        name = data.settings.get("file", "data.csv")
        lines[:0] = [f"CSV_PATH = {name!r}  # your file",
                     'texts, labels = read_csv(CSV_PATH, "text", "label")  # your text and label columns']
    return lines


def run_lines(decision: LabDecision, spec: CandidateSpec, data: LabData) -> dict[str, str]:
    """What the runner does with one seed's data, as script lines: build, train, evaluate and save."""
    arrays = ('data["x_more"], data["y_more"]' if spec.options.get("more_data") and data.x_more is not None
              else 'data["x_train"], data["y_train"]')
    callbacks, batch_size = "", decision.train.batch_size
    if spec.options.get("early_stopping"):
        callbacks = (',\n                    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", '
                     f"patience={spec.options['early_stopping']}, restore_best_weights=True)]")
    return {
        "build": textwrap.dedent(f"""\
            keras.utils.set_random_seed(SEED)  # the same initial weights and batch order as the Lab's run
            model = build_model(OPTIONS, data, "{spec.choice}")
            model.compile(optimizer={optimizer_code(spec, decision.train.learning_rate)},
                          loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            print("params:", model.count_params())"""),
        "train": (textwrap.dedent(f"""\
            x_train, y_train = {arrays}
            train, validation = pipelines(x_train, y_train, data["x_val"], data["y_val"], {batch_size}, SEED)
            history = model.fit(train, validation_data=validation, epochs=EPOCHS, shuffle=False, verbose=VERBOSE""")
                  + callbacks + ")"),
        "evaluate": textwrap.dedent("""\
            val_loss, val_accuracy = model.evaluate(validation, verbose=0)
            print("validation loss and accuracy:", val_loss, val_accuracy)
            if "x_test" in data:  # a split that chose nothing, not even early stopping's epoch
                test_loss, test_accuracy = model.evaluate(data["x_test"], data["y_test"], verbose=0)
                print("test loss and accuracy:", test_loss, test_accuracy)"""),
        "save": f'model.save("{spec.choice}.keras")',
    }


def candidate_code(decision: LabDecision, spec: CandidateSpec, datas: Sequence[LabData], epochs: int,
                   seeds: Sequence[int]) -> CandidateCode:
    """The pieces of `spec`'s standalone code, trained as the Lab did on `datas` (seed `seeds[k]` on `datas[k]`).

    Every seed's data comes from the same functions; only the lines calling them are kept per seed.
    """
    data = datas[0]
    data_sources = closure(*dict.fromkeys(c.function for c in data.recipe))
    model_sources = closure(decision.build)
    add(model_sources, *PIPELINES)
    imports = ["import keras", "import numpy as np", "import tensorflow as tf", "from keras import layers"]
    for line in [*data_sources.imports, *model_sources.imports]:
        if line not in imports:
            imports.append(line)
    definitions = ([READ_CSV] if data.name == "csv" else []) + data_sources.definitions
    return CandidateCode(
        decision=decision.id, choice=spec.choice, label=spec.label, changes=spec.changes, dataset=data.name,
        epochs=epochs, seeds=list(seeds), imports=imports, options=repr(spec.options),
        data_definitions=definitions, model_definitions=model_sources.definitions,
        data_calls=[data_lines(d) for d in datas], setup=SETUP, **run_lines(decision, spec, data))


def _header(code: CandidateCode) -> str:
    made = f'data set "{code.dataset}", seed {code.seed}, {code.epochs} epochs'
    return textwrap.dedent(f'''\
        """{code.label} ({code.decision.replace("_", " ")}): {code.changes}.

        Generated by dl-advisor from the code it trained: {made}.
        The functions below are the Lab's own, copied from its source; every other candidate of this
        comparison differs from this script only in OPTIONS, the model builder's options.
        """''')


def constants(code: CandidateCode) -> str:
    """The script's settings: its seed, epochs, the builder's options and how much `fit` prints."""
    return (f"SEED = {code.seed}\nEPOCHS = {code.epochs}\nOPTIONS = {code.options}\n"
            "VERBOSE = 2  # one line per epoch; 0 for none")


def sections(code: CandidateCode) -> list[tuple[str, str]]:
    """The script as (section, text) pairs, in order: what `script_text` joins."""
    return [
        ("header", _header(code)),
        ("imports", "\n".join(code.imports)),
        ("constants", constants(code)),
        ("data definitions", "# Data: the functions the Lab called to make it\n\n"
         + "\n\n\n".join(code.data_definitions)),
        ("model definitions", "# Model and batches: the decision's builder and the runner's pipelines\n\n"
         + "\n\n\n".join(code.model_definitions)),
        ("run", "\n".join(["# Run", code.setup, *code.data_calls[0], code.build, code.train, code.evaluate,
                           code.save])),
    ]


def script_text(code: CandidateCode) -> str:
    """The standalone script: its sections, one after another."""
    return "\n\n\n".join(text.rstrip() for _, text in sections(code)) + "\n"


def render_script(decision: LabDecision, spec: CandidateSpec, data: LabData, epochs: int, seed: int) -> str:
    """The standalone script that trains `spec` on the data `data` was made with, as the Lab did."""
    return script_text(candidate_code(decision, spec, [data], epochs, [seed]))
