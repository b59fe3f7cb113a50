"""No page imports TensorFlow (or Ray) into the app's process (it costs seconds and hundreds of MB per process):
the question-and-answer pages never need it, the Lab trains in the engine's worker process, and Ray is imported
only when DL_ADVISOR_RAY_ADDRESS sends training to a cluster."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=60).run()
for page in ("pages/compare.py", "pages/tables.py", "pages/advisor.py", "pages/lab.py", "pages/review.py"):
    at.switch_page(page).run()
    assert not at.exception, (page, at.exception)
print(sorted(m for m in ("tensorflow", "keras", "ray") if m in sys.modules))
"""


# A fresh interpreter per run (15 s), so it sits outside the fast loop, where tests/fast_guard.py catches the same
# thing: every page's AppTest runs there in the pytest process, which fails if TensorFlow got in.
@pytest.mark.slow
def test_pages_do_not_import_tensorflow():
    env = {k: v for k, v in os.environ.items() if k != "DL_ADVISOR_RAY_ADDRESS"}  # the default: no cluster
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=False, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
