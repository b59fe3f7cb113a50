"""A measured quantity against a rule's threshold along a sweep, and the remedy's benefit there (made-up numbers)."""

from __future__ import annotations

import pytest

from engine.evidence.levels import check_level, describe_level

LABELS = {"dropout": "Dropout", "no_remedy": "No remedy"}
JITTER = (-0.004, 0.0, 0.004)


def sweep(gaps: dict[int, float], benefits: dict[int, float]):
    """Gap (a fraction) of the baseline per size; dropout's test accuracy = baseline's + benefit."""
    level = [(x, {"value": [g + j for j in JITTER]}) for x, g in gaps.items()]
    metric = [(x, {"no_remedy": [0.7 + j for j in JITTER], "dropout": [0.7 + benefits[x] + 2 * j for j in JITTER]})
              for x in gaps]
    return level, metric


def check(gaps, benefits, effect=0.03):
    level, metric = sweep(gaps, benefits)
    return check_level(level, metric, quantity="gap", level=5, below="early_stopping", above="dropout",
                       baseline="no_remedy", scale=100, effect=effect)


def text(found):
    return " ".join(describe_level(found, LABELS, "training examples"))


def test_gap_falls_below_where_dropout_stops_helping_lines_up():
    found = check({50: 0.3, 200: 0.1, 800: 0.02}, {50: 0.05, 200: 0.03, 800: 0.0})
    assert found.kind == "falls_below" and found.span == (200, 800) and found.lines_up is True
    assert found.values[0][1].mean == pytest.approx(30)  # in points: the rule's unit
    assert 200 < found.estimate < 800
    assert "between 200 and 800" in text(found) and "The two line up" in text(found)


def test_dropout_stops_helping_before_the_gap_closes_does_not_line_up():
    found = check({50: 0.3, 200: 0.1, 800: 0.02}, {50: 0.05, 200: 0.0, 800: 0.0})
    assert found.kind == "falls_below" and found.lines_up is False
    assert [x for x, ok in found.agreement if ok is False] == [200]
    assert "at 200 the gap is over 5 points but Dropout does not clearly help" in text(found)


def test_a_benefit_the_seeds_could_not_have_detected_is_too_few_seeds_not_a_failure_to_line_up():
    level, metric = sweep({50: 0.3, 200: 0.1, 800: 0.02}, {50: 0.05, 200: 0.0, 800: 0.0})
    metric[1][1]["dropout"] = [0.62, 0.78, 0.70]  # at 200: a spread of 16 points around no benefit at all
    found = check_level(level, metric, quantity="gap", level=5, below="early_stopping", above="dropout",
                        baseline="no_remedy", scale=100, effect=0.03)
    assert found.unclear_benefit == (200,) and dict(found.agreement)[200] is None and found.lines_up is True
    assert found.seeds_needed is not None and found.seeds_needed > 3
    assert "At 200 training examples the seeds could not have detected a benefit of 3 points" in text(found)


def test_dropout_still_helping_under_the_threshold_does_not_line_up():
    found = check({50: 0.3, 800: 0.02}, {50: 0.05, 800: 0.03})
    assert found.lines_up is False
    assert "at 800 the gap is under 5 points but Dropout still clearly helps" in text(found)


def test_a_gap_over_the_threshold_everywhere():
    found = check({50: 0.3, 800: 0.2}, {50: 0.05, 800: 0.02})
    assert found.kind == "above_throughout" and found.span is None and found.lines_up is True
    assert "over 5 points at every point" in text(found)


def test_a_gap_under_the_threshold_everywhere():
    found = check({50: 0.02, 800: 0.01}, {50: 0.0, 800: -0.03})
    assert found.kind == "below_throughout" and found.lines_up is True
    assert "under 5 points at every point" in text(found) and "clearly hurts at 800" in text(found)


def test_a_gap_that_rises_over_the_sweep():
    found = check({50: 0.01, 800: 0.2}, {50: 0.0, 800: 0.05})
    assert found.kind == "rises_above" and "starts under" in text(found)


def test_a_gap_that_crosses_twice_is_mixed():
    found = check({50: 0.2, 200: 0.01, 800: 0.2}, {50: 0.0, 200: 0.0, 800: 0.0})
    assert found.kind == "mixed" and "more than once" in text(found)


def test_seeds_straddling_the_threshold_decide_nothing():
    level = [(x, {"value": [0.0, 0.05, 0.1]}) for x in (50, 800)]
    metric = [(x, {"no_remedy": [0.7, 0.7, 0.7], "dropout": [0.7, 0.71, 0.69]}) for x in (50, 800)]
    found = check_level(level, metric, quantity="gap", level=5, below="early_stopping", above="dropout",
                        baseline="no_remedy", scale=100)
    assert found.kind == "unclear" and found.lines_up is None
    assert "cannot be set side by side" in text(found) and "never clearly helps" in text(found)


def test_the_dictionary_form_keeps_every_point():
    found = check({50: 0.3, 800: 0.02}, {50: 0.05, 800: 0.0})
    out = found.to_dict()
    assert out["kind"] == "falls_below" and out["lines_up"] is True
    assert [v["x"] for v in out["values"]] == [50, 800] and [b["x"] for b in out["benefits"]] == [50, 800]
