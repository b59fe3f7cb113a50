"""Each published result's reading, on made-up banks for every outcome it can give."""

from __future__ import annotations

import pytest

from engine.evidence import papers
from engine.lab.decisions import attention_vs_transformer, optimizer, sequence_model, text_encoding

SEEDS = 8


def jitter(mean: float, spread: float = 0.01) -> list[float]:
    return [mean + spread * ((i % 3) - 1) for i in range(SEEDS)]


def sequence_bank(lstm, gru, rnn, epochs=None, cap=60, x=100):
    point = {"x": x, "seeds": list(range(SEEDS)), "seconds": 300.0,
             "metric": {"lstm": jitter(lstm), "gru": jitter(gru), "simple_rnn": jitter(rnn)}}
    if epochs is not None:
        point["extra"] = {"epochs_run": {c: [epochs] * SEEDS for c in ("lstm", "gru", "simple_rnn")}}
    return {"sequence_model": {"sweep": {"epochs": cap, "patience": 5}, "points": [point]}}


@pytest.mark.parametrize(("lstm", "gru", "rnn", "epochs", "status"), [
    (0.97, 0.98, 0.50, 20, "reproduced"),
    (0.52, 0.51, 0.50, 60, "out of reach here"),  # still improving at the cap of 60
    (0.52, 0.51, 0.50, 25, "not reproduced"),  # stopped early: more epochs would not help
    (0.97, 0.98, 0.80, 20, "not reproduced"),  # the tanh RNN learned it too
])
def test_the_adding_problem_at_t_100(lstm, gru, rnn, epochs, status):
    found = sequence_model.adding_problem(sequence_bank(lstm, gru, rnn, epochs))
    assert found.status == status, found.text
    assert "At T = 100" in found.text


def test_gated_seeds_stopped_on_the_plateau_are_counted_and_patience_named_as_the_lever():
    bank = sequence_bank(0.9, 0.95, 0.5, 20, cap=30)
    point = bank["sequence_model"]["points"][0]
    point["metric"]["lstm"] = [0.97, 0.48, 0.98, 0.59, 0.97, 0.98, 0.97, 0.98]
    point["extra"]["epochs_run"]["lstm"] = [30, 6, 29, 11, 30, 30, 28, 30]
    found = sequence_model.adding_problem(bank)
    assert found.status == "not reproduced", found.text  # the stated rule reads the mean: 86.5% is under 90%
    assert "Seeds that solved it: LSTM 6 of 8, GRU 8 of 8, SimpleRNN 0 of 8." in found.text
    assert "Unsolved seeds stopped after 5 epochs without a better validation loss: LSTM at epoch 6, LSTM at " \
           "epoch 11 (cap 30)." in found.text
    assert "a longer patience or more seeds would tell" in found.text
    assert "would not have helped" not in found.text
    assert "at the cap" not in found.text


def test_an_unsolved_seed_that_ran_to_the_cap_is_not_called_stopped_early():
    bank = sequence_bank(0.9, 0.95, 0.5, 20, cap=30)
    point = bank["sequence_model"]["points"][0]
    point["metric"]["lstm"] = [0.97, 0.48, 0.98, 0.59, 0.97, 0.98, 0.97, 0.98]
    point["extra"]["epochs_run"]["lstm"] = [30, 6, 29, 30, 25, 22, 28, 24]  # most stopped before the cap
    found = sequence_model.adding_problem(bank)
    assert "stopped after 5 epochs without a better validation loss: LSTM at epoch 6 (cap 30)." in found.text
    assert "Still improving at the cap of 30 epochs: LSTM; more epochs would tell there." in found.text


def test_a_sweep_that_stops_short_of_100_has_not_measured_it():
    assert sequence_model.adding_problem(sequence_bank(0.9, 0.9, 0.5, 20, x=50)).status == "not measured"


@pytest.mark.parametrize(("lstm", "gru", "rnn", "spread", "status"), [
    (0.95, 0.955, 0.5, 0.005, "reproduced"),
    (0.95, 0.80, 0.5, 0.005, "not reproduced"),  # not comparable
    (0.51, 0.50, 0.50, 0.005, "not reproduced"),  # neither above the tanh RNN
    (0.95, 0.94, 0.5, 0.06, "too few seeds to tell"),  # both above, but GRU-LSTM too wide to call comparable
])
def test_gru_comparable_to_lstm_and_both_above_a_tanh_rnn(lstm, gru, rnn, spread, status):
    bank = sequence_bank(lstm, gru, rnn)
    point = bank["sequence_model"]["points"][0]
    point["metric"]["gru"] = [v + (spread if i % 2 else -spread) for i, v in enumerate(jitter(gru, 0.0))]
    assert sequence_model.gru_vs_lstm(bank).status == status


def text_bank(small_gain, large_gain, spread=0.005):
    points = []
    for x, gain in ((35, small_gain), (1260, large_gain)):
        learned = jitter(0.6, spread)
        points.append({"x": x, "seeds": list(range(SEEDS)), "metric": {
            "learned_embedding": learned, "pretrained_embedding": [v + gain for v in jitter(0.6, 2 * spread)],
            "one_hot": learned}})
    return {"text_encoding": {"points": points}}


@pytest.mark.parametrize(("small", "large", "spread", "status"), [
    (0.10, 0.01, 0.005, "reproduced"),
    (-0.05, -0.08, 0.005, "not reproduced"),
    (0.02, 0.0, 0.2, "too few seeds to tell"),
])
def test_pretrained_vectors_help_most_with_little_data(small, large, spread, status):
    assert text_encoding.pretrained_small_data(text_bank(small, large, spread)).status == status


def one_point(metric, extra=None, x=1260, settings=None):
    return {"sweep": {"settings": settings or {}}, "points": [{"x": x, "seeds": list(range(SEEDS)), "metric": metric,
                                                            "extra": extra or {}}]}


def test_the_order_blind_model_against_a_gru_reads_the_extra_measurement():
    gru = one_point({"gru": jitter(0.45)}, {"answer:typical_length": {"gru": [48] * SEEDS}})
    bank = {**text_bank(0.0, 0.0), "stdlib_docs_gru": gru}
    found = text_encoding.order_blind_beats_sequence(bank)
    assert found.status == "reproduced" and "(S/W = 26)" in found.text and "about 48 words" in found.text
    gru["points"][0]["metric"]["gru"] = jitter(0.7)
    assert text_encoding.order_blind_beats_sequence(bank).status == "not reproduced"
    assert text_encoding.order_blind_beats_sequence(text_bank(0.0, 0.0)).status == "not measured"


def test_attention_time_grows_quadratically_and_an_interval_spanning_1_5_cannot_tell():
    scaling = {"intervals": {"LSTM time": [0.9, 1.1], "MultiHeadAttention time": [1.7, 2.1]},
               "fit_lengths": [1024, 2048, 4096], "repeats": 5}
    bank = {"attention_vs_transformer": {"scaling": scaling}}
    assert attention_vs_transformer.quadratic_attention(bank).status == "reproduced"
    scaling["intervals"]["MultiHeadAttention time"] = [1.3, 1.9]
    assert attention_vs_transformer.quadratic_attention(bank).status == "too few seeds to tell"
    scaling["intervals"]["MultiHeadAttention time"] = [0.9, 1.2]
    assert attention_vs_transformer.quadratic_attention(bank).status == "not reproduced"


def test_adam_reaches_a_lower_loss_than_sgd_early_in_training():
    found = one_point({"adam": jitter(0.95), "sgd": jitter(0.94)}, {"val_loss@2": {"adam": jitter(0.3),
                                                                                   "sgd": jitter(0.6)}})
    bank = {"optimizer_digits": found}
    read = optimizer.adam_faster_than_sgd(bank)
    assert read.status == "reproduced" and "plain SGD 0.599" in read.text
    found["points"][0]["extra"]["val_loss@2"]["sgd"] = jitter(0.3)
    assert optimizer.adam_faster_than_sgd(bank).status == "not reproduced"
    assert optimizer.adam_faster_than_sgd({}).status == "not measured"


def test_bidirectional_context_reads_the_tagging_measurement_against_the_causal_ceiling():
    from engine.lab.decisions import transformer_architecture

    found = one_point({"encoder_only": jitter(0.99), "decoder_only": jitter(0.54), "encoder_decoder": jitter(0.98)},
                      settings={"seq_len": 12})
    read = transformer_architecture.bidirectional_context({"lookahead_tagging": found})
    assert read.status == "reproduced" and "its ceiling 54.2%" in read.text


def test_every_decision_has_a_published_result_and_a_table_row_reads_any_bank():
    from engine.decisions import LAB

    assert {p.decision for p in papers.PAPERS} == set(LAB)
    rows = papers.table({})
    assert len(rows) == len(papers.PAPERS) and all(r["status"] == "not measured" for r in rows)
    assert papers.markdown(rows).count("\n") == len(rows) + 1


def test_the_stored_bank_is_read_by_the_keys_it_stores():
    """The readers' made-up documents above must use the keys the bank really writes: a reader that looked for
    a 'max_epochs' the bank never stored told users its early-stopped points had a fixed budget."""
    from engine.evidence import bank
    from engine.lab.decisions.sequence_model import adding_problem

    stored = {name: bank.load(name) for name in ("sequence_model",)}
    assert stored["sequence_model"]["sweep"]["patience"]  # trained to a decision, so it can say where it capped
    assert "fixed number of epochs" not in adding_problem(stored).text
