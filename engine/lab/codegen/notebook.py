"""The Lab's notebooks: one candidate, or a whole comparison, as a Jupyter notebook made of its script's pieces.

Both are laid out from the candidates' `CandidateCode` (made by `script.candidate_code`, stored with the
result): the imports, the data functions and the model builder copied from the project's source, and the
lines that call them, verbatim, the same text the script joins. A comparison notebook runs those lines once
per seed in a loop (`SEED` is a name in them). What the notebooks add is only what a reader needs around
the training: Markdown cells saying what is compared and what to look for, a table of the numbers beside
the Lab's, and learning-curve charts (altair, shown as the cell's last value, so its mimebundle renders in
JupyterLab and in the classic Notebook alike).
"""

from __future__ import annotations

import textwrap

from nbformat import NotebookNode

from ...notebooks import code, escape_md, markdown, notebook
from ..results.code import CandidateCode
from ..results.records import CandidateResult, ComparisonResult, SeedRun
from .script import constants

EXTRA_IMPORTS = ["import altair as alt", "import pandas as pd"]  # the table and the charts
CURVES = '''\
# Mean over seeds (line) and lowest to highest seed (band, validation), as in the Lab's charts
long = pd.concat(curves).melt(["candidate", "seed", "epoch"], var_name="series")
long = long[long["series"].isin(["loss", "accuracy", "val_loss", "val_accuracy"])]
long["metric"] = long["series"].str.removeprefix("val_")
long["split"] = long["series"].map(lambda series: "validation" if series.startswith("val_") else "training")
summary = (long.groupby(["candidate", "metric", "split", "epoch"], as_index=False)["value"]
           .agg(mean="mean", low="min", high="max"))


def curve_chart(metric):
    data = summary[summary["metric"] == metric]
    base = alt.Chart(data, title=metric.capitalize()).encode(
        x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("candidate:N", title="Candidate", sort=ORDER))
    band = base.transform_filter("datum.split == 'validation'").mark_area(opacity=0.18).encode(
        y=alt.Y("low:Q", title=None, scale=alt.Scale(zero=False)), y2="high:Q")
    lines = base.mark_line(point=True).encode(
        y=alt.Y("mean:Q", title=None, scale=alt.Scale(zero=False)),
        strokeDash=alt.StrokeDash("split:N", title="Line", sort=["validation", "training"]),
        tooltip=["candidate:N", "split:N", "epoch:Q", alt.Tooltip("mean:Q", format=".4f"),
                 alt.Tooltip("low:Q", format=".4f", title="lowest seed"),
                 alt.Tooltip("high:Q", format=".4f", title="highest seed")])
    return (band + lines).properties(width=320, height=240)


alt.hconcat(curve_chart("accuracy"), curve_chart("loss"))'''
OFFLINE = ("The charts are drawn by Vega-Lite in the browser, which Jupyter fetches from the jsDelivr CDN when it "
           "first shows one; offline the charts stay empty, and the tables still hold every number.")
LOOK_FOR = (
    "**What to look for.** The gap between training (dashed) and validation (solid): training still improving "
    "while validation stalls or gets worse is the model memorising its training examples instead of learning "
    "what carries over. Validation still rising at the last epoch means more epochs could change the order.")
EPOCHS_NOTE = ("Training and validation loss and accuracy after every epoch; the batches are reshuffled each epoch "
               "in the seed's own order.")
SAME_NUMBERS = (
    "**The same numbers as the Lab.** This is the code the Lab trained, with the same seeds, and it turns on "
    "TensorFlow's op determinism as the Lab does. Run from top to bottom on the machine that ran the Lab, with "
    "the same package versions (the project's `requirements.txt`), it gives the Lab's numbers exactly; a "
    "table below puts them side by side. On another CPU the vector kernels may add numbers in another "
    "order, so the last digits can differ, a little more after many training steps.")


def has_code(result: ComparisonResult) -> bool:
    """Whether the run stored its code in pieces (runs stored before the notebooks existed did not)."""
    return bool(result.candidates) and all(c.code_parts is not None for c in result.candidates)


def _parts(candidate: CandidateResult) -> CandidateCode:
    if candidate.code_parts is None:
        raise ValueError(f"{candidate.label}: this run was stored without its code in pieces; train it again")
    return candidate.code_parts


def _title(result: ComparisonResult) -> str:
    return result.decision.replace("_", " ").capitalize()


TRAINING = ("epochs", "batch_size", "learning_rate")  # the run's settings that are not the data's


def _settings(result: ComparisonResult) -> str:
    """The data set and its settings, then the training's, in words (a CSV's file name is the user's text)."""
    data = ", ".join(f"{k} {v}" for k, v in result.settings.items() if k not in TRAINING)
    training = ", ".join(f"{k.replace('_', ' ')} {result.settings[k]}" for k in TRAINING if k in result.settings)
    name = result.dataset.replace("`", "")  # a sample set's name, or "csv"
    return f"data set `{name}` ({escape_md(data)}), {training}"


def _imports(parts: list[CandidateCode]) -> str:
    lines = list(dict.fromkeys(line for p in parts for line in [*p.imports, *EXTRA_IMPORTS]))
    return "\n".join(lines)


def _where(parts: list[CandidateCode], result: ComparisonResult) -> list[str]:
    """What a reader must have at hand: the project's folder for its parser, a CSV of their own."""
    notes = []
    texts = [text for p in parts for text in [*p.imports, *p.data_definitions, *p.model_definitions]]
    if any(line.strip().startswith(("from engine.", "import engine")) for t in texts for line in t.splitlines()):
        notes.append("The data is parsed by one of the project's own modules: start Jupyter in the project's "
                     "folder (where `engine/` is), or add that folder to `sys.path`.")
    if result.dataset == "csv":
        name = escape_md(result.settings.get("file", "data.csv"))
        notes.append(f"This run trained on your CSV file: put **{name}** next to the notebook (or change "
                     "`CSV_PATH`), and name its text and label columns in the `read_csv` call.")
    return notes


def _definitions(heading: str, texts: list[str]) -> list[NotebookNode]:
    return [markdown(heading), *(code(text) for text in texts)]


def _data_cells(result: ComparisonResult, parts: CandidateCode, per_seed: bool) -> list[NotebookNode]:
    cells = _definitions(f"## The data\n\nThe Lab trained on {_settings(result)}. These are the functions it "
                         "called to make the data, copied from its source:", parts.data_definitions)
    if not per_seed:
        lines = "\n".join(parts.data_calls[0])
        cells += [markdown("Made as the Lab made it, with the same arguments:"),
                  code(f"{lines}\n{{name: value.shape for name, value in data.items() if hasattr(value, 'shape')}}")]
        return cells
    calls = parts.data_calls
    if all(lines == calls[0] for lines in calls):
        body = textwrap.indent("\n".join(calls[0]), "    ")
        made = f"for SEED in SEEDS:\n{body}\n    datas[SEED] = data"
    else:  # an argument read off the seed's own draw (a CSV's length): each seed's calls as the Lab made them
        made = "\n".join(f"SEED = {seed}\n" + "\n".join(lines) + "\ndatas[SEED] = data"
                         for seed, lines in zip(parts.seeds, calls, strict=True))
    cells += [markdown("Each seed draws its own data (and its own split), as in the Lab:"),
              code(f"datas = {{}}\n{made}\n"
                   "{name: value.shape for name, value in datas[SEEDS[0]].items() if hasattr(value, 'shape')}")]
    return cells


def _model_cells(parts: CandidateCode) -> list[NotebookNode]:
    return _definitions("## The model\n\nThe decision's model builder and the runner's training batches "
                        "(`pipelines`), copied from the Lab's source:", parts.model_definitions)


def _lab_numbers(result: ComparisonResult, runs: list[tuple[str, SeedRun]]) -> str:
    """The Lab's per-seed numbers as a DataFrame literal, for the table that puts them beside the notebook's."""
    rows = ",\n".join(f"    {{'candidate': {label!r}, 'seed': {run.seed}, 'val_accuracy': {run.val_accuracy!r}, "
                      f"'val_loss': {run.val_loss!r}}}" for label, run in runs)
    return f"LAB = pd.DataFrame([\n{rows},\n])  # what the Lab measured (run {result.run_id})"


COMPARE = '''\
both = table.merge(LAB, on=["candidate", "seed"], how="left", suffixes=("", " (Lab)"))
# Rounded to 6 decimals: the Lab keeps early stopping's re-scored numbers in float64, Keras reports float32
both["accuracy difference"] = (both["val_accuracy"] - both["val_accuracy (Lab)"]).round(6)
both["loss difference"] = (both["val_loss"] - both["val_loss (Lab)"]).round(6)
both[["candidate", "seed", "val_accuracy", "val_accuracy (Lab)", "accuracy difference", "val_loss",
      "val_loss (Lab)", "loss difference"]]'''


def candidate_notebook(result: ComparisonResult, choice: str) -> NotebookNode:
    """One candidate of `result` on its first seed: data, model, training, its curves and its evaluation."""
    candidate = result.candidate(choice)
    parts = _parts(candidate)
    others = ", ".join(c.label for c in result.candidates if c.choice != choice) or "none"
    star = " ★ (what the project's rules recommend for this data)" if candidate.recommended else ""
    intro = (f"# {parts.label}: {_title(result).lower()}\n\n**This candidate{star}:** {parts.changes}.\n\n"
             f"One candidate of the Lab's *{_title(result).lower()}* comparison, trained on "
             f"{_settings(result)}, with seed {parts.seed}. The other candidates "
             f"({others}) differ from this notebook only in `OPTIONS`, the model builder's options; the whole "
             f"comparison downloads as a notebook of its own.\n\n**What the comparison tests.** "
             f"{result.verdict.claim}\n\n" + SAME_NUMBERS)
    cells = [markdown("\n\n".join([intro, *_where([parts], result)])), code(_imports([parts])),
             code(constants(parts)), code(parts.setup),
             *_data_cells(result, parts, per_seed=False), *_model_cells(parts),
             markdown("Built and compiled with the seed set first, so the starting weights are the Lab's:"),
             code(f"{parts.build}\nmodel.summary()"),
             markdown(f"## Training\n\n{EPOCHS_NOTE}"), code(parts.train),
             markdown(f"## Learning curves\n\n{LOOK_FOR}\n\n{OFFLINE}"),
             code(f"ORDER = [{parts.label!r}]\ncurves = [pd.DataFrame(history.history).assign("
                  f"candidate={parts.label!r}, seed=SEED, epoch=lambda f: f.index + 1)]\n\n{CURVES}"),
             markdown("## Evaluation\n\nThe kept weights scored on the validation split (and on the held-out "
                      "test split where the comparison has one), beside what the Lab measured for this seed:"),
             code(parts.evaluate),
             code(f"table = pd.DataFrame([{{'candidate': {parts.label!r}, 'seed': SEED, 'val_accuracy': "
                  "val_accuracy, 'val_loss': val_loss}])\n"
                  + _lab_numbers(result, [(parts.label, candidate.runs[0])]) + "\n" + COMPARE),
             markdown("Save the trained model (open it again with `keras.saving.load_model`):"),
             code(parts.save)]
    return notebook(cells)


def comparison_notebook(result: ComparisonResult) -> NotebookNode:
    """Every candidate of `result`, each trained with every seed the run used, then a table and the curves."""
    all_parts = [_parts(c) for c in result.candidates]
    first = max(all_parts, key=lambda p: len(p.seeds))  # the most seeds (a stopped run may have fewer later)
    listed = "\n".join(f"- **{c.label}**{' ★' if c.recommended else ''}: {c.changes}." for c in result.candidates)
    seeds = ", ".join(map(str, first.seeds))
    intro = (
        f"# {_title(result)}: {' vs '.join(c.label for c in result.candidates)}\n\n"
        f"**What is compared.** {result.verdict.claim}\n\nEvery candidate trains on the same data with the same "
        "batch size and epochs, and differs from the others in this one decision only:\n\n"
        f"{listed}\n\n★ marks what the project's rules recommend for the data trained on.\n\n"
        f"Each candidate trains once per seed ({seeds}): a seed changes the data drawn, the order of the "
        "batches and the starting weights, so the seeds show how much a number moves by chance.\n\n"
        f"**The Lab's verdict on these numbers.** {result.verdict.text}\n\n" + SAME_NUMBERS)
    if result.stopped_early:
        intro += ("\n\nThe Lab's run was stopped early: this notebook trains every seed of the candidates it "
                  "reached, and the Lab's numbers are missing where it did not measure them.")
    cells = [markdown("\n\n".join([intro, *_where(all_parts, result), *map(escape_md, result.notes)])),
             code(_imports(all_parts)),
             code(f"SEEDS = {first.seeds}\nEPOCHS = {first.epochs}\nVERBOSE = 0  # 2 prints one line per epoch"),
             code(first.setup), *_data_cells(result, first, per_seed=True), *_model_cells(first),
             markdown("## Training: every candidate, once per seed\n\nEach seed is set before its model is built, "
                      "so its starting weights and batch order are the Lab's. The numbers are collected for the "
                      "table and the charts below."),
             code("results = []  # one row per candidate and seed\ncurves = []  # their curves, epoch by epoch")]
    for candidate, parts in zip(result.candidates, all_parts, strict=True):
        cells += [markdown(f"### {parts.label}{' ★' if candidate.recommended else ''}\n\n{parts.changes}."),
                  code(_train_cell(parts))]
    order = [c.label for c in result.candidates]
    cells += [
        markdown("## Results\n\nValidation accuracy per seed and its mean over the seeds. A difference between "
                 "two candidates smaller than the spread of their seeds may be chance."),
        code(f"ORDER = {order!r}\ntable = pd.DataFrame(results)\n"
             'accuracy = table.pivot(index="candidate", columns="seed", values="val_accuracy").reindex(ORDER)\n'
             'accuracy.columns = [f"seed {seed}" for seed in accuracy.columns]\n'
             'accuracy["mean"] = accuracy.mean(axis=1)\naccuracy'),
        markdown("Every seed beside the Lab's number for it: on the machine that ran the Lab the differences "
                 "are zero."),
        code(_lab_numbers(result, [(c.label, run) for c in result.candidates for run in c.runs]) + "\n" + COMPARE),
        markdown(f"## Learning curves\n\n{LOOK_FOR} The band spans the lowest to the highest seed: two candidates "
                 f"whose bands overlap may not really differ.\n\n{OFFLINE}"),
        code(CURVES)]
    return notebook(cells)


def _train_cell(parts: CandidateCode) -> str:
    """One candidate, every seed: the script's own lines, run once per seed, then the numbers kept."""
    body = "\n".join([parts.build, parts.train, parts.evaluate,
                      f"results.append({{'candidate': {parts.label!r}, 'seed': SEED, 'val_accuracy': val_accuracy,"
                      " 'val_loss': val_loss,\n                'test_accuracy': test_accuracy if 'x_test' in data "
                      "else None})",
                      f"curves.append(pd.DataFrame(history.history).assign(candidate={parts.label!r}, seed=SEED, "
                      "epoch=lambda f: f.index + 1))"])
    return f"OPTIONS = {parts.options}\nfor SEED in SEEDS:\n    data = datas[SEED]\n{textwrap.indent(body, '    ')}"
