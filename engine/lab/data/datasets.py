"""The sample data sets: what each is for, its settings and limits, and `prepare`, which makes a run's `LabData`.

Nothing is downloaded: four sets are generated from a seed (`generators.py`, `lookahead.py`), one is real
English made from the installed Python's own docstrings (`realtext.py`), and two are scikit-learn's bundled
copy of the UCI handwritten digits, which ships inside the wheel. Which decisions train on which set is
said by each decision (`engine.lab.decisions`); the arrays come from the loaders in `samples.py`, whose
calls `prepare` records so a generated script makes the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import DataError
from . import samples
from .csv_data import CsvSource
from .labdata import LabData, Needs, Recipe

STDLIB_POOL = 7 * 280 - 700  # stdlib_docs: paragraphs left to train on after 700 validate

__all__ = ["DATASETS", "DatasetInfo", "LabData", "dataset", "prepare", "prepare_csv", "resolve_settings"]


@dataclass(frozen=True)
class DatasetInfo:
    """One sample data set: what the Lab page lists about it, how it is made, and what it can be made at."""

    name: str
    title: str
    description: str
    settings: dict[str, Any]  # setting name -> default value (the values a caller may override)
    load: Callable[..., dict[str, Any]]  # (settings, seed) -> arrays; its source is shown in generated scripts
    input_kind: str  # LabData.input_kind of what it makes
    shortest: int = 4  # the shortest sequence length it can be made at
    max_labelled: int = 1000  # the most training examples the page offers (a run takes seconds, not minutes)
    size: tuple[str, float] = ("train", 1.0)  # the setting that sets the training size, per training example
    vocabulary: str = "its own"  # its vocabulary, in words, for the note beside the interview's vocabulary size


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
        settings={"seq_len": 30, "examples": 3000}, load=samples.load_adding,
        input_kind="features", shortest=4, max_labelled=4500,
        size=("examples", 4 / 3), vocabulary="no tokens: two numbers per step",
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
        settings={"labelled": 80, "corpus": 3000, "seq_len": 16}, load=samples.load_topics,
        input_kind="tokens", shortest=4, max_labelled=2000,
        size=("labelled", 1.0), vocabulary="about 280 made-up words",
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
        settings={"labelled": 350, "seq_len": 48}, load=samples.load_stdlib_docs,
        input_kind="tokens", shortest=4, max_labelled=1260,
        size=("labelled", 1.0), vocabulary="its own",
    ),
    DatasetInfo(
        "digits_clean", "Handwritten digits, 1,000 clean labels (scikit-learn)",
        "The same 1,797 8x8 digits, with 1,000 correctly labelled training examples and 600 to validate. A "
        "small network (two hidden layers of 64) learns them well with any decent optimizer, so what differs "
        "between optimizers is how fast the loss falls and how much state each keeps per weight.",
        settings={"train": 1000, "more": 1000, "label_noise": 0.0}, load=samples.load_digits,
        input_kind="flat", shortest=4, max_labelled=1000,
        size=("train", 1.0), vocabulary="no tokens: 64 pixels",
    ),
    DatasetInfo(
        "lookahead_tags", "Look-ahead tagging (tag each token by its right neighbour)",
        "Sequences of random tokens (ids 1 to 16). Each token's tag is whether the token to its right is odd "
        "or even; the last token, with no right neighbour, is tagged by its own parity. A model that sees "
        "both directions can learn this exactly. A causally masked decoder never sees the next token, which "
        "is drawn independently of everything before it, so it cannot beat a coin toss except on the last "
        "token: its best possible accuracy is ((L-1)/2 + 1)/L for L tokens, 54.2% at 12. 2,000 sequences "
        "to train, 500 to validate.",
        settings={"seq_len": 12, "examples": 2500}, load=samples.load_lookahead_tags,
        input_kind="tokens", shortest=2, max_labelled=4000,
        size=("examples", 5 / 4), vocabulary="16 tokens",
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
        settings={"train": 150, "more": 1000, "label_noise": 0.2}, load=samples.load_digits,
        input_kind="flat", shortest=4, max_labelled=1000,
        size=("train", 1.0), vocabulary="no tokens: 64 pixels",
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
        settings={"seq_len": 32, "examples": 900}, load=samples.load_marker_count,
        input_kind="tokens", shortest=10, max_labelled=2000,
        size=("examples", 3 / 2), vocabulary="12 tokens",
    ),
    ]
}


def dataset(name: str) -> DatasetInfo:
    if name not in DATASETS:
        raise DataError(f'No sample data set "{name}"; the sets are: {", ".join(DATASETS)}.')
    return DATASETS[name]


def resolve_settings(info: DatasetInfo | str, overrides: dict[str, Any]) -> dict[str, Any]:
    """The settings of a sample set with `overrides` applied; DataError for any that cannot be used."""
    info = dataset(info) if isinstance(info, str) else info
    name = info.name
    unknown = sorted(k for k, v in overrides.items() if v is not None and k not in info.settings)
    if unknown:
        raise DataError(f'Data set "{name}" has no setting {", ".join(unknown)}; it accepts: '
                        f'{", ".join(info.settings)}.')
    settings = {**info.settings, **{k: v for k, v in overrides.items() if v is not None}}
    if "seq_len" in settings and not info.shortest <= int(settings["seq_len"]) <= 1000:
        raise DataError(f'seq_len must be between {info.shortest} and 1000 for "{name}"; got {settings["seq_len"]}.')
    for key, value in settings.items():
        if key not in ("label_noise", "seq_len") and (not isinstance(value, int) or value < 10):
            raise DataError(f'Setting "{key}" of "{name}" must be a whole number of at least 10; got {value!r}.')
    if not 0.0 <= float(settings.get("label_noise", 0.0)) < 1.0:
        raise DataError(f'label_noise must be at least 0 and below 1; got {settings["label_noise"]}.')
    if info.load is samples.load_digits:
        small, more, pool = int(settings["train"]), int(settings["more"]), 1797 - 600
        if not 20 <= small <= more <= pool:
            raise DataError(f"digits: need 20 <= train <= more <= {pool}; got train={small}, more={more}.")
    if name == "stdlib_docs" and not 10 <= int(settings["labelled"]) <= STDLIB_POOL:
        raise DataError(f'"labelled" for stdlib_docs must be between 10 and {STDLIB_POOL:,} (the paragraphs left '
                        f"after 700 are held out for validation); got {settings['labelled']}.")
    return settings


def prepare(info: DatasetInfo | str, seed: int, overrides: dict[str, Any], cache_dir: Path, needs: Needs) -> LabData:
    """Make the arrays of a sample set (its info, or a shared set's name) with `overrides` applied to its
    settings, and what `needs` asks for."""
    info = dataset(info) if isinstance(info, str) else info
    settings = resolve_settings(info, overrides)
    recipe = Recipe()
    hidden = {"cache_dir": cache_dir} if info.load is samples.load_stdlib_docs else {}
    arrays = recipe.load(info.load, settings, seed, **hidden)
    data = LabData.from_arrays(info.name, info.input_kind, settings, arrays, recipe)
    from . import text_prep  # TensorFlow: TextVectorization and word2vec

    text_prep.describe(data, arrays)
    return text_prep.finish(data, seed, cache_dir, needs)


def prepare_csv(source: CsvSource, seed: int, seq_len: int | None, cache_dir: Path, needs: Needs) -> LabData:
    """Shuffle with `seed`, hold out 20% for validation, vectorise on the training texts only."""
    from . import text_prep  # TensorFlow: TextVectorization and word2vec

    return text_prep.prepare_csv(source, seed, seq_len, cache_dir, needs)
