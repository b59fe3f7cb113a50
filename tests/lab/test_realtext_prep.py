"""The stdlib_docs sample set as the Lab trains on it: token ids, GloVe for the pretrained candidate, word2vec apart."""

import numpy as np
import pytest

from engine.errors import DataError
from engine.lab.data.datasets import prepare
from engine.lab.decisions import lab_decision, list_datasets

NEEDS = lab_decision("text_encoding").needs

pytestmark = [pytest.mark.training,
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return prepare("stdlib_docs", 0, {"labelled": 140}, tmp_path_factory.mktemp("cache"), NEEDS)


def test_it_is_offered_for_text_encoding():
    assert "stdlib_docs" in [info.name for info in list_datasets("text_encoding")]


def test_arrays_are_balanced_and_validation_is_held_out(data):
    assert data.x_train.shape == (140, 48) and data.x_val.shape == (700, 48)
    assert np.bincount(data.y_train).tolist() == [20] * 7
    assert np.bincount(data.y_val).tolist() == [100] * 7
    assert data.n_classes == 7 and data.vocab_size == 3000


def test_pretrained_vectors_are_glove_and_word2vec_is_separate(data):
    from engine.lab.data import glove

    assert data.vectors.shape == (3000, 50) and data.vectors_source == glove.SOURCE
    assert data.word2vec.shape[0] == 3000 and data.word2vec.shape[1] != 50
    row = data.vocabulary.index("socket")
    np.testing.assert_allclose(data.vectors[row], glove.load().vector("socket"))
    coverage = next(n for n in data.notes if "found in GloVe" in n)
    assert int(coverage.split("%")[0]) >= 70, coverage


def test_the_builder_uses_the_vectors_the_spec_names(data):
    build = lab_decision("text_encoding").build
    for vectors, expected in (("glove", data.vectors), ("word2vec", data.word2vec)):
        options = {"encoding": "pretrained", "embedding_dim": 32, "trainable": False, "vectors": vectors}
        layer = build(options, data, "pretrained_embedding").get_layer("pretrained_embedding")
        np.testing.assert_array_equal(layer.get_weights()[0], expected)


def test_too_many_labelled_examples_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match='"labelled" for stdlib_docs must be between 10 and 1,260'):
        prepare("stdlib_docs", 0, {"labelled": 5000}, tmp_path, NEEDS)


def test_the_generated_script_makes_the_same_arrays_and_glove_vectors(data, tmp_path, monkeypatch):
    import os
    import runpy
    from pathlib import Path

    from engine.lab.codegen.script import render_script

    decision = lab_decision("text_encoding")
    spec = decision.candidate("pretrained_embedding")
    head = tmp_path / "head.py"
    head.write_text(render_script(decision, spec, data, 1, 0).split("train, validation = pipelines(")[0])
    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the script imports engine.lab.data.realtext
    monkeypatch.setattr("sys.path", [os.getcwd(), *__import__("sys").path])
    scope = runpy.run_path(str(head))
    np.testing.assert_array_equal(scope["x_train"], data.x_train)
    np.testing.assert_array_equal(scope["data"]["y_val"], data.y_val)
    np.testing.assert_array_equal(scope["data"]["vectors"], data.vectors)
