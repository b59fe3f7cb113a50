"""Word vectors trained here, offline: skip-gram with negative sampling, in Keras, cached on disk.

Imports TensorFlow: import only inside functions. The vectors are cached under the runs root keyed by
a hash of the corpus and the settings, so the second run with the same seed reuses them.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import keras
import numpy as np
from keras import layers

SETTINGS = {"dim": 32, "window": 2, "negatives": 4, "epochs": 3, "batch_size": 1024, "learning_rate": 0.01}


def skipgram_pairs(sequences: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(target, context) id pairs of words at most `window` apart in the same sequence; 0 is padding."""
    targets, contexts = [], []
    length = sequences.shape[1]
    for offset in range(-window, window + 1):
        if offset == 0:
            continue
        lo, hi = max(0, -offset), length - max(0, offset)
        t, c = sequences[:, lo:hi], sequences[:, lo + offset:hi + offset]
        keep = (t > 0) & (c > 0)
        targets.append(t[keep])
        contexts.append(c[keep])
    return np.concatenate(targets), np.concatenate(contexts)


def train_word2vec(sequences: np.ndarray, vocab_size: int, seed: int, **overrides) -> np.ndarray:
    """A (vocab_size, dim) matrix of skip-gram vectors learned from integer `sequences`."""
    s = {**SETTINGS, **overrides}
    rng = np.random.default_rng(seed)
    targets, positives = skipgram_pairs(sequences, s["window"])
    counts = np.bincount(sequences[sequences > 0], minlength=vocab_size).astype("float64")
    noise = counts ** 0.75  # word2vec's smoothed unigram noise distribution
    noise /= noise.sum()
    negatives = rng.choice(vocab_size, size=(len(targets), s["negatives"]), p=noise)
    contexts = np.concatenate([positives[:, None], negatives], axis=1).astype("int32")
    labels = np.zeros(contexts.shape, dtype="float32")
    labels[:, 0] = 1.0

    keras.utils.set_random_seed(seed)
    target_in = keras.Input(shape=(), dtype="int32")
    context_in = keras.Input(shape=(contexts.shape[1],), dtype="int32")
    target_vectors = layers.Embedding(vocab_size, s["dim"], name="word_vectors")(target_in)
    context_vectors = layers.Embedding(vocab_size, s["dim"], name="context_vectors")(context_in)
    logits = layers.Dot(axes=(2, 1))([context_vectors, target_vectors])
    model = keras.Model([target_in, context_in], logits)
    model.compile(optimizer=keras.optimizers.Adam(s["learning_rate"]),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit([targets.astype("int32"), contexts], labels, batch_size=s["batch_size"], epochs=s["epochs"],
              verbose=0, shuffle=True)
    return model.get_layer("word_vectors").embeddings.numpy()


def cached_word2vec(sequences: np.ndarray, vocab_size: int, seed: int, cache_dir: Path) -> np.ndarray:
    """`train_word2vec`, reusing vectors saved earlier for the same corpus, seed and settings."""
    key = hashlib.sha256(json.dumps({"seed": seed, "vocab": vocab_size, **SETTINGS}, sort_keys=True).encode()
                         + np.ascontiguousarray(sequences).tobytes()).hexdigest()[:16]
    path = Path(cache_dir) / f"word2vec-{key}.npy"
    if path.is_file():
        return np.load(path)
    vectors = train_word2vec(sequences, vocab_size, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp.npy")
    np.save(temporary, vectors)
    temporary.replace(path)
    return vectors


def cosine(vectors: np.ndarray, a: int, b: int) -> float:
    va, vb = vectors[a], vectors[b]
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb) + 1e-12))


def nearest(vectors: np.ndarray, vocabulary: list[str], word: str, k: int = 5) -> list[tuple[str, float]]:
    """The k words whose vectors are closest (cosine) to `word`'s."""
    index = vocabulary.index(word)
    unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)
    scores = unit @ unit[index]
    order = [i for i in np.argsort(-scores) if i != index and i > 1][:k]
    return [(vocabulary[i], float(scores[i])) for i in order]
