"""CSV export and import of progress: round trip, idempotence, and clear errors for bad files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.study import RATINGS, ProgressError, ProgressStore, QuizAnswer, export_csv, import_csv

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fill(store: ProgressStore, scheduler) -> None:
    for day, (key, rating) in enumerate([("concept:rnn", "good"), ("concept:lstm", "again"),
                                         ("concept:rnn", "easy"), ("concept:lstm", "good")]):
        store.record_review("ada", key, RATINGS[rating], T0 + timedelta(days=day), scheduler)
    store.record_quiz(QuizAnswer("ada", "formula", "optimization", "formula:momentum", True, T0))


def test_export_then_import_rebuilds_the_same_schedule(store, scheduler, tmp_path):
    fill(store, scheduler)
    text = export_csv(store, "ada")
    assert text.splitlines()[0] == "record,learner,item,topic,quiz_kind,rating,correct,at,duration_ms"
    other = ProgressStore(tmp_path / "other.sqlite3")
    assert import_csv(other, text, "ada-copy", scheduler) == (4, 1)
    original, copied = store.card_states("ada"), other.card_states("ada-copy")
    assert set(original) == set(copied)
    for key in original:
        assert copied[key].due == original[key].due
        assert copied[key].stability == pytest.approx(original[key].stability)
    assert import_csv(other, text, "ada-copy", scheduler) == (0, 0)  # importing twice changes nothing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n", "no record, item, at column"),
        ("record,item,at,rating\nreview,concept:rnn,2026-03-02T09:00:00+00:00,7\n", "CSV line 2: column \"rating\""),
        ("record,item,at,rating\nreview,concept:rnn,yesterday,3\n", "CSV line 2: column \"at\" must be"),
        ("record,item,at,rating\nreview,concept:rnn,2026-03-02T09:00:00,3\n", "needs a time zone"),
        ("record,item,at,correct\nbogus,concept:rnn,2026-03-02T09:00:00+00:00,1\n", "\"review\" or \"quiz\""),
    ],
)
def test_bad_csv_is_rejected_whole_with_line_numbers(store, scheduler, text, message):
    with pytest.raises(ProgressError, match="Nothing was imported|no record") as caught:
        import_csv(store, text, "ada", scheduler)
    assert message in str(caught.value)
    assert store.reviews("ada") == []
