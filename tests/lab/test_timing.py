"""Time per epoch measured side by side (running/timing.py), and set on every run of a whole comparison."""

import numpy as np
import pytest

from tests.lab_support import compare

pytestmark = pytest.mark.slow


def test_timing_reads_every_round_and_leaves_the_trained_weights_alone():
    import keras

    from engine.lab.running.timing import ROUNDS, time_epochs

    keras.utils.set_random_seed(0)
    small = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    wide = keras.Sequential([keras.Input((6,)), keras.layers.Dense(64, activation="relu"),
                             keras.layers.Dense(2, activation="softmax")])
    before = [w.numpy().copy() for w in small.weights + wide.weights]
    rng = np.random.default_rng(0)
    arrays = {"small": (rng.normal(size=(100, 4)).astype("float32"), rng.integers(0, 2, 100)),
              "wide": (rng.normal(size=(50, 6)).astype("float32"), rng.integers(0, 2, 50))}
    ticks = []
    timings = time_epochs({"small": small, "wide": wide}, arrays, batch_size=16, tick=lambda: ticks.append(1))
    assert set(timings) == {"small", "wide"} and len(ticks) == 2 * ROUNDS
    for timing in timings.values():
        assert len(timing.rounds) == ROUNDS and timing.wall_seconds > 0 and timing.cpu_seconds >= 0
        assert timing.wall_seconds == sorted(timing.rounds)[ROUNDS // 2]  # the median round
    after = [w.numpy() for w in small.weights + wide.weights]
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def test_a_whole_comparison_times_its_candidates_side_by_side_and_a_part_does_not(tmp_path):
    whole = compare("sequence_model", dataset="adding", epochs=1, seeds=2, seq_len=8, settings={"examples": 160},
                    runs_dir=tmp_path, isolate=False, reuse=False)
    for candidate in whole.candidates:
        values = {(run.timed_seconds_per_epoch, run.cpu_seconds_per_epoch) for run in candidate.runs}
        assert len(values) == 1 and None not in next(iter(values))  # one model timed, for both seeds
    assert whole.to_frame()["cpu_seconds_per_epoch"].notna().all()
    part = compare("sequence_model", dataset="adding", epochs=1, seq_len=8, settings={"examples": 160},
                   candidates=["lstm"], runs_dir=tmp_path, isolate=False, reuse=False)
    assert part.candidates[0].runs[0].cpu_seconds_per_epoch is None
