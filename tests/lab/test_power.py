"""Power on made-up numbers: a run decides a claim, rules it out, or says it had too few seeds to tell."""

import pytest

from engine.lab.results.power import near_chance, power, seeds_to_detect
from engine.lab.results.stats import t_quantile


def test_a_clear_difference_larger_than_the_claim_needs_is_decided():
    found = power([0.10, 0.12, 0.11, 0.09, 0.13], needed=0.05)
    assert found.outcome == "above" and found.seeds_needed is None
    assert "the claim's difference is there" in found.sentence("LSTM minus SimpleRNN")


def test_a_difference_clearly_smaller_than_the_claim_needs_is_ruled_out():
    found = power([0.00, 0.01, -0.01, 0.005, 0.0], needed=0.05)
    assert found.outcome == "below"
    assert "clearly smaller than the claim needs" in found.sentence("x")


def test_a_spread_wider_than_the_claim_is_too_few_seeds_and_says_how_many_would_tell():
    values = [0.20, -0.05, 0.02]  # mean 0.057, sd 0.131: the interval spans -0.27 to 0.38
    found = power(values, needed=0.05)
    assert found.outcome == "too_few_seeds"
    assert found.detectable == pytest.approx(t_quantile(2) * 0.1305 / 3 ** 0.5, abs=0.005)
    n = found.seeds_needed
    assert n is not None and t_quantile(n - 1) * 0.1305 / n ** 0.5 <= 0.05 < t_quantile(n - 2) * 0.1305 / (n - 1) ** 0.5
    assert f"about {n} seeds would tell" in found.sentence("GRU minus LSTM")


def test_seeds_that_agree_exactly_are_not_said_to_detect_a_difference_of_zero():
    found = power([0.01, 0.01], needed=-0.03)  # two seeds, one validation example apart in both
    assert found.outcome == "above"
    sentence = found.sentence("About as accurate as the LSTM")
    assert sentence.startswith("About as accurate as the LSTM: +0.010 in each of the 2 seeds, which show no spread")
    assert "could detect a difference of 0.000" not in sentence
    assert "could detect a difference of" in power([0.01, 0.02], needed=-0.03).sentence("x")


def test_one_seed_has_no_interval_to_decide_with():
    found = power([0.3], needed=0.05)
    assert found.outcome == "one_seed" and "run 3 or more" in found.sentence("x")


def test_seeds_to_detect_is_none_for_values_that_do_not_vary_or_would_need_hundreds():
    assert seeds_to_detect([0.1, 0.1, 0.1], 0.02) is None
    assert seeds_to_detect([0.5, -0.5, 0.4, -0.4], 0.001) is None  # over 200 seeds


def test_near_chance_means_nothing_was_learned():
    assert near_chance([0.51, 0.49, 0.53], chance=0.5)
    assert not near_chance([0.61, 0.58, 0.66], chance=0.5)
