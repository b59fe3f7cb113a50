"""The snippet an erratum links to really uses the correction, in code (not only in its comments).

The Review page sends a learner from each erratum to its runnable snippet; test_snippets.py runs them
(slow). This fast check reads each snippet's code, without its docstring and comments, in the
canonical form `ast.unparse` gives (single quotes, normalised spacing), and looks for the corrected
call and for the absence of the wrong one.
"""

from __future__ import annotations

import ast
from functools import cache

import pytest

from engine.study import SNIPPETS_DIR, load_content

# erratum id -> (fragments the snippet's code must contain, fragments it must not contain)
SHOWS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "tape-gradients": (("tape.gradient(loss, model.trainable_variables)",), ("tape.gradients(",)),
    "tape-training-flag": (("model(x_train, training=True)",), ()),
    "regularizers-12": (("keras.regularizers.l2(lam)",), ("regularizers.12",)),
    "legacy-tokenizer": (("layers.TextVectorization(", "vectorizer.adapt(texts)"), ("Tokenizer(", "fit_on_texts")),
    "vocab-size-off-by-one": (("vectorizer.vocabulary_size()",), ("word_index",)),
    "embedding-input-length": (("keras.Input(shape=(max_len,)", "layers.Embedding(input_dim="), ("input_length",)),
    "pad-sequences-import": (("from keras.utils import pad_sequences",), ("keras.preprocessing",)),
    "input-shape-on-layer": (("keras.Input(shape=(784,))", "keras.Model(inputs, decoder(encoder(inputs))"),
                             ("input_shape=",)),
    "save-h5-legacy": (("'model.keras'", "model.save(path)"), ("'model.h5'",)),
    "save-savedmodel-dir": (("'model.keras'",), ()),
    "load-model-quote": (("keras.models.load_model(path)",), ("\u2018",)),
    "save-weights-suffix": (("'model.weights.h5'", "model.save_weights(weights)", "load_weights(weights)"), ()),
    "checkpoint-h5": (("{val_loss:.3f}.keras'", "'best.weights.h5'"), ()),
    "positional-undefined-and-frozen": (("positions = ops.arange(0, length)", "self.pos_emb(positions)"),
                                        ("seq_length",)),
    "encoder-block-dropout-unused": (("super().__init__(**kwargs)", "layers.Dropout(dropout_rate)",
                                      "def get_config(self)", "training=training"), ()),
    "attention-scale-d-model": (("ops.sqrt(ops.cast(ops.shape(key)[-1], 'float32'))",), ("cast(d_model",)),
    "bn-snippet-vs-gotcha": (("layers.BatchNormalization(), layers.Activation('relu')",
                              "layers.Dense(64, activation='relu'), layers.BatchNormalization()"), ()),
    "lstm-snippet-vs-gotcha": (("layers.LSTM(32, return_sequences=True), layers.LSTM(16), layers.Dense(",), ()),
    "masking-layer-placement": (("mask_zero=True", "layers.Masking(mask_value=0.0)"), ()),
    "mha-key-dim-float": (("key_dim=d_model // num_heads",), ()),
    "backprop-vs-descent": (("tape.gradient(", "optimizer.apply_gradients("), ()),
    "reconstruction-loss-definition": (("autoencoder.compile(optimizer='adam', loss='mse')",), ()),
    "batchnorm-placement-contested": (("('BN before activation', before), ('BN after activation', after)",), ()),
    "batchnorm-internal-covariate-shift": (("bn(x, training=True)", "bn(x, training=False)"), ()),
    "early-stopping-zero-cost": (("validation_split=", "restore_best_weights=True"), ()),
    "early-stopping-as-soon-as": (("patience=5",), ("patience=0",)),
    "word-embedding-dimension": (("output_dim=embedding_dim",), ()),
    "bpe-example-split": (("pair_counts(words)", "merge(words, best)"), ()),
    "gru-variable-length": (("layers.LSTM(", "mask_zero=True"), ()),
}


def canonical(source: str) -> str:
    """Python source in canonical form, without its module docstring and comments."""
    tree = ast.parse(source)
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        tree.body = tree.body[1:]
    return ast.unparse(tree)


@cache
def code_of(snippet: str) -> str:
    return canonical((SNIPPETS_DIR / snippet).read_text(encoding="utf-8"))


ERRATA_WITH_SNIPPETS = [e for e in load_content().errata if e.snippet]


def test_every_erratum_with_a_snippet_says_what_the_snippet_shows():
    assert sorted(SHOWS) == sorted(e.id for e in ERRATA_WITH_SNIPPETS)


@pytest.mark.parametrize("erratum", ERRATA_WITH_SNIPPETS, ids=lambda e: e.id)
def test_the_linked_snippet_uses_the_correction(erratum):
    must, must_not = SHOWS[erratum.id]
    code = code_of(erratum.snippet)
    missing = [fragment for fragment in must if fragment not in code]
    assert not missing, f"{erratum.snippet} should show the correction for {erratum.id}: missing {missing}"
    present = [fragment for fragment in must_not if fragment in code]
    assert not present, f"{erratum.snippet} still contains what {erratum.id} corrects: {present}"


def test_docstrings_and_comments_do_not_count_as_code():
    code = canonical('"""Not tape.gradients(x) but..."""\ngrads = tape.gradient(loss, w)  # not tape.gradients(\n')
    assert "tape.gradients(" not in code
    assert code == "grads = tape.gradient(loss, w)"
