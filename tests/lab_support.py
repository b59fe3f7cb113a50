"""`compare(decision, **options)`: build the `TrainRequest` and train it, for tests that set both kinds of option."""

from __future__ import annotations

from typing import Any

RUN_OPTIONS = ("on_progress", "stop", "runs_dir", "isolate", "reuse")  # how to run, not what: not in the request


def compare(decision: str, **options: Any):
    from engine.lab import TrainRequest, train_comparison

    run = {k: options.pop(k) for k in RUN_OPTIONS if k in options}
    return train_comparison(TrainRequest.make(decision, **options), **run)


def coded_result(seeds: tuple[int, ...] = (0, 1), run_dir: str = "/nonexistent", decision_id: str = "sequence_model",
                 datas: list | None = None):
    """A finished comparison whose code pieces are real and whose numbers are made up: for tests of what is shown
    and downloaded. Without `datas`, a sequence-model run on the adding problem, whose loader is NumPy: no
    TensorFlow is imported."""
    from engine.lab import ComparisonResult
    from engine.lab.codegen.script import candidate_code, script_text
    from engine.lab.data import samples
    from engine.lab.data.labdata import LabData, Recipe
    from engine.lab.decisions import lab_decision

    decision = lab_decision(decision_id)

    def adding(seed: int) -> LabData:
        recipe = Recipe()
        arrays = recipe.load(samples.load_adding, {"seq_len": 8, "examples": 160}, seed)
        return LabData.from_arrays("adding", "features", {"seq_len": 8, "examples": 160}, arrays, recipe)

    datas = datas or [adding(seed) for seed in seeds]
    candidates = []
    for k, spec in enumerate(decision.candidates):
        parts = candidate_code(decision, spec, datas, 1, list(seeds))
        runs = [{"seed": seed, "history": [{"epoch": 1, "loss": 0.69, "accuracy": 0.5 + k / 20, "val_loss": 0.7,
                                            "val_accuracy": 0.5 + k / 20 + seed / 100}],
                 "val_loss": 0.7, "val_accuracy": 0.5 + k / 20 + seed / 100, "train_accuracy": 0.5}
                for seed in seeds]
        candidates.append({"choice": spec.choice, "label": spec.label, "changes": spec.changes,
                           "recommended": k == 2, "runs": runs, "params": 100, "trainable_params": 100,
                           "code": script_text(parts), "code_parts": parts.model_dump()})
    return ComparisonResult.model_validate({
        "decision": decision.id, "dataset": datas[0].name, "settings": {**datas[0].settings, "epochs": 1},
        "seed": seeds[0], "seeds": list(seeds), "run_dir": run_dir, "stopped_early": False, "wall_seconds": 3.0,
        "verdict": {"text": "This run agrees.", "claim": "gated units carry a signal further", "agrees": True},
        "candidates": candidates})
