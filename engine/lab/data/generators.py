"""Seeded generators of the sample data sets, in plain NumPy.

Each function is self-contained (only `np`), because `codegen.py` copies its source into the
standalone scripts: the script a user downloads makes exactly the data the app trained on.
"""

from __future__ import annotations

import numpy as np


def make_adding_problem(n, seq_len, seed):
    """Two marked values among uniform noise; the label is whether their sum is positive.

    Channel 0 holds the values, channel 1 marks the two that count. The first mark is in the
    first tenth of the sequence and the second in the second half, so the model must carry
    what it saw early across most of the sequence.
    """
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 1.0, size=(n, seq_len)).astype("float32")
    marks = np.zeros((n, seq_len), dtype="float32")
    first = rng.integers(0, max(1, seq_len // 10), size=n)
    second = rng.integers(seq_len // 2, seq_len, size=n)
    rows = np.arange(n)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    x = np.stack([values, marks], axis=-1)
    y = (values[rows, first] + values[rows, second] > 0).astype("int32")
    return x, y


def make_topic_texts(n, seed, n_topics=4, words_per_topic=60, n_fillers=40, topic_words=3,
                     min_len=6, max_len=14, vocab_seed=1234):
    """Short sentences of filler words with a few words from one topic; the label is the topic.

    The vocabulary (made-up words) depends only on `vocab_seed`, so a labelled set and an unlabelled
    corpus made with different `seed`s share it. Topic words are drawn Zipf-like (a few common, many rare).
    """
    vocab_rng = np.random.default_rng(vocab_seed)
    onsets = list("bdfgklmnprstvz")
    vowels = list("aeiou")

    def word(k):
        return "".join(onsets[vocab_rng.integers(len(onsets))] + vowels[vocab_rng.integers(len(vowels))]
                       for _ in range(k))

    seen, words = set(), []
    while len(words) < n_fillers + n_topics * words_per_topic:
        w = word(2 if len(words) < n_fillers else 3)
        if w not in seen:
            seen.add(w)
            words.append(w)
    fillers = words[:n_fillers]
    topics = [words[n_fillers + t * words_per_topic: n_fillers + (t + 1) * words_per_topic]
              for t in range(n_topics)]
    weights = 1.0 / np.arange(1, words_per_topic + 1)
    weights /= weights.sum()

    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(n_topics))
        length = int(rng.integers(min_len, max_len + 1))
        tokens = [fillers[i] for i in rng.integers(n_fillers, size=length)]
        for pos in rng.choice(length, size=min(topic_words, length), replace=False):
            tokens[pos] = topics[label][rng.choice(words_per_topic, p=weights)]
        texts.append(" ".join(tokens))
        labels.append(label)
    return texts, np.array(labels, dtype="int32"), topics


def make_marker_count(n, seq_len, seed, vocab=12):
    """Token sequences with 1-5 copies each of two marker tokens (ids 1 and 2) scattered among random
    tokens (3..vocab); the label is whether marker 1 occurs more often than marker 2.

    Lengths vary from half to full `seq_len` (at least 9, room for the markers); sequences are
    zero-padded at the end (0 = padding).
    """
    rng = np.random.default_rng(seed)
    x = np.zeros((n, seq_len), dtype="int32")
    y = np.zeros(n, dtype="int32")
    for i in range(n):
        length = int(rng.integers(max(seq_len // 2, 9), seq_len + 1))
        body = rng.integers(3, vocab + 1, size=length)
        ones, twos = rng.choice(np.arange(1, 6), size=2, replace=False)
        places = rng.choice(length, size=ones + twos, replace=False)
        body[places[:ones]] = 1
        body[places[ones:]] = 2
        x[i, :length] = body
        y[i] = int(ones > twos)
    return x, y


def corrupt_labels(y, fraction, n_classes, seed):
    """Replace `fraction` of the labels with a random class (which may, by chance, be the right one)."""
    rng = np.random.default_rng(seed)
    y = y.copy()
    flip = rng.random(len(y)) < fraction
    y[flip] = rng.integers(0, n_classes, size=int(flip.sum()))
    return y
