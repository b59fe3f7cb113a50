"""The Lab's notebooks, without running them (no TensorFlow): valid nbformat v4, the kernel and language
named, and made of the very text the script is made of (tests/lab/test_notebook.py runs them)."""

from __future__ import annotations

import json
import textwrap

import nbformat
import numpy as np
import pytest

from engine.lab.codegen.notebook import candidate_notebook, comparison_notebook, has_code
from engine.lab.codegen.script import data_lines, script_text
from engine.lab.data import samples
from engine.lab.data.labdata import LabData
from engine.lab.decisions import lab_decision
from engine.notebooks import to_bytes
from tests.lab.test_codegen import definitions, own_source
from tests.lab_support import coded_result


@pytest.fixture(scope="module")
def result():
    return coded_result()


def code_cells(book) -> list[str]:
    return [cell.source for cell in book.cells if cell.cell_type == "code"]


def alone(cells: list[str]) -> dict[str, str]:
    """The cells that are one definition and nothing else, by name."""
    return {name: text for cell in cells for name, text in definitions(cell).items() if cell == text}


def test_both_notebooks_are_valid_v4_with_a_python_kernel(result):
    for book in (candidate_notebook(result, "gru"), comparison_notebook(result)):
        nbformat.validate(book)
        read = nbformat.reads(to_bytes(book).decode(), as_version=4)
        assert read.nbformat == 4 and read.metadata.kernelspec.name == "python3"
        assert read.metadata.language_info.name == "python"
        assert [c.id for c in read.cells] == [f"cell-{i}" for i in range(1, len(read.cells) + 1)]
    assert to_bytes(comparison_notebook(result)) == to_bytes(comparison_notebook(result))  # same run, same file


def test_the_definitions_are_the_scripts_and_the_projects_own_text(result):
    decision = lab_decision(result.decision)
    for candidate in result.candidates:
        assert candidate.code == script_text(candidate.code_parts)  # the script is its pieces, joined
        script = definitions(candidate.code)
        cells = code_cells(candidate_notebook(result, candidate.choice))
        assert alone(cells) == script  # every definition is a cell of its own, verbatim
    whole = alone(code_cells(comparison_notebook(result)))
    assert whole == script
    for function in (decision.build, samples.load_adding):  # the builder, and the loader the data came from
        assert whole[function.__name__] == own_source(function)


def test_each_candidate_runs_the_scripts_own_lines_once_per_seed(result):
    cells = code_cells(comparison_notebook(result))
    for candidate in result.candidates:
        parts = candidate.code_parts
        cell = next(c for c in cells if c.startswith(f"OPTIONS = {parts.options}\nfor SEED in SEEDS:"))
        for piece in (parts.build, parts.train, parts.evaluate):
            assert piece in candidate.code and textwrap.indent(piece, "    ") in cell
        assert f"build_model(OPTIONS, data, \"{candidate.choice}\")" in cell
    data = next(c for c in cells if c.startswith("datas = {}"))
    assert textwrap.indent("\n".join(result.candidates[0].code_parts.data_calls[0]), "    ") in data
    assert any(c.startswith("SEEDS = [0, 1]\nEPOCHS = 1\n") for c in cells)


def test_a_seed_whose_calls_differ_gets_its_own_lines(result):
    parts = result.candidates[0].code_parts
    calls = [["data = load_adding({'seq_len': 8}, SEED)"], ["data = load_adding({'seq_len': 9}, SEED)"]]
    changed = result.model_copy(update={"candidates": [c.model_copy(update={
        "code_parts": c.code_parts.model_copy(update={"data_calls": calls})}) for c in result.candidates]})
    data = next(c for c in code_cells(comparison_notebook(changed)) if c.startswith("datas = {}"))
    assert "SEED = 0\ndata = load_adding({'seq_len': 8}, SEED)" in data
    assert "SEED = 1\ndata = load_adding({'seq_len': 9}, SEED)" in data
    assert parts.data_calls[0] != calls[0]


def test_the_labs_numbers_are_in_the_notebook_to_compare_with(result):
    cells = code_cells(comparison_notebook(result))
    lab = next(c for c in cells if c.startswith("LAB = pd.DataFrame(["))
    for candidate in result.candidates:
        for run in candidate.runs:
            assert (f"{{'candidate': {candidate.label!r}, 'seed': {run.seed}, 'val_accuracy': {run.val_accuracy!r}, "
                    f"'val_loss': {run.val_loss!r}}}") in lab


def test_what_is_compared_and_what_to_look_for_are_said(result):
    text = "\n".join(c.source for c in comparison_notebook(result).cells if c.cell_type == "markdown")
    assert result.verdict.claim in text and result.verdict.text in text
    for candidate in result.candidates:
        assert candidate.changes in text
    assert "gap between training" in text and "the same numbers as the lab" in text.lower()


def test_user_text_stays_text(result, tmp_path):
    name = "[click](http://example.com)<b>_x_.csv"
    csv = result.model_copy(update={"dataset": "csv", "settings": {"file": name, "seq_len": 8, "epochs": 1}})
    text = "\n".join(c.source for c in comparison_notebook(csv).cells if c.cell_type == "markdown")
    assert name not in text and r"\[click\](http\://example.com)\<b\>\_x\_.csv" in text
    tricky = 'my "reviews".csv'
    data = LabData("csv", "tokens", np.zeros((2, 3)), np.zeros(2), np.zeros((2, 3)), np.zeros(2), 2,
                   settings={"file": tricky})
    lines = data_lines(data)
    scope: dict = {}
    exec(compile(lines[0], "csv", "exec"), scope)  # noqa: S102 - a line this test made, defining a string
    assert scope["CSV_PATH"] == tricky


def test_a_run_stored_before_notebooks_has_none(result):
    old = result.model_copy(update={"candidates": [c.model_copy(update={"code_parts": None})
                                                   for c in result.candidates]})
    assert has_code(result) and not has_code(old)
    with pytest.raises(ValueError, match="train it again"):
        comparison_notebook(old)


def test_the_pages_buttons_make_the_files(result):
    from ui import lab_view

    for made in (lab_view.notebook_bytes(result, "lstm"), lab_view.notebook_bytes(result, None)):
        book = nbformat.reads(made.decode(), as_version=4)
        nbformat.validate(book)
    assert lab_view.notebook_bytes(result, "lstm") != made  # a candidate's and the whole comparison's, each kept
    assert json.loads(made)["metadata"]["kernelspec"]["name"] == "python3"
