"""Markers and the fast-subset guard for every test; shared fixtures for the real-browser tests.

Browser tests (tests/browser, tests/study) share one app server and one Chromium. Without
/usr/bin/chromium they skip with a message locally, and fail in CI (CI=true), where `.ci/run` must
have installed it.

`python -m pytest -m "not slow"` is the fast inner loop: whatever trains or drives a browser is slow,
and a fast run fails if TensorFlow was imported in the pytest process (naming the module or test that
did it), so an unmarked TensorFlow test cannot quietly make the fast loop slow again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def app_url(chromium_path, tmp_path_factory) -> Iterator[str]:
    """`streamlit run app.py` with throw-away progress and runs folders, shared by every browser test."""
    data = tmp_path_factory.mktemp("data")
    env = {"DL_ADVISOR_DB": str(data / "progress.sqlite3"), "DL_ADVISOR_RUNS_DIR": str(data / "runs")}
    proc, url = start_streamlit(env=env)
    yield url
    stop(proc)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whatever trains or drives a browser is slow too, so `-m "not slow"` never starts either."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("training"):
            item.add_marker(pytest.mark.slow)


HEAVY_MODULES = ("tensorflow", "keras")
_heavy_importers: list[str] = []


def fast_run(config: pytest.Config) -> bool:
    """True for `-m "not slow"` (alone or combined with other conditions)."""
    return "not slow" in " ".join(str(config.getoption("markexpr") or "").split())


def _heavy_loaded() -> bool:
    return any(name in sys.modules for name in HEAVY_MODULES)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """A test module that imports TensorFlow at its top level does so while being collected, marked or not."""
    if not _heavy_importers and _heavy_loaded():
        _heavy_importers.append(f"collecting {report.nodeid or 'the test session'}")


@pytest.fixture(autouse=True)
def _no_tensorflow_in_fast_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    loaded_before = _heavy_loaded()
    yield
    if not loaded_before and _heavy_loaded() and not _heavy_importers:
        _heavy_importers.append(request.node.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the fast subset if TensorFlow got into this process: mark the culprit `slow` or import it lazily."""
    if fast_run(session.config) and _heavy_loaded():
        culprit = _heavy_importers[0] if _heavy_importers else "an unknown test or plugin"
        message = (f"TensorFlow was imported during a `-m \"not slow\"` run, first by {culprit}. "
                   "Mark that test `slow` (or `training`), and import TensorFlow inside the test, not at module level.")
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("!", "TensorFlow in the fast subset", red=True)
            reporter.write_line(message, red=True, bold=True)
        else:
            sys.stderr.write(message + "\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
