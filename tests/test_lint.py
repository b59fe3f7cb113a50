"""The code passes ruff, including its security rules (bandit's S checks), as part of the test run."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or f"{sys.executable} -m ruff"
    out = subprocess.run([*ruff.split(), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
