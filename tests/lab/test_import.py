"""The lab package must stay importable without TensorFlow: the question-and-answer path never pays for it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_engine_lab_does_not_import_tensorflow():
    code = ("import sys, engine, engine.lab, engine.lab.cli, engine.lab.scaling; "
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, "
            "sorted(m for m in sys.modules if m.startswith(('tensorflow', 'keras')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.returncode == 0, out.stderr


def test_public_api_names():
    import engine.lab as lab

    for name in ("DECISIONS", "candidates", "list_datasets", "train_comparison", "ComparisonResult",
                 "ProgressEvent", "training_queue", "scaling_experiment", "ScalingResult", "load_csv",
                 "profile_csv", "CsvSource", "CsvProfile", "load_model"):
        assert hasattr(lab, name), name
