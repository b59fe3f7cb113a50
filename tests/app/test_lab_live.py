"""The Lab's live panel: it rebuilds its charts only when a new epoch arrived, and a finished job's result is on
the page in the same run that first sees the job ended (no extra poll). A fake job, no training."""

from types import SimpleNamespace

import pytest
import streamlit as st

from tests.app.conftest import fake_run, texts
from ui import lab_view
from ui.jobs import Job


def epoch(candidate: str, n: int) -> SimpleNamespace:
    return SimpleNamespace(phase="epoch", candidate=candidate, epoch=n, epochs=3, seed=0,
                           logs={"loss": 0.7 - n / 10, "accuracy": 0.5 + n / 10, "val_loss": 0.8, "val_accuracy": 0.6})


def fake_job() -> Job:
    """A job that looks running (its thread is never started; the test appends its events)."""
    return Job("train", "Sequence model on Adding", {
        "seed": 0, "epochs": 3, "candidates": 2, "seeds": 1, "labels": {"simple_rnn": "SimpleRNN", "gru": "GRU"},
        "order": ["SimpleRNN", "GRU"]})


@pytest.fixture
def lab(app, monkeypatch):
    builds: list[str] = []
    real = lab_view.curves_chart

    def counting(curves, metric, *args, **kwargs):
        builds.append(metric)
        return real(curves, metric, *args, **kwargs)

    monkeypatch.setattr(lab_view, "curves_chart", counting)
    app.run()
    app.switch_page("pages/lab.py").run()
    assert not app.exception
    return app, builds


def nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def charts(at) -> int:
    """The live panel's charts: those in the box whose first line says what is running."""
    for box in nodes(at.main):
        kids = list(getattr(box, "children", {}).values())
        if kids and str(getattr(kids[0], "value", "")).startswith("**Running:**"):
            return sum(getattr(n, "type", "") == "vega_lite_chart" for n in nodes(box))
    return 0


def test_the_panel_rebuilds_its_charts_only_when_an_epoch_arrived(lab):
    at, builds = lab
    job = fake_job()
    job._record(SimpleNamespace(phase="started", candidate="simple_rnn"))
    at.session_state["lab_job"] = job
    at.run()
    assert "**Running:** Sequence model on Adding" in texts(at)
    assert builds == [] and charts(at) == 0  # no epoch yet: no curves

    job._record(epoch("simple_rnn", 1))
    at.run()
    assert builds == ["accuracy", "loss"] and charts(at) == 2

    at.run()  # a poll with nothing new: the same two charts, not built again
    at.run()
    assert builds == ["accuracy", "loss"] and charts(at) == 2

    job._record(epoch("simple_rnn", 2))
    at.run()
    assert builds == ["accuracy", "loss"] * 2 and charts(at) == 2


def test_the_result_is_on_the_page_in_the_run_that_sees_the_job_end(lab, monkeypatch):
    at, _ = lab
    # In the browser the panel polls as a fragment, which redraws only itself: the result section below it
    # shows the new run only because the panel then reruns the whole page.
    scopes: list[str] = []
    real_rerun = st.rerun

    def recording_rerun(*args, **kwargs):
        scopes.append(kwargs.get("scope", args[0] if args else "app"))
        real_rerun(*args, **kwargs)

    monkeypatch.setattr(st, "rerun", recording_rerun)
    job = fake_job()
    job._record(epoch("gru", 1))
    at.session_state["lab_job"] = job
    at.run()
    assert "Results" not in [h.value for h in at.header]

    job.result = fake_run(0, 0.9)
    job.finished_at = job.started + 1
    job.finished.set()
    at.run()
    assert not at.exception
    assert "Results" in [h.value for h in at.header]
    assert "**Verdict of this run.** This run agrees (seed 0)." in texts(at)
    assert "**Running:**" not in texts(at)
    assert len(at.session_state["lab_runs"]) == 1 and scopes == ["app"]
    at.run()  # the job is collected once, not again on every later run
    assert len(at.session_state["lab_runs"]) == 1 and scopes == ["app"]
