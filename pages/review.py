"""Review page: flashcards scheduled by FSRS, quizzes, progress charts, runnable snippets, errata.

Registered in app.py (st.navigation). All logic lives in engine.study; this file is widgets and
layout, and the Progress tab's charts and CSV transfer are drawn by ui/review_progress.py. TensorFlow
is never imported here: snippets run in a subprocess.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from engine.errors import EngineError
from engine.study import (
    KIND_LABELS,
    RATINGS,
    ProgressError,
    ProgressLocked,
    ProgressStore,
    QuizAnswer,
    check,
    default_db_path,
    filter_cards,
    make_question,
    make_scheduler,
    next_due,
    review_queue,
    run_snippet,
    summarize,
)
from engine.study import build_cards as _build_cards
from engine.study import load_content as _load_content
from engine.study.views import (
    ERRATA_GROUPS,
    KIND_NAMES,
    due_label,
    errata_groups,
    rating_previews,
    snippet_command,
    topic_options,
)
from ui.review_progress import progress_tab
from ui.shim import through_app
from ui.state import escape_md

through_app()

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
    new_today = min(today.new_available, max(0, new_limit - today.new_seen_today))
    st.caption(f"**{today.due_now}** cards due for review now · **{new_today}** new cards left for today "
               f"(daily limit {new_limit}; {today.new_available} not yet studied in all) · "
               f"{len(cards)} cards match the filters")
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


def snippets_tab() -> None:
    content = load_content()
    commands = {c.id: c for c in content.commands}
    pick, download = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick.selectbox("Snippet", list(commands), key="study_snippet",
                            format_func=lambda i: f"{commands[i].title} ({commands[i].day})")
    # Made when pressed (a callable): nbformat is imported then, not on every run of the page.
    download.download_button("All as a notebook", snippets_notebook, file_name="keras3-snippets.ipynb",
                             mime="application/x-ipynb+json", key="study_notebook", on_click="ignore",
                             icon=":material/menu_book:", width="stretch",
                             help="Every snippet below in one Jupyter notebook (.ipynb), each with what it shows "
                                  "and what it corrects.")
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


def snippets_notebook() -> bytes:
    """Every snippet as one Jupyter notebook, for the download button."""
    from engine.notebooks import to_bytes
    from engine.study.notebook import snippets_notebook as make

    return to_bytes(make(load_content()))


def errata_tab() -> None:
    content = load_content()
    shown = st.multiselect("Show", list(ERRATA_GROUPS), default=list(ERRATA_GROUPS), key="study_errata_kinds",
                           format_func=ERRATA_GROUPS.get)
    st.caption(f"{len(content.errata)} corrections to the source cheatsheet, grouped by what is wrong. Where code "
               "can show the correction, a runnable Keras 3 snippet does.")
    for title, errata in errata_groups(content, shown):
        st.subheader(f"{title} ({len(errata)})")
        for e in errata:
            quote = e.source_says if len(e.source_says) <= 60 else e.source_says[:57] + "…"
            with st.expander(f"{e.where}: `{quote.replace('`', '')}`"):
                st.markdown("The cheatsheet says:")
                st.code(e.source_says, language="text")
                st.markdown(f"**Correction:** {e.correction}\n\n**Why:** {e.why}")
                command = snippet_command(content, e.snippet) if e.snippet else None
                if command is not None:
                    st.button(f"Open the corrected, runnable code ({e.snippet})", key=f"study_errata_open_{e.id}",
                              icon=":material/code:", on_click=open_snippet, args=(command,))
                elif e.test:
                    st.caption("Checked on the installed Keras 3 by this project's test suite.")
                if e.reference:
                    st.caption(f"Source: {e.reference}")


def open_snippet(command: str) -> None:
    """Button callback: select this snippet and switch to the Snippets tab."""
    S.study_snippet = command
    S.study_tab = "Snippets"


def main() -> None:
    st.title("Review")
    st.caption("Learn the ideas behind the advisor's recommendations: deep-learning and NLP concepts, their pros "
               "and cons, common mistakes, formulas and Keras 3 code, as flashcards and quizzes, with every "
               "mistake found in the source notes corrected.")
    try:
        content, cards = load_content(), load_cards()
    except EngineError as error:
        st.error(f"The study material could not be loaded:\n\n{error}")
        return
    with st.sidebar:
        st.header("Review settings")
        learner = st.text_input("Learner name", value="default", max_chars=60, key="study_learner",
                                help="Progress is kept on this server, per learner name: type the same name "
                                     "next time to continue.") or "default"
        topics = topic_options(content)
        chosen_topics = st.multiselect("Topics", list(topics), format_func=topics.get, key="study_topics")
        days = st.multiselect("Days", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], key="study_days")
        new_limit = st.number_input("New cards per day", 0, 200, 10, key="study_new_limit")
    store = open_store(default_db_path())
    st.caption(f"Learner **{escape_md(learner)}** · progress is kept on this server, per learner name; the "
               "Progress tab exports it as a CSV file.")
    selected = filter_cards(cards, set(chosen_topics), set(days))
    # on_change="rerun" makes the active tab state, so an erratum's button can open the Snippets tab.
    tabs = st.tabs(["Flashcards", "Quiz", "Progress", "Snippets", "Errata"], key="study_tab", on_change="rerun")
    with tabs[0]:
        try_render(flashcards_tab, store, learner, selected, int(new_limit))
    with tabs[1]:
        try_render(quiz_tab, store, learner)
    with tabs[2]:
        try_render(progress_tab, store, learner, selected, load_content(), scheduler())
    with tabs[3]:
        snippets_tab()
    with tabs[4]:
        errata_tab()


def try_render(render, *args) -> None:  # noqa: ANN001
    """A database that breaks mid-session (deleted, locked, replaced) gives a message, not a traceback."""
    try:
        render(*args)
    except ProgressLocked as error:  # busy, not broken: waiting is the fix
        st.warning(str(error), icon=":material/hourglass_top:")
    except EngineError as error:
        st.error(str(error))


main()
