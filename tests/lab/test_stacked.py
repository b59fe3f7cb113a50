"""Seeds trained as one seed-stacked model against the same seeds trained one after another (the path that
reproduces each seed's standalone run: test_harness.py), for the candidates that between them use every
seed-axis twin: Dense (every optimizer family), dropout, L1 penalties, early stopping that ends seeds at
different epochs, the three recurrent cells, MultiHeadAttention with layer norm, dot-product attention over
LSTM states, causal and cross attention with per-token masks, one-hot, a frozen pretrained table.

Every seed's history (loss, accuracy, val_loss, val_accuracy per epoch), final metrics (validation, training,
test) and decision extras (gradient profiles, weight statistics, optimizer state sizes, attention shares)
must agree within TOLERANCE. Measured on this machine over these short runs: at most 8e-7 (encoder-decoder
tags; 2.4e-7 for the MLPs, 1.2e-7 for the cells, 0 for dot-product attention over LSTM states). The twin
multiplies a seed's rows by its weights in one batched matmul over the seed axis, which may sum in another
order than the standalone (rows, features) x (features, units) matmul; such last-bit differences grow with
training as any change of summation order does, so these few epochs check the arithmetic, not a long run's
bit-for-bit agreement (the bank check compares long runs at its own tolerance).
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = [pytest.mark.training, pytest.mark.xdist_group("stacked"),
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]

SEEDS = [0, 1, 2]
TOLERANCE = 1e-5
SMALL = {  # settings of each decision's default data set, and epochs
    "text_encoding": ({"labelled": 40}, 3),
    "sequence_model": ({"examples": 400, "seq_len": 12}, 3),
    "overfitting": ({}, 3),
    "attention_vs_transformer": ({"examples": 300, "seq_len": 16}, 2),
    "optimizer": ({"train": 200}, 3),
    "transformer_architecture": ({"examples": 300}, 2),
}
EPOCHS = {"early_stopping": 14}  # long enough for patience 5 to stop the seeds, at different epochs
CASES = [("optimizer", "sgd_momentum"), ("optimizer", "rmsprop"), ("optimizer", "adamw"),
         ("overfitting", "dropout"), ("overfitting", "l1"), ("overfitting", "early_stopping"),
         ("sequence_model", "simple_rnn"), ("sequence_model", "lstm"), ("sequence_model", "gru"),
         ("attention_vs_transformer", "transformer"), ("attention_vs_transformer", "rnn_with_attention"),
         ("transformer_architecture", "encoder_decoder"),
         ("text_encoding", "one_hot"), ("text_encoding", "pretrained_embedding")]


def _numbers(run) -> dict[str, float | None]:
    """Every number of one seed's run that the two paths must share, flattened."""
    out: dict[str, float | None] = {}
    for h in run.history:
        for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
            out[f"epoch{h.epoch}_{name}"] = getattr(h, name)
    for name in ("val_loss", "val_accuracy", "train_accuracy", "test_loss", "test_accuracy"):
        out[name] = getattr(run, name)
    for key, value in run.extras.items():
        if value is None or isinstance(value, str):
            out[key] = value
            continue
        values = np.ravel(np.asarray(value["weights"] if isinstance(value, dict) else value, dtype=float))
        out.update({f"{key}[{i}]": float(v) for i, v in enumerate(values)})
    return out


def _largest_difference(stacked, apart) -> tuple[float, str]:
    """The largest absolute difference between the two paths' numbers, and where it is."""
    worst, where = 0.0, ""
    for a_run, b_run in zip(stacked.runs, apart.runs, strict=True):
        assert a_run.seed == b_run.seed and a_run.completed == b_run.completed
        a, b = _numbers(a_run), _numbers(b_run)
        assert a.keys() == b.keys(), f"seed {a_run.seed}: {sorted(a.keys() ^ b.keys())}"
        for key in a:
            if a[key] is None or b[key] is None or isinstance(a[key], str):
                assert a[key] == b[key], f"seed {a_run.seed} {key}"
            elif abs(a[key] - b[key]) > worst:
                worst, where = abs(a[key] - b[key]), f"seed {a_run.seed} {key}"
    return worst, where


@pytest.fixture(scope="module")
def datas(tmp_path_factory):
    from engine.lab.data.datasets import prepare
    from engine.lab.decisions import default_dataset, lab_decision

    cache = tmp_path_factory.mktemp("cache")
    made = {}

    def get(decision):
        if decision not in made:
            found = lab_decision(decision)
            made[decision] = [prepare(default_dataset(decision), seed, SMALL[decision][0], cache, found.needs)
                              for seed in SEEDS]
        return made[decision]

    return get


def _train(decision, choice, data, epochs, run_dir, stacked: bool):
    from engine.lab.decisions import lab_decision
    from engine.lab.running import runner

    runner.make_deterministic()
    found = lab_decision(decision)
    events = []
    runner.STACK_SEEDS["on"] = stacked
    try:
        result = runner.train_candidate(found, found.candidate(choice), data, epochs, SEEDS, run_dir, events.append,
                                        None)
    finally:
        runner.STACK_SEEDS["on"] = True
    return result, events


@pytest.mark.parametrize(("decision", "choice"), CASES)
def test_each_seed_trained_stacked_equals_its_run_one_after_another(decision, choice, datas, tmp_path):
    from engine.lab.running import runner

    data, epochs = datas(decision), EPOCHS.get(choice, SMALL[decision][1])
    (stacked, stacked_events), (apart, apart_events) = (
        _train(decision, choice, data, epochs, tmp_path / name, name == "stacked") for name in ("stacked", "apart"))
    runner.free_memory()
    assert stacked.trained_together and stacked.apart_because is None
    assert not apart.trained_together and apart.apart_because == "switched off"
    worst, where = _largest_difference(stacked, apart)
    print(f"{decision}/{choice}: largest difference {worst:.3g} {where}")  # `pytest -s` shows the measurement
    assert worst <= TOLERANCE, f"{decision}/{choice}: largest difference {worst:.3g} ({where})"
    # The same progress reports (per seed, per epoch) and a scalar log per seed.
    assert sorted((e.seed, e.epoch) for e in stacked_events if e.phase == "epoch") == sorted(
        (e.seed, e.epoch) for e in apart_events if e.phase == "epoch")
    for seed in SEEDS:
        assert list((tmp_path / "stacked" / "logs" / choice / f"seed{seed}" / "validation").glob("events.out.*"))
    assert (stacked.params, stacked.trainable_params) == (apart.params, apart.trainable_params)
    # The saved file: the same but for a few bytes of names (Keras numbers its optimizers per session).
    assert stacked.size_bytes == pytest.approx(apart.size_bytes, rel=1e-3)
    if choice == "early_stopping":  # the point of this case: seeds that stop at different epochs
        assert len({len(run.history) for run in stacked.runs}) > 1, [len(r.history) for r in stacked.runs]


def test_a_layer_without_a_twin_is_named_and_its_seeds_train_one_after_another(tmp_path):
    """A convolution has no seed-axis twin: vectorising refuses, naming the layer."""
    import keras

    from engine.lab.models.seed_layers import NotVectorisable
    from engine.lab.running.seed_model import vectorise

    def model():
        inputs = keras.Input(shape=(8, 3))
        h = keras.layers.Conv1D(4, 3, name="conv")(inputs)
        return keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(keras.layers.Flatten()(h)))

    with pytest.raises(NotVectorisable, match='layer "conv" \\(Conv1D\\) has no seed-axis twin'):
        vectorise([model(), model()])


def test_seeds_whose_data_differ_in_size_train_one_after_another_and_say_why(tmp_path):
    from engine.lab.data.datasets import prepare
    from engine.lab.decisions import lab_decision
    from engine.lab.running import runner

    runner.make_deterministic()
    found = lab_decision("sequence_model")
    datas = [prepare("adding", seed, {"examples": n, "seq_len": 8}, tmp_path, found.needs)
             for seed, n in ((0, 160), (1, 200))]
    result = runner.train_candidate(found, found.candidate("gru"), datas, 1, [0, 1], tmp_path, lambda e: None, None)
    one = runner.train_candidate(found, found.candidate("gru"), datas[:1], 1, [0], tmp_path, lambda e: None, None)
    runner.free_memory()
    assert not result.trained_together and "differ in size" in result.apart_because
    assert [len(run.history) for run in result.runs] == [1, 1]
    assert not one.trained_together and one.apart_because == "one seed"
