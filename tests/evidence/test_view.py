"""The evidence chart: a band per candidate, the rule's thresholds and the user's position drawn."""

from __future__ import annotations

from engine.evidence import bank
from tests.evidence.test_bank import fake_measure
from ui.evidence_view import sweep_chart, sweep_frame

LABELS = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def test_frame_has_intervals_per_point_and_candidate(tmp_path):
    doc = bank.build("sequence_model", fake_measure(), ["test"], bank_dir=tmp_path)
    frame = sweep_frame(doc, LABELS)
    assert len(frame) == 3 * len(doc["points"])
    assert (frame["low"] <= frame["mean"]).all() and (frame["mean"] <= frame["high"]).all()
    assert set(frame["candidate"]) == {"SimpleRNN", "LSTM", "GRU"}


def test_chart_is_tall_enough_and_marks_thresholds_and_user(tmp_path):
    doc = bank.build("sequence_model", fake_measure(), ["test"], bank_dir=tmp_path)
    spec = sweep_chart(sweep_frame(doc, LABELS), "tokens", "val_accuracy",
                       {"rule: 10": 10, "rule: 50": 50, "you: 230": 230}).to_dict()
    assert spec["height"] >= 250
    rule_layers = [layer for layer in spec["layer"] if layer["mark"].get("type", layer["mark"]) == "rule"]
    assert len(rule_layers) == 1
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"
