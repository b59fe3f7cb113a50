"""The evidence bank's files: thresholds read from the rules, provenance, and a check that can fail."""

from __future__ import annotations

import json

from engine.evidence import bank
from engine.evidence.sweeps import SWEEPS, thresholds


def fake_measure(offset: float = 0.0):
    """SimpleRNN wins short sequences, GRU from 20 tokens, LSTM from 50: what the rules say, made up."""

    def measure(sweep, value, seeds):
        rnn = 0.95 if value < 20 else 0.6
        gru = 0.85 + (0.1 if value >= 20 else 0.0)
        lstm = 0.8 + (0.18 if value >= 50 else 0.0)
        jitter = [0.01 * (s - seeds // 2) for s in range(seeds)]
        return {c: [v + j + offset for j in jitter] for c, v in
                (("simple_rnn", rnn), ("gru", gru), ("lstm", lstm))}

    return measure


def test_thresholds_come_from_the_rules_files():
    found = thresholds(SWEEPS["sequence_model"])
    assert [(t.value, t.below, t.above) for t in found] == [(10, "simple_rnn", "gru"), (50, "gru", "lstm")]
    (encoding,) = thresholds(SWEEPS["text_encoding"])
    assert (encoding.value, encoding.below, encoding.above) == (10000, "pretrained_embedding", "learned_embedding")


def test_a_bank_file_records_provenance_and_crossovers(tmp_path):
    doc = bank.build("sequence_model", fake_measure(), ["python", "-m", "engine", "evidence"], bank_dir=tmp_path)
    stored = json.loads((tmp_path / "sequence_model.json").read_text())
    assert stored == json.loads(json.dumps(doc))
    assert stored["provenance"]["code_hash"] == bank.code_hash()
    assert stored["provenance"]["command"] == "python -m engine evidence"
    kinds = {(c["below"], c["above"]): (c["kind"], c["agrees"]) for c in stored["crossovers"]}
    assert kinds[("simple_rnn", "gru")] == ("crosses", False)  # measured between 10 and 20, rule says 10
    assert kinds[("gru", "lstm")] == ("crosses", True)


def test_check_passes_when_a_point_reproduces_and_fails_when_it_does_not(tmp_path):
    bank.build("sequence_model", fake_measure(), ["test"], bank_dir=tmp_path)
    assert bank.check("sequence_model", fake_measure(), bank_dir=tmp_path) == []
    problems = bank.check("sequence_model", fake_measure(offset=0.02), bank_dir=tmp_path)
    assert problems and "recomputed" in problems[0]


def test_check_refuses_a_bank_made_by_other_code(tmp_path):
    bank.build("sequence_model", fake_measure(), ["test"], bank_dir=tmp_path)
    path = tmp_path / "sequence_model.json"
    doc = json.loads(path.read_text())
    doc["provenance"]["code_hash"] = "0" * 16
    path.write_text(json.dumps(doc))
    (problem,) = bank.check("sequence_model", fake_measure(), bank_dir=tmp_path)
    assert "other code" in problem and "Regenerate" in problem


def test_a_missing_bank_says_how_to_make_it(tmp_path):
    (problem,) = bank.check("text_encoding", fake_measure(), bank_dir=tmp_path)
    assert "python -m engine evidence --decision text_encoding" in problem
