"""Fixtures for the self-study tests: content, a fresh progress database, and a real review server.

`review_server` starts `streamlit run pages/review.py` on a free loopback port with its own
DL_ADVISOR_DB; it is self-contained so it can be lifted into a shared tests/conftest.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.study import ProgressStore, StudyContent, load_content, make_scheduler

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"streamlit did not answer {url}/_stcore/health within {timeout:.0f} s")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; skip without it locally, fail in CI where it must be installed."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def review_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of `streamlit run pages/review.py` with a throw-away progress database."""
    data = tmp_path_factory.mktemp("review-server")
    port = free_port()
    log_dir = ROOT / "test-output"
    log_dir.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "streamlit", "run", "pages/review.py", "--server.port", str(port),
           "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    env = {**os.environ, "DL_ADVISOR_DB": str(data / "progress.sqlite3")}
    with (log_dir / f"streamlit-review-{port}.log").open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for_health(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
