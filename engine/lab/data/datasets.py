"""The sample data sets, each made to expose one decision's trade-off, and the arrays a run trains on.

Nothing is downloaded: three sets are generated from a seed (`generators.py`), one is real English made
from the installed Python's own docstrings (`realtext.py`), and one is scikit-learn's bundled copy of the
UCI handwritten digits, which ships inside the wheel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import DataError
from ..decisions.specs import check_decision
from . import generators
from . import lookahead as arch_task
from .labdata import LabData

__all__ = ["DATASETS", "DatasetInfo", "LabData", "dataset_info", "default_dataset", "list_datasets", "prepare",
           "resolve_settings"]


@dataclass(frozen=True)
class DatasetInfo:
    """What the Lab page lists: a sample data set for one or more decisions."""

    name: str
    title: str
    description: str
    decisions: tuple[str, ...]
    default_for: tuple[str, ...]
    settings: dict[str, Any]  # setting name -> default value (the values a caller may override)

    def is_default(self, decision: str) -> bool:
        return decision in self.default_for


DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in [
        DatasetInfo(
            "adding", "Adding problem (long-range sum)",
            "Each example is a sequence of random values between -1 and 1 with a second channel that marks "
            "exactly two of them: one in the first tenth of the sequence, one in the second half. The label "
            "is whether the two marked values add up to more than zero. Everything between the marks is "
            "noise, so a model must carry the first value across most of the sequence; plain RNNs lose that "
            "signal to vanishing gradients as the sequence grows, which gated units (LSTM, GRU) are built "
            "to prevent. (A simpler 'remember the first token' task does not show this: plain RNNs solve it "
            "faster than gated ones at short lengths.) 3,000 sequences, 2,250 to train, 750 to validate.",
            ("sequence_model",), ("sequence_model",), {"seq_len": 30, "examples": 3000},
        ),
        DatasetInfo(
            "topics", "Topic sentences (small labelled set + unlabelled corpus)",
            "Made-up words in four topics plus common filler words. Each sentence is mostly filler with three "
            "topic words, and its label is the topic. Topic words are drawn Zipf-like (a few common, many rare) and "
            "only 80 sentences are labelled for training, so many rare topic words in the validation sentences "
            "never appear in the labelled set; a separate corpus of "
            "3,000 unlabelled sentences from the same language is used to train word2vec (skip-gram) "
            "vectors first. Pretrained vectors already place a rare topic word near its topic, which is "
            "exactly what a randomly initialised embedding or a one-hot code cannot know from 80 examples.",
            ("text_encoding", "overfitting"), ("text_encoding",),
            {"labelled": 80, "corpus": 3000, "seq_len": 16},
        ),
        DatasetInfo(
            "stdlib_docs", "Python's own documentation (real English, 7 topics)",
            "Real English: paragraphs of the docstrings in Python's standard library, labelled with the family of "
            "modules they document (files and the operating system, networking and the web, text processing, "
            "math and numbers, concurrency, data formats and storage, testing and debugging). Made on this "
            "machine from the installed Python's own source files (parsed, never imported), 280 paragraphs per "
            "family, the same on every machine with the same Python version. 700 paragraphs validate (100 per "
            "family); the first 'labelled' of the rest train. The pretrained candidate uses GloVe vectors learned "
            "from 6 billion words of Wikipedia and news; the text is Copyright the Python Software Foundation, "
            "PSF License Agreement.",
            ("text_encoding",), (), {"labelled": 350, "seq_len": 48},
        ),
        DatasetInfo(
            "digits_clean", "Handwritten digits, 1,000 clean labels (scikit-learn)",
            "The same 1,797 8x8 digits, with 1,000 correctly labelled training examples and 600 to validate. A "
            "small network (two hidden layers of 64) learns them well with any decent optimizer, so what differs "
            "between optimizers is how fast the loss falls and how much state each keeps per weight.",
            ("optimizer",), ("optimizer",), {"train": 1000, "more": 1000, "label_noise": 0.0},
        ),
        DatasetInfo(
            "lookahead_tags", "Look-ahead tagging (tag each token by its right neighbour)",
            "Sequences of random tokens (ids 1 to 16). Each token's tag is whether the token to its right is odd "
            "or even; the last token, with no right neighbour, is tagged by its own parity. A model that sees "
            "both directions can learn this exactly. A causally masked decoder never sees the next token, which "
            "is drawn independently of everything before it, so it cannot beat a coin toss except on the last "
            "token: its best possible accuracy is ((L-1)/2 + 1)/L for L tokens, 54.2% at 12. 2,000 sequences "
            "to train, 500 to validate.",
            ("transformer_architecture",), ("transformer_architecture",), {"seq_len": 12, "examples": 2500},
        ),
        DatasetInfo(
            "digits", "Handwritten digits, little data (scikit-learn)",
            "The 1,797 8x8 handwritten digits that ship inside scikit-learn, pixels scaled to 0..1. An "
            "over-sized network (two hidden layers of 256) trains on only 150 examples, a fifth of whose labels "
            "were replaced at random (as in hand-labelled data), and is validated on 600 other, correctly "
            "labelled digits. With nothing to stop it the network memorises the wrong labels too: training "
            "accuracy climbs while validation accuracy falls and validation loss rises. Each remedy is added "
            "alone to show how much of that gap it closes; 'more data' trains the same network on 1,000 "
            "examples (equally noisy) instead of 150. On the clean labels only 'more data' helps visibly.",
            ("overfitting",), ("overfitting",), {"train": 150, "more": 1000, "label_noise": 0.2},
        ),
        DatasetInfo(
            "marker_count", "Marker count (which marker is more frequent?)",
            "Token sequences of varying length (half to full sequence length, zero-padded at the end, padding "
            "masked) made of random tokens with one to five copies each of two marker tokens scattered "
            "anywhere. The label is whether the first marker occurs more often than the second. The evidence "
            "is spread over the whole sequence, so a model has to gather it from every position: attention "
            "looks at all positions at once, a recurrent model has to keep a running count step by step. "
            "900 sequences, 600 to train. (A 'does the first token come back?' lookup task was tried first: "
            "no candidate learned it within a few epochs, so it could not show anything.)",
            ("attention_vs_transformer", "sequence_model"), ("attention_vs_transformer",),
            {"seq_len": 32, "examples": 900},
        ),
    ]
}


def list_datasets(decision: str) -> list[DatasetInfo]:
    """The sample data sets a comparison for `decision` can use, its default first."""
    check_decision(decision)
    found = [info for info in DATASETS.values() if decision in info.decisions]
    return sorted(found, key=lambda info: not info.is_default(decision))


def default_dataset(decision: str) -> str:
    return list_datasets(decision)[0].name


def dataset_info(decision: str, name: str) -> DatasetInfo:
    names = [info.name for info in list_datasets(decision)]
    if name not in names:
        raise DataError(f'Data set "{name}" is not available for {decision}; choose one of: {", ".join(names)}.')
    return DATASETS[name]


def _split(x: np.ndarray, y: np.ndarray, n_train: int) -> tuple[np.ndarray, ...]:
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def resolve_settings(decision: str, name: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """The settings of sample set `name` with `overrides` applied; DataError for any that cannot be used."""
    info = dataset_info(decision, name)
    unknown = sorted(k for k, v in overrides.items() if v is not None and k not in info.settings)
    if unknown:
        raise DataError(f'Data set "{name}" has no setting {", ".join(unknown)}; it accepts: '
                        f'{", ".join(info.settings)}.')
    settings = {**info.settings, **{k: v for k, v in overrides.items() if v is not None}}
    shortest = {"marker_count": 10, "lookahead_tags": 2}.get(name, 4)  # marker_count: room for up to nine markers
    if "seq_len" in settings and not shortest <= int(settings["seq_len"]) <= 1000:
        raise DataError(f'seq_len must be between {shortest} and 1000 for "{name}"; got {settings["seq_len"]}.')
    for key, value in settings.items():
        if key not in ("label_noise", "seq_len") and (not isinstance(value, int) or value < 10):
            raise DataError(f'Setting "{key}" of "{name}" must be a whole number of at least 10; got {value!r}.')
    if not 0.0 <= float(settings.get("label_noise", 0.0)) < 1.0:
        raise DataError(f'label_noise must be at least 0 and below 1; got {settings["label_noise"]}.')
    return settings


def prepare(decision: str, name: str, seed: int, overrides: dict[str, Any], cache_dir: Path) -> LabData:
    """Make the arrays of sample set `name` for `decision` with `overrides` applied to its settings."""
    settings = resolve_settings(decision, name, overrides)
    if name == "adding":
        x, y = generators.make_adding_problem(settings["examples"], settings["seq_len"], seed)
        n_train = settings["examples"] * 3 // 4
        return LabData(name, "features", *_split(x, y, n_train), n_classes=2, settings=settings)
    if name == "marker_count":
        x, y = generators.make_marker_count(settings["examples"], settings["seq_len"], seed)
        n_train = settings["examples"] * 2 // 3
        return LabData(name, "tokens", *_split(x, y, n_train), n_classes=2, settings=settings, vocab_size=13)
    if name in ("digits", "digits_clean"):
        return _digits(seed, settings, name)
    if name == "lookahead_tags":
        x, y = arch_task.make_lookahead_tags(settings["examples"], settings["seq_len"], seed)
        n_train = settings["examples"] * 4 // 5
        return LabData(name, "tokens", *_split(x, y, n_train), n_classes=2, settings=settings,
                       vocab_size=arch_task.VOCAB)
    from .text_prep import prepare_stdlib_docs, prepare_topics  # TensorFlow: TextVectorization and word2vec

    if name == "stdlib_docs":
        return prepare_stdlib_docs(seed, settings, cache_dir, pretrained=decision == "text_encoding")
    return prepare_topics(seed, settings, cache_dir, pretrained=decision == "text_encoding")


def _digits(seed: int, settings: dict[str, Any], name: str = "digits") -> LabData:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = (bunch.data / 16.0).astype("float32")
    y = bunch.target.astype("int32")
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    n_val = 600
    small, more = int(settings["train"]), int(settings["more"])
    if not 20 <= small <= more <= len(x) - n_val:
        raise DataError(f"digits: need 20 <= train <= more <= {len(x) - n_val}; got train={small}, more={more}.")
    x_val, y_val = x[:n_val], y[:n_val]
    pool_x = x[n_val:]
    # Noisy training labels (validation stays clean): memorising them is what overfitting looks like.
    pool_y = generators.corrupt_labels(y[n_val:], float(settings["label_noise"]), 10, seed + 1)
    return LabData(name, "flat", pool_x[:small], pool_y[:small], x_val, y_val, n_classes=10,
                   settings=settings, x_more=pool_x[:more], y_more=pool_y[:more])
