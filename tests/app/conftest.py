"""AppTest helpers: run the whole app (navigation included) in-process, headless."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DL_ADVISOR_DB", str(tmp_path / "progress.sqlite3"))
    monkeypatch.setenv("DL_ADVISOR_RUNS_DIR", str(tmp_path / "runs"))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def texts(at) -> str:
    """Everything the page shows as text, for assertions on what a user reads."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "success", "warning",
                                  "error", "info", "code") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)
