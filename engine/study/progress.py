"""Progress figures for a learner: cards due, retention, streak and per-topic mastery.

Definitions (shown on the page so the numbers can be read correctly):
- retention: share of reviews of already-seen cards not answered "again" (first sightings excluded);
- streak: consecutive days, ending today or yesterday, with at least one review or quiz answer;
- mastery of a topic: mean FSRS recall probability of its cards now (never-seen cards count as 0).
Days are calendar days in UTC.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import fsrs

from .cards import Flashcard
from .scheduling import retrievability, utc
from .store import QuizAnswer, Review


@dataclass(frozen=True)
class TopicMastery:
    """How well one topic is known right now."""

    topic: str
    cards: int
    seen: int
    mastery: float
    quiz_answers: int
    quiz_accuracy: float | None


@dataclass(frozen=True)
class Summary:
    """The headline numbers for the progress panel."""

    due_now: int
    new_available: int
    reviews_total: int
    retention: float | None
    streak_days: int
    new_seen_today: int


def retention(reviews: Iterable[Review]) -> float | None:
    """Share of repeat reviews not rated Again; None before any card has been seen twice."""
    seen: set[str] = set()
    repeat = kept = 0
    for review in sorted(reviews, key=lambda r: r.reviewed_at):
        if review.card_key in seen:
            repeat += 1
            kept += review.rating != int(fsrs.Rating.Again)
        seen.add(review.card_key)
    return kept / repeat if repeat else None


def streak(active_days: Iterable[date], today: date) -> int:
    """Consecutive active days ending today, or ending yesterday if today has no activity yet."""
    days = set(active_days)
    cursor = today if today in days else today - timedelta(days=1)
    count = 0
    while cursor in days:
        count += 1
        cursor -= timedelta(days=1)
    return count


def new_seen_today(reviews: Iterable[Review], today: date) -> int:
    """How many distinct cards had their very first review today."""
    first: dict[str, date] = {}
    for review in sorted(reviews, key=lambda r: r.reviewed_at):
        first.setdefault(review.card_key, utc(review.reviewed_at).date())
    return sum(1 for day in first.values() if day == today)


def summarize(
    cards: Sequence[Flashcard],
    states: Mapping[str, fsrs.Card],
    reviews: Sequence[Review],
    quizzes: Sequence[QuizAnswer],
    now: datetime,
) -> Summary:
    """Headline numbers for `cards` (already filtered by the learner's topic/day choice)."""
    today = utc(now).date()
    active = [utc(r.reviewed_at).date() for r in reviews] + [utc(q.answered_at).date() for q in quizzes]
    keys = {card.key for card in cards}
    return Summary(
        due_now=sum(1 for key in keys if key in states and states[key].due <= now),
        new_available=sum(1 for key in keys if key not in states),
        reviews_total=len(reviews),
        retention=retention(reviews),
        streak_days=streak(active, today),
        new_seen_today=new_seen_today(reviews, today),
    )


def topic_mastery(
    cards: Sequence[Flashcard],
    states: Mapping[str, fsrs.Card],
    quizzes: Sequence[QuizAnswer],
    scheduler: fsrs.Scheduler,
    now: datetime,
) -> list[TopicMastery]:
    """One row per topic present in `cards`, in first-seen order."""
    recall: dict[str, list[float]] = defaultdict(list)
    seen: dict[str, int] = defaultdict(int)
    for card in cards:
        state = states.get(card.key)
        recall[card.topic].append(retrievability(scheduler, state, now))
        seen[card.topic] += state is not None
    answers: dict[str, list[bool]] = defaultdict(list)
    for answer in quizzes:
        answers[answer.topic].append(answer.correct)
    rows = []
    for topic, values in recall.items():
        right = answers.get(topic, [])
        rows.append(
            TopicMastery(
                topic=topic,
                cards=len(values),
                seen=seen[topic],
                mastery=sum(values) / len(values),
                quiz_answers=len(right),
                quiz_accuracy=sum(right) / len(right) if right else None,
            )
        )
    return rows


def weakest_topics(rows: Sequence[TopicMastery], count: int = 3) -> list[TopicMastery]:
    """Topics to study next: lowest mastery first; among equals, the worse quiz accuracy first."""
    return sorted(rows, key=lambda r: (r.mastery, 1.0 if r.quiz_accuracy is None else r.quiz_accuracy))[:count]


def daily_activity(reviews: Sequence[Review], quizzes: Sequence[QuizAnswer], today: date, days: int = 14) -> list[
    dict[str, object]
]:
    """Rows (day, activity, count) for the last `days` days, for a bar chart."""
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for review in reviews:
        counts[(utc(review.reviewed_at).date(), "flashcards")] += 1
    for answer in quizzes:
        counts[(utc(answer.answered_at).date(), "quiz answers")] += 1
    rows: list[dict[str, object]] = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        for activity in ("flashcards", "quiz answers"):
            rows.append({"day": day.isoformat(), "activity": activity, "count": counts.get((day, activity), 0)})
    return rows
