"""The standard-library docstring data set: real English, balanced, deterministic, learnable, not importing anything."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from engine.errors import DataError
from engine.lab.data import realtext


@pytest.fixture(scope="module")
def docs():
    return realtext.make_stdlib_docs(seed=0)


def test_seven_balanced_families_of_real_paragraphs(docs):
    texts, labels, classes, notes = docs
    assert len(classes) == 7 and len(texts) == len(labels) == 7 * realtext.PER_CLASS
    assert np.bincount(labels).tolist() == [realtext.PER_CLASS] * 7
    assert len(set(texts)) == len(texts)  # no paragraph twice, so none in both training and validation
    assert all(realtext.MIN_WORDS <= len(t.split()) <= realtext.MAX_WORDS for t in texts)
    assert "PSF License" in notes[0] and "Python 3.11" in notes[0]
    # every prefix is balanced: the first 70 hold 10 of each family
    assert np.bincount(labels[:70]).tolist() == [10] * 7


def test_two_generations_give_the_same_data_and_another_seed_another_sample(docs):
    texts, labels, _, _ = docs
    realtext.family_paragraphs.cache_clear()  # parse the sources again
    again, again_labels, _, _ = realtext.make_stdlib_docs(seed=0)
    assert realtext.fingerprint(again, again_labels) == realtext.fingerprint(texts, labels)
    other, other_labels, _, _ = realtext.make_stdlib_docs(seed=1)
    assert realtext.fingerprint(other, other_labels) != realtext.fingerprint(texts, labels)


@pytest.mark.slow
def test_another_process_with_another_hash_seed_makes_the_same_data(docs):
    texts, labels, _, _ = docs
    code = ("from engine.lab.data import realtext; t, y, _, _ = realtext.make_stdlib_docs(seed=0); "
            "print(realtext.fingerprint(t, y))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         check=True)
    assert out.stdout.strip() == realtext.fingerprint(texts, labels)


def nearest_centroid_accuracy(texts, labels, n_val):
    """Bag of words, one mean vector per class, each validation text given the class at the smallest angle."""
    train, val = texts[:-n_val], texts[-n_val:]
    vocabulary = {w: i for i, w in enumerate(sorted({w for t in train for w in realtext.split_punctuation(t).split()}))}

    def counts(batch):
        m = np.zeros((len(batch), len(vocabulary)))
        for row, text in enumerate(batch):
            for word in realtext.split_punctuation(text).split():
                if word in vocabulary:
                    m[row, vocabulary[word]] += 1
        return m / (np.linalg.norm(m, axis=1, keepdims=True) + 1e-9)

    x_train = counts(train)
    centroids = np.stack([x_train[labels[:-n_val] == c].mean(axis=0) for c in range(labels.max() + 1)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    return float(np.mean(np.argmax(counts(val) @ centroids.T, axis=1) == labels[-n_val:]))


def test_a_simple_bag_of_words_model_learns_it_well_above_chance(docs):
    texts, labels, classes, _ = docs
    accuracy = nearest_centroid_accuracy(texts, labels, n_val=700)
    assert accuracy > 3 / len(classes), accuracy  # chance is 1/7, about 14%


def test_the_same_check_fails_on_shuffled_labels(docs):
    # The accuracy test above can fail: with labels unrelated to the texts it stays near chance.
    texts, labels, classes, _ = docs
    shuffled = np.random.default_rng(0).permutation(labels)
    assert nearest_centroid_accuracy(texts, shuffled, n_val=700) < 2 / len(classes)


def test_paragraphs_keep_prose_and_drop_examples_and_fragments():
    source = textwrap.dedent('''\
        """Module summary that is long enough to be kept as a paragraph of prose.

        >>> example(1)
        2

        Short line.
        """
        class Thing:
            """A class docstring with more than eight words in this paragraph."""

            def method(self):
                """A method inside the class, documented in a sentence of ten words."""

        if True:
            def hidden():
                """A function defined under an if statement still counts as documentation."""
        ''')
    found = realtext.paragraphs(source)
    assert found == ["Module summary that is long enough to be kept as a paragraph of prose.",
                     "A class docstring with more than eight words in this paragraph.",
                     "A method inside the class, documented in a sentence of ten words.",
                     "A function defined under an if statement still counts as documentation."]


def test_a_python_without_its_sources_gets_a_clear_error(tmp_path):
    (tmp_path / "os.py").write_text('"""Only one module here, documented with a sentence of several words."""\n')
    with pytest.raises(DataError, match="too few docstrings.*needs CPython's .py sources"):
        realtext.make_stdlib_docs(seed=0, root=tmp_path)


def test_the_disk_cache_returns_what_parsing_returns(tmp_path, docs):
    first = realtext.cached_family_paragraphs(tmp_path)
    assert len(list(tmp_path.glob("stdlib-docs-*.json"))) == 1
    assert realtext.cached_family_paragraphs(tmp_path) == first == realtext.family_paragraphs(realtext.stdlib_root())


def test_punctuation_is_split_the_way_glove_spells_words():
    assert realtext.split_punctuation("Use os.path.join() -- it's FAST.") == "use os path join it's fast"
