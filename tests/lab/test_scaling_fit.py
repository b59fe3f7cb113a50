"""Exponent fitting, the O(n)/O(n^2) judge, the memory check and the BERT-base estimate, on made-up numbers."""

import math

import pytest

from engine.lab.scaling import fit as scaling_fit
from engine.lab.scaling import memory as transformer_memory
from engine.lab.scaling.experiment import (
    DISPLAY_NAMES,
    ScalingResult,
    ScalingRow,
    computed_mb,
    memory_check,
    summarise,
)

LENGTHS = (128, 256, 512, 1024, 2048, 4096)


def made_up(power, noise=(1.0, 1.03, 0.97), overhead=0.0):
    """Three repeats of c * n^power (+ a fixed overhead), each with its own multiplicative wobble per length."""
    return [[(0.001 * n ** power + overhead) * (noise[(i + r) % len(noise)]) for i, n in enumerate(LENGTHS)]
            for r in range(3)]


@pytest.mark.parametrize("power", [1.0, 2.0])
def test_fitted_exponent_recovers_the_power(power):
    fitted = scaling_fit.fit_exponent(LENGTHS, made_up(power))
    assert fitted.value == pytest.approx(power, abs=0.05)
    assert fitted.low < power < fitted.high and fitted.repeats == 3
    assert fitted.lengths == (1024, 2048, 4096)


def test_the_upper_range_sees_past_a_fixed_overhead():
    # n^2 under a large fixed overhead looks almost flat at short lengths; the upper range finds the 2.
    runs = made_up(2.0, overhead=200.0)
    everything = scaling_fit.slope(LENGTHS, runs[0])
    upper = scaling_fit.fit_exponent(LENGTHS, runs)
    assert everything < 1.5 < upper.value
    assert upper.value == pytest.approx(2.0, abs=0.35)


def test_one_repeat_has_no_interval_and_bad_input_is_refused():
    fitted = scaling_fit.fit_exponent(LENGTHS, made_up(1.0)[:1])
    assert fitted.low == fitted.value == fitted.high and "no interval" in fitted.describe()
    with pytest.raises(ValueError, match="positive"):
        scaling_fit.slope([1, 2], [0.0, 1.0])
    with pytest.raises(ValueError, match="two different lengths"):
        scaling_fit.slope([4, 4], [1.0, 2.0])


def exponent(value, low, high):
    return scaling_fit.Exponent(value, low, high, 3, (1024, 2048, 4096))


@pytest.mark.parametrize(("rnn", "attention", "expected", "words"), [
    ((1.0, 0.9, 1.1), (2.0, 1.9, 2.1), True, "Holds"),
    ((1.0, 0.9, 1.1), (1.1, 1.0, 1.2), False, "slower than quadratic"),
    ((1.9, 1.7, 2.1), (2.0, 1.9, 2.1), False, "faster than linear"),
    ((1.0, 0.5, 1.6), (2.0, 1.9, 2.1), None, "Undecided"),
    ((1.0, 0.9, 1.1), (1.8, 1.2, 2.4), None, "Undecided"),
])
def test_judge_has_every_outcome(rnn, attention, expected, words):
    agrees, text = scaling_fit.judge(exponent(*rnn), exponent(*attention))
    assert agrees is expected and words in text


def rows_from(times, peaks):
    rows = []
    for name, runs in times.items():
        for i, n in enumerate(LENGTHS):
            total, scores = computed_mb(name, n, 2, 32, 2)
            per_round = [run[i] for run in runs]
            rows.append(ScalingRow(name, n, sorted(per_round)[1], peaks[name][i], scores, min(per_round),
                                   max(per_round), total))
    return rows


def test_summary_of_made_up_measurements_agrees_when_they_are_linear_and_quadratic():
    times = {"LSTM": made_up(1.0), "MultiHeadAttention": made_up(2.0)}
    att_peaks = [computed_mb("MultiHeadAttention", n, 2, 32, 2)[0] * 1.05 for n in LENGTHS]
    rows = rows_from(times, {"LSTM": [0.5] * 6, "MultiHeadAttention": att_peaks})
    result = summarise(rows, times, LENGTHS, 2, 32, 2, 3, 1.0)
    assert result.agrees is True and "Holds" in result.verdict
    assert result.exponents["MultiHeadAttention memory"] == pytest.approx(2.0, abs=0.05)
    assert "agrees with the computed size" in result.memory_check and "rise with the length" in result.memory_check
    assert result.fit_lengths == [1024, 2048, 4096] and result.estimate["512"]["batch"] == 32
    # and the same summary says no when attention grew linearly
    linear = summarise(rows, {"LSTM": made_up(1.0), "MultiHeadAttention": made_up(1.0)}, LENGTHS, 2, 32, 2, 3, 1.0)
    assert linear.agrees is False and "Does not hold" in linear.verdict


@pytest.mark.parametrize(("factor", "words"), [(1.0, "agrees with"), (3.0, "does not agree with"),
                                               (0.01, "already reserved")])
def test_memory_check_compares_measured_with_computed(factor, words):
    times = {"LSTM": made_up(1.0), "MultiHeadAttention": made_up(2.0)}
    att_peaks = [computed_mb("MultiHeadAttention", n, 2, 32, 2)[0] * factor for n in LENGTHS]
    rows = rows_from(times, {"LSTM": [0.5] * 6, "MultiHeadAttention": att_peaks})
    assert words in memory_check(rows, LENGTHS)


def test_computed_sizes_are_the_tensor_shapes():
    total, scores = computed_mb("MultiHeadAttention", 4096, 2, 32, 2)
    assert scores == 2 * 2 * 4096 * 4096 * 4 / 2**20 == 256.0
    assert total == pytest.approx(256.0 + 5 * 2 * 4096 * 32 * 4 / 2**20)
    assert computed_mb("LSTM", 4096, 2, 32, 2) == (2 * 4096 * 32 * 4 / 2**20, 0.0)


def test_the_results_table_has_human_column_names_and_round_trips():
    times = {"LSTM": made_up(1.0), "MultiHeadAttention": made_up(2.0)}
    rows = rows_from(times, {"LSTM": [None] * 6, "MultiHeadAttention": [None] * 6})
    result = summarise(rows, times, LENGTHS, 2, 32, 2, 3, 1.0)
    table = result.to_frame()
    assert list(table.columns) == list(DISPLAY_NAMES.values())
    assert not {"seq_len", "ms_per_batch", "peak_mb"} & set(table.columns)
    assert set(table["Layer"]) == {"LSTM (recurrent)", "Self-attention"}
    assert "could not be measured" in result.memory_check
    assert ScalingResult.from_dict(result.to_dict()) == result


def test_bert_base_estimate_at_512_tokens():
    at = transformer_memory.estimate(512, batch=32)
    assert transformer_memory.BERT_BASE.parameters() == 109_482_240  # bert-base-uncased's published count
    assert at.attention_scores_gib * 2**30 == 32 * 12 * 512 * 512 * 4  # one layer, 0.375 GiB
    assert at.attention_kept_gib == pytest.approx(12 * 2 * 0.375)
    assert at.training_gib > 8 > transformer_memory.estimate(128, batch=32).training_gib
    assert transformer_memory.quadratic_takes_over() == 640
    assert transformer_memory.estimate(1024).quadratic_share > 0.5 > at.quadratic_share
    assert transformer_memory.largest_batch(512, 8.0) == 10
    assert transformer_memory.largest_batch(512, 1.0) == 0  # not even the weights and optimizer fit
    text = " ".join(transformer_memory.argue_thresholds())
    assert "Estimate, not a measurement" in text and "8 GB" in text and "512 tokens" in text
    assert math.isclose(at.training_gib, at.weights_and_optimizer_gib + at.attention_kept_gib + at.linear_kept_gib)
