"""Text to padded token ids with Keras' TextVectorization, for the text sample sets and uploaded CSVs.

Imports TensorFlow: import only inside functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from keras import layers

from ...errors import DataError
from . import glove
from .csv_data import CsvSource, tokenize
from .generators import make_topic_texts
from .labdata import LabData
from .realtext import fingerprint, make_stdlib_docs, split_punctuation
from .word2vec import cached_word2vec

VALIDATION_TOPICS = 400
MAX_VOCABULARY = 20_000
ONE_HOT_VOCABULARY = 3_000
STDLIB_VALIDATION = 700  # 100 paragraphs of each of the 7 families


def vectorizer(texts: list[str], seq_len: int, max_tokens: int | None = None) -> layers.TextVectorization:
    """A TextVectorization layer adapted on `texts`: id 0 pads (at the end), id 1 is out-of-vocabulary."""
    layer = layers.TextVectorization(max_tokens=max_tokens, output_sequence_length=seq_len,
                                     standardize="lower_and_strip_punctuation")
    layer.adapt(texts, batch_size=256)
    return layer


def _ids(layer: layers.TextVectorization, texts: list[str]) -> np.ndarray:
    return np.asarray(layer(np.array(texts, dtype=object)), dtype="int32")


def prepare_topics(seed: int, settings: dict[str, Any], cache_dir: Path, pretrained: bool) -> LabData:
    n_train, seq_len = int(settings["labelled"]), int(settings["seq_len"])
    texts, labels, _ = make_topic_texts(n_train + VALIDATION_TOPICS, seed, max_len=seq_len)
    corpus, _, _ = make_topic_texts(int(settings["corpus"]), seed + 1, max_len=seq_len)
    # The vocabulary comes from the unlabelled corpus, as it would with any pretrained vectors.
    layer = vectorizer(corpus, seq_len)
    x, vocabulary = _ids(layer, texts), layer.get_vocabulary()
    data = LabData("topics", "tokens", x[:n_train], labels[:n_train], x[n_train:], labels[n_train:],
                   n_classes=int(labels.max()) + 1, settings=settings, vocab_size=len(vocabulary),
                   vocabulary=vocabulary)
    seen = set(np.unique(data.x_train))
    val_tokens = data.x_val[data.x_val > 1]
    unseen = float(np.mean([t not in seen for t in val_tokens]))
    data.notes.append(f"{unseen:.0%} of the validation tokens never occur in the {n_train} labelled "
                      "training sentences.")
    if pretrained:
        # Invented words have no GloVe vectors: pretraining here means word2vec on the unlabelled corpus.
        data.embedding = cached_word2vec(_ids(layer, corpus), len(vocabulary), seed, cache_dir)
        data.embedding_source = (f"word2vec trained on {int(settings['corpus']):,} unlabelled sentences of the "
                                 "same made-up language (GloVe does not know its invented words)")
        data.word2vec = cached_word2vec(data.x_train, len(vocabulary), seed, cache_dir)
        data.notes.append(f"Pretrained vectors: {data.embedding_source}.")
    return data


def prepare_stdlib_docs(seed: int, settings: dict[str, Any], cache_dir: Path, pretrained: bool) -> LabData:
    """Docstring paragraphs of the standard library labelled by module family (`realtext.py`).

    The last `STDLIB_VALIDATION` paragraphs (equal per family) validate; the first `labelled` train. The
    vocabulary comes from every paragraph outside validation, like a corpus of unlabelled documentation.
    """
    n_train, seq_len = int(settings["labelled"]), int(settings["seq_len"])
    texts, labels, classes, notes = make_stdlib_docs(seed, cache_dir=cache_dir)
    texts = [split_punctuation(t) for t in texts]
    n_pool = len(texts) - STDLIB_VALIDATION
    if not 10 <= n_train <= n_pool:
        raise DataError(f'"labelled" for stdlib_docs must be between 10 and {n_pool:,} (the paragraphs left after '
                        f"{STDLIB_VALIDATION} are held out for validation); got {n_train}.")
    layer = vectorizer(texts[:n_pool], seq_len, ONE_HOT_VOCABULARY)
    x, vocabulary = _ids(layer, texts), layer.get_vocabulary()
    data = LabData("stdlib_docs", "tokens", x[:n_train], labels[:n_train], x[n_pool:], labels[n_pool:],
                   n_classes=len(classes), settings={**settings, "classes": classes}, vocab_size=len(vocabulary),
                   vocabulary=vocabulary, notes=notes)
    data.notes.append(f"{len(classes)} classes, {n_train} training and {STDLIB_VALIDATION} validation paragraphs, "
                      f"vocabulary of the {len(vocabulary):,} most frequent words (fingerprint "
                      f"{fingerprint(texts, labels)}).")
    if pretrained:
        add_english_vectors(data, seed, cache_dir)
    return data


def add_english_vectors(data: LabData, seed: int, cache_dir: Path) -> None:
    """GloVe for the pretrained candidate, word2vec on the training texts for the home-made one."""
    data.embedding, coverage = glove.embedding_matrix(data.vocabulary)
    data.embedding_source = glove.SOURCE
    data.notes.append(glove.coverage_note(coverage, data.vocab_size))
    if coverage < 0.5:
        data.notes.append("Under half the words are known to GloVe (not English, or codes and names): the "
                          "pretrained candidate has little to build on here.")
    data.word2vec = cached_word2vec(data.x_train, data.vocab_size, seed, cache_dir)


def prepare_csv(source: CsvSource, decision: str, seed: int, seq_len: int | None, cache_dir: Path) -> LabData:
    """Shuffle with `seed`, hold out 20% for validation, vectorise on the training texts only."""
    texts = [t.strip() for t in source.texts]
    classes = sorted({label.strip() for label in source.labels})
    y_all = np.array([classes.index(label.strip()) for label in source.labels], dtype="int32")
    order = np.random.default_rng(seed).permutation(len(texts))
    n_val = max(len(texts) // 5, 1)
    val_idx, train_idx = order[:n_val], order[n_val:]
    if seq_len is None:
        lengths = sorted(len(tokenize(texts[i])) for i in train_idx)
        seq_len = int(min(max(lengths[int(0.95 * (len(lengths) - 1))], 4), 200))
    if not 4 <= seq_len <= 1000:
        raise DataError(f"{source.name}: seq_len must be between 4 and 1000; got {seq_len}.")
    train_texts = [texts[i] for i in train_idx]
    # One-hot inputs are as wide as the vocabulary, per token: cap it so a batch stays well under 100 MB.
    max_tokens = ONE_HOT_VOCABULARY if decision == "text_encoding" else MAX_VOCABULARY
    layer = vectorizer(train_texts, seq_len, max_tokens)
    x_train, x_val = _ids(layer, train_texts), _ids(layer, [texts[i] for i in val_idx])
    vocabulary = layer.get_vocabulary()
    settings = {"seq_len": seq_len, "rows": len(texts), "classes": classes, "file": source.name}
    data = LabData("csv", "tokens", x_train, y_all[train_idx], x_val, y_all[val_idx], n_classes=len(classes),
                   settings=settings, vocab_size=len(vocabulary), vocabulary=vocabulary)
    if decision == "overfitting":
        # The remedies train on half the training split; `more_data` on all of it.
        half = max(len(x_train) // 2, 1)
        data.x_more, data.y_more = data.x_train, data.y_train
        data.x_train, data.y_train = x_train[:half], y_all[train_idx][:half]
        data.notes.append(f"Remedies trained on {half} rows; 'more data' on all {len(x_train)} training rows.")
    if decision == "text_encoding":
        if len(vocabulary) >= ONE_HOT_VOCABULARY:
            data.notes.append(f"Vocabulary capped at the {ONE_HOT_VOCABULARY:,} most frequent words (the rest "
                              "count as unknown) so the one-hot candidate fits in memory.")
        add_english_vectors(data, seed, cache_dir)
    return data
