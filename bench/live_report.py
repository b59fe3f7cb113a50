"""The load test's report on the Lab's live panel: how long after a job ended its result was on screen.

Reads the trace the app writes when $DL_ADVISOR_LIVE_TRACE is set (ui/lab_trace.py) and the sessions'
own records (bench/load_support.py), and prints, per training session, the lag from the job's end on the
server to the result on its screen, split at the moment the server finished the page run that drew it;
then the panel's reruns while jobs ran (how many, how long, how many had nothing new to show) and what
each tab received. Sessions are matched to jobs by their experiment's seed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.load_support import Session, percentile


def read_trace(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def job_timeline(trace: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per job id: its seed, when it ended, and when the server finished the first page run showing its result."""
    jobs: dict[str, dict[str, Any]] = {}
    for row in trace:
        if row.get("job") is None:
            continue
        job = jobs.setdefault(row["job"], {"seed": row.get("seed"), "finished_at": None, "drawn_at": None,
                                           "panel": []})
        if row["kind"] == "panel" and row.get("running"):
            job["panel"].append(row)
        if row.get("finished_at") and job["finished_at"] is None:
            job["finished_at"] = row["finished_at"]
        if (row["kind"] == "page" and row.get("runs") and not row.get("running") and job["finished_at"]
                and job["drawn_at"] is None):
            job["drawn_at"] = row["t"] + row["ms"] / 1000
    return jobs


def _stats(values: list[float]) -> str:
    if not values:
        return "- / - / -"
    return f"{percentile(values, 0.5):.1f} / {percentile(values, 0.95):.1f} / {max(values):.1f}"


def live_report(sessions: list[Session], trace: list[dict[str, Any]]) -> dict[str, list[float]]:
    """Print the live panel's figures; return the lags (s) for the caller's summary."""
    jobs = job_timeline(trace)
    by_seed: dict[int, list[dict[str, Any]]] = {}
    for job in jobs.values():
        by_seed.setdefault(job["seed"], []).append(job)
    lags: dict[str, list[float]] = {"to screen": [], "server": [], "browser": []}
    print("\nLive panel: from the job's end on the server to the result on screen (s):\n")
    print("| session | seed | job ended -> page run drawn (server) | -> on screen (browser) | total | "
          "tab messages | tab MB | tab main thread max late ms |")
    print("|---|---|---|---|---|---|---|---|")
    for s in sessions:
        if not s.trains:
            continue
        mine = [j for j in by_seed.get(s.seed, []) if j["finished_at"]]
        # Sessions sharing an experiment end together; the latest end makes the lag a lower bound.
        ended = max((j["finished_at"] for j in mine), default=None)
        drawn = max((j["drawn_at"] for j in mine if j["drawn_at"]), default=None)
        server = drawn - ended if drawn and ended else None
        total = s.screen_wall - ended if s.screen_wall and ended else None
        browser = s.screen_wall - drawn if s.screen_wall and drawn else None
        for key, value in (("server", server), ("browser", browser), ("to screen", total)):
            if value is not None:
                lags[key].append(value)
        cells = ["-" if v is None else f"{v:.1f}" for v in (server, browser, total)]
        tab = s.tab or {}
        print(f"| {s.number} | {s.seed} | {' | '.join(cells)} | {tab.get('messages', '-')} | "
              f"{tab.get('bytes', 0) / 1e6:.1f} | {tab.get('max_late_ms', 0):.0f} |")
    panel = [row for job in jobs.values() for row in job["panel"]]
    stale = 0
    for job in jobs.values():
        seen = None
        for row in job["panel"]:
            stale += row["events"] == seen
            seen = row["events"]
    if panel:
        span = max(r["t"] for r in panel) - min(r["t"] for r in panel)
        print("\n| live panel while jobs ran | value |")
        print("|---|---|")
        print(f"| panel reruns (all sessions) / over s | {len(panel)} / {span:.0f} |")
        print(f"| panel rerun time p50 / p95 / max ms | {_stats([r['ms'] for r in panel])} |")
        print(f"| reruns that had no new progress event | {stale} of {len(panel)} |")
        print(f"| reruns that drew the panel (charts included) | {sum(r.get('drew', True) for r in panel)} of "
              f"{len(panel)} |")
    full_gc = [row for row in trace if row["kind"] == "gc"]
    if full_gc and panel:
        inside = [row["ms"] for row in full_gc if min(r["t"] for r in panel) <= row["t"] <= max(r["t"] for r in panel)]
        print(f"| full garbage collections while jobs ran: count, total s, p50 ms | {len(inside)}, "
              f"{sum(inside) / 1000:.1f}, {percentile(inside, 0.5) if inside else 0:.0f} |")
    print("\n| lag, s | p50 / p95 / max |")
    print("|---|---|")
    for key, values in lags.items():
        print(f"| {key} ({len(values)} sessions) | {_stats(values)} |")
    return lags
