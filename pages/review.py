"""Review page: flashcards scheduled by FSRS, quizzes, progress charts, runnable snippets, errata.

Works registered in app.py (st.navigation) and on its own (`streamlit run pages/review.py`).
All logic lives in engine.study; this file is widgets and layout. TensorFlow is never imported
here: snippets run in a subprocess.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # standalone `streamlit run pages/review.py` puts only pages/ on the path
    sys.path.insert(0, str(ROOT))

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from engine.errors import EngineError  # noqa: E402
from engine.study import (  # noqa: E402
    KIND_LABELS,
    RATINGS,
    ProgressError,
    ProgressStore,
    QuizAnswer,
    check,
    daily_activity,
    default_db_path,
    export_csv,
    filter_cards,
    import_csv,
    make_question,
    make_scheduler,
    next_due,
    review_queue,
    run_snippet,
    summarize,
    topic_mastery,
    weakest_topics,
)
from engine.study import build_cards as _build_cards  # noqa: E402
from ui.state import escape_md, through_app  # noqa: E402

through_app()
from engine.study import load_content as _load_content  # noqa: E402
from engine.study.views import KIND_NAMES, due_label, mastery_rows, rating_previews, topic_options  # noqa: E402

S = st.session_state


@st.cache_resource
def load_content():  # noqa: ANN201 - cached, immutable content shared by all sessions
    return _load_content()


@st.cache_resource
def load_cards():  # noqa: ANN201
    return _build_cards(load_content())


@st.cache_resource
def scheduler():  # noqa: ANN201
    return make_scheduler()


@st.cache_resource
def progress_store(path: Path) -> ProgressStore:
    """One store per database file, shared by sessions: it opens a short-lived connection per call."""
    return ProgressStore(path)  # a failure raises and is not cached, so fixing the file and rerunning works


def open_store(path: Path) -> ProgressStore | None:
    try:
        return progress_store(path)
    except ProgressError as error:
        st.error(f"Progress cannot be saved: {error}")
        return None


def rate(store: ProgressStore, learner: str, key: str, rating: str) -> None:
    """Button callback: one review = one transaction."""
    try:
        now = datetime.now(UTC)
        card = store.record_review(learner, key, RATINGS[rating], now, scheduler())
        S.study_last_rating = f"Rated **{rating}**: that card comes back {due_label(card.due, now)}."
    except EngineError as error:
        S.study_last_rating = f"Could not save the review: {error}"
    S.study_revealed = None


def flashcards_tab(store: ProgressStore | None, learner: str, cards: list, new_limit: int) -> None:
    if store is None:
        st.info("Flashcards need the progress database; see the message above.")
        return
    now = datetime.now(UTC)
    states = store.card_states(learner)
    today = summarize(cards, states, store.reviews(learner), [], now)
    queue = review_queue(cards, states, now, new_limit, today.new_seen_today)
    if S.get("study_last_rating"):
        st.caption(S.study_last_rating)
    st.caption(f"{today.due_now} due · {min(today.new_available, max(0, new_limit - today.new_seen_today))} "
               f"new left today (limit {new_limit}) · {len(cards)} cards match the filters")
    if not queue:
        st.success(f"Nothing to review right now. Next card due: {due_label(next_due(cards, states), now)}.")
        return
    card = queue[0]
    with st.container(border=True):
        new = card.key not in states
        st.badge(f"{KIND_NAMES[card.kind]} · {load_content().topic_name(card.topic)} · {card.day}",
                 color="green" if new else "blue", icon=":material/fiber_new:" if new else None)
        st.markdown(card.front)
        if S.get("study_revealed") != card.key:
            st.button("Show answer", key="study_reveal", type="primary",
                      on_click=lambda: S.update(study_revealed=card.key, study_last_rating=""))
            return
        st.divider()
        st.markdown(card.back)
    previews = rating_previews(scheduler(), card.key, states.get(card.key), now)
    st.write("How well did you remember it?")
    for column, name in zip(st.columns(4), RATINGS, strict=True):
        column.button(f"{name.capitalize()} · {previews[name]}", key=f"study_rate_{name}", width="stretch",
                      type="primary" if name == "good" else "secondary",
                      on_click=rate, args=(store, learner, card.key, name))


def quiz_tab(store: ProgressStore | None, learner: str) -> None:
    kind = st.radio("Question type", list(KIND_LABELS), format_func=KIND_LABELS.get, horizontal=True,
                    key="study_quiz_kind")
    if st.button("New question", key="study_new_question") or S.get("study_question_kind") != kind:
        try:
            S.study_question = make_question(kind, load_content(), random.Random())
        except EngineError as error:
            st.error(f"Could not make a question: {error}")
            return
        S.study_question_kind, S.study_quiz_result = kind, None
        S.study_question_no = S.get("study_question_no", 0) + 1
    question, number = S.study_question, S.study_question_no
    with st.container(border=True):
        st.markdown(question.prompt)
        if question.numeric:
            response = st.number_input("Your answer", value=None, format="%.4f", step=0.001, key=f"study_num_{number}")
        else:
            response = st.radio("Your answer", range(len(question.options)), index=None,
                                format_func=lambda i: question.options[i], key=f"study_pick_{number}")
        if st.button("Check answer", key="study_check", disabled=S.get("study_quiz_result") is not None):
            correct = check(question, response)
            S.study_quiz_result = correct
            if store is not None:
                try:
                    store.record_quiz(QuizAnswer(learner, question.kind, question.topic, question.item, correct,
                                                 datetime.now(UTC)))
                except EngineError as error:
                    st.warning(f"Answer not saved: {error}")
    if S.get("study_quiz_result") is not None:
        right = (f"{question.answer:.4f}" if question.numeric else question.options[int(question.answer)])
        (st.success if S.study_quiz_result else st.error)(
            ("Correct!" if S.study_quiz_result else f"Not quite. The answer is: **{right}**")
            + f"\n\n{question.explanation}")


def progress_tab(store: ProgressStore | None, learner: str, cards: list) -> None:
    if store is None:
        st.info("Progress needs the database; see the message above.")
        return
    now = datetime.now(UTC)
    states, reviews, quizzes = store.card_states(learner), store.reviews(learner), store.quiz_answers(learner)
    summary = summarize(cards, states, reviews, quizzes, now)
    a, b, c, d = st.columns(4)
    a.metric("Cards due now", summary.due_now, help="Seen cards whose FSRS due time has passed.")
    b.metric("New cards left", summary.new_available)
    c.metric("Retention", "–" if summary.retention is None else f"{summary.retention:.0%}",
             help="Share of repeat reviews not rated 'again' (first sightings excluded).")
    d.metric("Streak", f"{summary.streak_days} d", help="Consecutive days (UTC) with a review or quiz answer.")
    rows = topic_mastery(cards, states, quizzes, scheduler(), now)
    content = load_content()
    table = pd.DataFrame(mastery_rows(rows, content))
    st.subheader("Mastery by topic")
    st.caption("Mastery = average FSRS recall probability of the topic's cards right now; unseen cards count as 0.")
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("mastery %:Q", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("topic:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("day:N", sort=["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
        tooltip=list(table.columns),
    )
    st.altair_chart(chart, width="stretch")
    weakest = weakest_topics(rows)
    st.markdown("**Study next:** " + ", ".join(f"{content.topic_name(r.topic)} ({r.mastery:.0%})" for r in weakest))
    st.subheader("Activity, last 14 days")
    activity = pd.DataFrame(daily_activity(reviews, quizzes, now.date()))
    st.altair_chart(alt.Chart(activity).mark_bar().encode(
        x=alt.X("day:O", title=None, axis=alt.Axis(labelExpr="slice(datum.label, 5)", labelAngle=0)),
        y=alt.Y("count:Q", title="answers", axis=alt.Axis(tickMinStep=1, format="d")), color="activity:N",
        tooltip=["day", "activity", "count"]), width="stretch")
    st.subheader("Export / import")
    st.download_button("Export progress (CSV)", export_csv(store, learner), file_name=f"progress-{learner}.csv",
                       mime="text/csv", key="study_export")
    upload = st.file_uploader("Import a progress CSV into this learner", type=["csv"], key="study_import_file")
    if upload is not None and st.button("Import", key="study_import"):
        try:
            added = import_csv(store, upload.getvalue().decode("utf-8-sig"), learner, scheduler())
            st.success(f"Imported {added[0]} reviews and {added[1]} quiz answers.")
        except (EngineError, UnicodeDecodeError) as error:
            st.error(f"Import failed: {escape_md(str(error))}")


def snippets_tab() -> None:
    content = load_content()
    commands = {c.id: c for c in content.commands}
    chosen = st.selectbox("Snippet", list(commands), key="study_snippet",
                          format_func=lambda i: f"{commands[i].title} ({commands[i].day})")
    command = commands[chosen]
    st.markdown(f"{command.summary}\n\n`snippets/{command.snippet}`")
    st.code(content.snippet_path(command).read_text(encoding="utf-8"), language="python")
    if st.button("Run", key="study_run", type="primary", icon=":material/play_arrow:"):
        with st.spinner("Running in a separate Python process (TensorFlow takes a few seconds to start)…"):
            S.setdefault("study_runs", {})[command.snippet] = run_snippet(content.snippet_path(command))
    result = S.get("study_runs", {}).get(command.snippet)
    if result is not None:
        status = "finished" if result.ok else ("timed out" if result.timed_out else f"failed ({result.returncode})")
        (st.success if result.ok else st.error)(f"Run {status} in {result.seconds:.1f} s (measured in this run).")
        st.code(result.stdout or "(no output)", language="text")
        if result.stderr.strip():
            with st.expander("stderr", expanded=not result.ok):
                st.code(result.stderr[-6000:], language="text")


def errata_tab() -> None:
    content = load_content()
    kinds = sorted({e.kind for e in content.errata})
    shown = st.multiselect("Kinds", kinds, default=kinds, key="study_errata_kinds")
    st.caption(f"{len(content.errata)} corrections to the source cheatsheet.")
    for e in (e for e in content.errata if e.kind in shown):
        quote = e.source_says if len(e.source_says) <= 60 else e.source_says[:57] + "…"
        with st.expander(f"**{e.kind}** · {e.where}: `{quote.replace('`', '')}`"):
            st.markdown("The cheatsheet says:")
            st.code(e.source_says, language="text")
            st.markdown(f"**Correction:** {e.correction}\n\n**Why:** {e.why}")
            checks = [f"run `snippets/{e.snippet}`" if e.snippet else "", f"test `{e.test}`" if e.test else "",
                      f"see {e.reference}" if e.reference else ""]
            st.caption("Check: " + "; ".join(c for c in checks if c))


def main() -> None:
    st.title("Review")
    st.caption("The whole week's cheatsheet, corrected: flashcards, quizzes, runnable Keras 3 code and errata.")
    try:
        content, cards = load_content(), load_cards()
    except EngineError as error:
        st.error(f"The study material could not be loaded:\n\n{error}")
        return
    with st.sidebar:
        st.header("Review settings")
        learner = st.text_input("Learner name", value="default", max_chars=60, key="study_learner",
                                help="Progress is kept per name inside one database file.") or "default"
        topics = topic_options(content)
        chosen_topics = st.multiselect("Topics", list(topics), format_func=topics.get, key="study_topics")
        days = st.multiselect("Days", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], key="study_days")
        new_limit = st.number_input("New cards per day", 0, 200, 10, key="study_new_limit")
    path = default_db_path()
    store = open_store(path)
    st.caption(f"Progress database: `{path}` (set `DL_ADVISOR_DB` to use another file) · "
               f"learner **{escape_md(learner)}**")
    selected = filter_cards(cards, set(chosen_topics), set(days))
    tabs = st.tabs(["Flashcards", "Quiz", "Progress", "Snippets", "Errata"], key="study_tab")
    with tabs[0]:
        try_render(flashcards_tab, store, learner, selected, int(new_limit))
    with tabs[1]:
        try_render(quiz_tab, store, learner)
    with tabs[2]:
        try_render(progress_tab, store, learner, selected)
    with tabs[3]:
        snippets_tab()
    with tabs[4]:
        errata_tab()


def try_render(render, *args) -> None:  # noqa: ANN001
    """A database that breaks mid-session (deleted, locked, replaced) gives a message, not a traceback."""
    try:
        render(*args)
    except EngineError as error:
        st.error(str(error))


main()
