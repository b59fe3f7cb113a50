"""A one-machine Ray cluster on loopback for tests and benchmarks: `ray start --head --block`, stopped by its pid.

`--block` keeps the `ray start` process in the foreground and ends every process it started when it gets
SIGTERM, so stopping it never needs `ray stop` (which stops every Ray cluster on the machine, other
people's too). Every port is chosen free on 127.0.0.1; usage statistics are off, so nothing leaves the
machine. The head's environment (TensorFlow's log level, this repository on the path) is its workers'.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Ray replaces a node address of 127.0.0.1 by the machine's own (reachable) one, except where it treats the
# machine as a laptop that runs no cluster: that switch keeps every Ray address on loopback. The driver
# needs it too (it is how Ray picks the driver's own address).
LOOPBACK = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Head:
    """A running head node: `address` is what DL_ADVISOR_RAY_ADDRESS takes."""

    def __init__(self, proc: subprocess.Popen, address: str, temp_dir: Path, log: Path):
        self.proc, self.address, self.temp_dir, self.log = proc, address, temp_dir, log

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # `--block` ends what it started
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def _end_with_parent() -> None:
    """In the head's process before it runs: SIGTERM when the process that started it dies (a test run
    killed by a timeout), so `--block` still ends everything it started and no cluster is left behind."""
    import ctypes

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def start_head(cpus: int = 2, timeout: float = 180.0) -> Head:
    """Start a head with `cpus` CPUs and wait until it takes connections (its address file appears)."""
    # A short path: Ray's unix sockets live under it, and a socket path may not exceed 107 bytes.
    temp_dir = Path(tempfile.mkdtemp(prefix="ray-", dir="/tmp"))
    log = temp_dir / "head.log"
    env = {**os.environ, **LOOPBACK, "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--block", "--port", "0",
               "--node-ip-address", "127.0.0.1", "--num-cpus", str(cpus), "--include-dashboard=false",
               "--disable-usage-stats", "--temp-dir", str(temp_dir),
               "--ray-client-server-port", str(free_port()), "--dashboard-agent-listen-port", str(free_port()),
               "--dashboard-port", str(free_port()), "--metrics-export-port", str(free_port())]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                preexec_fn=_end_with_parent)
    marker = temp_dir / "ray_current_cluster"
    deadline = time.monotonic() + timeout
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    head = Head(proc, marker.read_text().strip() if marker.exists() else "", temp_dir, log)
    if not head.address:
        tail = log.read_text(errors="replace")[-3000:]
        head.stop()
        raise RuntimeError(f"The Ray head did not start within {timeout:.0f} s; its log ends:\n{tail}")
    return head
