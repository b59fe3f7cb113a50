"""The optimizer comparison's measures: state size per optimizer, epochs and seconds to a shared target loss."""

from __future__ import annotations

import pytest

from engine.lab.models.optimizers import SETTINGS, epochs_to_target, seconds_to_target, shared_target


def test_every_choice_of_the_rules_has_a_setting():
    assert set(SETTINGS) == {"sgd", "sgd_momentum", "rmsprop", "adam", "adamw"}


def test_epochs_to_target_is_the_first_epoch_at_or_below_it():
    assert epochs_to_target([2.0, 1.0, 0.5, 0.4], 0.5) == 3
    assert epochs_to_target([2.0, None, 0.49], 0.5) == 3


def test_a_run_that_never_reaches_the_target_says_so():
    assert epochs_to_target([2.0, 1.5, 1.2], 0.5) is None
    assert seconds_to_target([2.0, 1.5], [1.0, 1.0], 0.5) is None


def test_seconds_to_target_adds_the_epochs_up_to_it():
    assert seconds_to_target([2.0, 1.0, 0.4], [1.5, 1.0, 2.0], 1.0) == pytest.approx(2.5)


def test_shared_target_sits_above_the_median_best_loss():
    assert shared_target([0.2, 0.4, 1.0]) == pytest.approx(0.44)
    assert shared_target([0.2, 0.4]) == pytest.approx(0.33)
    assert shared_target([None, None]) is None


@pytest.mark.slow
def test_state_size_is_measured_on_the_keras_optimizer():
    import keras

    from engine.lab.models.optimizers import make_optimizer, state_values

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    weights = model.count_params()
    measured = {choice: state_values(make_optimizer(choice), model.trainable_weights) for choice in SETTINGS}
    assert measured == {choice: SETTINGS[choice].slots_per_weight * weights for choice in SETTINGS}


def test_one_shared_target_for_all_histories_skipping_epochs_without_a_loss():
    from engine.lab.models.optimizers import epochs_to_shared_target

    target, reach = epochs_to_shared_target({"a": [1.0, None, 0.2], "b": [1.0, 0.9, 0.8], "c": [None]})
    assert target == pytest.approx(0.55)  # 10% above the median of the best losses 0.2 and 0.8
    assert reach == {"a": 3, "b": None, "c": None}
    assert epochs_to_shared_target({"a": [None]}) == (None, {"a": None})
