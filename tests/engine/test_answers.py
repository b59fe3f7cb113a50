"""Reading answers: text and typed values in, clear errors out, assumptions stated."""

import pytest

from engine import AnswerError, check_answers, read_answers


@pytest.mark.parametrize(("question", "raw", "value"), [
    ("vocab_size", "20000", 20000),
    ("vocab_size", "20,000", 20000),
    ("vocab_size", 1e4, 10000),
    ("gpu_memory_gb", "7.5", 7.5),
    ("lengths_vary", "no", False),
    ("lengths_vary", "TRUE", True),
    ("lengths_vary", True, True),
    ("encoding_need", "simplicity", "simplicity"),
    ("latency_budget_ms", "", None),
])
def test_answers_are_coerced(question, raw, value):
    assert read_answers({question: raw})[question] == value


@pytest.mark.parametrize(("question", "raw", "phrase"), [
    ("vocab_size", "-5", "a whole number from 1 to 10,000,000 (distinct tokens)"),
    ("vocab_size", "12.5", "not a whole number"),
    ("vocab_size", "lots", "got 'lots'"),
    ("vocab_size", True, "a whole number"),
    ("gpu_memory_gb", "nan", "a number from 0 to 4,096 (GB)"),
    ("gpu_memory_gb", "inf", "a number from 0"),
    ("lengths_vary", "maybe", "yes or no"),
    ("encoding_need", "speed", "one of simplicity, semantic_meaning, transfer_learning, no_preference"),
    ("train_accuracy", "120", "out of range"),
])
def test_bad_answers_name_the_question_and_what_is_accepted(question, raw, phrase):
    with pytest.raises(AnswerError) as info:
        read_answers({question: raw})
    assert info.value.question == question
    assert str(info.value).startswith(f"{question}: expected")
    assert phrase in str(info.value)


def test_unknown_question_lists_the_known_ones():
    with pytest.raises(AnswerError, match="Unknown question 'vocab'; known questions: vocab_size"):
        read_answers({"vocab": 10})


def test_maximum_below_typical_length_is_reported_at_the_maximum():
    _, errors = check_answers({"typical_length": 100, "max_length": 20})
    assert set(errors) == {"max_length"}
    assert "at least typical_length" in errors["max_length"]


def test_check_answers_keeps_the_good_answers_and_reports_every_bad_one():
    answers, errors = check_answers({"vocab_size": "-1", "labelled_examples": "abc", "typical_length": 12})
    assert set(errors) == {"vocab_size", "labelled_examples"}
    assert answers["typical_length"] == 12
    assert answers["vocab_size"] == 20_000  # the default stands in, and is reported as assumed
    assert "vocab_size" not in answers.given


def test_one_accuracy_without_the_other_is_an_error_at_the_missing_one():
    _, errors = check_answers({"val_accuracy": 70})
    assert list(errors) == ["train_accuracy"]


def test_unanswered_questions_are_reported_as_assumptions():
    answers = read_answers({"vocab_size": 100})
    notes = {a.question: a.note for a in answers.assumptions}
    assert "vocab_size" not in notes
    assert notes["labelled_examples"] == "not answered; assumed 5,000 examples (the default)"
    assert notes["latency_budget_ms"] == "not answered; read as: no hard latency limit"


def test_default_maximum_never_falls_below_a_given_typical_length():
    answers = read_answers({"typical_length": 400})
    assert answers["max_length"] == 400
