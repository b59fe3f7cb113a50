"""Scheduling goes through fsrs: harder answers come back sooner; the queue puts due cards first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from engine.study import RATINGS, build_cards, review_queue
from engine.study.scheduling import review

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_again_comes_back_before_easy_for_a_new_card(scheduler):
    again = review(scheduler, "a", None, RATINGS["again"], T0)
    easy = review(scheduler, "b", None, RATINGS["easy"], T0)
    assert again.due < easy.due
    assert easy.due - T0 >= timedelta(days=1)


def test_ratings_order_the_next_interval(scheduler):
    dues = [review(scheduler, "k", None, RATINGS[name], T0).due for name in ("again", "hard", "good", "easy")]
    assert dues == sorted(dues)


def test_again_on_a_learned_card_relearns_it_soon(scheduler):
    card = review(scheduler, "k", None, RATINGS["easy"], T0)
    later = card.due
    lapsed = review(scheduler, "k", card, RATINGS["again"], later)
    kept = review(scheduler, "k", card, RATINGS["easy"], later)
    assert lapsed.state == fsrs.State.Relearning
    assert lapsed.due - later < timedelta(hours=1) < kept.due - later


def test_store_round_trip_keeps_the_order(store, scheduler):
    store.record_review("ada", "concept:rnn", RATINGS["again"], T0, scheduler)
    store.record_review("ada", "concept:lstm", RATINGS["easy"], T0, scheduler)
    states = store.card_states("ada")
    assert states["concept:rnn"].due < states["concept:lstm"].due


def test_queue_puts_due_cards_first_then_limited_new_ones(content, scheduler):
    cards = build_cards(content)[:20]
    states = {
        cards[5].key: review(scheduler, cards[5].key, None, RATINGS["again"], T0),
        cards[9].key: review(scheduler, cards[9].key, None, RATINGS["hard"], T0),
        cards[2].key: review(scheduler, cards[2].key, None, RATINGS["easy"], T0),
    }
    now = T0 + timedelta(hours=2)
    queue = review_queue(cards, states, now, new_limit=4)
    assert [c.key for c in queue[:2]] == [cards[5].key, cards[9].key]  # the most overdue first
    assert cards[2].key not in [c.key for c in queue]  # easy: not due for days
    assert len(queue) == 2 + 4
    assert all(c.key not in states for c in queue[2:])


@pytest.mark.parametrize(("seen_today", "expected_new"), [(0, 3), (2, 1), (3, 0), (7, 0)])
def test_new_card_limit_counts_cards_already_seen_today(content, seen_today, expected_new):
    cards = build_cards(content)[:10]
    assert len(review_queue(cards, {}, T0, new_limit=3, new_seen_today=seen_today)) == expected_new
