"""Helpers for real-browser tests and benchmarks: `streamlit run` on a free loopback port, Debian's Chromium.

Chromium comes from Debian (`apt-get install chromium`); Playwright's own browser download is not
available here. The fixtures that use these live in tests/conftest.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:  # noqa: S310 - our loopback URL
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy at {url} within {timeout:.0f} s")


def start_streamlit(script: str = "app.py", env: dict[str, str] | None = None,
                    port: int | None = None) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    (ROOT / "test-output").mkdir(exist_ok=True)
    log = open(ROOT / "test-output" / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
    except Exception:
        proc.kill()
        raise
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def screenshot(page, name: str) -> Path:
    """Save the whole page: Streamlit scrolls inside its main container, so grow the viewport to fit it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    wait_idle(page)
    page.wait_for_timeout(800)  # let tables and charts paint
    size = page.viewport_size
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 8000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


# Idle: Streamlit's own markers say the run is over (what its end-to-end tests read), nothing is drawn as stale,
# and nothing that has an end is animating. The last matters for a press: an expander animates its height for
# half a second when it opens and again when its content changes size (a tab with longer code), the sidebar
# slides in when a window widens, and when such an animation ends the page is laid out anew. A button can
# then move from under a press between the mouse going down and coming up, and the click never happens
# (tests/browser/test_lab.py lost a download that way). Endless animations (spinners) do not count.
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && !document.getAnimations().some(a => a.playState === 'running' && a.effect
                                           && a.effect.getComputedTiming().endTime !== Infinity);
}"""


def wait_idle(page, timeout: float = 20_000) -> None:
    """Wait until Streamlit has finished the current run and the page has stopped moving."""
    page.wait_for_timeout(250)  # a run asked for by the last action may not have begun yet
    page.wait_for_function(IDLE, timeout=timeout, polling="raf")
