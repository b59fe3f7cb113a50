"""The fast subset's guard: `pytest -m "not slow"` fails if TensorFlow got into the pytest process.

The fast loop must stay fast, and a TensorFlow import alone costs seconds. The guard names the first
culprit: a test module importing it at its top level (that happens while collecting, marked or not),
or the first test that did. Loaded from tests/conftest.py; tests/test_fast_guard.py shows it fail.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

HEAVY_MODULES = ("tensorflow", "keras")


def fast_run(config: pytest.Config) -> bool:
    """True for `-m "not slow"` (alone or combined with other conditions)."""
    return "not slow" in " ".join(str(config.getoption("markexpr") or "").split())


def heavy_loaded() -> bool:
    return any(name in sys.modules for name in HEAVY_MODULES)


class FastGuard:
    """Per-session state: who first brought TensorFlow in, and the verdict at the end."""

    def __init__(self) -> None:
        self.culprit = ""

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        # A test module that imports TensorFlow at its top level does so while being collected, marked or not.
        if not self.culprit and heavy_loaded():
            self.culprit = f"collecting {report.nodeid or 'the test session'}"

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
        loaded_before = heavy_loaded()
        result = yield
        if not loaded_before and heavy_loaded() and not self.culprit:
            self.culprit = item.nodeid
        return result

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Fail the fast subset if TensorFlow got into this process, naming the culprit and the fix."""
        if not (fast_run(session.config) and heavy_loaded()):
            return
        message = (f"TensorFlow was imported during a `-m \"not slow\"` run, first by {self.culprit or 'a plugin'}. "
                   "Mark that test `slow` (or `training`), and import TensorFlow inside the test, not at module level.")
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("!", "TensorFlow in the fast subset", red=True)
            reporter.write_line(message, red=True, bold=True)
        else:
            sys.stderr.write(message + "\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(FastGuard(), "fast-guard")
