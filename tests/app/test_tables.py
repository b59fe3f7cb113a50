"""The Decision tables page: every table as a table and a diagram, every matching rule and the winner marked."""

import re

from engine import load_tables
from tests.app.conftest import texts
from ui.render import LAB_DECISIONS


def open_tables(app, **answers):
    app.query_params.update({k: str(v) for k, v in answers.items()})
    at = app.run()
    at.switch_page("pages/tables.py").run()
    assert not at.exception
    return at


def tab_named(at, label):
    return next(tab for tab in at.tabs if tab.label == label)


def test_each_table_is_shown_with_the_rule_that_fires_for_current_answers(app):
    at = open_tables(app, typical_length=5, max_length=5)
    assert [tab.label for tab in at.tabs] == ["Text encoding", "Sequence model", "Handling overfitting",
                                              "Attention vs Transformer", "Transformer architecture", "Optimizer"]
    page = texts(at)
    assert "With your answers one rule matches, `sm-short`, recommending **SimpleRNN**." in page
    frames = [tb.value for tb in at.table]
    seq = frames[1]
    assert list(seq["Rule"]) == ["sm-short", "sm-memory", "sm-long-default", "sm-varying-efficient",
                                 "sm-fixed-efficient", "sm-simple-gated", "sm-medium-default"]
    assert seq.iloc[0]["Then use"] == "SimpleRNN"
    assert seq.iloc[0]["With your answers"] == "wins"
    diagrams = at.get("graphviz_chart")
    assert len(diagrams) == 6
    dot = diagrams[1].proto.spec
    assert ('"r_sm-short" [label="sm-short\\nTypical length: short (under 10 tokens)\\nWhat you need: '
            'A simple, fast architecture or Efficient training or No preference", fillcolor="#b7e4c7", '
            'penwidth=2];') in dot
    assert page.count("Checked: every combination of answers matches a rule") == 6


def test_diagrams_and_tables_use_the_questions_words_not_ids(app):
    at = open_tables(app, architecture_need="best_performance", max_length=900, gpu_memory_gb=4)
    ids = internal_ids()
    for spec in (d.proto.spec for d in at.get("graphviz_chart")):
        shown = " ".join(re.findall(r'label="([^"]*)"', spec))
        assert not set(re.findall(r"\b\w+\b", shown)) & ids
    for frame in (tb.value for tb in at.table):
        cells = " ".join(str(v) for v in frame.drop(columns="Rule").to_numpy().ravel())
        assert not set(re.findall(r"\b\w+\b", cells)) & ids


def internal_ids() -> set[str]:
    """Question, option and bin ids that are plainly ids (with an underscore): no English word looks like them."""
    tables = load_tables()
    ids = set(tables.questions) | {o.value for q in tables.questions.values() for o in q.options}
    ids |= {b.id for d in tables.decisions.values() for i in d.inputs for b in i.bins}
    return {i for i in ids if "_" in i}


def test_every_matching_rule_is_marked_and_the_winner_named(app):
    # Movie reviews on a small GPU: four attention rules match, the memory rule comes first and wins.
    at = open_tables(app, architecture_need="best_performance", max_length=900, typical_length=230,
                     gpu_memory_gb=4, train_accuracy=99, val_accuracy=80, more_data_available="yes")
    page = texts(at)
    assert ("With your answers 2 rules match (`at-long-limited`, `at-best-limited`); the first, "
            "`at-long-limited`, wins, recommending **LSTM (no attention)**.") in page
    attention = [tb.value for tb in at.table][3]
    did = dict(zip(attention["Rule"], attention["With your answers"], strict=True))
    assert did["at-long-limited"] == "wins"
    assert did["at-best-limited"] == "matches, but an earlier rule wins"
    assert did["at-latency"] == ""
    assert "A goal lost here." in page and "What the model is for: The best accuracy on an NLP task" in page
    # Overfitting: two rules fire (more data, then dropout); the page must not say one.
    assert ("With your answers 2 rules fire (`of-gap-more-data`, `of-gap-dropout`): **More labelled data** "
            "first, then **Dropout**.") in page


def test_diagrams_have_a_text_version_for_small_screens(app):
    at = open_tables(app, latency_budget_ms=20)
    tab = tab_named(at, "Attention vs Transformer")
    listing = [m.value for m in tab.markdown if m.value.startswith("1. If ")]
    assert listing and listing[0].startswith("1. If Latency budget is critical (under 50 ms): "
                                             "**GRU or small RNN** (**wins**)")


def test_the_advisor_knows_which_decisions_the_lab_can_train():
    from engine.lab.decisions import DECISIONS

    assert LAB_DECISIONS == DECISIONS
