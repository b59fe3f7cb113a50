"""Load test on loopback: many concurrent browser sessions against one `streamlit run app.py`.

    python bench/load_test.py [--sessions 30] [--trainers 10] [--experiments 4] [--arrive-over 30]

A class at once: every session, in its own Chromium context (one browser, Playwright's async API),
completes the interview (answers one question, Next through to "Your recommendations") and a comparison
(Compare, "Phone, 20 ms"). Then `--trainers` of them open a tiny Lab experiment by link (1 epoch; the
trainers share `--experiments` different seeds, so some ask for the same experiment and some for
different ones) and press "Train and compare" at the same moment: each must finish, and those behind
another experiment are shown their place in the training queue ("Waiting for the trainer: N run(s)").
Identical requests are trained once (engine/lab/sharing.py): the run folders left on the server count
the trainings actually run. No page may show a Streamlit exception or an error box. The server's
resident memory (its process tree, from /proc) is sampled every second. Prints the figures as tables
(p50/p95 of each step and of the wait for results); exits 1 if any session failed or the deadline passed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, start_streamlit, stop  # noqa: E402

LAB_LINK = "/lab?lab_decision=sequence_model&lab_dataset=adding&lab_epochs=1&lab_seq_len=12&lab_seed={seed}"
STEPS = ("open", "interview", "compare", "lab page", "train: wait in queue", "train: click to results")
QUEUE_TEXT = re.compile(r"Waiting for the trainer: (\d+) run\(s\)")
PROBLEMS = "[data-testid='stException'], [data-testid='stAlertContentError']"
STEP_TIMEOUT = 180_000  # ms; a 2-core machine serving thirty sessions at once is slow, not broken
TRAIN_TIMEOUT = 600.0  # s; a few tiny comparisons in turn


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
    for heading in ("Your sequences", "What matters most", "Hardware and deployment", "Training so far"):
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
    await page.get_by_text(re.compile(r"\d+ of \d+ recommendations differ\.")).wait_for(timeout=STEP_TIMEOUT)
    await wait_idle(page)


async def open_lab(page, url: str, seed: int) -> None:
    await page.goto(url + LAB_LINK.format(seed=seed))
    await page.get_by_role("heading", name="Lab: see the trade-off").wait_for(timeout=STEP_TIMEOUT)
    await wait_idle(page)
    await page.get_by_role("button", name="Train and compare").wait_for(timeout=STEP_TIMEOUT)


async def train(page, session: Session) -> None:
    """Press Train at the agreed moment, then watch: queue places shown, until the Results heading."""
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
            break
        if await page.locator(PROBLEMS).count():
            break
        await page.wait_for_timeout(1000)
    else:
        raise TimeoutError(f"no Results within {TRAIN_TIMEOUT:.0f} s of pressing Train")
    if not await results.count():
        return  # check_page reports the error box that ended the wait
    done = time.monotonic()
    await wait_idle(page)
    session.times["train: wait in queue"] = (last_waiting - session.clicked_at) if last_waiting else 0.0
    session.times["train: click to results"] = done - session.clicked_at


async def run_session(browser, url: str, session: Session, ready: asyncio.Event, arrived: list[int],
                      trainers: int, delay: float) -> None:
    await asyncio.sleep(delay)  # a class arrives over a few seconds, not in one millisecond
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT)
    context.set_default_navigation_timeout(STEP_TIMEOUT)
    page = await context.new_page()
    page.on("pageerror", lambda exc: session.errors.append(f"JavaScript error: {exc}"))
    step = "open"
    arrived_here = False
    try:
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


async def drive(url: str, sessions: list[Session], trainers: int, arrive_over: float) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        ready, arrived = asyncio.Event(), []
        try:
            gap = arrive_over / max(len(sessions) - 1, 1)
            await asyncio.gather(*(run_session(browser, url, s, ready, arrived, trainers, i * gap)
                                   for i, s in enumerate(sessions)))
        finally:
            await browser.close()


# ---------------------------------------------------------------- report

def fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.1f}"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: every figure printed was measured)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(sessions: list[Session], samples: list[tuple[float, float, float]], wall: float, timed_out: bool,
           trainings: int, experiments: int) -> bool:
    failed = [s for s in sessions if not s.ok]
    trainers = [s for s in sessions if s.trains]
    print(f"\n## Load test: {len(sessions)} concurrent browser sessions, {len(trainers)} pressing Train at once "
          f"on {experiments} different experiments (wall {wall:.0f} s; load average "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())})\n")
    print("| step | sessions done | p50 s | p95 s | max s |")
    print("|---|---|---|---|---|")
    for step in STEPS:
        values = [s.times[step] for s in sessions if step in s.times]
        if values:
            print(f"| {step} | {len(values)} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f} | "
                  f"{max(values):.1f} |")
        else:
            print(f"| {step} | 0 | - | - | - |")

    clicks = [s.clicked_at for s in trainers if s.clicked_at is not None]
    spread = (max(clicks) - min(clicks)) if clicks else None
    print(f"\nTraining sessions (Train pressed within {fmt(spread)} s of each other):\n")
    print("| session | experiment (seed) | queue places shown | waited in queue s | click to results s | result |")
    print("|---|---|---|---|---|---|")
    for s in trainers:
        places = " > ".join(str(p) for p in dict.fromkeys(s.queue_places)) or "none"
        print(f"| {s.number} | {s.seed} | {places} | {fmt(s.times.get('train: wait in queue'))} | "
              f"{fmt(s.times.get('train: click to results'))} | {'ok' if s.ok else 'FAILED'} |")

    own, tree = [s[1] for s in samples], [s[2] for s in samples]
    max_place = max((p for s in sessions for p in s.queue_places), default=0)
    waits = [s.times["train: click to results"] for s in trainers if "train: click to results" in s.times]
    print("\n| summary | value |")
    print("|---|---|")
    print(f"| sessions completed / started | {len(sessions) - len(failed)} / {len(sessions)} |")
    print(f"| Train presses / trainings actually run (run folders) | {len(trainers)} / {trainings} |")
    if waits:
        print(f"| wait from Train to results, p50 / p95 / max s | {percentile(waits, 0.5):.1f} / "
              f"{percentile(waits, 0.95):.1f} / {max(waits):.1f} |")
    print(f"| max queue position seen | {max_place} |")
    if tree:
        print(f"| server RSS at start, MB (with its child processes) | {own[0]:.0f} ({tree[0]:.0f}) |")
        print(f"| server RSS peak, MB (with its child processes) | {max(own):.0f} ({max(tree):.0f}) |")
        print(f"| server RSS final, all sessions closed, MB (with children) | {own[-1]:.0f} ({tree[-1]:.0f}) |")
        print(f"| RSS samples (1 s apart) | {len(tree)} |")
    print(f"| errors | {sum(len(s.errors) for s in sessions) + int(timed_out)} |")
    if timed_out:
        print("\nDEADLINE: the sessions did not finish in time; the run was cut short.")
    for s in sessions:
        for error in s.errors:
            print(f"session {s.number}: {error}")
    # Different experiments pressed together queue behind each other: all but the first experiment's
    # sessions must have been shown a place (identical ones watch the same run and see its place).
    distinct = len({s.seed for s in trainers})
    waited = {s.seed for s in trainers if s.queue_places}
    queue_unseen = distinct >= 2 and not failed and len(waited) < distinct - 1
    if queue_unseen:
        print(f"QUEUE: sessions of only {len(waited)} of {distinct} experiments were shown a queue place.")
    shared_unseen = not failed and trainings > distinct
    if shared_unseen:
        print(f"SHARING: {trainings} trainings ran for {distinct} different experiments.")
    return not failed and not timed_out and not queue_unseen and not shared_unseen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="concurrent browser sessions (default 30)")
    parser.add_argument("--trainers", type=int, default=10, help="how many of them train at once (default 10)")
    parser.add_argument("--experiments", type=int, default=4,
                        help="different experiments (seeds) the trainers share (default 4)")
    parser.add_argument("--deadline", type=float, default=900, help="seconds for all sessions (default 900)")
    parser.add_argument("--arrive-over", type=float, default=30,
                        help="seconds over which the sessions open the app, evenly spread (default 30)")
    args = parser.parse_args()
    if not 0 <= args.trainers <= args.sessions:
        parser.error("--trainers must be between 0 and --sessions")
    if args.experiments < 1:
        parser.error("--experiments must be 1 or more")
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    # Spread the trainers among the sessions, so they are not simply the first to start.
    step = args.sessions / args.trainers if args.trainers else 0
    train_numbers = sorted({int(i * step) + 1 for i in range(args.trainers)})
    seeds = {n: i % args.experiments for i, n in enumerate(train_numbers)}
    sessions = [Session(n, n in seeds, seeds.get(n, 0)) for n in range(1, args.sessions + 1)]
    with tempfile.TemporaryDirectory(prefix="dl-advisor-load-") as tmp:
        runs = Path(tmp) / "runs"
        env = {"DL_ADVISOR_RUNS_DIR": str(runs), "DL_ADVISOR_DB": str(Path(tmp) / "progress.sqlite3")}
        proc, url = start_streamlit(env=env)
        sampler = MemorySampler(proc.pid)
        sampler.start()
        started, timed_out = time.monotonic(), False
        try:
            asyncio.run(asyncio.wait_for(drive(url, sessions, args.trainers, args.arrive_over), timeout=args.deadline))
        except TimeoutError:
            timed_out = True
        finally:
            wall = time.monotonic() - started
            try:
                time.sleep(2)  # let the server drop the closed sessions before the final sample
                sampler.stop()
            finally:
                stop(proc)
        stored = sorted((folder / "result.json").stat().st_mtime for folder in runs.glob("*")
                        if (folder / "result.json").is_file())
        trainings = len(stored)
        clicks = [s.clicked_wall for s in sessions if s.clicked_wall is not None]
        if clicks:
            print("results stored by the worker, s after the first Train press: "
                  + ", ".join(f"{t - min(clicks):.0f}" for t in stored))
            handed = sorted(datetime.fromisoformat(json.loads(path.read_text())["measured_at"]).timestamp()
                            for path in runs.glob("*/provenance.json"))
            print("results back in the app process (provenance.json written), s after the first press: "
                  + ", ".join(f"{t - min(clicks):.0f}" for t in handed))
    print(f"server log: test-output/streamlit-{url.rsplit(':', 1)[1]}.log")
    return 0 if report(sessions, sampler.samples, wall, timed_out, trainings, min(args.experiments, args.trainers)) \
        else 1


if __name__ == "__main__":
    sys.exit(main())
