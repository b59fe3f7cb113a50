"""The Lab's notebooks open and run in Jupyter's own machinery, and give the Lab's numbers.

A tiny overfitting comparison (6 candidates, 2 seeds, 2 epochs: early stopping's kept weights, the 'more
data' arrays and a held-out test split all in it) is trained by the Lab in this process; its whole-comparison
notebook and one candidate's notebook are then executed headless by nbclient in a fresh ipykernel kernel,
and the numbers they computed are read back and compared with the Lab's, seed by seed.

Tolerance 1e-6, absolute. The same code with the same seeds on the same machine does the same float32
arithmetic, so the numbers are identical: measured here, every difference is exactly 0 except early
stopping's final validation scores, which the Lab re-scores in float64 from the kept weights where Keras
reports float32 (differences up to 1.4e-8). 1e-6 is a three-thousandth of one of the 300 validation
examples, so no real difference hides under it.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from engine.lab.codegen.notebook import candidate_notebook, comparison_notebook
from tests.lab.test_codegen import TINY
from tests.notebook_support import execute, printed

pytestmark = [pytest.mark.training,
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]

TOLERANCE = 1e-6
MARK = "@@NUMBERS@@"
METRICS = ("loss", "accuracy", "val_loss", "val_accuracy")
# Appended by the test only: prints what the notebook computed, for the comparison below.
READ_COMPARISON = f'''\
import json
print("{MARK}" + json.dumps({{"results": [{{k: v for k, v in row.items() if k != "test_accuracy"}} for row in results],
                             "curves": pd.concat(curves).to_dict("records")}}))'''
READ_CANDIDATE = f'''\
import json
print("{MARK}" + json.dumps({{"val_loss": val_loss, "val_accuracy": val_accuracy, "history": history.history}}))'''


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    from engine.lab import TrainRequest, train_comparison

    request = TrainRequest.make("overfitting", dataset="digits", settings={"train": 40, "more": 80}, epochs=2,
                                seeds=2)
    return train_comparison(request, isolate=False, reuse=False, runs_dir=tmp_path_factory.mktemp("runs"))


def run(book, read: str, folder):
    book.cells.append(nbformat.v4.new_code_cell(read))
    nbformat.validate(book)
    execute(book, folder, timeout=900)
    out = printed(book.cells[-1])
    return json.loads(out[out.index(MARK) + len(MARK):])


def curve(history) -> list[float]:
    """Every metric of every epoch, flat: pytest.approx applies its tolerance to numbers, not to tuples."""
    return [getattr(h, m) for h in history for m in METRICS]


def test_the_whole_comparison_notebook_runs_and_gives_the_labs_numbers_seed_by_seed(lab, tmp_path):
    book = comparison_notebook(lab)
    numbers = run(book, READ_COMPARISON, tmp_path)
    rows = {(r["candidate"], r["seed"]): r for r in numbers["results"]}
    assert len(rows) == sum(len(c.runs) for c in lab.candidates) == 12
    for candidate in lab.candidates:
        for seed_run in candidate.runs:
            row = rows[(candidate.label, seed_run.seed)]
            assert row["val_accuracy"] == pytest.approx(seed_run.val_accuracy, abs=TOLERANCE), candidate.label
            assert row["val_loss"] == pytest.approx(seed_run.val_loss, abs=TOLERANCE), candidate.label
            epochs = sorted((r for r in numbers["curves"] if r["candidate"] == candidate.label
                             and r["seed"] == seed_run.seed), key=lambda r: r["epoch"])
            assert [r[m] for r in epochs for m in METRICS] == pytest.approx(curve(seed_run.history),
                                                                              abs=TOLERANCE)
    charts = [o for cell in book.cells if cell.cell_type == "code" and "alt.hconcat" in cell.source
              for o in cell.outputs if o.output_type == "execute_result"]
    assert len(charts) == 1 and "vega-embed" in charts[0].data["text/html"]  # the chart's mimebundle
    assert '"mark"' in charts[0].data["text/html"]  # its Vega-Lite spec is in it, with the data
    table = next(cell for cell in book.cells if cell.cell_type == "code" and cell.source.startswith("ORDER = "))
    assert "seed 1" in table.outputs[0].data["text/html"] and "mean" in table.outputs[0].data["text/html"]


def test_one_candidates_notebook_runs_and_gives_the_labs_numbers_for_its_seed(lab, tmp_path):
    candidate = lab.candidate("early_stopping")  # its kept weights are re-scored by the Lab: the hardest case
    book = candidate_notebook(lab, candidate.choice)
    numbers = run(book, READ_CANDIDATE, tmp_path)
    first = candidate.runs[0]
    assert numbers["val_accuracy"] == pytest.approx(first.val_accuracy, abs=TOLERANCE)
    assert numbers["val_loss"] == pytest.approx(first.val_loss, abs=TOLERANCE)
    history = numbers["history"]
    notebook_curve = [value for epoch in zip(*(history[m] for m in METRICS), strict=True) for value in epoch]
    assert notebook_curve == pytest.approx(curve(first.history), abs=TOLERANCE)
    everything = "".join(printed(cell) for cell in book.cells if cell.cell_type == "code")
    assert f"params: {candidate.params}" in everything and "test loss and accuracy:" in everything
    assert (tmp_path / "early_stopping.keras").is_file()  # the last cell saved the trained model


# Each decision's tiny data (tests/lab/test_codegen.py's), and real English with GloVe and the docstring parser
CASES = [(decision, name, settings) for decision, (name, settings) in TINY.items()] + [
    ("text_encoding", "stdlib_docs", {"labelled": 20, "seq_len": 8})]


@pytest.mark.parametrize(("decision", "dataset", "settings"), CASES, ids=[f"{d}-{n}" for d, n, _ in CASES])
def test_every_decisions_notebooks_are_python_that_compiles(decision, dataset, settings, tmp_path):
    """Every decision's pieces, real data functions included (word2vec, GloVe, the docstring parser), laid out
    as both notebooks: each code cell is valid Python (the comparison above runs one decision's for real)."""
    from engine.lab.data.datasets import prepare
    from engine.lab.decisions import lab_decision
    from tests.lab_support import coded_result

    data = prepare(dataset, 0, settings, tmp_path, lab_decision(decision).needs)
    result = coded_result(seeds=(0, 1), decision_id=decision, datas=[data, data])
    books = [comparison_notebook(result), *(candidate_notebook(result, c.choice) for c in result.candidates)]
    for book in books:
        nbformat.validate(book)
        for number, cell in enumerate(c for c in book.cells if c.cell_type == "code"):
            compile(cell.source, f"{decision} cell {number}", "exec")
    if dataset == "stdlib_docs":  # the parser is imported from the project: the notebook says where to start
        text = "\n".join(c.source for c in books[0].cells)
        assert "from engine.lab.data.realtext import" in text and "start Jupyter in the project's folder" in text
