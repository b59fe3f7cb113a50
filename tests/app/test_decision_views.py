"""The optimizer and Transformer-architecture extras of a Lab result, on made-up runs (no TensorFlow)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ui.decision_views import attention_chart, optimizer_frame


def run(losses, state=None):
    return SimpleNamespace(history=[SimpleNamespace(val_loss=v) for v in losses],
                           extras={} if state is None else {"optimizer_state_values": state})


def candidate(choice, label, runs, params=100):
    return SimpleNamespace(choice=choice, label=label, runs=runs, trainable_params=params)


def test_optimizer_table_counts_state_per_weight_and_epochs_to_the_shared_target():
    result = SimpleNamespace(candidates=[
        candidate("sgd", "SGD", [run([2.0, 1.5, 1.0], 0), run([2.0, 1.4, 1.1], 0)]),
        candidate("adam", "Adam", [run([1.0, 0.5, 0.4], 200), run([0.9, 0.45, 0.4], 200)]),
        candidate("sgd_momentum", "SGD + momentum", [run([1.2, 0.6, 0.5], 100), run([1.1, 0.7, 0.5], 100)]),
    ])
    frame = optimizer_frame(result).set_index("Candidate")
    assert frame.attrs["target"] == pytest.approx(0.55)  # 10% above the median best loss (0.5)
    assert list(frame["Extra values per weight"]) == [0, 2, 1]
    assert frame.loc["Adam", "Epochs to target loss (mean)"] == 2
    assert frame.loc["SGD", "Seeds that reached it"] == "0 of 2"
    assert frame.loc["SGD + momentum", "Seeds that reached it"] == "2 of 2"


def test_attention_heat_map_keeps_token_order_and_a_fixed_scale():
    spec = attention_chart([[0.1, 0.9], [0.5, 0.5]], [7, 3], "Encoder-only").to_dict()
    assert spec["encoding"]["x"]["sort"] == ["1:7", "2:3"] and spec["encoding"]["y"]["sort"] == ["1:7", "2:3"]
    assert spec["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert spec["height"] >= 250
