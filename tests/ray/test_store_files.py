"""A run trained on another machine is stored here as a run is: its files, then result.json last; a folder
already here (one machine, shared storage) is left alone; a file outside the run folder is refused."""

from __future__ import annotations

import pytest

from engine.errors import TrainingError
from engine.lab import finished_runs, load_result
from tests.app.conftest import fake_run


def as_sent(run_dir):
    """A finished result as a Ray task returns it: its dict and its folder's files."""
    result = fake_run(0, 0.8).model_copy(update={"run_dir": str(run_dir)}).to_dict()
    return result, {"gru.keras": b"model", "logs/gru/seed0/train/events": b"scalars"}


def test_a_run_from_another_machine_is_written_whole_with_its_result_last(tmp_path):
    from engine.lab.service.ray_backend import store_files

    folder = tmp_path / "runs" / "20261203-sequence_model-adding-seed0-abc123"
    result, files = as_sent(folder)
    store_files(result, files)
    assert (folder / "gru.keras").read_bytes() == b"model"
    assert (folder / "logs" / "gru" / "seed0" / "train" / "events").read_bytes() == b"scalars"
    assert load_result(folder).run_dir == str(folder) and finished_runs(tmp_path / "runs") == [folder]
    (folder / "gru.keras").write_bytes(b"trained here")
    store_files(result, files)  # already here (the same machine): nothing is overwritten
    assert (folder / "gru.keras").read_bytes() == b"trained here"


def test_a_file_outside_the_run_folder_is_refused_and_nothing_is_offered(tmp_path):
    from engine.lab.service.ray_backend import store_files

    folder = tmp_path / "runs" / "run"
    result, _ = as_sent(folder)
    with pytest.raises(TrainingError, match="outside the run folder"):
        store_files(result, {"../../escape.txt": b"x"})
    assert not (tmp_path / "escape.txt").exists() and finished_runs(tmp_path / "runs") == []
