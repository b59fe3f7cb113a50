"""The Review page in Streamlit's AppTest: rate a card, answer quizzes, see progress, run a snippet,
read errata; a damaged database gives a message; TensorFlow is never imported by the page."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "review.py")


@pytest.fixture
def page(db_path, monkeypatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "success", "error", "warning", "info", "code")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def test_page_says_where_progress_is_kept_in_words_not_the_servers_path(page, db_path):
    text = shown(page)
    assert "progress is kept on this server, per learner name" in text
    assert str(db_path) not in text and str(db_path.parent) not in text
    assert "cheatsheet" not in page.caption[0].value.lower()  # the intro assumes no context


def test_counts_say_which_is_which(page, content):
    caption = next(c.value for c in page.caption if "cards due for review now" in c.value)
    assert "**10** new cards left for today (daily limit 10;" in caption
    metrics = {m.label: m.value for m in page.metric}
    assert "New cards not yet studied" in metrics and "New cards left" not in metrics


def test_concept_cards_ask_with_an_article(page):
    page.multiselect(key="study_topics").set_value(["autoencoders"]).run()
    assert "What is **an autoencoder**?" in page.markdown[1].value or any(
        "What is **an autoencoder**?" in m.value for m in page.markdown)


def test_reveal_and_rate_a_card(page, db_path):
    first = page.markdown[1].value
    page.button(key="study_reveal").click().run()
    labels = [b.label for b in page.button]
    assert any(label.startswith("Good · ") for label in labels)
    page.button(key="study_rate_good").click().run()
    assert not page.exception
    assert "Rated **good**: that card comes back in 10 min." in shown(page)
    assert page.markdown[1].value != first  # the next card is up
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT learner, rating FROM reviews").fetchall() == [("default", 3)]
    conn.close()


def test_learners_keep_separate_progress(page, db_path):
    page.text_input(key="study_learner").set_value("ada").run()
    page.button(key="study_reveal").click().run()
    page.button(key="study_rate_again").click().run()
    page.text_input(key="study_learner").set_value("bob").run()
    assert "Learner **bob**" in shown(page)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT DISTINCT learner FROM reviews").fetchall() == [("ada",)]
    conn.close()


def test_filter_by_day_shows_only_that_days_cards(page):
    page.multiselect(key="study_days").set_value(["Thursday"]).run()
    assert "Thursday" in page.markdown[0].value
    page.multiselect(key="study_topics").set_value(["tensorboard"]).run()
    assert "0 cards match the filters" in shown(page)


@pytest.mark.parametrize("kind", ["term-to-definition", "definition-to-term", "whats-wrong", "formula", "scenario"])
def test_answer_each_quiz_kind_correctly(page, db_path, kind):
    page.radio(key="study_quiz_kind").set_value(kind).run()
    question = page.session_state["study_question"]
    assert question.kind == kind
    number = page.session_state["study_question_no"]
    if question.numeric:
        page.number_input(key=f"study_num_{number}").set_value(question.answer).run()
    else:
        page.radio(key=f"study_pick_{number}").set_value(int(question.answer)).run()
    page.button(key="study_check").click().run()
    assert not page.exception
    assert any("Correct!" in s.value for s in page.success)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT quiz_kind, correct FROM quiz_answers").fetchall() == [(kind, 1)]
    conn.close()


def test_a_wrong_answer_shows_the_right_one(page):
    page.radio(key="study_quiz_kind").set_value("term-to-definition").run()
    question = page.session_state["study_question"]
    wrong = (int(question.answer) + 1) % len(question.options)
    page.radio(key=f"study_pick_{page.session_state['study_question_no']}").set_value(wrong).run()
    page.button(key="study_check").click().run()
    assert any(question.options[int(question.answer)] in e.value for e in page.error)


def test_progress_tab_shows_metrics_and_charts(page):
    page.button(key="study_reveal").click().run()
    page.button(key="study_rate_easy").click().run()
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Streak"] == "1 d"
    assert metrics["Retention"] == "–"  # no card seen twice yet
    assert len(page.get("vega_lite_chart")) == 2  # mastery by topic, daily activity
    assert "Study next:" in shown(page)


def test_run_a_snippet_from_the_page(page):
    page.selectbox(key="study_snippet").set_value("bpe").run()
    page.button(key="study_run").click().run()
    assert any("measured in this run" in s.value for s in page.success)
    assert any("merges learned" in c.value for c in page.code)


def test_errata_are_grouped_and_point_at_runnable_snippets_not_tests(page, content):
    assert len(page.expander) >= len(content.errata)
    text = shown(page)
    assert "tape.gradient(loss, model.trainable_variables)" in text
    groups = [s.value for s in page.subheader if "(" in s.value]
    assert groups[0].startswith("Code that fails or is outdated on Keras 3 (")
    assert any(g.startswith("Claims stated as fact that are still debated (") for g in groups)
    assert "tests/" not in text and "test_errata" not in text
    with_snippet = [e for e in content.errata if e.snippet]
    assert {b.key for b in page.button if b.key and b.key.startswith("study_errata_open_")} == {
        f"study_errata_open_{e.id}" for e in with_snippet}


def test_an_erratum_opens_its_corrected_snippet(page, content):
    page.button(key="study_errata_open_tape-gradients").click().run()
    assert not page.exception
    assert page.session_state["study_tab"] == "Snippets"
    assert page.selectbox(key="study_snippet").value == "gradient-tape"
    assert any("tape.gradient(loss" in c.value for c in page.code)


def test_damaged_database_gives_a_message_not_a_crash(tmp_path, monkeypatch):
    bad = tmp_path / "progress.sqlite3"
    bad.write_bytes(b"this is not a database at all")
    monkeypatch.setenv("DL_ADVISOR_DB", str(bad))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert any("is not a SQLite database" in e.value for e in at.error)
    assert not any(str(bad) in e.value for e in at.error)  # the path is in the server's log, not on the page
    assert len(at.expander) > 0  # errata and snippets still work without progress


def test_page_works_inside_st_navigation(db_path, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    entry = tmp_path / "entry.py"
    entry.write_text(
        "import streamlit as st\n"
        f"st.navigation([st.Page({PAGE!r}, title='Review', icon=':material/school:')]).run()\n"
    )
    at = AppTest.from_file(str(entry), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Review"


def test_the_snippets_download_as_one_notebook(page):
    button = next(b for b in page.get("download_button") if b.proto.label == "All as a notebook")
    assert button.proto.help.startswith("Every snippet")
