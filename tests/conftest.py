"""Markers and the fast-subset guard for every test; shared fixtures for the real-browser tests.

Browser tests (tests/browser, tests/study) share one app server and one Chromium. Without
/usr/bin/chromium they skip with a message locally, and fail in CI (CI=true), where `.ci/run` must
have installed it.

`python -m pytest -m "not slow"` is the fast inner loop: whatever trains or drives a browser is slow,
and a fast run fails if TensorFlow was imported in the pytest process (tests/fast_guard.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop

pytest_plugins = ["tests.fast_guard", "pytester"]

# Two test workers share two cores: TensorFlow's default pools (a thread per core for each op, more between ops)
# in both workers, their training workers, app servers and notebook kernels oversubscribe them. One thread each
# is set before anything imports TensorFlow; every subprocess inherits it. The Lab's models are small enough that
# one thread is no slower even alone (the bank check: 34 s against 40 s on an idle machine), and it is the
# thread count the bank is made with (engine/evidence/bank.py, THREADS). A caller's own setting wins.
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")


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


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (its hook names each test by its group)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whatever trains, starts Ray or drives a browser is slow too, so `-m "not slow"` never starts any.

    For `pytest -n 2 --dist loadgroup` (the README's command), a test file is one unit of work, so a
    module's fixture (a trained comparison, a started server) is made once, on one worker; and every Ray test
    goes to one worker, which starts the one Ray head they share.
    """
    for item in items:
        if any(item.get_closest_marker(name) for name in ("browser", "training", "ray")):
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("xdist_group") is None:
            group = "ray" if item.get_closest_marker("ray") else item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(group))
    # Files with slow tests first, the many quick ones last (a stable sort: each file's tests keep their order),
    # so the two workers end together rather than one waiting on a notebook or a server started last.
    heavy = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in heavy)

