"""`python -m engine ...` run in the test process: the same parser, handlers, messages and exit status as the
command a user types, without starting an interpreter per call (1.4 s each, most of the fast subset's CLI
time). tests/engine/test_cli.py still runs the real entry point once in a subprocess."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Done:
    """What `subprocess.run(..., capture_output=True, text=True)` would have returned."""

    returncode: int
    stdout: str
    stderr: str


def engine_cli(*args: str) -> Done:
    from engine.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own usage errors exit, as in a subprocess
            code = exc.code if isinstance(exc.code, int) else 1
    return Done(code, out.getvalue(), err.getvalue())
