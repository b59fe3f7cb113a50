"""Export and import a learner's progress as CSV.

The CSV holds the history (every flashcard review and quiz answer), not the derived card states:
on import the reviews are added and each touched card's state is rebuilt by replaying its whole
history through fsrs (`Scheduler.reschedule_card`), so an import can never disagree with the log.
Rows already present are skipped, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import fsrs

from .scheduling import card_number, new_card
from .store import ProgressStore, _upsert_card, check_learner, timestamp
from .store_errors import ProgressError

COLUMNS = ["record", "learner", "item", "topic", "quiz_kind", "rating", "correct", "at", "duration_ms"]


def export_csv(store: ProgressStore, learner: str) -> str:
    """All of one learner's reviews and quiz answers as CSV text (header row first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in store.reviews(learner):
        writer.writerow(["review", r.learner, r.card_key, "", "", r.rating, "", timestamp(r.reviewed_at),
                         "" if r.duration_ms is None else r.duration_ms])
    for q in store.quiz_answers(learner):
        writer.writerow(["quiz", q.learner, q.item, q.topic, q.quiz_kind, "", int(q.correct),
                         timestamp(q.answered_at), ""])
    return buffer.getvalue()


def import_csv(store: ProgressStore, text: str, learner: str, scheduler: fsrs.Scheduler) -> tuple[int, int]:
    """Add the CSV's rows to `learner` (whatever name the file carries); return (reviews, quiz answers) added.

    The whole file is checked first and applied in one transaction: a bad row rejects the file
    with its line number, and nothing is written.
    """
    learner = check_learner(learner)
    reviews, quizzes = parse(text)
    added_reviews = added_quizzes = 0
    with store.transaction("importing the file") as conn:
        touched: set[str] = set()
        for card_key, rating, at, duration in reviews:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO reviews (learner, card_key, rating, reviewed_at, duration_ms) "
                "VALUES (?, ?, ?, ?, ?)",
                (learner, card_key, rating, timestamp(at), duration),
            )
            if cursor.rowcount:
                added_reviews += 1
                touched.add(card_key)
        for item, topic, kind, correct, at in quizzes:
            exists = conn.execute(
                "SELECT 1 FROM quiz_answers WHERE learner = ? AND item = ? AND quiz_kind = ? AND answered_at = ?",
                (learner, item, kind, timestamp(at)),
            ).fetchone()
            if not exists:
                conn.execute(
                    "INSERT INTO quiz_answers (learner, quiz_kind, topic, item, correct, answered_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (learner, kind, topic, item, int(correct), timestamp(at)),
                )
                added_quizzes += 1
        for card_key in sorted(touched):
            history = conn.execute(
                "SELECT rating, reviewed_at FROM reviews WHERE learner = ? AND card_key = ? ORDER BY reviewed_at",
                (learner, card_key),
            ).fetchall()
            logs = [
                fsrs.ReviewLog(card_number(card_key), fsrs.Rating(rating), datetime.fromisoformat(at), None)
                for rating, at in history
            ]
            first = datetime.fromisoformat(history[0][1])
            card = scheduler.reschedule_card(new_card(card_key, first), logs)
            _upsert_card(conn, learner, card_key, card)
    return added_reviews, added_quizzes


Parsed = tuple[list[tuple[str, int, datetime, int | None]], list[tuple[str, str, str, bool, datetime]]]


def parse(text: str) -> Parsed:
    """Validate the CSV; raise ProgressError naming the line and column of the first problems."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("record", "item", "at") if c not in (reader.fieldnames or [])]
    if missing:
        raise ProgressError(
            f"The CSV has no {', '.join(missing)} column; expected a file exported by this app "
            f"with columns {', '.join(COLUMNS)}."
        )
    reviews: list[tuple[str, int, datetime, int | None]] = []
    quizzes: list[tuple[str, str, str, bool, datetime]] = []
    problems: list[str] = []
    for line, row in enumerate(reader, start=2):
        try:
            record = (row.get("record") or "").strip()
            item = (row.get("item") or "").strip()
            if not item:
                raise ValueError('column "item" is empty')
            at = _time(row.get("at") or "")
            if record == "review":
                rating = int(row.get("rating") or "")
                if rating not in (1, 2, 3, 4):
                    raise ValueError(f'column "rating" must be 1 (again) to 4 (easy); found {rating}')
                duration = (row.get("duration_ms") or "").strip()
                reviews.append((item, rating, at, int(duration) if duration else None))
            elif record == "quiz":
                correct = (row.get("correct") or "").strip()
                if correct not in ("0", "1"):
                    raise ValueError(f'column "correct" must be 0 or 1; found {correct!r}')
                kind = (row.get("quiz_kind") or "").strip() or "unknown"
                quizzes.append((item, (row.get("topic") or "").strip(), kind, correct == "1", at))
            else:
                raise ValueError(f'column "record" must be "review" or "quiz"; found {record!r}')
        except ValueError as exc:
            problems.append(f"CSV line {line}: {exc}.")
        if len(problems) >= 5:
            break
    if problems:
        raise ProgressError(" ".join(["Nothing was imported."] + problems))
    return reviews, quizzes


def _time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        expected = "an ISO date-time like 2026-01-31T09:00:00+00:00"
        raise ValueError(f'column "at" must be {expected}; found {text!r}') from None
    if moment.tzinfo is None:
        raise ValueError(f'column "at" needs a time zone (for example +00:00); found {text!r}')
    return moment
