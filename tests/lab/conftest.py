"""Shared fixtures for the lab tests: run folders in a temporary directory, TensorFlow kept quiet."""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before any test imports TensorFlow


@pytest.fixture
def runs_dir(tmp_path, monkeypatch):
    path = tmp_path / "runs"
    monkeypatch.setenv("DL_ADVISOR_RUNS_DIR", str(path))
    return path


def tiny_csv(rows: int = 60, seed: int = 0) -> bytes:
    """A small two-class CSV of made-up sentences: 'good' words vs 'bad' words among shared fillers."""
    import random

    rng = random.Random(seed)
    good, bad, filler = ["sunny", "bright", "happy", "calm"], ["stormy", "dark", "sad", "angry"], ["the", "day",
                                                                                                  "was", "very"]
    lines = ["text,label"]
    for i in range(rows):
        label = "pos" if i % 2 else "neg"
        words = [rng.choice(filler) for _ in range(rng.randint(3, 8))]
        words.insert(rng.randint(0, len(words)), rng.choice(good if label == "pos" else bad))
        lines.append(f"{' '.join(words)},{label}")
    return ("\n".join(lines) + "\n").encode()
