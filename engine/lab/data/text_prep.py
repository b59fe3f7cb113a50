"""What a run's data needs after loading: pretrained vectors, a test split, a CSV made into token ids; and the
notes that describe the data to the user.

Every change to the arrays goes through a recorded step from `samples.py`, so the generated script repeats
it. Imports TensorFlow through those steps (TextVectorization, word2vec): import only inside functions.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import DataError
from . import glove, samples
from .csv_data import CsvSource, tokenize
from .labdata import LabData, Needs, Recipe
from .word2vec import cached_word2vec

MAX_VOCABULARY = 20_000
ONE_HOT_VOCABULARY = 3_000


def describe(data: LabData, arrays: dict[str, Any]) -> None:
    """The notes a sample set's arrays call for (what the user should know about this draw)."""
    if data.name == "topics":
        seen = set(np.unique(data.x_train))
        val_tokens = data.x_val[data.x_val > 1]
        unseen = float(np.mean([t not in seen for t in val_tokens]))
        data.notes.append(f"{unseen:.0%} of the validation tokens never occur in the {len(data.x_train)} labelled "
                          "training sentences.")
    if data.name == "stdlib_docs":
        classes = arrays["classes"]
        data.settings = {**data.settings, "classes": classes}
        data.notes.extend(arrays["notes"])
        data.notes.append(f"{len(classes)} classes, {len(data.x_train)} training and {len(data.x_val)} validation "
                          f"paragraphs, vocabulary of the {data.vocab_size:,} most frequent words (fingerprint "
                          f"{arrays['fingerprint']}).")


def finish(data: LabData, seed: int, cache_dir: Path, needs: Needs, recipe: Recipe | None = None) -> LabData:
    """Apply what the decision needs to the loaded data, as recorded steps, in the order a script repeats them."""
    if data.input_kind not in needs.input_kinds:
        raise DataError(f'Data set "{data.name}" holds numbers, not text; this decision needs token sequences.')
    recipe = recipe or _recipe_of(data)
    arrays = data.arrays()
    if needs.more_data_split and data.name == "csv":
        arrays = recipe.step(samples.halve_for_more_data, arrays)
        data.notes.append(f"Remedies trained on {len(arrays['x_train'])} rows; 'more data' on all "
                          f"{len(arrays['x_more'])} training rows.")
    if needs.pretrained_vectors and data.input_kind == "tokens":
        arrays = _pretrained(data, arrays, seed, cache_dir, recipe)
    if needs.hold_out_test:
        arrays = recipe.step(samples.hold_out_test, arrays)
    data.update(arrays, recipe)
    return data


def _recipe_of(data: LabData) -> Recipe:
    recipe = Recipe()
    recipe.calls = list(data.recipe)
    return recipe


def _pretrained(data: LabData, arrays: dict[str, Any], seed: int, cache_dir: Path, recipe: Recipe) -> dict[str, Any]:
    """GloVe for English text, word2vec on the unlabelled corpus for the invented words of `topics`; and word2vec
    on the training texts for the home-made candidate."""
    train = partial(cached_word2vec, cache_dir=cache_dir)  # the same vectors, kept for the next run
    if "x_corpus" in arrays:
        arrays = recipe.step(samples.pretrained_from_corpus, arrays, seed, train=train)
        data.vectors_source = (f"word2vec trained on {len(arrays['x_corpus']):,} unlabelled sentences of the same "
                               "made-up language (GloVe does not know its invented words)")
        data.notes.append(f"Pretrained vectors: {data.vectors_source}.")
    else:
        loaded = glove.load()
        arrays = recipe.step(samples.pretrained_from_glove, arrays, glove=(loaded.vectors, loaded.index))
        data.vectors_source = glove.SOURCE
        found = glove.coverage(arrays["vocabulary"], loaded.index)
        data.notes.append(glove.coverage_note(found, data.vocab_size))
        if found < 0.5:
            data.notes.append("Under half the words are known to GloVe (not English, or codes and names): the "
                              "pretrained candidate has little to build on here.")
    return recipe.step(samples.home_made_word2vec, arrays, seed, train=train)


def csv_seq_len(source: CsvSource, seed: int) -> int:
    """The 95th percentile of the training texts' lengths in tokens, between 4 and 200."""
    order = np.random.default_rng(seed).permutation(len(source.texts))
    n_val = max(len(source.texts) // 5, 1)
    lengths = sorted(len(tokenize(source.texts[i].strip())) for i in order[n_val:])
    return int(min(max(lengths[int(0.95 * (len(lengths) - 1))], 4), 200))


def prepare_csv(source: CsvSource, seed: int, seq_len: int | None, cache_dir: Path, needs: Needs) -> LabData:
    """Shuffle with `seed`, hold out 20% for validation, vectorise on the training texts only."""
    texts = [t.strip() for t in source.texts]
    labels = [label.strip() for label in source.labels]
    seq_len = csv_seq_len(source, seed) if seq_len is None else seq_len
    if not 4 <= seq_len <= 1000:
        raise DataError(f"{source.name}: seq_len must be between 4 and 1000; got {seq_len}.")
    # One-hot inputs are as wide as the vocabulary, per token: cap it so a batch stays well under 100 MB.
    max_tokens = ONE_HOT_VOCABULARY if needs.one_hot_vocabulary else MAX_VOCABULARY
    recipe = Recipe()
    arrays = recipe.load(samples.load_texts, texts, labels, seed, seq_len, max_tokens)
    settings = {"seq_len": seq_len, "rows": len(texts), "classes": arrays["classes"], "file": source.name}
    data = LabData.from_arrays("csv", "tokens", settings, arrays, recipe)
    if needs.one_hot_vocabulary and data.vocab_size >= ONE_HOT_VOCABULARY:
        data.notes.append(f"Vocabulary capped at the {ONE_HOT_VOCABULARY:,} most frequent words (the rest "
                          "count as unknown) so the one-hot candidate fits in memory.")
    return finish(data, seed, cache_dir, needs, recipe)
