"""Every candidate builds, compiles, trains a step, survives a `.keras` round trip and honours padding masks."""

import numpy as np
import pytest

from engine.lab import candidates, load_model
from engine.lab.data.datasets import LabData
from engine.lab.decisions import lab_decision

pytestmark = [pytest.mark.training,
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]

VOCAB = 13


def token_data(seq_len=12, n=24, seed=0, embedding=True):
    rng = np.random.default_rng(seed)
    x = np.zeros((n, seq_len), dtype="int32")
    for i in range(n):
        length = int(rng.integers(3, seq_len - 2))
        x[i, :length] = rng.integers(2, VOCAB, size=length)
    y = rng.integers(0, 2, size=n).astype("int32")
    vectors = rng.normal(size=(VOCAB, 8)).astype("float32") if embedding else None
    return LabData("tiny", "tokens", x, y, x[:8], y[:8], n_classes=2, settings={}, vocab_size=VOCAB,
                   vectors=vectors, x_more=x, y_more=y)


def feature_data(n=24):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, 10, 2)).astype("float32")
    y = rng.integers(0, 2, size=n).astype("int32")
    return LabData("tiny", "features", x, y, x[:8], y[:8], n_classes=2, settings={})


def flat_data(n=24):
    rng = np.random.default_rng(2)
    x = rng.random(size=(n, 64)).astype("float32")
    y = rng.integers(0, 10, size=n).astype("int32")
    return LabData("tiny", "flat", x, y, x[:8], y[:8], n_classes=10, settings={}, x_more=x, y_more=y)


# Each builder with the input its default data set has; the token path of every decision (used for CSVs)
# is built and run by the masking test below.
CASES = [(spec, "tokens") for decision in ("text_encoding", "attention_vs_transformer")
         for spec in candidates(decision)]
CASES += [(spec, "features") for spec in candidates("sequence_model")]
CASES += [(spec, "flat") for spec in candidates("overfitting")]
MAKERS = {"tokens": token_data, "features": feature_data, "flat": flat_data}


def predict(model, x):
    return np.asarray(model(x, training=False))  # eager: no predict function to trace for 8 rows


def compiled(spec, data):
    from engine.lab.running.runner import compiled_model

    return compiled_model(lab_decision(spec.decision), spec, data, seed=0)


@pytest.mark.parametrize(("spec", "kind"), CASES, ids=[f"{s.decision}-{s.choice}-{k}" for s, k in CASES])
def test_builds_trains_a_step_and_round_trips(spec, kind, tmp_path):
    data = MAKERS[kind]()
    model = compiled(spec, data)
    before = [w.copy() for w in model.get_weights()]
    model.fit(data.x_train[:8], data.y_train[:8], epochs=1, batch_size=8, verbose=0)
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    path = tmp_path / f"{spec.choice}.keras"
    model.save(path)
    loaded = load_model(path)
    np.testing.assert_allclose(predict(loaded, data.x_val), predict(model, data.x_val), rtol=0, atol=1e-6)
    if spec.options.get("encoding") == "pretrained":
        layer = model.get_layer("pretrained_embedding")
        assert not layer.trainable
        np.testing.assert_array_equal(layer.get_weights()[0], data.vectors)  # frozen: unchanged by the step


TOKEN_CASES = [spec for decision in ("text_encoding", "sequence_model", "overfitting", "attention_vs_transformer")
               for spec in candidates(decision)]


@pytest.mark.parametrize("spec", TOKEN_CASES, ids=[f"{s.decision}-{s.choice}" for s in TOKEN_CASES])
def test_extra_padding_does_not_change_the_output(spec):
    short, long = token_data(seq_len=12), token_data(seq_len=20)
    long.x_val = np.pad(short.x_val, ((0, 0), (0, 8)))  # the same sequences with 8 more padding zeros
    a = compiled(spec, short)
    b = compiled(spec, long)
    weights = []
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        if wa.shape != wb.shape:  # the position table grows with the length; padded positions are masked
            wb = wb.copy()
            wb[: wa.shape[0]] = wa
            wa = wb
        weights.append(wa)
    b.set_weights(weights)
    np.testing.assert_allclose(predict(b, long.x_val), predict(a, short.x_val), atol=1e-5)


def test_stacked_recurrent_layers_pass_whole_sequences_on():
    from dataclasses import replace

    spec = replace(candidates("sequence_model")[1], options={"cell": "lstm", "units": 8, "stack": 3})
    model = lab_decision("sequence_model").build(spec.options, feature_data(), spec.choice)
    recurrent = [layer for layer in model.layers if layer.name.startswith("recurrent")]
    assert [layer.return_sequences for layer in recurrent] == [True, True, False]
