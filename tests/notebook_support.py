"""Run a notebook headless as Jupyter would (nbclient, an ipykernel Python 3 kernel) and read what it printed."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def execute(book, cwd: Path, timeout: int = 600) -> None:
    """Execute every cell of `book` in place, in a fresh kernel started in `cwd`; raises on the first error.

    The kernel finds the project's modules (a notebook may import its text parser) through PYTHONPATH, keeps
    Keras' files in `cwd` and TensorFlow's start-up log quiet. IPC sockets: nothing listens on the network.
    nbclient shuts down only a kernel whose manager it made itself; this one is ours, so it is shut down
    here (left running, each executed notebook kept a kernel holding TensorFlow, about 0.9 GB and CPU time,
    until the test session ended).
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_HOME": str(cwd / ".keras"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
           "PYTHONDONTWRITEBYTECODE": "1"}
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(cwd / "kernel"))
    client = NotebookClient(book, km=manager, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(env=env)
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    assert not manager.is_alive(), "the notebook's kernel is still running after the notebook ran"


def printed(cell) -> str:
    """Everything a code cell wrote to stdout."""
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream"
                   and o.name == "stdout")
