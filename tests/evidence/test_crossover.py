"""Crossovers and intervals on made-up numbers: every kind of outcome, including the rule being wrong."""

from __future__ import annotations

import pytest

from engine.evidence.crossover import describe, describe_pair, find_crossover, paired_differences
from engine.lab.results.stats import t_quantile

LABELS = {"a": "SimpleRNN", "b": "GRU"}


def points(diffs: dict[int, list[float]]):
    """A sweep where b scores 0.8 at every seed and a scores 0.8 + the given difference."""
    return [(x, {"a": [0.8 + d for d in ds], "b": [0.8] * len(ds)}) for x, ds in diffs.items()]


def test_differences_are_paired_by_seed_with_a_t_interval_of_their_mean():
    ((_, s),) = paired_differences([(5, {"a": [1.8, 2.9, 3.7], "b": [0.8, 0.9, 0.7]})], "a", "b")
    assert s.mean == pytest.approx(2.0) and (s.minimum, s.maximum) == pytest.approx((1.0, 3.0))
    assert s.high - s.mean == pytest.approx(t_quantile(2) * 1.0 / 3 ** 0.5)


def test_one_seed_a_point_is_refused_it_has_no_interval():
    with pytest.raises(ValueError, match="at least two seeds"):
        paired_differences([(5, {"a": [0.9], "b": [0.8]})], "a", "b")


def test_a_crossover_where_the_rule_puts_it_agrees():
    sweep = points({5: [0.1, 0.12, 0.09], 10: [0.0, 0.01, -0.01], 20: [-0.1, -0.12, -0.09]})
    found = find_crossover(sweep, "a", "b", threshold=10)
    assert found.kind == "crosses" and found.span == (5, 20) and found.agrees is True
    assert "supports it" in describe(found, LABELS, "tokens")


def test_a_crossover_far_from_the_threshold_disagrees_and_says_which_way():
    sweep = points({5: [0.1, 0.12, 0.09], 10: [0.1, 0.11, 0.1], 20: [0.05, 0.06, 0.07], 50: [-0.1, -0.1, -0.09]})
    found = find_crossover(sweep, "a", "b", threshold=10)
    assert found.kind == "crosses" and found.span == (20, 50) and found.agrees is False
    assert "later than the rule says" in describe(found, LABELS, "tokens")


def test_noise_wider_than_the_claim_is_too_few_seeds_not_evidence_against_the_rule():
    sweep = points({5: [0.1, -0.1, 0.05], 10: [-0.05, 0.08, -0.02], 20: [0.02, -0.03, 0.0]})
    found = find_crossover(sweep, "a", "b", threshold=10, effect=0.02)
    assert found.kind == "too_few_seeds" and found.agrees is None and found.unclear == (5, 10, 20)
    assert found.seeds_needed is not None and found.seeds_needed > 3
    text = describe(found, LABELS, "tokens")
    assert "too few seeds to tell, not evidence against the rule" in text
    assert f"about {found.seeds_needed} seeds would" in text


def test_differences_smaller_than_the_claim_measured_closely_are_a_real_no():
    sweep = points({5: [0.002, -0.003, 0.001], 10: [-0.002, 0.001, 0.0], 20: [0.001, -0.001, 0.002]})
    found = find_crossover(sweep, "a", "b", threshold=10, effect=0.02)
    assert found.kind == "no_difference" and found.unclear == ()
    assert "differ by less than 0.02 everywhere, measured closely enough to say so" in describe(found, LABELS, "t")


def test_both_near_chance_is_too_little_training_to_tell():
    raw = [(x, {"a": [0.50, 0.52, 0.49], "b": [0.51, 0.50, 0.52]}) for x in (50, 100)]
    found = find_crossover(raw, "a", "b", threshold=60, effect=0.05, chance=0.5)
    assert found.untrained == (50, 100)
    assert "both stayed near chance: too little training to tell there" in describe(found, LABELS, "tokens")


def test_one_side_throughout_is_reported_as_no_switch():
    sweep = points({5: [-0.1, -0.12, -0.09], 10: [-0.1, -0.1, -0.1], 20: [-0.2, -0.19, -0.2]})
    found = find_crossover(sweep, "a", "b", threshold=10)
    assert found.kind == "above_throughout" and found.agrees is None
    assert "even below the threshold" in describe(found, LABELS, "tokens")


def test_the_opposite_order_contradicts_the_rule():
    sweep = points({5: [-0.1, -0.12, -0.09], 20: [0.1, 0.12, 0.11]})
    found = find_crossover(sweep, "a", "b", threshold=10)
    assert found.kind == "reversed" and found.agrees is False
    assert "does not hold" in describe(found, LABELS, "tokens")


def test_the_zero_crossing_is_interpolated_on_a_log_scale():
    sweep = points({10: [0.1, 0.1, 0.1], 40: [-0.1, -0.1, -0.1]})
    assert find_crossover(sweep, "a", "b", threshold=10).estimate == pytest.approx(20.0)


def test_unpaired_seeds_are_refused():
    with pytest.raises(ValueError, match="pairs need both"):
        find_crossover([(5, {"a": [0.1, 0.2], "b": [0.1]})], "a", "b", threshold=10)


def test_a_lead_that_changes_hands_twice_is_no_single_switch():
    sweep = points({5: [0.1, 0.12, 0.09], 10: [-0.1, -0.12, -0.09], 20: [0.1, 0.11, 0.12]})
    found = find_crossover(sweep, "a", "b", threshold=10)
    assert found.kind == "mixed" and found.agrees is None
    assert "more than once" in describe(found, LABELS, "tokens")


def test_a_pair_without_a_threshold_names_where_each_is_clearly_better():
    sweep = points({16: [0.1, 0.12, 0.09], 64: [0.1, -0.1, 0.02], 128: [-0.1, -0.12, -0.09]})
    text = describe_pair(sweep, "a", "b", LABELS, "tokens", "no rule threshold")
    assert text.startswith("SimpleRNN against GRU (no rule threshold): SimpleRNN is clearly better at 16 tokens; "
                           "GRU is clearly better at 128 tokens; the two are within the seeds' spread at 64 tokens.")
    assert "largest mean difference is +0.103 at 16 tokens" in text


def test_a_pair_within_the_noise_everywhere_says_so():
    text = describe_pair(points({16: [0.1, -0.1, 0.0], 64: [0.05, -0.05, 0.0]}), "a", "b", LABELS, "tokens")
    assert "clearly better" not in text and "within the seeds' spread at 16, 64 tokens" in text
