"""The scaling experiment measures time and memory per batch for an LSTM and self-attention at each length."""

import pytest

from engine.errors import TrainingError
from engine.lab import scaling_experiment

pytestmark = pytest.mark.training


def test_small_scaling_run_returns_a_table_and_a_measured_verdict():
    result = scaling_experiment(lengths=(32, 64, 256), batch_size=4, repeats=2)
    table = result.to_frame()
    assert list(table.columns) == ["layer", "seq_len", "ms_per_batch", "peak_mb", "attention_matrix_mb"]
    assert len(table) == 6 and set(table["layer"]) == {"LSTM", "MultiHeadAttention"}
    assert (table["ms_per_batch"] > 0).all()
    attention = table[table["layer"] == "MultiHeadAttention"].set_index("seq_len")
    assert attention.loc[256, "attention_matrix_mb"] == pytest.approx(4 * 4 * 256 * 256 * 4 / 2**20)
    assert attention.loc[256, "ms_per_batch"] > attention.loc[32, "ms_per_batch"]
    assert {"LSTM time", "MultiHeadAttention time"} <= set(result.exponents)
    assert "length^" in result.verdict and result.claim.startswith("Attention")
    assert result.to_dict()["rows"][0]["layer"] == "LSTM"


def test_lengths_out_of_range_are_refused():
    with pytest.raises(TrainingError, match="between 2 and 4096"):
        scaling_experiment(lengths=(1, 10))
