"""Run one of the project's snippet files in a separate Python process and capture its output.

Snippets import TensorFlow, which must never load into the Streamlit process, and a stuck snippet
must not hang the page: so each run is a subprocess with a timeout, started in a fresh temporary
folder (also used as KERAS_HOME) so nothing is written into the project or the user's home.
Only files listed in the study content are run; user-provided code never is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class RunResult:
    """What a snippet printed, how it ended and how long it took (measured in this run)."""

    snippet: str
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def snippet_env(workdir: Path) -> dict[str, str]:
    """The child's environment: quiet TensorFlow logs, CPU only, Keras config in the temp folder."""
    env = dict(os.environ)
    env.update(
        {
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "CUDA_VISIBLE_DEVICES": "-1",
            "KERAS_HOME": str(workdir / ".keras"),
            "KERAS_BACKEND": "tensorflow",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "TMPDIR": str(workdir),
        }
    )
    return env


def run_snippet(path: Path, timeout: float = DEFAULT_TIMEOUT) -> RunResult:
    """Execute `path` with this interpreter in a temporary folder; never raises for snippet failures."""
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="dl-advisor-snippet-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        try:
            # Safe: this interpreter runs one of the project's own snippet files, never user input.
            done = subprocess.run(  # noqa: S603
                [sys.executable, str(path)],
                cwd=workdir,
                env=snippet_env(workdir),
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            return RunResult(
                path.name, None, _text(exc.stdout), _text(exc.stderr) + f"\nStopped after {timeout:.0f} s.",
                time.perf_counter() - started, True,
            )
        except OSError as exc:
            return RunResult(path.name, None, "", f"Could not start Python: {exc}", 0.0, False)
        return RunResult(
            path.name, done.returncode, done.stdout, done.stderr, time.perf_counter() - started, False
        )


# Runs several snippets in one interpreter so TensorFlow is imported once (it takes ~6 s); each
# snippet still runs as __main__ with fresh globals, in its own folder, with its own output captured.
BATCH_DRIVER = r"""
import contextlib, io, json, os, runpy, sys, tempfile, time, traceback
results = []
for path in sys.argv[1:]:
    out, err = io.StringIO(), io.StringIO()
    folder = tempfile.mkdtemp(prefix="snippet-")
    os.chdir(folder)
    started = time.perf_counter()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(path, run_name="__main__")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
    results.append([os.path.basename(path), code, out.getvalue(), err.getvalue(), time.perf_counter() - started])
print("@@RESULTS@@" + json.dumps(results))
"""


def run_many(paths: list[Path], timeout: float = 600.0) -> list[RunResult]:
    """Run several snippets in one subprocess (for the test suite); one RunResult per path, in order.

    If the process dies or times out, every snippet without a result gets a failed RunResult
    carrying the process's stderr.
    """
    paths = [Path(p).resolve() for p in paths]
    with tempfile.TemporaryDirectory(prefix="dl-advisor-snippets-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        try:
            done = subprocess.run(  # noqa: S603 - fixed driver code and the project's own snippet files
                [sys.executable, "-c", BATCH_DRIVER, *map(str, paths)],
                cwd=workdir, env=snippet_env(workdir), capture_output=True, text=True, timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
            stdout, stderr, timed_out = done.stdout, done.stderr, False
        except subprocess.TimeoutExpired as exc:
            stdout, stderr, timed_out = _text(exc.stdout), _text(exc.stderr), True
    elapsed = time.perf_counter() - started
    marker = stdout.rfind("@@RESULTS@@")
    rows = json.loads(stdout[marker + len("@@RESULTS@@"):]) if marker >= 0 else []
    results = {name: RunResult(name, code, out, err, seconds, False) for name, code, out, err, seconds in rows}
    return [
        results.get(p.name) or RunResult(p.name, None, "", stderr[-4000:], elapsed, timed_out)
        for p in paths
    ]


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
