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
    scale = spec["layer"][0]["encoding"]["x"]["scale"]
    # log, and spanning the data and thresholds rather than rounded out to powers of ten (an axis from 10 for
    # a sweep that starts at 35 left a third of the plot empty)
    assert scale["type"] == "log" and scale["nice"] is False


def _texts(spec: dict) -> list[str]:
    """Every label a text layer draws (thresholds and the user's marks)."""
    found = []
    for layer in spec["layer"]:
        if layer["mark"].get("type", layer["mark"]) == "text":
            found += [row["what"] for row in spec["datasets"][layer["data"]["name"]]]
    return found


def test_the_gap_chart_draws_the_rules_level_and_the_users_gap_and_size(tmp_path):
    from tests.evidence.test_bank import fake_overfitting
    from ui.evidence_charts import level_chart, level_frame

    doc = bank.build("overfitting", fake_overfitting(), ["test"], bank_dir=tmp_path)
    frame = level_frame(doc)
    assert frame["mean"].round(6).tolist() == [30.0, 20.0, 12.0, 8.0, 3.0]  # points, not fractions
    assert (frame["low"] < frame["mean"]).all() and (frame["mean"] < frame["high"]).all()
    spec = level_chart(frame, "training examples", "Gap (points)", {"rule: 5 points": 5},
                       {"you: 300": 300}, {"you: 18 points": 18}).to_dict()
    assert spec["height"] >= 250
    assert set(_texts(spec)) == {"rule: 5 points", "you: 300", "you: 18 points"}


def test_cost_charts_draw_512_and_8_gb_and_the_user(tmp_path):
    from tests.evidence.test_scaling_evidence import scaling_dict
    from ui.evidence_charts import cost_charts, estimate_chart

    for chart in cost_charts(scaling_dict(), 512, 2000):  # time and memory
        spec = chart.to_dict()
        assert spec["height"] >= 250 and set(_texts(spec)) == {"rule: over 512", "you: 2000"}
        # the measured lines keep their data (the threshold layers bring their own)
        assert all("data" in layer for layer in spec["layer"]) or spec["data"]["name"] in spec["datasets"]
        rows = spec["datasets"][spec["data"]["name"]]
        assert {r["seq_len"] for r in rows} == {128, 256, 512, 1024, 2048, 4096}
    memory = estimate_chart(512, 8.0, user_length=2000, user_gb=4).to_dict()
    assert memory["height"] >= 250
    assert set(_texts(memory)) == {"rule: 8 GB", "you: 4 GB", "rule: over 512", "you: 2000"}
    no_user = estimate_chart(512, 8.0, user_gb=0).to_dict()  # no GPU: nothing to draw on a log axis
    assert set(_texts(no_user)) == {"rule: 8 GB", "rule: over 512"}


def test_an_accuracy_band_stays_within_0_and_1(tmp_path):
    doc = bank.build("sequence_model", fake_measure(offset=0.04), ["test"], bank_dir=tmp_path)  # 0.98 +- 0.02
    frame = sweep_frame(doc, LABELS)
    raw = max(p["metric"]["lstm"][-1] for p in doc["points"])
    assert raw > 1.0 and frame["high"].max() == 1.0 and frame["low"].min() >= 0.0
