"""The bank's progress bar: the share done, the elapsed time and an estimate of what is left."""

import io

from engine.evidence.progress import Progress, clock


def test_the_estimate_weighs_the_units_left_by_their_cost():
    progress = Progress(weights=[1, 1, 2, 4], out=io.StringIO(), started=0.0)
    assert progress.eta(now=10.0) is None  # nothing done: no rate to go on
    progress.finished = {0, 1}  # two units of weight 1 took 10 s
    assert progress.eta(now=10.0) == 30.0  # 6 more units of weight at 5 s each
    line = progress.line("sequence_model 50 tokens, lstm", now=10.0)
    assert "25%" in line and "2/4" in line and "0:10 elapsed" in line and "~0:30 left (estimate)" in line


def test_units_finishing_out_of_order_count_their_own_weight():
    """A build training two at a time finishes the costly unit 3 while the cheap ones wait."""
    progress = Progress(weights=[1, 1, 2, 4], out=io.StringIO(), started=0.0)
    progress.advance("attention at 128 tokens, transformer", unit=3)
    assert progress.done == 1 and progress.eta(now=20.0) == 20.0  # 4 of 8 done in 20 s: 4 more at 5 s each
    assert "50%" in progress.line("x", now=20.0) and "1/4" in progress.line("x", now=20.0)
    progress.advance("next in order")  # no unit named: the first not yet done
    assert progress.finished == {0, 3}


def test_without_a_terminal_it_prints_a_line_every_few_percent_and_at_the_end():
    out = io.StringIO()
    progress = Progress(weights=[1] * 100, out=out)
    for i in range(100):
        progress.advance(f"unit {i}")
    lines = out.getvalue().splitlines()
    assert 15 <= len(lines) <= 25 and lines[-1].startswith("[" + "#" * 30 + "] 100%")


def test_clock_reads_minutes_and_hours():
    assert clock(65) == "1:05" and clock(3725) == "1:02:05" and clock(-3) == "0:00"
