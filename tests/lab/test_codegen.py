"""The script shown for each candidate is made of the functions the Lab called, and makes the same data and model."""

import ast
import inspect
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.lab import candidates
from engine.lab.codegen.sources import closure
from engine.lab.data.datasets import prepare
from engine.lab.decisions import lab_decision

pytestmark = [pytest.mark.training,
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]

TINY = {
    "sequence_model": ("adding", {"examples": 160, "seq_len": 8}),
    "attention_vs_transformer": ("marker_count", {"examples": 90, "seq_len": 12}),
    "overfitting": ("digits", {"train": 40, "more": 80}),
    "text_encoding": ("topics", {"labelled": 20, "corpus": 200, "seq_len": 8}),
    "optimizer": ("digits_clean", {"train": 60, "more": 60}),
    "transformer_architecture": ("lookahead_tags", {"examples": 60, "seq_len": 6}),
}
SPECS = [spec for decision in TINY for spec in candidates(decision)]
RUN_MARK = "train, validation = pipelines("  # everything before it makes the data and the model


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")  # the data as a run trains on it (overfitting: with a test split)
    return {decision: prepare(name, 0, settings, cache, lab_decision(decision).needs)
            for decision, (name, settings) in TINY.items()}


def render(spec, data, epochs=1):
    from engine.lab.codegen.script import render_script

    return render_script(lab_decision(spec.decision), spec, data, epochs, seed=0)


def definitions(code: str) -> dict[str, str]:
    """Top-level function and class definitions of a script, by name, as text."""
    lines = code.splitlines()
    found = {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            found[node.name] = "\n".join(lines[start - 1: node.end_lineno])
    return found


def own_source(function) -> str:
    """A project function's source as the script must show it: verbatim, less the lines importing this project."""
    source = inspect.getsource(function).rstrip("\n")
    return "\n".join(line for line in source.splitlines()
                     if not line.strip().startswith(("from ..", "from .")))


@pytest.mark.parametrize("decision", list(TINY))
def test_the_script_shows_the_functions_the_lab_called_verbatim(decision, tiny_data):
    """By construction: the builder and every data function in the script is the project's own text."""
    data = tiny_data[decision]
    shown = definitions(render(candidates(decision)[0], data))
    called = [lab_decision(decision).build, *(c.function for c in data.recipe)]
    for function in called:
        assert shown[function.__name__] == own_source(function), function.__name__
    assert "pipelines" in shown and "build_model" in shown


@pytest.mark.parametrize("spec", SPECS, ids=[f"{s.decision}-{s.choice}" for s in SPECS])
def test_script_builds_the_same_model_from_the_same_data(spec, tiny_data, tmp_path):
    data = tiny_data[spec.decision]
    code = render(spec, data)
    compile(code, spec.choice, "exec")
    path = tmp_path / "head.py"
    path.write_text(code.split(RUN_MARK)[0])
    scope = runpy.run_path(str(path))
    more = spec.options.get("more_data")
    np.testing.assert_array_equal(scope["x_train"], data.x_more if more else data.x_train)
    np.testing.assert_array_equal(scope["y_train"], data.y_more if more else data.y_train)
    np.testing.assert_array_equal(scope["data"]["x_val"], data.x_val)
    model = lab_decision(spec.decision).build(spec.options, data, spec.choice)
    assert scope["model"].count_params() == model.count_params()


def test_generated_scripts_run_standalone(tiny_data, tmp_path):
    # word2vec + TextVectorization, and a custom layer: the parts most likely to break outside the app
    chosen = {("text_encoding", "pretrained_embedding"), ("attention_vs_transformer", "transformer")}
    paths = []
    for spec in SPECS:
        if (spec.decision, spec.choice) in chosen:
            path = tmp_path / f"{spec.decision}_{spec.choice}.py"
            path.write_text(render(spec, tiny_data[spec.decision]))
            paths.append(str(path))
    # One interpreter runs them all (each as __main__) so TensorFlow is imported once.
    runner = "import runpy, sys\nfor p in sys.argv[1:]:\n    runpy.run_path(p, run_name='__main__')\n"
    out = subprocess.run([sys.executable, "-c", runner, *paths], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, check=False, env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.count("validation loss and accuracy:") == len(paths)
    assert sorted(p.name for p in Path(tmp_path).glob("*.keras")) == sorted(f"{c}.keras" for _, c in chosen)


@pytest.mark.parametrize(("decision", "choice"), [("text_encoding", "pretrained_embedding"),
                                                  ("overfitting", "dropout"), ("overfitting", "more_data")])
def test_csv_scripts_read_the_file_the_same_way(decision, choice, tmp_path, monkeypatch):
    from engine.lab import load_csv
    from engine.lab.data.datasets import prepare_csv

    from .conftest import tiny_csv

    (tmp_path / "reviews.csv").write_bytes(tiny_csv(50))
    source = load_csv(tmp_path / "reviews.csv")
    data = prepare_csv(source, 0, None, tmp_path / "cache", lab_decision(decision).needs)
    spec = next(s for s in candidates(decision) if s.choice == choice)
    head = tmp_path / "head.py"
    head.write_text(render(spec, data).split(RUN_MARK)[0])
    monkeypatch.chdir(tmp_path)
    scope = runpy.run_path(str(head))
    more = spec.options.get("more_data")
    np.testing.assert_array_equal(scope["x_train"], data.x_more if more else data.x_train)
    np.testing.assert_array_equal(scope["data"]["y_val"], data.y_val)


def test_a_closure_copies_what_a_function_uses_and_no_more():
    from engine.lab.data import samples

    found = closure(samples.load_marker_count)
    names = [next(iter(definitions(d))) for d in found.definitions]
    assert names == ["make_marker_count", "load_marker_count"]  # dependencies first
    assert "import numpy as np" in found.imports
