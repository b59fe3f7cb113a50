"""One Ray head on loopback (2 CPUs) for every Ray test of the session, and the Ray backend pointed at it.

Every test here starts Ray and most train: the `ray` marker implies `slow` (tests/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.ray_support import LOOPBACK, start_head

# Ray reads these when it is imported, and rewrites a 127.0.0.1 address to the machine's own unless told
# not to: set before any test module here imports it.
os.environ.update(LOOPBACK)


@pytest.fixture(scope="session")
def ray_head() -> Iterator[str]:
    """The head's address; this process is its driver (as the app or the CLI would be)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    head = start_head(cpus=2)
    try:
        yield head.address
    finally:
        from engine.lab.service import ray_backend

        for backend in ray_backend._BACKENDS.values():
            backend.close()  # disconnect before the head goes, or the driver waits for it at exit
        ray_backend._BACKENDS.clear()
        head.stop()


@pytest.fixture
def on_ray(ray_head, monkeypatch):
    """Training in this test goes to the session's Ray head (as DL_ADVISOR_RAY_ADDRESS=<address> does)."""
    from engine.lab.service.backend import RAY_ENV
    from engine.lab.service.ray_backend import ray_backend

    monkeypatch.setenv(RAY_ENV, ray_head)
    return ray_backend(ray_head)
