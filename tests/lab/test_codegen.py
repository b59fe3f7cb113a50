"""The script shown for each candidate makes the same data and the same model that the harness trained."""

import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.lab import candidates
from engine.lab.data.datasets import prepare
from engine.lab.decisions.specs import train_config

pytestmark = [pytest.mark.training,
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]

TINY = {
    "sequence_model": ("adding", {"examples": 160, "seq_len": 8}),
    "attention_vs_transformer": ("marker_count", {"examples": 90, "seq_len": 12}),
    "overfitting": ("digits", {"train": 40, "more": 80}),
    "text_encoding": ("topics", {"labelled": 20, "corpus": 200, "seq_len": 8}),
}
SPECS = [spec for decision in TINY for spec in candidates(decision)]


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    from engine.lab.running.harness import hold_out_test

    cache = tmp_path_factory.mktemp("cache")  # the data as the harness trains on it (overfitting: a test split)
    return {decision: hold_out_test(decision, prepare(decision, name, 0, settings, cache))[0]
            for decision, (name, settings) in TINY.items()}


def render(spec, data, epochs=1):
    from engine.lab.codegen.script import render_script

    return render_script(spec, data, train_config(spec.decision), epochs, seed=0)


@pytest.mark.parametrize("spec", SPECS, ids=[f"{s.decision}-{s.choice}" for s in SPECS])
def test_script_builds_the_same_model_from_the_same_data(spec, tiny_data, tmp_path):
    from engine.lab.decisions.builders import build_model

    data = tiny_data[spec.decision]
    code = render(spec, data)
    compile(code, spec.choice, "exec")
    head = code.split("# Train")[0]  # data and model, without the training
    path = tmp_path / "head.py"
    path.write_text(head)
    scope = runpy.run_path(str(path))
    more = spec.options.get("more_data")
    np.testing.assert_array_equal(scope["x_train"], data.x_more if more else data.x_train)
    np.testing.assert_array_equal(scope["y_train"], data.y_more if more else data.y_train)
    np.testing.assert_array_equal(scope["x_val"], data.x_val)
    assert scope["model"].count_params() == build_model(spec, data).count_params()


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
    from engine.lab.data.text_prep import prepare_csv

    from .conftest import tiny_csv

    (tmp_path / "reviews.csv").write_bytes(tiny_csv(50))
    source = load_csv(tmp_path / "reviews.csv")
    data = prepare_csv(source, decision, 0, None, tmp_path / "cache")
    spec = next(s for s in candidates(decision) if s.choice == choice)
    head = tmp_path / "head.py"
    head.write_text(render(spec, data).split("# Train")[0])
    monkeypatch.chdir(tmp_path)
    scope = runpy.run_path(str(head))
    more = spec.options.get("more_data")
    np.testing.assert_array_equal(scope["x_train"], data.x_more if more else data.x_train)
    np.testing.assert_array_equal(scope["y_val"], data.y_val)
