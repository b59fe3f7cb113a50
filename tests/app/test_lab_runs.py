"""Lab runs saved on disk: finished ones of the selected decision can be reloaded, half-written ones never
show, and a run's id in the link brings it back after a reload."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, fake_run

SEQ = "20261124-000000-sequence_model-adding-seed0-aaaaaa"
TEXT = "20261124-000002-text_encoding-topics-seed0-bbbbbb"


def saved_runs(tmp_path):
    runs = tmp_path / "runs"
    finished, half, other = runs / SEQ, runs / "20261124-000001-half", runs / TEXT
    for path in (finished, half, other):
        path.mkdir(parents=True)
    (half / "train").mkdir()  # TensorBoard logs but no result.json: the server died mid-run
    fake_run(0, 0.9).write(finished)
    fake_run(5, 0.8).model_copy(update={"decision": "text_encoding", "run_dir": str(other)}).write(other)
    return runs


def test_load_this_run_lists_only_finished_runs_of_the_selected_decision(app, tmp_path):
    saved_runs(tmp_path)
    at = app.run()
    at.switch_page("pages/lab.py").run()
    at.selectbox(key="lab_decision").set_value("sequence_model").run()
    assert at.selectbox(key="lab_saved_pick").options == [SEQ]  # not the newer text-encoding run
    at.button(key="lab_saved_load").click().run()
    assert "Results" in [h.value for h in at.header]
    assert any("seed 0" in s.value for s in at.success)
    assert at.query_params["lab_run"] == SEQ  # in the link: a reload brings it back
    at.selectbox(key="lab_decision").set_value("text_encoding").run()
    assert at.selectbox(key="lab_saved_pick").options == [TEXT]


def test_a_run_id_in_the_link_brings_the_run_back(tmp_path, monkeypatch):
    runs = saved_runs(tmp_path)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DL_ADVISOR_RUNS_DIR", str(runs))
    stored = fake_run(0, 0.9).model_copy(update={"run_dir": str(runs / SEQ)})
    stored.write(runs / SEQ)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lab_decision": "sequence_model", "lab_run": SEQ})
    at.run()
    at.switch_page("pages/lab.py").run()
    assert not at.exception
    assert "Results" in [h.value for h in at.header]
    assert at.query_params["lab_run"] == SEQ

    gone = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    gone.query_params.update({"lab_run": "../../etc"})
    gone.run()
    gone.switch_page("pages/lab.py").run()
    assert "Results" not in [h.value for h in gone.header]
    assert any("no finished run with that id" in w.value for w in gone.warning)


def test_a_results_view_offers_each_candidate_and_the_whole_comparison_as_a_notebook(tmp_path, monkeypatch):
    """A run stored with its code in pieces offers notebooks beside its models; an older one says why not."""
    from tests.lab_support import coded_result

    runs = tmp_path / "runs"
    new, old = runs / SEQ, runs / "20261123-000000-sequence_model-adding-seed0-cccccc"
    for path in (new, old):
        path.mkdir(parents=True)
    coded_result(run_dir=str(new)).write(new)
    fake_run(0, 0.9).model_copy(update={"run_dir": str(old)}).write(old)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DL_ADVISOR_RUNS_DIR", str(runs))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lab_decision": "sequence_model", "lab_run": SEQ})
    at.run()
    at.switch_page("pages/lab.py").run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert sum(label.endswith(" notebook (.ipynb)") for label in labels) == 3 and "Whole comparison (.ipynb)" in labels
    assert {"Results (CSV)", "Results and curves (JSON)"} <= set(labels)

    at.selectbox(key="lab_saved_pick").set_value(old.name).run()
    at.button(key="lab_saved_load").click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert not any(label.endswith(".ipynb)") for label in labels)
    assert any("Notebooks come with runs trained since they were added" in c.value for c in at.caption)
