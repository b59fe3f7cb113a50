"""Latency and memory against the attention rule's 512-token and 8 GB thresholds, on made-up measurements."""

from __future__ import annotations

import pytest

from engine.evidence.scaling_evidence import (
    cost_thresholds,
    describe_scaling,
    estimate_curve,
    length_at_memory,
    memory_verdict,
    time_crossover,
)
from engine.lab.scaling import memory as transformer_memory
from engine.lab.scaling.experiment import ScalingResult, ScalingRow, computed_mb, summarise

LENGTHS = (128, 256, 512, 1024, 2048, 4096)


def scaling_dict(attention_ms=None, lstm_ms=None) -> dict:
    """A made-up scaling run: the LSTM linear, attention quadratic and slower from 1,024 tokens."""
    attention_ms = attention_ms or {n: n * n / 20000 + 1 for n in LENGTHS}
    lstm_ms = lstm_ms or {n: 0.03 * n for n in LENGTHS}
    rows, times = [], {}
    for name, ms in (("LSTM", lstm_ms), ("MultiHeadAttention", attention_ms)):
        rounds = [[ms[n] * (1 + 0.02 * r) for n in LENGTHS] for r in range(3)]
        times[name] = rounds
        for i, n in enumerate(LENGTHS):
            per = [run[i] for run in rounds]
            total, scores = computed_mb(name, n, 2, 32, 2)
            rows.append(ScalingRow(name, n, per[1], total, scores, min(per), max(per), total))
    return summarise(rows, times, LENGTHS, 2, 32, 2, 3, 1.0).to_dict()


def test_thresholds_come_from_the_rules_file():
    found = cost_thresholds()
    assert (found.longest_fitting, found.memory_gb) == (512, 8.0)


def test_the_time_crossover_is_a_span_between_clear_sides():
    result = ScalingResult.from_dict(scaling_dict())
    assert time_crossover(result) == (512, 1024)
    never = ScalingResult.from_dict(scaling_dict(attention_ms={n: 0.1 for n in LENGTHS}))
    assert time_crossover(never) == (4096, None)


def test_describe_places_the_time_crossover_against_512():
    lines = describe_scaling({"decision": "attention_vs_transformer", "scaling": scaling_dict()})
    time_line = next(line for line in lines if line.startswith("Time:"))
    assert "between 512 and 1,024 tokens" in time_line and "around the rule's 512" not in time_line
    assert any(line.startswith("At the rule's 512 tokens") for line in lines)
    assert any("Memory (BERT-base estimate" in line for line in lines)
    assert any(line.startswith("Memory check: At 4,096 tokens") for line in lines)


def test_describe_says_when_time_never_supports_the_edge():
    flat = scaling_dict(attention_ms={n: 0.1 for n in LENGTHS})
    lines = describe_scaling({"decision": "attention_vs_transformer", "scaling": flat})
    assert any("never clearly slower" in line for line in lines)


def test_no_stored_measurement_no_sentences():
    assert describe_scaling({"decision": "attention_vs_transformer"}) == []


def test_length_at_memory_is_the_last_length_that_fits():
    n = length_at_memory(8.0, 8)
    assert transformer_memory.estimate(n, 8).training_gib <= 8.0 < transformer_memory.estimate(n + 1, 8).training_gib
    assert length_at_memory(0.1, 8) is None  # the weights alone do not fit
    assert length_at_memory(1e9, 1, longest=4096) == 4096


@pytest.mark.parametrize(("fits", "expected"), [(600, "close to the rule's 512"), (2000, "far from the rule's 512"),
                                                (None, "cannot place the edge")])
def test_memory_verdict_both_ways(fits, expected):
    assert expected in memory_verdict(fits, 512, 8.0, 8)


def test_estimate_curve_grows_with_length_and_batch():
    curve = estimate_curve()
    by = {(r["seq_len"], r["batch"]): r["training_gib"] for r in curve}
    assert by[1024, 32] > by[512, 32] > by[512, 8]
