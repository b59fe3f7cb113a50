"""The bank's protocol in the Lab: a learning-rate grid tried on the first seeds, the rest at the rate chosen."""

import pytest

from tests.lab_support import compare

pytestmark = pytest.mark.slow

SMALL = {"dataset": "adding", "seq_len": 8, "settings": {"examples": 160}, "epochs": 3, "isolate": False,
         "reuse": False, "candidates": ["gru"]}


def test_the_grid_is_tried_on_the_tuning_seeds_and_the_rest_train_at_the_chosen_rate(tmp_path):
    result = compare("sequence_model", seeds=3, learning_rate_factors=(1.0, 3.0), tuning_seeds=1, patience=2,
                     runs_dir=tmp_path, **SMALL)
    (gru,) = result.candidates
    assert gru.seeds == [0, 1, 2]
    factors = {run.extras["learning_rate_factor"] for run in gru.runs}
    assert len(factors) == 1  # every seed at the one chosen rate
    grid = gru.runs[0].extras["learning_rate_grid"]
    assert set(grid) == {"1", "3"}
    chosen = f"{factors.pop():g}"
    assert grid[chosen] == max(grid.values())  # chosen on the tuning seed's validation accuracy
    run_dir = tmp_path / next(p.name for p in tmp_path.iterdir() if p.is_dir())
    logs = {p.name for p in (run_dir / f"lr-{chosen}" / "logs" / "gru").iterdir()}
    other = next(f for f in grid if f != chosen)
    assert logs == {"seed0", "seed1", "seed2"}  # the rest trained in the chosen rate's folder
    assert {p.name for p in (run_dir / f"lr-{other}" / "logs" / "gru").iterdir()} == {"seed0"}
    assert len({run.latency_ms_per_example for run in gru.runs}) == 1  # measured once, on the saved model


def test_a_seed_trains_the_same_whether_it_tuned_the_rate_or_came_after(tmp_path):
    """Tuning on fewer seeds changes the cost, not the numbers: each seed equals a run fixed at the chosen rate
    (what `evidence --check` retrains)."""
    few = compare("sequence_model", seeds=2, learning_rate_factors=(1.0, 3.0), tuning_seeds=1, runs_dir=tmp_path,
                  **SMALL)
    factor = few.candidates[0].runs[0].extras["learning_rate_factor"]
    fixed = compare("sequence_model", seeds=2, chosen_factors={"gru": factor}, runs_dir=tmp_path, **SMALL)
    for tuned, again in zip(few.candidates[0].runs, fixed.candidates[0].runs, strict=True):
        assert (tuned.seed, tuned.val_accuracy, tuned.val_loss) == (again.seed, again.val_accuracy, again.val_loss)
