"""The learner's progress in an embedded SQLite database: card states, review log and quiz answers.

Each review is one transaction (the review row and the card's new state commit together or not
at all), the journal is in WAL mode, and every connection is short-lived so Streamlit's threads
never share one. A file that is not ours (damaged, another program's database, or a newer schema)
raises ProgressDamaged or ProgressError with a sentence the page can show, and nothing is overwritten;
a database another process holds raises ProgressLocked (see store_errors.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import fsrs

from . import scheduling
from .store_errors import ProgressDamaged, ProgressError, ProgressLocked, refused, sqlite_error

__all__ = ["ProgressDamaged", "ProgressError", "ProgressLocked", "ProgressStore", "QuizAnswer", "Review"]

APP_ID = "dl-advisor"
SCHEMA_VERSION = 1
SQLITE_HEADER = b"SQLite format 3\x00"
MAX_LEARNER_LENGTH = 60

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cards (
    learner TEXT NOT NULL, card_key TEXT NOT NULL, card_id INTEGER NOT NULL,
    state INTEGER NOT NULL, step INTEGER, stability REAL, difficulty REAL,
    due TEXT NOT NULL, last_review TEXT,
    PRIMARY KEY (learner, card_key)
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT, learner TEXT NOT NULL, card_key TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4), reviewed_at TEXT NOT NULL,
    duration_ms INTEGER, UNIQUE (learner, card_key, reviewed_at)
);
CREATE TABLE quiz_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, learner TEXT NOT NULL, quiz_kind TEXT NOT NULL,
    topic TEXT NOT NULL, item TEXT NOT NULL, correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered_at TEXT NOT NULL
);
CREATE INDEX reviews_by_learner ON reviews (learner, reviewed_at);
CREATE INDEX quiz_by_learner ON quiz_answers (learner, answered_at);
"""


@dataclass(frozen=True)
class Review:
    """One flashcard answer from the review log."""

    learner: str
    card_key: str
    rating: int
    reviewed_at: datetime
    duration_ms: int | None = None


@dataclass(frozen=True)
class QuizAnswer:
    """One quiz answer: which kind of question, about which topic and item, and whether it was right."""

    learner: str
    quiz_kind: str
    topic: str
    item: str
    correct: bool
    answered_at: datetime


def timestamp(moment: datetime) -> str:
    """One fixed text form for UTC times, so text order is time order in SQL."""
    return scheduling.utc(moment).isoformat(timespec="microseconds")


def check_learner(name: str) -> str:
    """A learner name is free text (it never becomes a path) but must be short and printable."""
    cleaned = name.strip()
    if not cleaned:
        raise ProgressError("Enter a learner name (any short text) to keep your progress apart.")
    if len(cleaned) > MAX_LEARNER_LENGTH or not cleaned.isprintable():
        raise ProgressError(
            f"A learner name must be printable text of at most {MAX_LEARNER_LENGTH} characters; "
            f"found {cleaned[:80]!r}."
        )
    return cleaned


class ProgressStore:
    """Progress of every learner in one SQLite file at `path` (created on first use)."""

    def __init__(self, path: Path, busy_timeout: float = 10.0):
        self.path = Path(path)
        self.busy_timeout = busy_timeout  # seconds to wait for another process's lock before ProgressLocked
        self._prepare()

    # -- connections ---------------------------------------------------------------------------

    def _connect(self, action: str) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, action) from exc
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn
        except sqlite3.Error as exc:
            conn.close()
            raise sqlite_error(exc, self.path, action) from exc

    @contextmanager
    def _reading(self, action: str = "reading your progress") -> Iterator[sqlite3.Connection]:
        conn = self._connect(action)
        try:
            yield conn
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, action) from exc
        finally:
            conn.close()

    @contextmanager
    def transaction(self, action: str = "saving your progress") -> Iterator[sqlite3.Connection]:
        """One write transaction: commits if the block finishes, rolls back on any exception."""
        conn = self._connect(action)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, action) from exc
        finally:
            conn.close()

    def _prepare(self) -> None:
        """Create the schema in a new or empty file; refuse files that are not ours."""
        if self.path.exists() and self.path.is_dir():
            raise refused(ProgressError, self.path, "The progress database path is a folder; it must be a file.")
        if self.path.exists() and self.path.stat().st_size > 0:
            with self.path.open("rb") as handle:
                if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    raise refused(ProgressDamaged, self.path,
                                  "The progress database is not a SQLite database (it may be damaged or a "
                                  "different kind of file). Nothing was changed.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise refused(ProgressError, self.path,
                          f"The folder for the progress database cannot be created ({exc.strerror}).") from exc
        with self.transaction("opening the progress database") as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("app", APP_ID), ("schema_version", str(SCHEMA_VERSION))],
                )
                return
            meta = dict(conn.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        if meta.get("app") != APP_ID:
            raise refused(ProgressError, self.path,
                          "The progress database is a SQLite database from another program (it has no "
                          "dl-advisor progress tables). Nothing was changed.")
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise refused(ProgressError, self.path,
                          f"The progress database was written by a newer version of the app (schema {version}; "
                          f"this one reads up to {SCHEMA_VERSION}). Nothing was changed.")
        with self._reading("checking the progress database") as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise refused(ProgressDamaged, self.path,
                          f"The progress database is damaged (SQLite integrity check: {verdict}). Nothing was "
                          "changed.")

    # -- reviews ---------------------------------------------------------------------------------

    def card_states(self, learner: str) -> dict[str, fsrs.Card]:
        """The fsrs memory state of every card this learner has reviewed, by card key."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT card_key, card_id, state, step, stability, difficulty, due, last_review "
                "FROM cards WHERE learner = ?",
                (check_learner(learner),),
            ).fetchall()
        return {row[0]: _card_from_row(row[1:]) for row in rows}

    def record_review(
        self,
        learner: str,
        card_key: str,
        rating: fsrs.Rating,
        now: datetime,
        scheduler: fsrs.Scheduler,
        duration_ms: int | None = None,
    ) -> fsrs.Card:
        """Schedule the card with fsrs and store the review and new state in one transaction."""
        learner = check_learner(learner)
        with self.transaction("saving this review") as conn:
            row = conn.execute(
                "SELECT card_id, state, step, stability, difficulty, due, last_review FROM cards "
                "WHERE learner = ? AND card_key = ?",
                (learner, card_key),
            ).fetchone()
            previous = _card_from_row(row) if row else None
            updated = scheduling.review(scheduler, card_key, previous, rating, now)
            conn.execute(
                "INSERT INTO reviews (learner, card_key, rating, reviewed_at, duration_ms) VALUES (?, ?, ?, ?, ?)",
                (learner, card_key, int(rating), timestamp(now), duration_ms),
            )
            _upsert_card(conn, learner, card_key, updated)
        return updated

    def reviews(self, learner: str) -> list[Review]:
        """This learner's review log, oldest first."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT learner, card_key, rating, reviewed_at, duration_ms FROM reviews "
                "WHERE learner = ? ORDER BY reviewed_at, id",
                (check_learner(learner),),
            ).fetchall()
        return [Review(r[0], r[1], r[2], datetime.fromisoformat(r[3]), r[4]) for r in rows]

    # -- quizzes and learners --------------------------------------------------------------------

    def record_quiz(self, answer: QuizAnswer) -> None:
        """Store one quiz answer (its own transaction)."""
        learner = check_learner(answer.learner)
        with self.transaction("saving this answer") as conn:
            conn.execute(
                "INSERT INTO quiz_answers (learner, quiz_kind, topic, item, correct, answered_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (learner, answer.quiz_kind, answer.topic, answer.item, int(answer.correct),
                 timestamp(answer.answered_at)),
            )

    def quiz_answers(self, learner: str) -> list[QuizAnswer]:
        """This learner's quiz answers, oldest first."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT learner, quiz_kind, topic, item, correct, answered_at FROM quiz_answers "
                "WHERE learner = ? ORDER BY answered_at, id",
                (check_learner(learner),),
            ).fetchall()
        return [QuizAnswer(r[0], r[1], r[2], r[3], bool(r[4]), datetime.fromisoformat(r[5])) for r in rows]

    def learners(self) -> list[str]:
        """Names of everyone with any progress in this file."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT learner FROM reviews UNION SELECT learner FROM quiz_answers ORDER BY 1"
            ).fetchall()
        return [row[0] for row in rows]


def _card_from_row(row: tuple) -> fsrs.Card:
    card_id, state, step, stability, difficulty, due, last_review = row
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(state),
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=datetime.fromisoformat(due),
        last_review=datetime.fromisoformat(last_review) if last_review else None,
    )


def _upsert_card(conn: sqlite3.Connection, learner: str, card_key: str, card: fsrs.Card) -> None:
    conn.execute(
        "INSERT INTO cards (learner, card_key, card_id, state, step, stability, difficulty, due, last_review) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (learner, card_key) DO UPDATE SET "
        "card_id = excluded.card_id, state = excluded.state, step = excluded.step, "
        "stability = excluded.stability, difficulty = excluded.difficulty, due = excluded.due, "
        "last_review = excluded.last_review",
        (learner, card_key, card.card_id, int(card.state), card.step, card.stability, card.difficulty,
         timestamp(card.due), timestamp(card.last_review) if card.last_review else None),
    )
