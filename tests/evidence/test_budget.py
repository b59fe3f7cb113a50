"""How long the stored runs trained against the cap: counted from made-up bank documents, every outcome."""

from __future__ import annotations

from engine.evidence.budget import describe_budget, training_budget


def document(epochs_run: dict[int, dict[str, list[float | None]]], cap: int | None = 20,
             patience: int | None = 5) -> dict:
    return {"sweep": {"quantity": "tokens", "epochs": cap, "patience": patience},
            "points": [{"x": x, "extra": {"epochs_run": runs}} for x, runs in epochs_run.items()]}


def test_runs_that_all_stopped_early_were_trained_to_a_plateau():
    doc = document({16: {"a": [7, 12], "b": [19, 9]}, 64: {"a": [11, 15], "b": [8, 10]}})
    assert training_budget(doc).capped == 0
    [line] = describe_budget(doc)
    assert "at most 20 epochs" in line and "All 8 runs stopped before the cap" in line


def test_most_runs_at_the_cap_say_the_models_were_still_training():
    doc = document({16: {"a": [20, 20], "b": [20, 9]}, 64: {"a": [20, 20], "b": [20, 20]}})
    budget = training_budget(doc)
    assert (budget.capped, budget.runs, budget.at_cap) == (7, 8, {16: (3, 4), 64: (4, 4)})
    [line] = describe_budget(doc)
    assert "7 of 8 runs used every epoch allowed (3 of 4 at 16 tokens, 4 of 4 at 64 tokens)" in line
    assert "short of their plateau" in line and "a higher cap would tell" in line


def test_a_minority_at_the_cap_is_named_without_doubting_the_whole_comparison():
    doc = document({16: {"a": [20, 6], "b": [8, 9]}})
    [line] = describe_budget(doc)
    assert "1 of 4 runs used every epoch allowed" in line and "short of their plateau" not in line


def test_a_fixed_budget_sweep_says_so_and_counts_a_candidates_own_early_stop():
    doc = document({100: {"no_remedy": [15, 15], "early_stopping": [11, 15]}}, cap=None, patience=None)
    assert training_budget(doc).cap == 15  # the sweep left the epochs to the decision: the longest run shows it
    [line] = describe_budget(doc)
    assert "fixed budget of 15 epochs" in line and "1 of 4 runs ended earlier" in line


def test_nothing_is_said_when_the_bank_stores_no_epochs():
    assert describe_budget({"sweep": {"quantity": "x", "epochs": 8}, "points": [{"x": 1, "extra": {}}]}) == []
    assert describe_budget(document({16: {"a": [None, None]}})) == []
