"""The tagging task behind the Transformer-architecture comparison, and the ceiling a causal model cannot pass."""

from __future__ import annotations

import numpy as np
import pytest

from engine.lab.data.lookahead import causal_ceiling, make_lookahead_tags, right_neighbour_share


def test_each_tag_is_the_parity_of_the_token_to_its_right():
    x, y = make_lookahead_tags(50, 8, seed=3)
    assert x.shape == y.shape == (50, 8)
    assert (y[:, :-1] == x[:, 1:] % 2).all()
    assert (y[:, -1] == x[:, -1] % 2).all()
    assert x.min() >= 1  # 0 is padding and would be masked


def test_same_seed_same_data():
    a, b = make_lookahead_tags(20, 6, seed=1), make_lookahead_tags(20, 6, seed=1)
    assert (a[0] == b[0]).all() and (a[1] == b[1]).all()


def test_causal_ceiling_matches_the_best_left_only_guess():
    # Simulate the best causal predictor: coin toss where the answer is to the right, exact at the end.
    x, y = make_lookahead_tags(20000, 10, seed=0)
    guess = np.zeros_like(y)
    guess[:, -1] = x[:, -1] % 2
    assert (guess == y).mean() == pytest.approx(causal_ceiling(10), abs=0.01)
    assert causal_ceiling(2) == 0.75


def test_right_neighbour_share_reads_the_superdiagonal():
    scores = np.zeros((1, 1, 4, 4))
    for i in range(3):
        scores[0, 0, i, i + 1] = 1.0
    assert right_neighbour_share(scores) == 1.0
    assert right_neighbour_share(np.full((1, 1, 4, 4), 0.25)) == 0.25


def test_too_short_sequences_are_refused():
    with pytest.raises(ValueError, match="at least 2"):
        make_lookahead_tags(5, 1, seed=0)


@pytest.mark.slow
def test_an_encoder_passes_the_causal_ceiling_and_a_decoder_does_not():
    import keras

    from engine.lab.decisions import lab_decision
    from engine.lab.models.probes import attention_scores

    x, y = make_lookahead_tags(2000, 8, seed=0)
    xv, yv = make_lookahead_tags(400, 8, seed=1)
    data = {"x_train": x, "n_classes": 2, "vocab_size": 17}
    found = {}
    for arch in ("encoder_only", "decoder_only"):
        keras.utils.set_random_seed(0)
        model = lab_decision("transformer_architecture").build({"arch": arch}, data, arch)
        model.compile(optimizer=keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=8, batch_size=64, verbose=0)
        found[arch] = model.evaluate(xv, yv, verbose=0)[1]
        scores = attention_scores(model, xv[:32])
        assert scores.shape == (32, 4, 8, 8)
        if arch == "decoder_only":  # the causal mask: nothing above the diagonal
            assert np.triu(scores.mean(axis=(0, 1)), k=1).max() < 1e-6
    assert found["decoder_only"] < causal_ceiling(8) + 0.04
    assert found["encoder_only"] > causal_ceiling(8) + 0.15
