"""The Review page's Progress tab: where a learner stands, what to study next, and progress as a CSV file.

Split from pages/review.py (which keeps the widgets that drive studying); the page passes in its cached
content and scheduler. This is the only part of the Review page that draws charts, so pandas and altair
are imported here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import altair as alt
import fsrs
import pandas as pd
import streamlit as st

from engine.errors import EngineError
from engine.study import (
    ProgressStore,
    StudyContent,
    daily_activity,
    export_csv,
    import_csv,
    summarize,
    topic_mastery,
    weakest_topics,
)
from engine.study.views import mastery_rows
from ui.state import escape_md


def progress_tab(store: ProgressStore | None, learner: str, cards: list, content: StudyContent,
                 scheduler: fsrs.Scheduler) -> None:
    """Metrics, mastery by topic, the last 14 days' activity, and moving progress in and out as CSV."""
    if store is None:
        st.info("Progress needs the database; see the message above.")
        return
    now = datetime.now(UTC)
    states, reviews, quizzes = store.card_states(learner), store.reviews(learner), store.quiz_answers(learner)
    summary = summarize(cards, states, reviews, quizzes, now)
    a, b, c, d = st.columns(4)
    a.metric("Cards due now", summary.due_now, help="Seen cards whose FSRS due time has passed.")
    b.metric("New cards not yet studied", summary.new_available,
             help="Cards you have never seen, in the chosen topics and days. The Flashcards tab brings in at most "
                  "'New cards per day' of them each day.")
    c.metric("Retention", "–" if summary.retention is None else f"{summary.retention:.0%}",
             help="Share of repeat reviews not rated 'again' (first sightings excluded).")
    d.metric("Streak", f"{summary.streak_days} d", help="Consecutive days (UTC) with a review or quiz answer.")
    rows = topic_mastery(cards, states, quizzes, scheduler, now)
    table = pd.DataFrame(mastery_rows(rows, content))
    st.subheader("Mastery by topic")
    st.caption("Mastery = average FSRS recall probability of the topic's cards right now; unseen cards count as 0.")
    # Legends below the plot and topic names cut at 170 px: on a 390 px phone a legend at the side and full
    # names left the bars about 20 px to grow in.
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("mastery %:Q", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("topic:N", sort=None, title=None, axis=alt.Axis(labelLimit=170)),
        color=alt.Color("day:N", sort=["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                        legend=alt.Legend(title="Cheatsheet day", orient="bottom", columns=1)),
        tooltip=list(table.columns),
    )
    st.altair_chart(chart, width="stretch")
    weakest = weakest_topics(rows)
    st.markdown("**Study next:** " + ", ".join(f"{content.topic_name(r.topic)} ({r.mastery:.0%})" for r in weakest))
    st.subheader("Activity, last 14 days")
    activity = pd.DataFrame(daily_activity(reviews, quizzes, now.date()))
    if not activity["count"].any():
        st.caption("Nothing yet: flashcards you rate and quiz questions you answer are counted here, day by day.")
    st.altair_chart(alt.Chart(activity).mark_bar().encode(
        x=alt.X("day:O", title=None, axis=alt.Axis(labelExpr="slice(datum.label, 5)", labelAngle=0)),
        y=alt.Y("count:Q", title="answers", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("activity:N", legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["day", "activity", "count"]), width="stretch")
    st.subheader("Export / import")
    st.download_button("Export progress (CSV)", export_csv(store, learner), file_name=f"progress-{learner}.csv",
                       mime="text/csv", key="study_export")
    upload = st.file_uploader("Import a progress CSV into this learner", type=["csv"], key="study_import_file")
    if upload is not None and st.button("Import", key="study_import"):
        try:
            added = import_csv(store, upload.getvalue().decode("utf-8-sig"), learner, scheduler)
            st.success(f"Imported {added[0]} reviews and {added[1]} quiz answers.")
        except (EngineError, UnicodeDecodeError) as error:
            st.error(f"Import failed: {escape_md(str(error))}")
