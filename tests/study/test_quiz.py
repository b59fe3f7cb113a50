"""Quiz questions: well-formed for any seed, formula drills agree with the numbers they show,
and scenario answers come from the decision engine."""

from __future__ import annotations

import math
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.study import KIND_LABELS, check, make_question, scenarios
from engine.study import formulas as drills

seeds = st.integers(min_value=0, max_value=2**32 - 1)
NUMBER = r"(-?\d+(?:\.\d+)?)"


def numbers(text: str, *names: str) -> list[float]:
    """Pull 'name = value' pairs out of a prompt, in the order asked."""
    found = []
    for name in names:
        match = re.search(rf"{re.escape(name)} = {NUMBER}", text)
        assert match, (name, text)
        found.append(float(match.group(1)))
    return found


@settings(max_examples=60, deadline=None)
@given(seed=seeds, kind=st.sampled_from([k for k in KIND_LABELS if k != "scenario"]))
def test_any_question_is_well_formed_and_its_key_is_accepted(content, seed, kind):
    question = make_question(kind, content, random.Random(seed))
    assert question.prompt.strip() and question.topic in {t.id for t in content.topics}
    if question.numeric:
        assert check(question, question.answer)
        assert check(question, question.answer + 0.9 * question.tolerance)
        assert not check(question, question.answer + 2.5 * question.tolerance)
    else:
        assert len(set(question.options)) == len(question.options) >= 2
        assert check(question, int(question.answer))
        wrong = (int(question.answer) + 1) % len(question.options)
        assert not check(question, wrong)
    assert not check(question, None)


@settings(max_examples=40, deadline=None)
@given(seed=seeds)
def test_momentum_drill_matches_its_prompt(seed):
    drill = drills.momentum_step(random.Random(seed))
    beta, v, g, w, lr = numbers(drill.prompt, "beta", "previous v", "gradient g", "w", "lr")
    new_v = beta * v + ((1 - beta) * g if "EMA" in drill.prompt else g)
    assert drill.answer == pytest.approx(w - lr * new_v)


@settings(max_examples=40, deadline=None)
@given(seed=seeds)
def test_dropout_drill_matches_its_prompt(seed):
    drill = drills.dropout_scale(random.Random(seed))
    (p,) = numbers(drill.prompt, "p")
    x = float(re.search(rf"input (?:is )?{NUMBER}", drill.prompt).group(1))
    expected = x / (1 - p) if "during training" in drill.prompt else x
    assert drill.answer == pytest.approx(expected)


@settings(max_examples=40, deadline=None)
@given(seed=seeds)
def test_l2_drill_matches_its_prompt(seed):
    drill = drills.l2_penalty(random.Random(seed))
    (lam,) = numbers(drill.prompt, "lambda")
    weights = [float(x) for x in re.search(r"weights \[([^\]]*)\]", drill.prompt).group(1).split(",")]
    data_loss = float(re.search(rf"data loss is {NUMBER}", drill.prompt).group(1))
    assert drill.answer == pytest.approx(data_loss + lam * sum(w * w for w in weights))


@settings(max_examples=40, deadline=None)
@given(seed=seeds)
def test_chain_rule_drill_matches_a_numeric_derivative(seed):
    drill = drills.chain_rule(random.Random(seed))
    x, w, b, y = numbers(drill.prompt, "x", "w", "b", "y")

    def loss(weight: float) -> float:
        return (1 / (1 + math.exp(-(weight * x + b))) - y) ** 2

    h = 1e-6
    assert drill.answer == pytest.approx((loss(w + h) - loss(w - h)) / (2 * h), abs=1e-5)


def test_fixed_values():
    assert drills.tolerance_for(1000.0) == pytest.approx(1.0)
    assert drills.tolerance_for(0.0) == pytest.approx(1e-3)
    drill = drills.embedding_size(random.Random(0))
    vocab, dim = (int(n.replace(",", "")) for n in re.findall(r"([\d,]+) (?:tokens|dimensions)", drill.prompt))
    assert drill.answer == vocab * dim


@settings(max_examples=30, deadline=None)
@given(seed=seeds)
def test_scenario_answer_key_is_the_engine(monkeypatch_module, seed):
    recorded = []
    real = scenarios.recommend

    def spy(*args, **kwargs):
        advice = real(*args, **kwargs)
        recorded.append(advice)
        return advice

    monkeypatch_module.setattr(scenarios, "recommend", spy)
    question = scenarios.scenario_question(random.Random(seed))
    decision = question.item.split(":")[1].split("/")[0]
    recommendation = recorded[-1][decision]
    assert question.options[int(question.answer)] == recommendation.choice_label
    assert question.item.endswith(recommendation.rule_id)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_scenarios_cover_every_decision():
    decisions = {scenarios.scenario_question(random.Random(s)).item.split("/")[0] for s in range(60)}
    from engine import load_tables

    assert decisions == {f"decision:{d}" for d in load_tables().decisions}  # the engine is the answer key


def test_unknown_kind_is_a_clear_error(content):
    with pytest.raises(ValueError, match="unknown quiz kind 'essay'"):
        make_question("essay", content, random.Random(0))


def test_every_decision_counts_towards_its_own_study_topic(content):
    from engine import load_tables
    from engine.decisions import BY_ID
    from engine.study.scenarios import topic_for

    assert set(BY_ID) == set(load_tables().decisions)
    assert topic_for("optimizer") == "optimization" and topic_for("transformer_architecture") == "transformers"
    for decision in BY_ID:
        content.topic(topic_for(decision))  # a topic the study material has
