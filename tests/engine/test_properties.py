"""Property-based tests: any valid answers give one explained choice per decision; invalid ones a clear error."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import AnswerError, load_tables, recommend

TABLES = load_tables()


def value_for(q):
    if q.type == "integer":
        return st.integers(int(q.min), int(q.max))
    if q.type == "number":
        return st.floats(q.min, q.max, allow_nan=False, allow_infinity=False)
    if q.type == "boolean":
        return st.booleans() | st.sampled_from(["yes", "no", "true", "false"])
    return st.sampled_from([o.value for o in q.options])


@st.composite
def valid_answers(draw):
    answers = {}
    for q in TABLES.questions.values():
        if draw(st.booleans()):
            answers[q.id] = draw(value_for(q))
    # keep the relations the questions declare
    if "max_length" in answers and "typical_length" in answers and answers["max_length"] < answers["typical_length"]:
        answers["max_length"], answers["typical_length"] = answers["typical_length"], answers["max_length"]
    if ("train_accuracy" in answers) != ("val_accuracy" in answers):
        answers.pop("train_accuracy", None)
        answers.pop("val_accuracy", None)
    return answers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_answers())
def test_valid_answers_give_exactly_one_explained_choice_per_decision(answers):
    advice = recommend(answers)
    assert [r.decision for r in advice.recommendations] == list(TABLES.decisions)
    for rec in advice.recommendations:
        table = TABLES.decisions[rec.decision]
        assert rec.choice in table.choices
        assert rec.because.strip()
        assert all(c.met for c in rec.trace)
        assert rec.choice not in {a.choice for a in rec.alternatives}
        assert rec.choice not in {r.choice for r in rec.also}


def wrong_value_for(q):
    if q.type in ("integer", "number"):
        outside = st.floats(allow_nan=False).filter(lambda x: not q.min <= x <= q.max)
        return outside | st.just(math.nan) | st.text(alphabet="abcxyz!?", min_size=1)
    if q.type == "boolean":
        return st.text(alphabet="abcxyz", min_size=2).filter(lambda s: s not in {"yes", "no", "on", "off"})
    return st.text(min_size=1).filter(lambda s: s not in q.domain() and s.strip())


@st.composite
def one_bad_answer(draw):
    q = draw(st.sampled_from(list(TABLES.questions.values())))
    return q.id, draw(wrong_value_for(q))


@settings(max_examples=300, deadline=None)
@given(one_bad_answer())
def test_an_invalid_answer_gives_a_clear_error_naming_the_question(case):
    qid, raw = case
    try:
        recommend({qid: raw})
    except AnswerError as exc:
        assert exc.question == qid
        assert str(exc).startswith(f"{qid}: expected ")
    else:
        raise AssertionError(f"{qid}={raw!r} was accepted")


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(min_size=1).filter(lambda k: k not in TABLES.questions), st.text(), min_size=1))
def test_unknown_keys_are_rejected_by_name(raw):
    try:
        recommend(raw)
    except AnswerError as exc:
        assert str(exc).startswith("Unknown question")
    else:
        raise AssertionError("unknown keys accepted")
