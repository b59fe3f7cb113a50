"""The load test's live-panel report computes its lags from the trace (made-up numbers)."""

from bench.live_report import job_timeline, live_report
from bench.load_support import Session


def trace() -> list[dict]:
    return [
        {"kind": "panel", "t": 100.0, "ms": 5.0, "job": "a", "seed": 0, "events": 3, "running": True, "drew": True},
        {"kind": "panel", "t": 101.0, "ms": 2.0, "job": "a", "seed": 0, "events": 3, "running": True, "drew": False},
        {"kind": "panel", "t": 102.0, "ms": 1.0, "job": "a", "seed": 0, "events": 5, "running": True, "drew": True},
        {"kind": "gc", "t": 101.5, "ms": 150.0},
        {"kind": "gc", "t": 300.0, "ms": 150.0},  # after the jobs: not counted
        {"kind": "panel", "t": 110.5, "ms": 0.1, "job": "a", "seed": 0, "events": 6, "running": False,
         "finished_at": 110.0, "collected": True},
        {"kind": "page", "t": 111.0, "ms": 2000.0, "job": "a", "seed": 0, "runs": 1, "running": False},
        {"kind": "page", "t": 120.0, "ms": 2000.0, "job": "a", "seed": 0, "runs": 1, "running": False},  # later
        {"kind": "panel", "t": 111.0, "ms": 0.1, "job": "b", "seed": 0, "events": 1, "running": False,
         "finished_at": 110.5, "collected": True},
    ]


def test_timeline_takes_the_first_page_run_after_the_job_ended():
    jobs = job_timeline(trace())
    assert jobs["a"]["finished_at"] == 110.0 and jobs["a"]["drawn_at"] == 113.0
    assert jobs["b"]["drawn_at"] is None and len(jobs["a"]["panel"]) == 3


def test_lags_per_session_count_from_the_experiments_earliest_end(capsys):
    on_screen = Session(1, True, seed=0, screen_wall=125.0)
    waiting = Session(2, True, seed=1, screen_wall=130.0)  # no job of its experiment ended: no lag
    lags = live_report([on_screen, waiting, Session(3, False)], trace())
    assert lags["job ended -> result on screen, per session"] == [15.0]
    assert lags["job ended -> page run with the result finished on the server, per job"] == [3.0]
    out = capsys.readouterr().out
    assert "| reruns that had no new progress event | 1 of 3 |" in out
    assert "| reruns that built the charts anew | 2 of 3 |" in out
    assert "| full garbage collections while jobs ran: count, total s | 1, 0.1 |" in out
