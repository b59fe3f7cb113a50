"""AppTest helpers: run the whole app (navigation included) in-process, headless."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DL_ADVISOR_DB", str(tmp_path / "progress.sqlite3"))
    monkeypatch.setenv("DL_ADVISOR_RUNS_DIR", str(tmp_path / "runs"))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def texts(at) -> str:
    """Everything the page shows as text, for assertions on what a user reads."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "success", "warning",
                                  "error", "info", "code") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def fake_run(seed: int, gru_accuracy: float):
    """A finished comparison as the Lab stores it (numbers made up: this tests the display only)."""
    from engine.lab import ComparisonResult

    def cand(choice, label, acc, rec):
        return {"choice": choice, "label": label, "changes": "", "recommended": rec,
                "history": [{"epoch": 1, "loss": 0.7, "accuracy": acc, "val_loss": 0.7, "val_accuracy": acc}],
                "val_loss": 0.7, "val_accuracy": acc, "train_accuracy": acc, "params": 100, "trainable_params": 100,
                "seconds_per_epoch": 1.0, "latency_ms_per_example": 0.1, "size_bytes": 1000, "model_path": None,
                "code": "", "completed": True}

    return ComparisonResult.model_validate({
        "decision": "sequence_model", "dataset": "adding", "settings": {"seq_len": 30, "epochs": 1}, "seed": seed,
        "run_dir": "/nonexistent", "stopped_early": False, "wall_seconds": 3.0,
        "verdict": {"text": f"This run agrees (seed {seed}).", "claim": "gated units win", "agrees": True},
        "candidates": [cand("simple_rnn", "SimpleRNN", 0.6, False), cand("gru", "GRU", gru_accuracy, True)]})
