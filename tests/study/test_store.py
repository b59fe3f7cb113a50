"""SQLite progress: survives restarts, keeps learners apart, stays consistent through crashes,
and refuses damaged or foreign files with a clear message."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from engine.study import (
    RATINGS,
    ProgressDamaged,
    ProgressError,
    ProgressLocked,
    ProgressStore,
    QuizAnswer,
    default_db_path,
    store_errors,
)
from engine.study import store as store_module

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_progress_survives_a_restart_in_another_process(db_path, scheduler):
    child = textwrap.dedent(f"""
        from datetime import datetime, UTC
        from engine.study import ProgressStore, RATINGS, make_scheduler
        s = ProgressStore({str(db_path)!r})
        s.record_review("ada", "concept:gru", RATINGS["good"], datetime(2026, 3, 2, 9, tzinfo=UTC),
                        make_scheduler(fuzz=False))
    """)
    subprocess.run([sys.executable, "-c", child], cwd=ROOT, check=True, timeout=60)
    reopened = ProgressStore(db_path)  # a new connection, as after a server restart
    assert [r.card_key for r in reopened.reviews("ada")] == ["concept:gru"]
    assert reopened.card_states("ada")["concept:gru"].last_review == T0


def test_learners_are_kept_apart(store, scheduler):
    store.record_review("ada", "concept:rnn", RATINGS["good"], T0, scheduler)
    store.record_review("bob", "concept:lstm", RATINGS["again"], T0, scheduler)
    store.record_quiz(QuizAnswer("bob", "formula", "optimization", "formula:momentum", True, T0))
    assert set(store.card_states("ada")) == {"concept:rnn"}
    assert set(store.card_states("bob")) == {"concept:lstm"}
    assert store.quiz_answers("ada") == []
    assert store.learners() == ["ada", "bob"]


def test_learner_name_is_data_not_a_path(db_path, scheduler):
    store = ProgressStore(db_path)
    store.record_review("../../etc/passwd", "concept:rnn", RATINGS["good"], T0, scheduler)
    assert sorted(p.name for p in db_path.parent.iterdir() if not p.name.startswith("progress.sqlite3")) == []
    assert store.learners() == ["../../etc/passwd"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "tab\there"])
def test_bad_learner_names_are_refused_with_a_sentence(store, scheduler, name):
    with pytest.raises(ProgressError, match="learner name"):
        store.record_review(name, "concept:rnn", RATINGS["good"], T0, scheduler)


def consistent(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every card state matches the newest review of that card, and no card lacks a review
    rows = conn.execute(
        "SELECT c.card_key, c.last_review, MAX(r.reviewed_at) FROM cards c "
        "LEFT JOIN reviews r ON r.learner = c.learner AND r.card_key = c.card_key GROUP BY c.learner, c.card_key"
    ).fetchall()
    for key, last, newest in rows:
        assert last == newest, key
    orphans = conn.execute(
        "SELECT COUNT(*) FROM reviews r LEFT JOIN cards c ON c.learner = r.learner AND c.card_key = r.card_key "
        "WHERE c.card_key IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    return conn


def test_killing_the_process_mid_review_loses_only_that_review(db_path, scheduler):
    store = ProgressStore(db_path)
    store.record_review("ada", "concept:rnn", RATINGS["good"], T0, scheduler)
    store.record_review("ada", "concept:lstm", RATINGS["hard"], T0, scheduler)
    child = textwrap.dedent(f"""
        import time
        from datetime import datetime, UTC
        from engine.study import store as s, RATINGS, make_scheduler
        original = s._upsert_card
        def stall(*args):
            print("inside the transaction", flush=True)
            time.sleep(120)   # the review row is written, the card state not yet, nothing committed
            original(*args)
        s._upsert_card = stall
        s.ProgressStore({str(db_path)!r}).record_review(
            "ada", "concept:gru", RATINGS["easy"], datetime(2026, 3, 3, tzinfo=UTC), make_scheduler(fuzz=False))
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "inside the transaction"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    reopened = ProgressStore(db_path)
    assert [r.card_key for r in reopened.reviews("ada")] == ["concept:rnn", "concept:lstm"]
    assert set(reopened.card_states("ada")) == {"concept:rnn", "concept:lstm"}
    consistent(db_path).close()
    reopened.record_review("ada", "concept:gru", RATINGS["good"], T0 + timedelta(days=1), scheduler)  # not locked
    assert len(reopened.reviews("ada")) == 3


def test_an_error_inside_the_transaction_rolls_it_back(store, scheduler, monkeypatch, db_path):
    store.record_review("ada", "concept:rnn", RATINGS["good"], T0, scheduler)

    def fail(*_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store_module, "_upsert_card", fail)
    with pytest.raises(RuntimeError):
        store.record_review("ada", "concept:gru", RATINGS["good"], T0, scheduler)
    monkeypatch.undo()
    assert [r.card_key for r in store.reviews("ada")] == ["concept:rnn"]
    consistent(db_path).close()


def test_database_uses_wal(store, db_path):
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("my shopping list\n")
    with pytest.raises(ProgressError, match="is not a SQLite database"):
        ProgressStore(path)
    assert path.read_text() == "my shopping list\n"


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(ProgressError, match="from another program"):
        ProgressStore(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["users"]
    conn.close()


def test_newer_schema_is_refused(db_path):
    ProgressStore(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(ProgressError, match="newer version"):
        ProgressStore(db_path)


def test_damaged_database_is_told_apart_keeps_its_cause_and_logs_the_path(db_path, scheduler, caplog):
    store = ProgressStore(db_path)
    store.record_review("ada", "concept:rnn", RATINGS["good"], T0, scheduler)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    data = bytearray(db_path.read_bytes())
    data[100:4096] = os.urandom(4096 - 100)  # keep the header, scramble the schema page
    db_path.write_bytes(bytes(data))
    with pytest.raises(ProgressDamaged, match="damaged or is not a database") as caught:
        ProgressStore(db_path).card_states("ada")
    assert not isinstance(caught.value, ProgressLocked)
    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)  # the cause is kept
    assert str(db_path) not in str(caught.value)  # learners do not see the server's path...
    logged = [r for r in caplog.records if r.name == "engine.study.store_errors"]
    assert logged and str(db_path) in logged[-1].getMessage() and logged[-1].exc_info  # ...the log has it all


def test_locked_database_is_told_apart_and_works_again_once_released(db_path, scheduler, caplog):
    store = ProgressStore(db_path, busy_timeout=0.2)
    store.record_review("ada", "concept:rnn", RATINGS["good"], T0, scheduler)
    holder = sqlite3.connect(db_path, isolation_level=None)  # another process's writer, holding its lock
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')")
    try:
        with pytest.raises(ProgressLocked, match="busy.*try again") as caught:
            store.record_review("ada", "concept:gru", RATINGS["good"], T0, scheduler)
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
        assert "locked" in str(caught.value.__cause__)
        assert not isinstance(caught.value, ProgressDamaged)
        assert [r.card_key for r in store.reviews("ada")] == ["concept:rnn"]  # reading still works (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert any("ProgressLocked" in r.getMessage() and r.exc_info for r in caplog.records)
    store.record_review("ada", "concept:gru", RATINGS["good"], T0, scheduler)  # released: saving works again
    assert [r.card_key for r in store.reviews("ada")] == ["concept:rnn", "concept:gru"]


def test_a_conflicting_write_is_neither_locked_nor_damaged(store, scheduler):
    store.record_review("ada", "concept:rnn", RATINGS["good"], T0, scheduler)
    with pytest.raises(ProgressError, match="conflicts with what is already stored") as caught:
        store.record_review("ada", "concept:rnn", RATINGS["good"], T0, scheduler)  # same card, same instant
    assert type(caught.value) is ProgressError
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    assert len(store.reviews("ada")) == 1


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sqlite3.OperationalError("database is locked"), ProgressLocked),
        (sqlite3.DatabaseError("file is not a database"), ProgressDamaged),
        (sqlite3.DatabaseError("database disk image is malformed"), ProgressDamaged),
        (sqlite3.IntegrityError("UNIQUE constraint failed: reviews.learner"), ProgressError),  # a conflict, not damage
        (sqlite3.OperationalError("unable to open database file"), ProgressError),
    ],
)
def test_sqlite_errors_are_sorted_into_locked_damaged_or_other(error, kind):
    assert store_errors.kind_of(error) is kind


def test_folder_path_is_refused(tmp_path):
    with pytest.raises(ProgressError, match="is a folder"):
        ProgressStore(tmp_path)


def test_default_path_honours_env_and_xdg(tmp_path):
    assert default_db_path({"DL_ADVISOR_DB": str(tmp_path / "x.db")}) == tmp_path / "x.db"
    assert default_db_path({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "dl-advisor" / "progress.sqlite3"
    relative = default_db_path({"XDG_DATA_HOME": "relative/dir"})
    assert relative == Path.home() / ".local" / "share" / "dl-advisor" / "progress.sqlite3"
