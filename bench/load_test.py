"""Load test on loopback: many concurrent browser sessions against one `streamlit run app.py`.

    python bench/load_test.py [--sessions 30] [--trainers 10] [--experiments 4] [--arrive-over 30] [--lab-only]

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

The Lab's live panel is traced (ui/lab_trace.py): each session's lag from its job ending on the server to
the result on its screen, split into the server's part (the page run that draws the result has finished)
and the browser's part, the panel's rerun times, and what each tab received meanwhile. `--lab-only` skips
the interview and the comparison, for a quick look at the Lab alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.live_report import live_report, read_trace  # noqa: E402
from bench.load_support import MemorySampler, Session, drive, percentile  # noqa: E402
from tests.browser_support import CHROMIUM, start_streamlit, stop  # noqa: E402

STEPS = ("open", "interview", "compare", "lab page", "train: wait in queue", "train: click to results")


# ---------------------------------------------------------------- report

def fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.1f}"


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
    parser.add_argument("--lab-only", action="store_true",
                        help="sessions go straight to the Lab (no interview, no comparison): a quick live-panel test")
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
        trace_file = Path(tmp) / "live-trace.jsonl"
        env = {"DL_ADVISOR_RUNS_DIR": str(runs), "DL_ADVISOR_DB": str(Path(tmp) / "progress.sqlite3"),
               "DL_ADVISOR_LIVE_TRACE": str(trace_file)}
        proc, url = start_streamlit(env=env)
        sampler = MemorySampler(proc.pid)
        sampler.start()
        started, timed_out = time.monotonic(), False
        try:
            asyncio.run(asyncio.wait_for(drive(url, sessions, args.trainers, args.arrive_over, args.lab_only),
                                         timeout=args.deadline))
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
        trace = read_trace(trace_file)
        if trace_file.is_file():  # kept as the evidence behind the printed lags
            kept = ROOT / "test-output" / f"load-live-trace-{datetime.now():%Y%m%d-%H%M%S}.jsonl"
            kept.write_text(trace_file.read_text())
            print(f"live panel trace: {kept.relative_to(ROOT)}")
    print(f"server log: test-output/streamlit-{url.rsplit(':', 1)[1]}.log")
    ok = report(sessions, sampler.samples, wall, timed_out, trainings, min(args.experiments, args.trainers))
    live_report(sessions, trace)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
