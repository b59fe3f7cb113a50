"""The sample data sets as the functions a run calls, which are also the data section of every generated script.

Each loader takes a set's settings and a seed and returns a plain dict of arrays (`x_train`, `y_train`,
`x_val`, `y_val`, `n_classes`, and where they apply `vocab_size`, `vocabulary`, `x_corpus`, `x_more`,
`y_more`); each step takes that dict and returns it with something added or split off. `datasets.prepare`
calls them and records the calls, and `engine.lab.codegen` prints those same functions' source and the
same calls, so the script a user downloads makes the data the Lab trained on. Keep them readable: they
are shown to users. Keras is imported inside the text functions only.
"""

from __future__ import annotations

import numpy as np

from .generators import corrupt_labels, make_adding_problem, make_marker_count, make_topic_texts
from .lookahead import VOCAB as LOOKAHEAD_VOCAB
from .lookahead import make_lookahead_tags


def load_adding(settings, seed):
    """The adding problem: the first 3/4 of the sequences train, the rest validate."""
    x, y = make_adding_problem(settings["examples"], settings["seq_len"], seed)
    n_train = settings["examples"] * 3 // 4
    return {"x_train": x[:n_train], "y_train": y[:n_train], "x_val": x[n_train:], "y_val": y[n_train:],
            "n_classes": 2}


def load_marker_count(settings, seed):
    """Marker counting: the first 2/3 of the sequences train, the rest validate; token ids 1..12, 0 pads."""
    x, y = make_marker_count(settings["examples"], settings["seq_len"], seed)
    n_train = settings["examples"] * 2 // 3
    return {"x_train": x[:n_train], "y_train": y[:n_train], "x_val": x[n_train:], "y_val": y[n_train:],
            "n_classes": 2, "vocab_size": 13}


def load_lookahead_tags(settings, seed):
    """Look-ahead tagging: the first 4/5 of the sequences train, the rest validate; one tag per token."""
    x, y = make_lookahead_tags(settings["examples"], settings["seq_len"], seed)
    n_train = settings["examples"] * 4 // 5
    return {"x_train": x[:n_train], "y_train": y[:n_train], "x_val": x[n_train:], "y_val": y[n_train:],
            "n_classes": 2, "vocab_size": LOOKAHEAD_VOCAB}


def load_digits(settings, seed):
    """scikit-learn's 1,797 8x8 digits, pixels scaled to 0..1, shuffled with `seed`.

    600 correctly labelled digits validate. The rest are a pool whose labels are corrupted at the rate
    `label_noise`: the first `train` of them train, the first `more` of them are the 'more data' sample.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    x = (bunch.data / 16.0).astype("float32")
    y = bunch.target.astype("int32")
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    n_val = 600
    small, more = int(settings["train"]), int(settings["more"])
    pool_x = x[n_val:]
    # Noisy training labels (validation stays clean): memorising them is what overfitting looks like.
    pool_y = corrupt_labels(y[n_val:], float(settings["label_noise"]), 10, seed + 1)
    return {"x_train": pool_x[:small], "y_train": pool_y[:small], "x_val": x[:n_val], "y_val": y[:n_val],
            "n_classes": 10, "x_more": pool_x[:more], "y_more": pool_y[:more]}


def vectorizer(texts, seq_len, max_tokens=None):
    """A TextVectorization layer adapted on `texts`: id 0 pads (at the end), id 1 is out-of-vocabulary."""
    from keras import layers

    layer = layers.TextVectorization(max_tokens=max_tokens, output_sequence_length=seq_len,
                                     standardize="lower_and_strip_punctuation")
    layer.adapt(texts, batch_size=256)
    return layer


def token_ids(vectorize, texts):
    return np.asarray(vectorize(np.array(texts, dtype=object)), dtype="int32")


def load_topics(settings, seed):
    """Labelled topic sentences (400 of them validate) and an unlabelled corpus of the same made-up language.

    The vocabulary comes from the unlabelled corpus, as it would with any pretrained vectors.
    """
    n_train, seq_len = int(settings["labelled"]), int(settings["seq_len"])
    texts, labels, _ = make_topic_texts(n_train + 400, seed, max_len=seq_len)
    corpus, _, _ = make_topic_texts(int(settings["corpus"]), seed + 1, max_len=seq_len)
    vectorize = vectorizer(corpus, seq_len)
    x, vocabulary = token_ids(vectorize, texts), vectorize.get_vocabulary()
    return {"x_train": x[:n_train], "y_train": labels[:n_train], "x_val": x[n_train:], "y_val": labels[n_train:],
            "n_classes": int(labels.max()) + 1, "vocab_size": len(vocabulary), "vocabulary": vocabulary,
            "x_corpus": token_ids(vectorize, corpus)}


def load_stdlib_docs(settings, seed, cache_dir=None):
    """Docstring paragraphs of Python's standard library, labelled by the family of modules they document.

    The last 700 paragraphs (100 per family) validate; the first `labelled` train. The vocabulary (the
    3,000 most frequent words) comes from every paragraph outside validation, like a corpus of unlabelled
    documentation. `cache_dir` only keeps the parsed paragraphs for the next run.
    """
    from engine.lab.data.realtext import fingerprint, make_stdlib_docs, split_punctuation

    n_train, seq_len = int(settings["labelled"]), int(settings["seq_len"])
    texts, labels, classes, notes = make_stdlib_docs(seed, cache_dir=cache_dir)
    texts = [split_punctuation(t) for t in texts]
    n_pool = len(texts) - 700
    if not 10 <= n_train <= n_pool:
        raise ValueError(f"labelled must be between 10 and {n_pool} here (700 paragraphs validate); got {n_train}.")
    vectorize = vectorizer(texts[:n_pool], seq_len, 3000)
    x, vocabulary = token_ids(vectorize, texts), vectorize.get_vocabulary()
    return {"x_train": x[:n_train], "y_train": labels[:n_train], "x_val": x[n_pool:], "y_val": labels[n_pool:],
            "n_classes": len(classes), "vocab_size": len(vocabulary), "vocabulary": vocabulary,
            "classes": classes, "notes": notes, "fingerprint": fingerprint(texts, labels)}


def load_texts(texts, labels, seed, seq_len, max_tokens):
    """Your texts and labels: shuffled with `seed`, a fifth held out to validate, and the vocabulary (at most
    `max_tokens` words) learned from the training texts only."""
    classes = sorted(set(labels))
    y = np.array([classes.index(label) for label in labels], dtype="int32")
    order = np.random.default_rng(seed).permutation(len(texts))
    n_val = max(len(texts) // 5, 1)
    val_idx, train_idx = order[:n_val], order[n_val:]
    train_texts = [texts[i] for i in train_idx]
    vectorize = vectorizer(train_texts, seq_len, max_tokens)
    vocabulary = vectorize.get_vocabulary()
    return {"x_train": token_ids(vectorize, train_texts), "y_train": y[train_idx],
            "x_val": token_ids(vectorize, [texts[i] for i in val_idx]), "y_val": y[val_idx],
            "n_classes": len(classes), "vocab_size": len(vocabulary), "vocabulary": vocabulary, "classes": classes}


def halve_for_more_data(data):
    """The remedies train on the first half of the training rows; 'more data' trains on all of them."""
    half = max(len(data["x_train"]) // 2, 1)
    return {**data, "x_more": data["x_train"], "y_more": data["y_train"],
            "x_train": data["x_train"][:half], "y_train": data["y_train"][:half]}


def hold_out_test(data):
    """Half of the validation rows become a test split that chooses nothing, not even early stopping's epoch."""
    if len(data["x_val"]) < 40:
        return data
    half = len(data["x_val"]) // 2
    return {**data, "x_val": data["x_val"][:half], "y_val": data["y_val"][:half],
            "x_test": data["x_val"][half:], "y_test": data["y_val"][half:]}


def pretrained_from_corpus(data, seed, train=None):
    """Pretrained vectors for invented words: word2vec (skip-gram) on the unlabelled corpus of the same language."""
    from .word2vec import train_word2vec

    train = train or train_word2vec
    return {**data, "vectors": train(data["x_corpus"], data["vocab_size"], seed)}


def pretrained_from_glove(data, glove=None):
    """Pretrained vectors for English: one GloVe row per vocabulary id (zero for padding, unknown and words
    GloVe lacks: a frozen zero vector adds nothing to an average, so a missing word is ignored)."""
    from .glove import glove_rows, read_glove

    vectors, index = glove or read_glove()
    return {**data, "vectors": glove_rows(data["vocabulary"], vectors, index)}


def home_made_word2vec(data, seed, train=None):
    """word2vec trained on the labelled training texts only (the builder's `"vectors": "word2vec"` option)."""
    from .word2vec import train_word2vec

    train = train or train_word2vec
    return {**data, "word2vec": train(data["x_train"], data["vocab_size"], seed)}
