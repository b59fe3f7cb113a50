"""Fixtures for the self-study tests: content, a fresh progress database, a scheduler.

The browser fixtures (app server, Chromium) are shared with the other browser tests in tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.study import ProgressStore, StudyContent, load_content, make_scheduler


@pytest.fixture(scope="session")
def content() -> StudyContent:
    return load_content()


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "progress.sqlite3"
    monkeypatch.setenv("DL_ADVISOR_DB", str(path))
    return path


@pytest.fixture
def store(db_path: Path) -> ProgressStore:
    return ProgressStore(db_path)


@pytest.fixture
def scheduler():
    """No fuzzing, so intervals are exact and comparisons are repeatable."""
    return make_scheduler(fuzz=False)
