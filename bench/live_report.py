"""The load test's report on the Lab's live panel: how long after a job ended its result was on screen.

Reads the trace the app writes when $DL_ADVISOR_LIVE_TRACE is set (ui/lab_trace.py) and the sessions'
own records (bench/load_support.py), and prints, per training session, the lag from the job's end on the
server to the result on its screen, and per job the server's part of it (until the page run that drew the
result finished); then the panel's reruns while jobs ran (how many, how long, how many had nothing new to
show, full garbage collections) and what each tab received. Sessions are matched to jobs by their
experiment's seed: the sessions of one experiment share its run, so their jobs end together.
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
    ended_by_seed: dict[int, list[float]] = {}
    for job in jobs.values():
        if job["finished_at"]:
            ended_by_seed.setdefault(job["seed"], []).append(job["finished_at"])
    lags: dict[str, list[float]] = {
        "job ended -> result on screen, per session": [],
        "job ended -> page run with the result finished on the server, per job":
            [j["drawn_at"] - j["finished_at"] for j in jobs.values() if j["drawn_at"] and j["finished_at"]]}
    print("\nLive panel: from the job's end on the server to the result on screen (the experiment's earliest "
          "job end, so an upper bound):\n")
    print("| session | seed | job ended -> on screen s | tab messages | tab MB | tab main thread max late ms |")
    print("|---|---|---|---|---|---|")
    for s in sessions:
        if not s.trains:
            continue
        ended = min(ended_by_seed.get(s.seed, []), default=None)
        total = s.screen_wall - ended if s.screen_wall and ended else None
        if total is not None:
            lags["job ended -> result on screen, per session"].append(total)
        tab = s.tab or {}
        print(f"| {s.number} | {s.seed} | {'-' if total is None else f'{total:.1f}'} | {tab.get('messages', '-')} | "
              f"{tab.get('bytes', 0) / 1e6:.1f} | {tab.get('max_late_ms', 0):.0f} |")
    panel = [row for job in jobs.values() for row in job["panel"]]
    stale = 0
    for job in jobs.values():
        seen = None
        for row in job["panel"]:
            stale += row["events"] == seen
            seen = row["events"]
    if panel:
        first, last = min(r["t"] for r in panel), max(r["t"] for r in panel)
        print("\n| live panel while jobs ran | value |")
        print("|---|---|")
        print(f"| panel reruns (all sessions) / over s | {len(panel)} / {last - first:.0f} |")
        print(f"| panel rerun time p50 / p95 / max ms | {_stats([r['ms'] for r in panel])} |")
        print(f"| reruns that had no new progress event | {stale} of {len(panel)} |")
        print(f"| reruns that built the charts anew | {sum(r.get('drew', True) for r in panel)} of {len(panel)} |")
        inside = [row["ms"] for row in trace if row["kind"] == "gc" and first <= row["t"] <= last]
        print(f"| full garbage collections while jobs ran: count, total s | {len(inside)}, {sum(inside) / 1000:.1f} |")
    print("\n| lag, s | p50 / p95 / max |")
    print("|---|---|")
    for key, values in lags.items():
        print(f"| {key} ({len(values)}) | {_stats(values)} |")
    return lags
