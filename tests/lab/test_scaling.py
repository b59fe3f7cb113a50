"""The scaling experiment measures time and memory per batch for an LSTM and self-attention at each length,
and fits the growth exponent that its verdict reports."""

import pytest

from engine.errors import TrainingError
from engine.lab import scaling_experiment
from engine.lab.scaling import _slope as fitted_exponent

LENGTHS = [64, 128, 256, 512, 1024]
NOISE = [1.04, 0.97, 1.02, 0.99, 1.03]  # made-up measurement noise, a few per cent either way


@pytest.mark.parametrize("power", [1.0, 2.0, 0.85, 1.7])
def test_the_fitted_exponent_recovers_a_known_power_law(power):
    times = [0.3 * n**power * noise for n, noise in zip(LENGTHS, NOISE, strict=True)]
    assert fitted_exponent(LENGTHS, times) == pytest.approx(power, abs=0.03)


def test_the_fitted_exponent_tells_linear_from_quadratic():
    linear = fitted_exponent(LENGTHS, [2.5 * n for n in LENGTHS])
    quadratic = fitted_exponent(LENGTHS, [0.001 * n * n for n in LENGTHS])
    assert linear == pytest.approx(1.0) and quadratic == pytest.approx(2.0)
    assert fitted_exponent(LENGTHS, [5.0] * len(LENGTHS)) == pytest.approx(0.0)  # flat cost: exponent 0


@pytest.mark.training
def test_small_scaling_run_returns_a_table_and_a_measured_verdict():
    result = scaling_experiment(lengths=(32, 64, 256), batch_size=4, repeats=2)
    table = result.to_frame()
    assert list(table.columns) == ["layer", "seq_len", "ms_per_batch", "peak_mb", "attention_matrix_mb"]
    assert len(table) == 6 and set(table["layer"]) == {"LSTM", "MultiHeadAttention"}
    assert (table["ms_per_batch"] > 0).all()
    attention = table[table["layer"] == "MultiHeadAttention"].set_index("seq_len")
    assert attention.loc[256, "ms_per_batch"] > attention.loc[32, "ms_per_batch"]
    assert {"LSTM time", "MultiHeadAttention time"} <= set(result.exponents)
    lstm = table[table["layer"] == "LSTM"]
    assert result.exponents["LSTM time"] == pytest.approx(
        fitted_exponent(list(lstm["seq_len"]), list(lstm["ms_per_batch"])))  # the verdict's exponent is this fit
    assert f"length^{result.exponents['MultiHeadAttention time']:.2f}" in result.verdict
    assert "length^" in result.verdict and result.claim.startswith("Attention")
    assert result.to_dict()["rows"][0]["layer"] == "LSTM"


@pytest.mark.training
def test_lengths_out_of_range_are_refused():
    with pytest.raises(TrainingError, match="between 2 and 4096"):
        scaling_experiment(lengths=(1, 10))
