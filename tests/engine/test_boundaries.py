"""The engine stays light: no Streamlit, no TensorFlow on the question-and-answer path."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_and_using_the_engine_loads_neither_tensorflow_nor_streamlit():
    code = ("import sys, engine; engine.recommend({}); "
            "print(sorted(m for m in ('tensorflow', 'keras', 'streamlit') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_engine_source_never_imports_streamlit():
    for path in (ROOT / "engine").rglob("*.py"):
        text = path.read_text()
        assert "import streamlit" not in text and "from streamlit" not in text, path
