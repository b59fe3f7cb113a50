"""Progress figures: retention, streak, new cards today, per-topic mastery and weakest topics."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from engine.study import RATINGS, build_cards, summarize, topic_mastery, weakest_topics
from engine.study.progress import daily_activity, retention, streak
from engine.study.store import QuizAnswer, Review

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def rev(key: str, rating: int, day: int) -> Review:
    return Review("ada", key, rating, T0 + timedelta(days=day))


def test_retention_ignores_first_sightings():
    assert retention([rev("a", 1, 0), rev("b", 3, 0)]) is None
    assert retention([rev("a", 1, 0), rev("a", 3, 1), rev("a", 1, 2), rev("b", 4, 2)]) == 0.5


def test_streak_counts_back_from_today_or_yesterday():
    today = date(2026, 3, 10)
    days = [today - timedelta(days=n) for n in (1, 2, 3, 5)]
    assert streak(days, today) == 3
    assert streak([*days, today], today) == 4
    assert streak([today - timedelta(days=2)], today) == 0


def test_summary_and_mastery_through_the_store(content, store, scheduler):
    cards = build_cards(content)
    rnn_cards = [c for c in cards if c.topic == "rnn"]
    for card in rnn_cards:
        store.record_review("ada", card.key, RATINGS["easy"], T0, scheduler)
    store.record_quiz(QuizAnswer("ada", "formula", "optimization", "formula:momentum", False, T0))
    now = T0 + timedelta(hours=1)
    states, reviews, quizzes = store.card_states("ada"), store.reviews("ada"), store.quiz_answers("ada")
    summary = summarize(cards, states, reviews, quizzes, now)
    assert summary.new_seen_today == len(rnn_cards)
    assert summary.due_now == 0
    assert summary.new_available == len(cards) - len(rnn_cards)
    assert summary.streak_days == 1
    rows = {r.topic: r for r in topic_mastery(cards, states, quizzes, scheduler, now)}
    assert rows["rnn"].seen == rows["rnn"].cards and rows["rnn"].mastery > 0.9
    assert rows["optimization"].mastery == 0 and rows["optimization"].quiz_accuracy == 0.0
    weakest = [r.topic for r in weakest_topics(list(rows.values()), count=len(rows))]
    assert weakest[0] == "optimization"  # unseen and a wrong quiz answer
    assert weakest[-1] == "rnn"


def test_daily_activity_has_a_row_per_day_and_kind():
    rows = daily_activity([rev("a", 3, 0)], [QuizAnswer("ada", "formula", "t", "i", True, T0)], T0.date(), days=3)
    assert len(rows) == 6
    assert {(r["activity"], r["count"]) for r in rows if r["day"] == T0.date().isoformat()} == {
        ("flashcards", 1), ("quiz answers", 1)}
