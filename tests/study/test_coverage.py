"""Everything in the seed cheatsheet is in the study material (the lists below were written from it).

Seed: ../shared/seed/000_4bf1b4b6ac1511c7.txt. Each list maps the seed's own name for an item to
the id it has in rules/study/, so a renamed or dropped item fails here by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Concept Quick Reference: all 34 rows.
SEED_CONCEPTS = {
    "TensorBoard": "tensorboard", "Autoencoder": "autoencoder", "Reconstruction Loss": "reconstruction-loss",
    "Latent Space": "latent-space", "Backpropagation": "backpropagation", "Gradient Descent": "gradient-descent",
    "Learning Rate": "learning-rate", "Batch Normalization": "batch-normalization", "Tokenization": "tokenization",
    "BPE (Byte-Pair Encoding)": "bpe", "One-Hot Encoding": "one-hot", "Word Embedding": "word-embedding",
    "Word2Vec (Skip-gram/CBOW)": "word2vec", "RNN": "rnn", "LSTM": "lstm", "GRU": "gru",
    "Vanishing Gradient": "vanishing-gradient", "Sequence Masking": "sequence-masking",
    "Early Stopping": "early-stopping", "Dropout": "dropout", "L1 Regularization": "l1",
    "L2 Regularization": "l2", "Data Augmentation": "data-augmentation", "Attention Mechanism": "attention",
    "Self-Attention": "self-attention", "Query (Q)": "query", "Key (K)": "key", "Value (V)": "value",
    "Multi-Head Attention": "multi-head-attention", "Transformer": "transformer",
    "Positional Encoding": "positional-encoding", "Layer Normalization": "layer-normalization",
    "Residual Connection": "residual-connection", "Feed-Forward Network (FFN)": "ffn",
}

# Pros & Cons: the six tables and their rows.
SEED_TABLES = {
    "optimizers": ["sgd", "adam", "rmsprop"],
    "text-encodings": ["one-hot", "trained-embeddings", "pretrained-embeddings"],
    "sequential-models": ["simple-rnn", "lstm", "gru"],
    "regularization": ["dropout", "l1", "l2", "early-stopping"],
    "attention-vs-rnn": ["long-range", "training-speed", "interpretability", "memory"],
    "transformer-architectures": ["encoder-only", "decoder-only", "encoder-decoder"],
}

# Common Gotchas: all 16 rows, by the seed's Topic column.
SEED_GOTCHAS = {
    "Backprop": "backprop-stop-gradient", "Batch Norm": "batchnorm-placement", "Tokenization": "tokenization-oov",
    "Embeddings": "embeddings-small-data", "RNN": "rnn-long-sequences", "LSTM": "lstm-return-sequences",
    "Padding": "padding-without-mask", "Overfitting": "overfitting-more-layers",
    "Early Stopping": "early-stopping-patience", "Saving Models": "saving-weights-only",
    "Attention": "attention-scaling", "Multi-Head": "multihead-key-dim", "Positional Encoding": "positional-info",
    "Transformer": "transformer-residuals", "Layer Norm": "layernorm-not-batchnorm", "FFN": "ffn-width",
}

# Key Formulas: all six, with the numeric drill each must have.
SEED_FORMULAS = {
    "chain-rule": "chain_rule", "gradient-descent": "gradient_step", "momentum": "momentum_step",
    "l2-loss": "l2_penalty", "dropout": "dropout_scale", "embedding-lookup": "embedding_size",
}

# Essential Commands: all 19 sections with the day label the seed gives them.
SEED_COMMANDS = {
    "tensorboard": "Monday", "autoencoder": "Monday", "gradient-tape": "Tuesday", "batch-normalization": "Tuesday",
    "tokenization": "Wednesday", "bpe": "Wednesday", "word2vec": "Wednesday", "embedding": "Wednesday",
    "rnn-lstm": "Thursday", "padding": "Thursday", "masking": "Thursday", "saving": "Friday",
    "checkpoint": "Friday", "early-stopping": "Friday", "regularization": "Friday", "attention": "Friday",
    "multi-head-attention": "Friday", "encoder-block": "Friday", "positional-encoding": "Friday",
}

# Mistakes the errata must record (found by reading the seed against Keras 3.15 / TF 2.21).
REQUIRED_ERRATA = [
    "tape-gradients", "regularizers-12", "legacy-tokenizer", "vocab-size-off-by-one", "embedding-input-length",
    "pad-sequences-import", "input-shape-on-layer", "save-h5-legacy", "save-savedmodel-dir", "load-model-quote",
    "save-weights-suffix", "checkpoint-h5", "positional-undefined-and-frozen", "attention-scale-d-model",
    "bn-snippet-vs-gotcha", "lstm-snippet-vs-gotcha", "momentum-convention", "l2-sum-mislabel",
    "batchnorm-placement-contested", "gru-stepping-stone", "lstm-exploding-gradients", "lstm-gate-count",
    "adam-computationally-heavy", "early-stopping-zero-cost", "backprop-detach", "transforms-typo",
    "parallel-preprocessing", "mha-key-dim-float", "masking-layer-placement",
]


def test_every_seed_concept_is_present(content):
    ids = {c.id for c in content.concepts}
    missing = {name: cid for name, cid in SEED_CONCEPTS.items() if cid not in ids}
    assert not missing
    assert len(content.concepts) == len(SEED_CONCEPTS) == 34


def test_every_pros_and_cons_row_is_present(content):
    tables = {t.id: [r.id for r in t.rows] for t in content.tables}
    assert tables == SEED_TABLES


def test_every_gotcha_is_present_with_wrong_and_right(content):
    gotchas = {g.id: g for g in content.gotchas}
    assert set(gotchas) == set(SEED_GOTCHAS.values())
    for gotcha in gotchas.values():
        assert gotcha.wrong and gotcha.right and gotcha.why


def test_every_formula_is_present_with_its_drill(content):
    assert {f.id: f.quiz for f in content.formulas} == SEED_FORMULAS


def test_every_command_is_present_on_its_seed_day(content):
    assert {c.id: c.day for c in content.commands} == SEED_COMMANDS
    for command in content.commands:
        assert content.snippet_path(command).is_file()


@pytest.mark.parametrize("erratum_id", REQUIRED_ERRATA)
def test_required_erratum_is_recorded(content, erratum_id):
    assert erratum_id in {e.id for e in content.errata}


def test_every_erratum_test_reference_exists(content):
    for erratum in content.errata:
        if not erratum.test:
            continue
        file_name, _, function = erratum.test.partition("::")
        path = ROOT / file_name
        assert path.is_file(), erratum.test
        names = {n.name for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.FunctionDef)}
        assert function in names, f"erratum {erratum.id} names missing test {erratum.test}"
