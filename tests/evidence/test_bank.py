"""The evidence bank's files: thresholds read from the rules, provenance, and a check that can fail."""

from __future__ import annotations

import dataclasses
import json

import pytest

from engine.evidence import bank
from engine.evidence.sweeps import SWEEPS, levels, thresholds


def with_extras(measure):
    """`measure` with the bookkeeping every banked point records beside its metric (see Sweep.extra_metrics):
    validation accuracy as the metric, 12 epochs run and the middle learning rate, when it gives none."""

    def measured(sweep, value, seeds, chosen=None):
        found = measure(sweep, value, seeds, chosen)
        filler = {"val_accuracy": lambda: found[sweep.metric], "epochs_run": lambda: 12.0,
                  "learning_rate_factor": lambda: 1.0}
        for metric in sweep.extra_metrics:
            if metric not in found:
                made = filler[metric]()
                found[metric] = made if isinstance(made, dict) else {c: [made] * seeds for c in found[sweep.metric]}
        return found

    return measured


def fake_measure(offset: float = 0.0):
    """SimpleRNN wins short sequences, GRU from 20 tokens, LSTM from 50: what the rules say, made up."""

    def measure(sweep, value, seeds, chosen=None):
        rnn = 0.95 if value < 20 else 0.6
        gru = 0.85 + (0.1 if value >= 20 else 0.0)
        lstm = 0.8 + (0.18 if value >= 50 else 0.0)
        jitter = [0.01 * (s - (seeds - 1) / 2) for s in range(seeds)]  # mean 0
        return {sweep.metric: {c: [v + j + offset for j in jitter] for c, v in
                               (("simple_rnn", rnn), ("gru", gru), ("lstm", lstm))}}

    return with_extras(measure)


def fake_overfitting(gap_offset: float = 0.0):
    """No remedy's gap shrinks with the training set (0.3 at 50 examples, 0.02 at 1,197); dropout helps by
    6 points up to 200 examples and not at all beyond: the rule's story, made up."""

    def measure(sweep, value, seeds, chosen=None):
        jitter = [0.004 * (s - (seeds - 1) / 2) for s in range(seeds)]  # mean 0
        gap = {50: 0.3, 100: 0.2, 200: 0.12, 400: 0.08, 800: 0.03, 1197: 0.02}[value]
        base = 0.6 + value / 4000
        dropout = base + (0.06 if value <= 200 else 0.0)
        test = {"no_remedy": base, "dropout": dropout, "l2": base + 0.01, "more_data": 0.8}
        return {"test_accuracy": {c: [v + j for j in jitter] for c, v in test.items()},
                "gap": {c: [(gap if c == "no_remedy" else 0.03) + gap_offset + j for j in jitter] for c in test},
                "train_accuracy": {c: [0.99 + j / 10 for j in jitter] for c in test},
                "val_accuracy": {c: [v + j for j in jitter] for c, v in test.items()}}

    return with_extras(measure)


def fake_scaling():
    from tests.evidence.test_scaling_evidence import scaling_dict

    return scaling_dict()


def test_thresholds_come_from_the_rules_files():
    found = thresholds(SWEEPS["sequence_model"])
    assert [(t.value, t.below, t.above) for t in found] == [(10, "simple_rnn", "gru"), (50, "gru", "lstm")]
    (encoding,) = thresholds(SWEEPS["text_encoding"])
    assert (encoding.value, encoding.below, encoding.above) == (10000, "pretrained_embedding", "learned_embedding")
    # With limited GPU memory the attention rule switches to a plain LSTM past 512 tokens (bin edge 513).
    (length,) = thresholds(SWEEPS["attention_vs_transformer"])
    assert (length.value, length.below, length.above) == (513, "rnn_with_attention", "lstm")
    # The overfitting rule reads no training-set size: its threshold is on the measured gap, in points.
    assert thresholds(SWEEPS["overfitting"]) == []
    (gap,) = levels(SWEEPS["overfitting"])
    assert (gap.value, gap.below, gap.above) == (5, "early_stopping", "dropout")
    assert levels(SWEEPS["sequence_model"]) == []


def test_the_code_hash_follows_the_decisions_own_sweep_not_the_others(monkeypatch):
    before = {d: bank.code_hash(d) for d in SWEEPS}
    changed = dataclasses.replace(SWEEPS["overfitting"], values=(50, 100))
    monkeypatch.setitem(bank.BANKED, "overfitting", changed)
    after = {d: bank.code_hash(d) for d in SWEEPS}
    assert after["overfitting"] != before["overfitting"]
    assert {d: h for d, h in after.items() if d != "overfitting"} == {
        d: h for d, h in before.items() if d != "overfitting"}


def test_a_bank_file_records_provenance_and_crossovers(tmp_path):
    doc = bank.build("sequence_model", fake_measure(), ["python", "-m", "engine", "evidence"], bank_dir=tmp_path)
    stored = json.loads((tmp_path / "sequence_model.json").read_text())
    assert stored == json.loads(json.dumps(doc))
    assert stored["provenance"]["code_hash"] == bank.code_hash("sequence_model")
    assert stored["provenance"]["command"] == "python -m engine evidence"
    kinds = {(c["below"], c["above"]): (c["kind"], c["agrees"]) for c in stored["crossovers"]}
    assert kinds[("simple_rnn", "gru")] == ("crosses", False)  # measured between 10 and 20, rule says 10
    assert kinds[("gru", "lstm")] == ("crosses", True)


def test_check_passes_when_a_point_reproduces_and_fails_when_it_does_not(tmp_path):
    bank.build("sequence_model", fake_measure(), ["test"], bank_dir=tmp_path)
    same = bank.check("sequence_model", fake_measure(), bank_dir=tmp_path)
    assert same.problems == [] and same.same_cpu and "reproduced on the CPU that made it" in same.sentence()
    problems = bank.check("sequence_model", fake_measure(offset=0.02), bank_dir=tmp_path).problems
    assert problems and "recomputed" in problems[0]


def test_check_can_retrain_the_first_seeds_only(tmp_path):
    asked = []

    def per_seed(moved=None):  # each seed's value depends on that seed alone, as in training
        def measure(sweep, value, seeds, chosen=None):
            asked.append(seeds)
            return {sweep.metric: {c: [0.7 + 0.01 * s + (0.02 if s == moved else 0.0) for s in range(seeds)]
                                   for c in ("simple_rnn", "gru", "lstm")}}

        return with_extras(measure)

    bank.build("sequence_model", per_seed(), ["test"], bank_dir=tmp_path)
    found = bank.check("sequence_model", per_seed(), bank_dir=tmp_path, seeds=2)
    assert asked[-1] == 2 and found.problems == [] and "2 seeds retrained" in found.sentence()
    assert bank.check("sequence_model", per_seed(moved=1), bank_dir=tmp_path, seeds=2).problems
    assert bank.check("sequence_model", per_seed(moved=4), bank_dir=tmp_path, seeds=2).problems == []  # not retrained


def jittered(seed_offsets):
    """fake_measure with each seed moved by its own offset (another CPU's rounding, made up)."""
    base = fake_measure()

    def measure(sweep, value, seeds, chosen=None):
        found = base(sweep, value, seeds)
        return {m: {c: [v + seed_offsets[i] for i, v in enumerate(vs)] for c, vs in per.items()}
                for m, per in found.items()}

    return measure


OTHER_CPU = {"model": "another", "isa": ["avx2"], "cores": 2}


def test_another_cpu_may_move_single_seeds_a_little_but_not_the_means(tmp_path):
    bank.build("sequence_model", fake_measure(), ["test"], bank_dir=tmp_path)
    seeds = bank.SWEEPS["sequence_model"].seeds
    small = [0.02, -0.02] + [0.0] * (seeds - 2)  # two seeds flip a few examples, in opposite directions
    here = bank.check("sequence_model", jittered(small), bank_dir=tmp_path)  # on the CPU that made it: too much
    assert here.problems and here.largest == pytest.approx(0.02)
    other = bank.check("sequence_model", jittered(small), bank_dir=tmp_path, here=OTHER_CPU)
    assert other.problems == [] and not other.same_cpu and "another CPU" in other.sentence()
    drift = [0.015] * seeds  # every seed a little better: the mean itself moved
    moved = bank.check("sequence_model", jittered(drift), bank_dir=tmp_path, here=OTHER_CPU).problems
    assert moved and all("the mean over seeds moved by 0.0150" in p for p in moved)
    far = bank.check("sequence_model", jittered([0.05] + [0.0] * (seeds - 1)), bank_dir=tmp_path, here=OTHER_CPU)
    assert any("seed 0" in p and "tolerance 0.03" in p for p in far.problems)


def test_the_bank_records_the_cpu_that_made_it(tmp_path):
    document = bank.build("sequence_model", fake_measure(), ["test"], bank_dir=tmp_path)
    assert document["provenance"]["cpu"] == bank.cpu() and bank.cpu()["cores"] >= 1


def test_check_refuses_a_bank_made_by_other_code(tmp_path):
    bank.build("sequence_model", fake_measure(), ["test"], bank_dir=tmp_path)
    path = tmp_path / "sequence_model.json"
    doc = json.loads(path.read_text())
    doc["provenance"]["code_hash"] = "0" * 16
    path.write_text(json.dumps(doc))
    (problem,) = bank.check("sequence_model", fake_measure(), bank_dir=tmp_path).problems
    assert "other code" in problem and "Regenerate" in problem


def test_a_missing_bank_says_how_to_make_it(tmp_path):
    (problem,) = bank.check("text_encoding", fake_measure(), bank_dir=tmp_path).problems
    assert "python -m engine evidence --decision text_encoding" in problem


def test_an_overfitting_bank_stores_the_gap_and_sets_it_against_the_rules_level(tmp_path):
    doc = bank.build("overfitting", fake_overfitting(), ["test"], bank_dir=tmp_path)
    assert set(doc["points"][0]["extra"]) == {"gap", "train_accuracy", "val_accuracy", "epochs_run",
                                              "learning_rate_factor"}
    assert doc["crossovers"] == []
    (level,) = doc["levels"]
    assert (level["level"], level["kind"], level["span"]) == (5, "falls_below", [400, 800])
    assert level["lines_up"] is False  # at 400 the gap is still 8 points but dropout no longer helps
    lines = bank.describe_levels(doc, {"dropout": "Dropout", "no_remedy": "No remedy"})
    assert "between 400 and 800" in lines[0] and "do not line up" in lines[2] and "at 400" in lines[2]
    assert bank.check("overfitting", fake_overfitting(), bank_dir=tmp_path).problems == []
    problems = bank.check("overfitting", fake_overfitting(gap_offset=0.01), bank_dir=tmp_path).problems
    assert problems and all(", gap, seed" in p for p in problems)  # the gap is checked, not only the metric


def test_a_sweep_that_stores_cost_against_length_needs_that_measurement(tmp_path):
    def measure(sweep, value, seeds, chosen=None):
        return {sweep.metric: {c: [0.7 + 0.01 * s for s in range(seeds)] for c in
                               ("rnn_with_attention", "transformer", "lstm", "gru_or_small_rnn")}}

    measure = with_extras(measure)
    with pytest.raises(bank.EvidenceError, match="latency and memory"):
        bank.build("attention_vs_transformer", measure, ["test"], bank_dir=tmp_path)
    doc = bank.build("attention_vs_transformer", measure, ["test"], bank_dir=tmp_path, scaling=fake_scaling)
    assert doc["scaling"]["rows"] and doc["scaling_seconds"] >= 0
    (crossing,) = doc["crossovers"]
    assert crossing["kind"] == "no_difference"  # identical candidates: no switch placed
