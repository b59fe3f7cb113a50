"""The Lab page: a tiny live comparison, settings from a link, and two sessions training at once."""

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, texts

pytestmark = pytest.mark.training


def open_lab(at: AppTest) -> AppTest:
    at.run()
    at.switch_page("pages/lab.py").run()
    assert not at.exception
    return at


def set_tiny(at: AppTest, decision: str = "sequence_model") -> None:
    at.selectbox(key="lab_decision").set_value(decision).run()
    at.slider(key="lab_epochs").set_value(1).run()
    at.number_input(key="lab_seq_len_adding").set_value(12).run()
    at.number_input(key="lab_examples_adding").set_value(120).run()
    at.number_input(key="lab_seeds").set_value(2).run()


def wait_for_results(*apps: AppTest, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    pending = list(apps)
    while pending and time.monotonic() < deadline:
        time.sleep(0.5)
        for at in list(pending):
            at.run()
            assert not at.exception, at.exception
            assert not at.error, [e.value for e in at.error]
            if "Results" in [h.value for h in at.header]:
                pending.remove(at)
    assert not pending, "a training run did not finish in time"


def test_tiny_comparison_shows_verdict_table_code_and_downloads(app):
    at = open_lab(app)
    set_tiny(at)
    next(b for b in at.button if b.label == "Train and compare").click().run()
    assert any(b.label == "Stop (keep what was measured)" for b in at.button)
    wait_for_results(at)
    page = texts(at)
    assert "**Verdict of this run.**" in page and "of 2 seeds" in page or "cannot test" in page
    assert "Each candidate's seeds trained together, as one model whose weights carry a seed axis." in page
    table = at.dataframe[0].value
    # At 12 steps (medium length) the rules, asked about the data trained on, pick the GRU
    assert list(table["Candidate"]) == ["SimpleRNN", "LSTM", "GRU ★"]
    assert table["Parameters"].min() > 0 and table["Val. accuracy"].between(0, 1).all()
    assert all(" to " in v for v in table["95% interval"])  # two seeds: an interval for each candidate
    per_seed = at.dataframe[1].value
    assert sorted(set(per_seed["Seed"])) == [0, 1] and len(per_seed) == 6
    assert "How to read the band" in " ".join(e.label for e in at.expander)
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Download SimpleRNN (.keras)", "Download LSTM (.keras)", "Download GRU (.keras)",
            "Results (CSV)", "Results and curves (JSON)"} <= set(labels)
    assert "tensorboard --logdir" in page
    assert any("keras.layers.GRU" in c.value or "layers.GRU" in c.value for c in at.code)
    # results survive a page switch and come back
    at.switch_page("pages/advisor.py").run()
    at.switch_page("pages/lab.py").run()
    assert "Results" in [h.value for h in at.header]


def test_link_sets_the_experiment_and_names_what_it_ignored(app):
    app.query_params.update({"lab_decision": "overfitting", "lab_dataset": "digits", "lab_epochs": "99",
                             "lab_seed": "7"})
    at = open_lab(app)
    assert at.selectbox(key="lab_decision").value == "overfitting"
    assert at.radio(key="lab_dataset").value == "digits"
    assert at.number_input(key="lab_seed").value == 7
    assert any("Ignored lab_epochs='99' from the link: expected a whole number from 1 to 30." in w.value
               for w in at.warning)


def test_two_sessions_asking_to_train_at_once_both_finish(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DL_ADVISOR_RUNS_DIR", str(tmp_path / "runs"))
    first, second = (open_lab(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)) for _ in range(2))
    for at in (first, second):
        set_tiny(at)
    # Another seed, so it is a different experiment: an identical one would be shared, not queued (sharing.py).
    second.number_input(key="lab_seed").set_value(5).run()
    for at in (first, second):
        next(b for b in at.button if b.label == "Train and compare").click().run()
    wait_for_results(first, second)
    queued = [e.position for at in (first, second) for e in at.session_state["lab_job"].events
              if e.phase == "queued"]
    assert 1 in queued, "the second session should have waited behind the first"


def test_an_identical_experiment_is_offered_at_once_and_can_be_run_again(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DL_ADVISOR_RUNS_DIR", str(tmp_path / "runs"))
    first = open_lab(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    set_tiny(first)
    next(b for b in first.button if b.label == "Train and compare").click().run()
    wait_for_results(first)
    assert "Run it again (measure anew on this machine)" not in [b.label for b in first.button]

    second = open_lab(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))  # another session, same experiment
    set_tiny(second)
    started = time.monotonic()
    next(b for b in second.button if b.label == "Train and compare").click().run()
    wait_for_results(second, timeout=30)
    assert time.monotonic() - started < 30
    captions = " ".join(c.value for c in second.caption)
    assert "This exact experiment was stored already" in captions and "Measured on" in captions
    again = next(b for b in second.button if b.label == "Run it again (measure anew on this machine)")
    again.click().run()
    job = second.session_state["lab_job"]
    deadline = time.monotonic() + 240
    while job.running and time.monotonic() < deadline:
        time.sleep(0.5)
    phases = {getattr(e, "phase", "") for e in job.events}
    assert "epoch" in phases and "reused" not in phases  # trained anew, not the stored run
