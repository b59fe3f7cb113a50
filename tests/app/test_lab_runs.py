"""Lab runs saved on disk: finished ones can be reloaded, half-written ones never show."""

from tests.app.conftest import fake_run


def test_lab_lists_only_finished_runs_saved_on_disk(app, tmp_path):
    runs = tmp_path / "runs"
    finished, half = runs / "20261124-000000-sequence_model-adding-seed0-aaaaaa", runs / "20261124-000001-half"
    finished.mkdir(parents=True)
    half.mkdir()
    (half / "train").mkdir()  # TensorBoard logs but no result.json: the server died mid-run
    fake_run(0, 0.9).write(finished)
    at = app.run()
    at.switch_page("pages/lab.py").run()
    assert at.selectbox(key="lab_saved_pick").options == [finished.name]
    at.button(key="lab_saved_load").click().run()
    assert "Results" in [h.value for h in at.header]
    assert any("seed 0" in s.value for s in at.success)
