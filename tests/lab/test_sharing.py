"""Identical experiments shared: stored runs offered at once with their provenance, one training for two
sessions asking at the same time, and "run it again". A fake `train` stands in for TensorFlow here; the
last test trains for real."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import UTC, datetime

import pytest

from engine.errors import DataError
from engine.lab.request import TrainRequest
from engine.lab.results.records import ComparisonResult, ProgressEvent, Verdict
from engine.lab.running.comparison import new_run_dir
from engine.lab.service import sharing
from engine.lab.service.queue import TrainingCancelled


def request_for(runs_dir, **changes):
    """(request, runs folder): what `sharing.share` and `find_stored` take."""
    base = {"decision": "sequence_model", "dataset": "adding", "csv": None, "epochs": 2, "seed": 0,
            "seq_len": 8, "settings": {"examples": 160}, "recommended": "gru"}
    return TrainRequest(**{**base, **changes}), runs_dir


class FakeTrainer:
    """Counts trainings; each writes a finished run folder as the harness does; optionally waits for `gate`."""

    def __init__(self, runs_dir, stopped_early=False, error=None):
        self.runs_dir, self.stopped_early, self.error = runs_dir, stopped_early, error
        self.calls, self.gate = 0, None

    def __call__(self, emit):
        self.calls += 1
        emit(ProgressEvent(phase="started", candidate="gru"))
        if self.gate is not None:
            assert self.gate.wait(10)
        emit(ProgressEvent(phase="epoch", candidate="gru", epoch=1, epochs=2))
        if self.error is not None:
            raise self.error
        folder = new_run_dir(self.runs_dir, "sequence_model", "adding", 0)
        result = ComparisonResult(decision="sequence_model", dataset="adding", settings={}, seed=0,
                                  run_dir=str(folder), candidates=[], stopped_early=self.stopped_early,
                                  verdict=Verdict(text="-", claim="-", agrees=None), wall_seconds=1.0)
        result.write(folder)
        return result


def test_the_key_follows_every_field_but_the_runs_folder(tmp_path):
    base = sharing.experiment_key(request_for(tmp_path)[0])
    assert sharing.experiment_key(request_for(tmp_path / "elsewhere")[0]) == base
    for change in ({"seed": 1}, {"epochs": 3}, {"seq_len": 9}, {"settings": {"examples": 161}},
                   {"recommended": "lstm"}, {"dataset": "other"}, {"seeds": 3}, {"answers": {"vocab_size": 9}}):
        assert sharing.experiment_key(request_for(tmp_path, **change)[0]) != base, change
    assert sharing.experiment_key(request_for(tmp_path)[0], version="another") != base


def test_a_csv_is_identified_by_its_content(tmp_path):
    csv = {"name": "a.csv", "columns": ["text", "label"], "rows": [["good day", "pos"], ["bad day", "neg"]],
           "text_column": "text", "label_column": "label"}
    one = request_for(tmp_path, csv=csv, dataset="csv")[0]
    edited = request_for(tmp_path, csv={**csv, "rows": [["good day", "pos"], ["bad day", "pos"]]}, dataset="csv")[0]
    through_json = TrainRequest.model_validate(json.loads(one.model_dump_json()))  # as the worker reads it
    assert sharing.experiment_key(one) == sharing.experiment_key(through_json)
    assert sharing.experiment_key(one) != sharing.experiment_key(edited)
    assert one.identity()["csv"].startswith("sha256:")  # the rows are not copied into provenance


def test_the_code_version_covers_the_lab_source_and_the_rules():
    version = sharing.code_version()
    assert len(version) == 16 and version == sharing.code_version()


def test_a_stored_run_is_offered_at_once_with_when_and_where(tmp_path):
    train = FakeTrainer(tmp_path)
    first = sharing.share(*request_for(tmp_path), train, lambda e: None, None)
    events = []
    again = sharing.share(*request_for(tmp_path), train, events.append, None)
    assert train.calls == 1 and again == first
    assert [e.phase for e in events] == ["reused"]
    stamp = sharing.provenance(again)
    assert stamp.host == socket.gethostname() and stamp.code_version == sharing.code_version()
    assert abs((datetime.now(UTC) - datetime.fromisoformat(stamp.measured_at)).total_seconds()) < 60
    assert stamp.sentence().startswith("Measured on ") and stamp.host in stamp.sentence()
    assert sharing.share(*request_for(tmp_path, seed=1), train, lambda e: None, None) is not None
    assert train.calls == 2  # another seed is another experiment


def test_run_it_again_measures_anew_and_is_offered_next(tmp_path):
    train = FakeTrainer(tmp_path)
    first = sharing.share(*request_for(tmp_path), train, lambda e: None, None)
    time.sleep(1.1)  # run folders are named by the second
    fresh = sharing.share(*request_for(tmp_path), train, lambda e: None, None, reuse=False)
    assert train.calls == 2 and fresh.run_dir != first.run_dir
    assert sharing.share(*request_for(tmp_path), train, lambda e: None, None).run_dir == fresh.run_dir


def test_runs_stopped_early_from_other_code_or_without_provenance_are_not_offered(tmp_path):
    stopped = FakeTrainer(tmp_path, stopped_early=True)
    sharing.share(*request_for(tmp_path), stopped, lambda e: None, None)
    complete = FakeTrainer(tmp_path)
    sharing.share(*request_for(tmp_path), complete, lambda e: None, None)
    assert complete.calls == 1  # the stopped run was not offered
    stamp_file = next(tmp_path.glob(f"*/{sharing.SIDECAR}"))
    for folder in tmp_path.iterdir():
        path = folder / sharing.SIDECAR
        data = json.loads(path.read_text())
        path.write_text(json.dumps({**data, "key": "from older code"}))
    assert stamp_file.exists()
    assert sharing.find_stored(*request_for(tmp_path)) is None
    for path in tmp_path.glob(f"*/{sharing.SIDECAR}"):
        path.unlink()
    assert sharing.find_stored(*request_for(tmp_path)) is None
    assert sharing.provenance(next(tmp_path.iterdir())) is None


def run_in_thread(target, *args):
    box = {}

    def work():
        try:
            box["result"] = target(*args)
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            box["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    return thread, box


def wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_two_sessions_asking_at_once_train_once_and_both_watch_it(tmp_path):
    train = FakeTrainer(tmp_path)
    train.gate = threading.Event()
    mine, theirs = [], []
    owner, owner_box = run_in_thread(sharing.share, *request_for(tmp_path), train, mine.append, None)
    wait_for(lambda: mine)
    follower, follower_box = run_in_thread(sharing.share, *request_for(tmp_path), train, theirs.append, None)
    wait_for(lambda: theirs)
    train.gate.set()
    owner.join(10)
    follower.join(10)
    assert train.calls == 1
    assert follower_box["result"] == owner_box["result"]
    assert [e.phase for e in theirs] == ["shared", "epoch"]  # the owner's progress, live
    assert [e.phase for e in mine] == ["started", "epoch"]
    assert sharing._IN_FLIGHT == {}


def test_a_session_joining_a_queued_run_is_told_its_place_at_once(tmp_path):
    class Queued(FakeTrainer):
        def __call__(self, emit):
            emit(ProgressEvent(phase="queued", position=2))
            return super().__call__(emit)

    train = Queued(tmp_path)
    train.gate = threading.Event()
    mine, theirs = [], []
    owner, _ = run_in_thread(sharing.share, *request_for(tmp_path), train, mine.append, None)
    wait_for(lambda: len(mine) == 2)  # queued, started: the place is gone once training starts
    late, _ = run_in_thread(sharing.share, *request_for(tmp_path), train, theirs.append, None)
    wait_for(lambda: theirs)
    train.gate.set()
    owner.join(10)
    late.join(10)
    assert [e.phase for e in theirs] == ["shared", "epoch"]

    train, early_events = Queued(tmp_path / "again"), []
    train.gate = threading.Event()
    request = request_for(tmp_path / "again")
    original = train.__call__

    def slow_start(emit):  # hold the owner in the queue until the second session has joined
        emit(ProgressEvent(phase="queued", position=2))
        wait_for(lambda: early_events)
        return FakeTrainer.__call__(train, emit)

    owner, _ = run_in_thread(sharing.share, *request, slow_start, lambda e: None, None)
    wait_for(lambda: sharing._IN_FLIGHT)
    wait_for(lambda: next(iter(sharing._IN_FLIGHT.values())).place is not None)
    early, _ = run_in_thread(sharing.share, *request, original, early_events.append, None)
    wait_for(lambda: len(early_events) >= 2)
    train.gate.set()
    owner.join(10)
    early.join(10)
    assert [(e.phase, e.position) for e in early_events][:2] == [("shared", None), ("queued", 2)]


@pytest.mark.parametrize("owner_outcome", ["stopped", "cancelled"])
def test_when_the_other_session_stops_or_leaves_the_follower_trains_itself(tmp_path, owner_outcome):
    owner_train = FakeTrainer(tmp_path, stopped_early=owner_outcome == "stopped",
                              error=TrainingCancelled("left") if owner_outcome == "cancelled" else None)
    owner_train.gate = threading.Event()
    follower_train = FakeTrainer(tmp_path)
    seen = []
    owner, owner_box = run_in_thread(sharing.share, *request_for(tmp_path), owner_train, seen.append, None)
    wait_for(lambda: seen)
    follower, box = run_in_thread(sharing.share, *request_for(tmp_path), follower_train, lambda e: None, None)
    wait_for(lambda: sharing._IN_FLIGHT and sharing._IN_FLIGHT[next(iter(sharing._IN_FLIGHT))].watchers)
    owner_train.gate.set()
    owner.join(10)
    follower.join(10)
    assert follower_train.calls == 1 and not box.get("error")
    assert not box["result"].stopped_early


def test_the_same_request_failing_fails_the_follower_too_and_stop_lets_it_leave(tmp_path):
    failing = FakeTrainer(tmp_path, error=DataError("The CSV has one class."))
    failing.gate = threading.Event()
    seen = []
    owner, _ = run_in_thread(sharing.share, *request_for(tmp_path), failing, seen.append, None)
    wait_for(lambda: seen)
    follower, box = run_in_thread(sharing.share, *request_for(tmp_path), FakeTrainer(tmp_path), lambda e: None, None)
    stop = threading.Event()
    leaver, leaver_box = run_in_thread(sharing.share, *request_for(tmp_path), FakeTrainer(tmp_path),
                                       lambda e: None, stop)
    wait_for(lambda: len(sharing._IN_FLIGHT[next(iter(sharing._IN_FLIGHT))].watchers) == 2)
    stop.set()
    leaver.join(10)
    assert isinstance(leaver_box["error"], TrainingCancelled)
    failing.gate.set()
    owner.join(10)
    follower.join(10)
    assert isinstance(box["error"], DataError) and "one class" in str(box["error"])


def test_a_watcher_that_goes_away_does_not_end_the_run(tmp_path):
    train = FakeTrainer(tmp_path)
    train.gate = threading.Event()
    seen = []

    def gone(event):
        if event.phase != "shared":
            raise RuntimeError("page closed")

    owner, box = run_in_thread(sharing.share, *request_for(tmp_path), train, seen.append, None)
    wait_for(lambda: seen)
    follower, _ = run_in_thread(sharing.share, *request_for(tmp_path), train, gone, None)
    wait_for(lambda: sharing._IN_FLIGHT[next(iter(sharing._IN_FLIGHT))].watchers)
    train.gate.set()
    owner.join(10)
    follower.join(10)
    assert "result" in box and train.calls == 1


@pytest.mark.training
def test_for_real_two_identical_requests_at_once_train_once_and_a_third_is_offered_at_once(tmp_path):
    from engine.lab import finished_runs, provenance
    from tests.lab_support import compare

    options = {"dataset": "adding", "epochs": 1, "seq_len": 8, "settings": {"examples": 160}, "runs_dir": tmp_path}
    threads = [run_in_thread(lambda: compare("sequence_model", **options)) for _ in range(2)]
    for thread, _ in threads:
        thread.join(300)
    results = [box["result"] for _, box in threads]
    assert results[0] == results[1] and len(finished_runs(tmp_path)) == 1
    started, events = time.monotonic(), []
    third = compare("sequence_model", **options, on_progress=events.append)
    assert time.monotonic() - started < 2.0 and third == results[0] and [e.phase for e in events] == ["reused"]
    assert provenance(third).host == socket.gethostname()
    again = compare("sequence_model", **options, reuse=False)
    assert again.run_dir != third.run_dir and len(finished_runs(tmp_path)) == 2
