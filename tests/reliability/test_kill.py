"""Kill the app server (SIGKILL, no chance to clean up) mid-review and mid-training, then restart it.

What must survive: every review answered before the kill, in an intact database; a Lab that starts
cleanly and does not offer the killed run's half-written folder as a finished result. Each test
starts its own server on throw-away data, so a kill never touches the shared test server.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser_support import start_streamlit, stop, wait_idle

PROBLEMS = "[data-testid='stException'], [data-testid='stAlertContentError']"
LAB_LINK = "/lab?lab_decision=sequence_model&lab_dataset=adding&lab_epochs=10&lab_seq_len=12"


def data_env(tmp_path: Path) -> dict[str, str]:
    return {"DL_ADVISOR_DB": str(tmp_path / "progress.sqlite3"), "DL_ADVISOR_RUNS_DIR": str(tmp_path / "runs")}


@contextmanager
def servers() -> Iterator[list[subprocess.Popen]]:
    """Collects every server a test starts and ends whichever are still alive, whatever happens."""
    started: list[subprocess.Popen] = []
    try:
        yield started
    finally:
        for proc in started:
            if proc.poll() is None:
                stop(proc)


def kill(proc: subprocess.Popen) -> None:
    proc.kill()  # SIGKILL: no atexit, no finally blocks, no flushing in the server
    proc.wait(timeout=10)


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (the Lab's training worker is one), from /proc."""
    found, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (an orphan's exit status may never be collected here)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """Poll until none of `pids` runs, or the timeout; returns those still running."""
    deadline = time.monotonic() + timeout
    while (alive := [p for p in pids if running(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def assert_no_problems(page, where: str) -> None:
    boxes = [box.inner_text() for box in page.locator(PROBLEMS).all()]
    assert not boxes, f"{where} shows an error: {boxes}"


def assert_app_starts_cleanly(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="What should I use?").wait_for(timeout=30_000)
    wait_idle(page)
    assert_no_problems(page, "the Advisor after the restart")


def rate_good(page, front: str) -> None:
    """Reveal the card showing `front` and rate it Good; returns once the page confirms the save."""
    page.get_by_text(front).first.wait_for(timeout=20_000)
    page.get_by_role("button", name="Show answer").click()
    wait_idle(page)
    good = page.get_by_role("button", name=re.compile(r"^Good"))
    good.wait_for(timeout=20_000)
    good.click()
    # The rating callback commits before the rerun that shows this line, so once it is visible the
    # review is in the database.
    page.get_by_text(re.compile(r"Rated good: that card comes back")).wait_for(timeout=20_000)


@pytest.mark.browser
def test_reviews_survive_a_killed_server(page, tmp_path):
    from engine.study import RATINGS, ProgressStore, build_cards, load_content

    cards = build_cards(load_content())[:2]  # a new learner's first two cards, in the order the page shows them
    env = data_env(tmp_path)
    with servers() as procs:
        proc, url = start_streamlit(env=env)
        procs.append(proc)
        page.goto(url + "/review")
        page.get_by_role("heading", name="Review").first.wait_for(timeout=30_000)
        wait_idle(page)
        for card in cards:
            rate_good(page, card.front.replace("**", "").splitlines()[0].strip())
        kill(proc)

        restarted, url = start_streamlit(env=env, port=int(url.rsplit(":", 1)[1]))
        procs.append(restarted)
        store = ProgressStore(Path(env["DL_ADVISOR_DB"]))  # opening runs SQLite's integrity check
        reviews = store.reviews("default")
        assert [(r.card_key, r.rating) for r in reviews] == [(c.key, int(RATINGS["good"])) for c in cards]
        assert {c.key for c in cards} <= set(store.card_states("default"))

        assert_app_starts_cleanly(page, url)
        page.goto(url + "/review")
        page.get_by_role("heading", name="Review").first.wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_problems(page, "the Review page after the restart")


def write_finished_run(runs: Path) -> Path:
    """A finished run as the harness leaves one: a folder whose result.json was written last."""
    from engine.lab import ComparisonResult, Verdict

    folder = runs / "20000101-000000-sequence_model-adding-seed0-finished"
    folder.mkdir(parents=True)
    ComparisonResult(decision="sequence_model", dataset="adding", settings={"epochs": 1}, seed=0,
                     run_dir=str(folder), candidates=[], verdict=Verdict(text="-", claim="-", agrees=None),
                     stopped_early=True, wall_seconds=0.0).write(folder)
    return folder


@pytest.mark.browser
@pytest.mark.training
def test_a_run_killed_mid_training_is_not_offered_as_finished(page, tmp_path):
    env = data_env(tmp_path)
    runs = Path(env["DL_ADVISOR_RUNS_DIR"])
    finished = write_finished_run(runs)
    with servers() as procs:
        proc, url = start_streamlit(env=env)
        procs.append(proc)
        page.goto(url + LAB_LINK)
        page.get_by_role("heading", name="Lab: see the trade-off").wait_for(timeout=30_000)
        wait_idle(page)
        page.get_by_role("button", name="Train and compare").click()
        # The run folder is made when training begins, before the first candidate is built.
        page.get_by_text(re.compile(r"^(Building and training|Training) ")).first.wait_for(timeout=90_000)
        orphans = descendants(proc.pid)
        assert orphans, "training should run in a worker process below the server"
        try:
            kill(proc)
            # With its server gone the worker must stop (it learns at its next progress report, once an
            # epoch ends) instead of training on, or finishing the run, for nobody.
            left = wait_gone(orphans, timeout=30)
            assert not left, f"processes of the killed server still running 30 s later: {left}"
        finally:
            for pid in (p for p in orphans if running(p)):
                os.kill(pid, signal.SIGKILL)

        half_written = [p for p in runs.glob("*-sequence_model-adding-*") if p != finished]
        assert len(half_written) == 1, f"expected the killed run's folder in {runs}: {half_written}"
        assert not (half_written[0] / "result.json").exists(), "the run finished before the kill: kill sooner"

        restarted, url = start_streamlit(env=env, port=int(url.rsplit(":", 1)[1]))
        procs.append(restarted)
        assert_app_starts_cleanly(page, url)
        page.goto(url + "/lab?lab_decision=sequence_model")  # the Lab lists the runs of the decision shown
        page.get_by_role("heading", name="Lab: see the trade-off").wait_for(timeout=30_000)
        wait_idle(page)
        expander = page.locator("[data-testid='stExpander']", has_text="Earlier runs of this decision saved")
        expander.locator("summary").click()
        # One run offered (the count comes from the same listing as the selectbox's options), and it
        # is the finished one; the killed run's folder is named nowhere on the page.
        assert expander.locator("summary").inner_text().strip().endswith("(1)")
        assert expander.get_by_role("combobox").input_value() == finished.name
        assert half_written[0].name not in page.locator("[data-testid='stMain']").inner_text()
        assert_no_problems(page, "the Lab after the restart")
