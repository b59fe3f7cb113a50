"""Driving the load test: the server's memory from /proc, and one Chromium session walking the app.

bench/load_test.py starts the server, spreads the sessions and prints the report; this module holds what
one session does (the interview, a comparison, the Lab and its Train button) and what it records: each
step's time, queue places shown, when the result reached the screen, and what its browser tab received
(websocket messages and bytes) and how busy the tab's main thread was (the longest gap of a 100 ms timer).
"""

from __future__ import annotations

import asyncio
import math
import re
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS  # noqa: E402

LAB_LINK = "/lab?lab_decision=sequence_model&lab_dataset=adding&lab_epochs=1&lab_seq_len=12&lab_seed={seed}"
QUEUE_TEXT = re.compile(r"Waiting for the trainer: (\d+) run\(s\)")
PROBLEMS = "[data-testid='stException'], [data-testid='stAlertContentError']"
STEP_TIMEOUT = 180_000  # ms; a 2-core machine serving thirty sessions at once is slow, not broken
TRAIN_TIMEOUT = 600.0  # s; a few tiny comparisons in turn
# The interview's steps after the first, from the rules themselves, so a new step cannot leave this behind.
STEPS_AFTER_FIRST = [step["title"] for step in
                     tomllib.loads((ROOT / "rules" / "questions.toml").read_text(encoding="utf-8"))["steps"]][1:]
POLL_S = 0.25  # how often a training session looks for its result: the lag's resolution

# Counts what the tab receives on Streamlit's websocket and how late a 100 ms timer fires (the main thread's
# backlog): a tab that cannot keep up with the server's messages shows it here.
TAB_PROBE = """
(() => {
  const probe = window.__probe = {messages: 0, bytes: 0, maxLate: 0, lateSince: 0};
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', (e) => {
      probe.messages += 1;
      probe.bytes += e.data.byteLength || e.data.size || e.data.length || 0;
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - 100;
    probe.maxLate = Math.max(probe.maxLate, late);
    probe.lateSince = Math.max(probe.lateSince, late);
    last = now;
  }, 100);
})();
"""


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: every figure printed was measured)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# ---------------------------------------------------------------- memory of the server's process tree

def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:  # the process ended between listing and reading
        return 0
    return 0  # kernel threads and zombies have no VmRSS line


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return kids


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MB."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_kb(p)
        todo += _children(p)
    return total / 1024


class MemorySampler(threading.Thread):
    """Samples the server's tree RSS every `every` seconds until stopped."""

    def __init__(self, pid: int, every: float = 1.0):
        super().__init__(daemon=True, name="rss-sampler")
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float, float]] = []  # seconds, server alone MB, with children MB
        self._halt = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self._halt.is_set():
            self.samples.append((time.monotonic() - started, _rss_kb(self.pid) / 1024, tree_rss_mb(self.pid)))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)
        last = self.samples[-1][0] if self.samples else 0.0
        self.samples.append((last, _rss_kb(self.pid) / 1024, tree_rss_mb(self.pid)))


# ---------------------------------------------------------------- one browser session

@dataclass
class Session:
    number: int
    trains: bool
    seed: int = 0  # the experiment it trains
    times: dict[str, float] = field(default_factory=dict)
    queue_places: list[int] = field(default_factory=list)
    clicked_at: float | None = None
    clicked_wall: float | None = None  # time.time() of the click, to compare with files the server wrote
    screen_wall: float | None = None  # time.time() when the result was first seen on the page
    tab: dict[str, float] = field(default_factory=dict)  # TAB_PROBE's counts from the click to the result
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


async def wait_idle(page, timeout: float = STEP_TIMEOUT) -> None:
    """Async twin of tests.browser_support.wait_idle: no 'Running...' widget and no stale elements."""
    await page.wait_for_timeout(250)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')", timeout=timeout)


async def check_page(page, session: Session, where: str) -> None:
    """Record (not raise) every exception box or error box the page shows."""
    for box in await page.locator(PROBLEMS).all():
        text = (await box.inner_text()).strip().replace("\n", " ")[:200]
        session.errors.append(f"{where}: page shows an error: {text}")


async def timed(session: Session, step: str, coro) -> None:
    started = time.monotonic()
    await coro
    session.times[step] = time.monotonic() - started
    print(f"session {session.number}: {step} {session.times[step]:.1f} s", file=sys.stderr, flush=True)


async def interview(page, url: str) -> None:
    await page.goto(url)
    await page.get_by_role("heading", name="What should I use?").wait_for(timeout=STEP_TIMEOUT)
    await wait_idle(page)


async def answer_and_finish(page) -> None:
    field_ = page.get_by_label("How many distinct tokens are in your vocabulary?")
    await field_.fill("300")
    await field_.press("Enter")
    await wait_idle(page)
    for heading in STEPS_AFTER_FIRST:
        await page.get_by_role("button", name="Next").click()
        await page.get_by_role("heading", name=heading).wait_for(timeout=STEP_TIMEOUT)
        await wait_idle(page)
    await page.get_by_role("button", name="See my recommendations").click()
    await page.get_by_role("heading", name="Your recommendations").wait_for(timeout=STEP_TIMEOUT)
    await page.get_by_text(re.compile(r"^Use: ")).first.wait_for(timeout=STEP_TIMEOUT)
    await wait_idle(page)


async def comparison(page) -> None:
    await page.get_by_role("link", name="Compare", exact=True).click()
    await page.get_by_role("heading", name="Compare scenarios").wait_for(timeout=STEP_TIMEOUT)
    await wait_idle(page)
    await page.get_by_role("button", name="Phone, 20 ms").click()
    await page.get_by_text(re.compile(r"\d+ of \d+ recommendations differ")).wait_for(timeout=STEP_TIMEOUT)
    await wait_idle(page)


async def open_lab(page, url: str, seed: int) -> None:
    await page.goto(url + LAB_LINK.format(seed=seed))
    await page.get_by_role("heading", name="Lab: see the trade-off").wait_for(timeout=STEP_TIMEOUT)
    await wait_idle(page)
    await page.get_by_role("button", name="Train and compare").wait_for(timeout=STEP_TIMEOUT)


async def train(page, session: Session) -> None:
    """Press Train at the agreed moment, then watch: queue places shown, until the Results heading."""
    before = await page.evaluate("() => ({...window.__probe, lateSince: 0})")
    await page.evaluate("() => { window.__probe.lateSince = 0; }")
    await page.get_by_role("button", name="Train and compare").click()
    session.clicked_at, session.clicked_wall = time.monotonic(), time.time()
    # The verdict box, not the "Results" heading: under load Streamlit sometimes drops that heading after
    # the live fragment's last rerun (seen in screenshots: results drawn, heading missing).
    results = page.get_by_text("Verdict of this run.")
    waiting = page.get_by_text(QUEUE_TEXT)
    last_waiting = None
    while time.monotonic() - session.clicked_at < TRAIN_TIMEOUT:
        if await waiting.count():
            try:
                match = QUEUE_TEXT.search(await waiting.first.inner_text(timeout=2000))
            except Exception:  # noqa: BLE001 - the fragment redrew between count() and inner_text()
                match = None
            if match:
                session.queue_places.append(int(match.group(1)))
                last_waiting = time.monotonic()
        if await results.count():
            session.screen_wall = time.time()
            break
        if await page.locator(PROBLEMS).count():
            break
        await page.wait_for_timeout(POLL_S * 1000)
    else:
        raise TimeoutError(f"no Results within {TRAIN_TIMEOUT:.0f} s of pressing Train")
    if not await results.count():
        return  # check_page reports the error box that ended the wait
    done = time.monotonic()
    after = await page.evaluate("() => window.__probe")
    session.tab = {"messages": after["messages"] - before["messages"], "bytes": after["bytes"] - before["bytes"],
                   "max_late_ms": after["lateSince"]}
    await wait_idle(page)
    session.times["train: wait in queue"] = (last_waiting - session.clicked_at) if last_waiting else 0.0
    session.times["train: click to results"] = done - session.clicked_at


async def run_session(browser, url: str, session: Session, ready: asyncio.Event, arrived: list[int],
                      trainers: int, delay: float, lab_only: bool) -> None:
    await asyncio.sleep(delay)  # a class arrives over a few seconds, not in one millisecond
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT)
    context.set_default_navigation_timeout(STEP_TIMEOUT)
    await context.add_init_script(TAB_PROBE)
    page = await context.new_page()
    page.on("pageerror", lambda exc: session.errors.append(f"JavaScript error: {exc}"))
    step = "open"
    arrived_here = False
    try:
        if not lab_only:
            await timed(session, "open", interview(page, url))
            await check_page(page, session, "open")
            step = "interview"
            await timed(session, "interview", answer_and_finish(page))
            await check_page(page, session, "interview")
            step = "compare"
            await timed(session, "compare", comparison(page))
            await check_page(page, session, "compare")
        if session.trains:
            step = "lab page"
            await timed(session, "lab page", open_lab(page, url, session.seed))
            await check_page(page, session, "lab page")
            arrived.append(session.number)
            arrived_here = True
            if len(arrived) == trainers:
                ready.set()
            await asyncio.wait_for(ready.wait(), timeout=STEP_TIMEOUT / 1000 * 3)
            step = "train"
            await train(page, session)
            await check_page(page, session, "train")
    except Exception as exc:  # noqa: BLE001 - every failure is reported per session, none stops the others
        session.errors.append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        await check_page(page, session, step)
        try:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SCREENSHOTS / f"load-session-{session.number}-failed.png"))
        except Exception:  # noqa: BLE001, S110 - a screenshot is a courtesy, never a second failure
            pass
    finally:
        if session.trains and not arrived_here:  # never leave the other trainers waiting for us
            arrived.append(session.number)
            if len(arrived) == trainers:
                ready.set()
        await context.close()


async def drive(url: str, sessions: list[Session], trainers: int, arrive_over: float, lab_only: bool = False) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        ready, arrived = asyncio.Event(), []
        try:
            gap = arrive_over / max(len(sessions) - 1, 1)
            await asyncio.gather(*(run_session(browser, url, s, ready, arrived, trainers, i * gap, lab_only)
                                   for i, s in enumerate(sessions)))
        finally:
            await browser.close()
