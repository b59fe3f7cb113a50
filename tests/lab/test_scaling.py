"""The scaling experiment measures time and memory per batch for an LSTM and self-attention at each length."""

import pytest

from engine.errors import TrainingError
from engine.lab import scaling_experiment

pytestmark = pytest.mark.training


def test_small_scaling_run_returns_a_table_and_a_measured_verdict():
    # In this process (not the shared worker), so the memory readings are a fresh process's first calls.
    result = scaling_experiment(lengths=(128, 1024, 2048, 4096), batch_size=2, num_heads=2, repeats=3, isolate=False)
    table = result.to_records()
    assert list(table.columns) == ["layer", "seq_len", "ms_per_batch", "peak_mb", "attention_matrix_mb", "ms_low",
                                   "ms_high", "computed_mb"]
    assert len(table) == 8 and set(table["layer"]) == {"LSTM", "MultiHeadAttention"}
    assert (table["ms_low"] > 0).all() and (table["ms_low"] <= table["ms_high"]).all()
    # The exponents are measured, not formulas: self-attention's time grows faster than the LSTM's on the
    # upper range (from 1,024 tokens on, past attention's fixed costs). Only the order is asserted: how
    # close each comes to 2 and 1 is a timing on a shared machine, which bench/ reports (a bound of 1.6 on
    # attention's exponent failed here at 1.57 under load, with the LSTM's at 1.10).
    assert result.fit_lengths == [1024, 2048, 4096] and result.repeats == 3
    assert result.exponents["MultiHeadAttention time"] > result.exponents["LSTM time"] + 0.2, result.exponents
    low, high = result.intervals["MultiHeadAttention time"]
    assert low <= result.exponents["MultiHeadAttention time"] <= high
    # Memory: the measured growth of the largest call is within a factor 2 of the computed tensor sizes.
    attention = table[table["layer"] == "MultiHeadAttention"].set_index("seq_len")
    assert attention.loc[4096, "peak_mb"] == pytest.approx(attention.loc[4096, "computed_mb"], rel=0.5)
    assert "agrees with the computed size" in result.memory_check
    assert "length^p" in result.verdict and result.claim.startswith("Attention")
    assert any("Estimate, not a measurement" in line for line in result.estimate_text)
    assert result.to_dict()["rows"][0]["layer"] == "LSTM"


def test_lengths_out_of_range_are_refused():
    with pytest.raises(TrainingError, match="between 2 and 4096"):
        scaling_experiment(lengths=(1, 10))
