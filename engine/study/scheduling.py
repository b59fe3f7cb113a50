"""Spaced repetition: when each flashcard is due, decided by the FSRS algorithm (the `fsrs` package).

We keep no scheduling maths of our own: a card's memory state is an `fsrs.Card`, a review is
`fsrs.Scheduler.review_card`, and this module only adds the queue a learner works through
(due cards first, then a limited number of new ones per day).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import fsrs

from .cards import Flashcard

RATINGS: dict[str, fsrs.Rating] = {
    "again": fsrs.Rating.Again,
    "hard": fsrs.Rating.Hard,
    "good": fsrs.Rating.Good,
    "easy": fsrs.Rating.Easy,
}
DEFAULT_NEW_PER_DAY = 10


def make_scheduler(fuzz: bool = True) -> fsrs.Scheduler:
    """The FSRS scheduler with its published default parameters and 90% target retention.

    Fuzzing spreads review dates by a few percent so cards learned together do not all come back
    on the same day; tests turn it off to get exact, repeatable intervals.
    """
    return fsrs.Scheduler(desired_retention=0.9, enable_fuzzing=fuzz)


def card_number(key: str) -> int:
    """A stable integer id for fsrs (which wants ints) derived from the card key."""
    return zlib.crc32(key.encode("utf-8"))


def new_card(key: str, now: datetime) -> fsrs.Card:
    """A never-reviewed card, due now."""
    return fsrs.Card(card_id=card_number(key), due=now)


def review(
    scheduler: fsrs.Scheduler,
    key: str,
    state: fsrs.Card | None,
    rating: fsrs.Rating,
    now: datetime,
) -> fsrs.Card:
    """The card's new memory state after answering it with `rating` at `now` (UTC)."""
    card = state if state is not None else new_card(key, now)
    updated, _log = scheduler.review_card(card, rating, review_datetime=utc(now))
    return updated


def utc(moment: datetime) -> datetime:
    """fsrs requires timezone-aware datetimes whose tzinfo is exactly UTC."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC)


def review_queue(
    cards: Sequence[Flashcard],
    states: Mapping[str, fsrs.Card],
    now: datetime,
    new_limit: int = DEFAULT_NEW_PER_DAY,
    new_seen_today: int = 0,
) -> list[Flashcard]:
    """Cards to review now: overdue/due cards (most overdue first), then new cards up to the limit.

    `new_seen_today` is how many cards this learner already saw for the first time today, so the
    daily limit holds across sessions and restarts.
    """
    due = [card for card in cards if card.key in states and states[card.key].due <= now]
    due.sort(key=lambda card: states[card.key].due)
    budget = max(0, new_limit - new_seen_today)
    fresh = [card for card in cards if card.key not in states][:budget]
    return due + fresh


def next_due(cards: Sequence[Flashcard], states: Mapping[str, fsrs.Card]) -> datetime | None:
    """When the next already-seen card in `cards` falls due, or None if none has been seen."""
    dues = [states[card.key].due for card in cards if card.key in states]
    return min(dues) if dues else None


def retrievability(scheduler: fsrs.Scheduler, state: fsrs.Card | None, now: datetime) -> float:
    """FSRS's predicted probability of recalling the card now (0 for a card never reviewed)."""
    if state is None:
        return 0.0
    return float(scheduler.get_card_retrievability(state, current_datetime=utc(now)))
