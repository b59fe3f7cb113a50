"""What can go wrong with the progress database, told apart so a learner knows whether to wait or get help.

    ProgressError               the progress database cannot be used; the message says what to do
    ├── ProgressLocked          busy: another process holds a lock on it; nothing is wrong, try again
    └── ProgressDamaged         not a database, malformed, or failing an integrity check; needs a person

A constraint violation (sqlite3.IntegrityError) is neither: the file is fine, the write conflicted
with what is stored, so it is a plain ProgressError saying so.

Messages are for learners, so they never show the server's file path; `sqlite_error` logs the path and
the traceback for whoever runs the server, and the caller keeps the SQLite error as the cause.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from ..errors import EngineError

log = logging.getLogger(__name__)

# SQLite's own names for the two cases (Python 3.11+ puts them on the exception as `sqlite_errorname`).
LOCKED_CODES = {"SQLITE_BUSY", "SQLITE_LOCKED"}
DAMAGED_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
OPERATOR_HINT = ("Whoever runs this app finds the file's path in the server log, and can move the file aside to "
                 "start fresh or point DL_ADVISOR_DB at another file.")


class ProgressError(EngineError):
    """The progress database cannot be opened, read or written; the message says what to do."""


class ProgressLocked(ProgressError):
    """Another process holds a lock on the database: nothing is damaged, and trying again later will work."""


class ProgressDamaged(ProgressError):
    """The file is not a usable SQLite database (damaged, or some other kind of file)."""


def kind_of(exc: sqlite3.Error) -> type[ProgressError]:
    """Which of the three a SQLite error is: locked (wait), damaged (needs a person), or another problem."""
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc).lower()
    if name in LOCKED_CODES or "database is locked" in text or "database table is locked" in text:
        return ProgressLocked
    if isinstance(exc, sqlite3.IntegrityError):
        return ProgressError
    if name in DAMAGED_CODES or "malformed" in text or "not a database" in text:
        return ProgressDamaged
    return ProgressError


def sqlite_error(exc: sqlite3.Error, path: Path, action: str) -> ProgressError:
    """The error to show a learner for `exc`, met while `action` (e.g. "saving a review"); logs the details.

    Raise it `from exc`, so the SQLite error stays attached as the cause.
    """
    kind = kind_of(exc)
    log.error("progress database %s: %s while %s: %s", path, kind.__name__, action, exc, exc_info=exc)
    if kind is ProgressLocked:
        return ProgressLocked(
            f"The progress database is busy: another process (another copy of this app, or a backup) is holding "
            f"it, so {action} did not happen. Nothing is damaged and nothing saved before is lost; try again in "
            "a moment.")
    if kind is ProgressDamaged:
        return ProgressDamaged(
            f"The progress database is damaged or is not a database ({exc}), so {action} did not happen. "
            f"Nothing was changed. {OPERATOR_HINT}")
    if isinstance(exc, sqlite3.IntegrityError):
        return ProgressError(f"The progress database refused it: it conflicts with what is already stored ({exc}), "
                             f"so {action} did not happen. Nothing was changed.")
    return ProgressError(f"The progress database cannot be used ({exc}), so {action} did not happen. {OPERATOR_HINT}")


def refused(kind: type[ProgressError], path: Path, message: str) -> ProgressError:
    """A file refused before SQLite raised anything (wrong header, another program's tables, newer schema)."""
    log.error("progress database %s: %s: %s", path, kind.__name__, message)
    return kind(f"{message} {OPERATOR_HINT}")
