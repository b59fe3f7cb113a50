"""Every benchmark in one command, one Markdown table: measure, median, target, source.

    python bench/run_all.py [--full]

Runs, one after the other so they do not slow each other down:
- `bench/bench_app.py --runs 3`: start-up to a visible interview, rerun latency, engine latency;
- `bench/bench_training.py --quick --only walls / overhead / memory` (three runs, so a slow part cannot
  take the others down with it): one comparison's wall time per decision, the harness's overhead
  against a bare `model.fit`, memory growth over 20 consecutive comparisons;
- `python -m engine scaling --json`, three times: time and memory per sequence length, LSTM vs attention.

Every figure and every target in the table is parsed from those runs' output (the targets are the ones
each benchmark prints); nothing is typed in here. `--full` uses the benchmarks' default repetitions
(slower, tighter medians). Everything shares one time budget (`--budget`, 600 s): a part that would
overrun it is stopped and reported. Exits 1 if a benchmark failed, overran, or printed something this
script cannot read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCALING_RUNS = 3


@dataclass(frozen=True)
class Row:
    measure: str
    median: str
    target: str
    source: str


class Unreadable(Exception):
    """A benchmark's output did not have the shape this script parses."""


def run(cmd: list[str], timeout: float) -> str:
    """Run one benchmark from the repository root; its progress goes to our stderr, its stdout is returned."""
    started = time.monotonic()
    print(f"running: {' '.join(cmd)}", file=sys.stderr, flush=True)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    print(f"  finished in {time.monotonic() - started:.0f} s (status {done.returncode})", file=sys.stderr)
    if done.returncode != 0:
        raise Unreadable(f"{' '.join(cmd)} exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    return done.stdout


# ---------------------------------------------------------------- bench_app.py: a Markdown table

def parse_bench_app(out: str, source: str) -> list[Row]:
    rows = []
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("measure", "") or set(cells[0]) <= {"-"}:
            continue
        measure, median, spread, runs, target = cells
        rows.append(Row(measure, f"{median} (range {spread}, {runs} runs)", target, source))
    floor = re.search(r"one-widget app, median of the rounds' own ratios = ([\d.]+) \(quartiles ([\d.-]+)", out)
    if floor:
        rows.append(Row("start-up / one-widget app (median of paired rounds)",
                        f"{floor.group(1)} (quartiles {floor.group(2)})", "1.10 or less", source))
    ratio = re.search(r"start-up / TensorFlow import = ([\d.]+)", out)
    if ratio:
        rows.append(Row("start-up / `import tensorflow` time", ratio.group(1), "start-up below the TF import",
                        source))
    if not rows:
        raise Unreadable(f"{source}: no table rows in its output")
    return rows


# ---------------------------------------------------------------- bench_training.py: aligned text tables

def text_tables(out: str) -> dict[str, list[dict[str, str]]]:
    """Tables printed as: a title line, a header line, rows; left-aligned columns two or more spaces apart.

    Cells are cut at the header's column starts, so an empty cell stays in its column.
    """
    tables: dict[str, list[dict[str, str]]] = {}
    blocks = [b for b in re.split(r"\n\s*\n", out) if b.strip()]
    for block in blocks:
        lines = block.splitlines()
        if len(lines) < 3:
            continue
        head = lines[1].rstrip()
        starts = [0] + [m.end() for m in re.finditer(r"\s{2,}", head)]
        names = [head[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        tables[lines[0].strip()] = [
            {name: line[a:b].strip() for name, a, b in zip(names, starts, [*starts[1:], None], strict=True)}
            for line in lines[2:]]
    return tables


def find_table(tables: dict[str, list[dict[str, str]]], starts: str, source: str) -> tuple[str, list[dict]]:
    for title, rows in tables.items():
        if title.startswith(starts):
            return title, rows
    raise Unreadable(f"{source}: no table titled '{starts}...' in its output")


def target_from_header(header: str) -> str:
    """A header such as '<20 s' or '<5%' states the target: '< 20 s', '< 5%'."""
    return re.sub(r"^<\s*", "< ", header.strip())


def runs_of(title: str) -> str:
    found = re.search(r"\((\d+) run\(s\) each|median of (\d+)", title)
    return next((g for g in found.groups() if g), "?") if found else "?"


def goal_column(rows: list[dict[str, str]]) -> str | None:
    """The column whose header is the target (e.g. '<20 s'); its cells say yes or NO."""
    return next((k for k in rows[0] if k.startswith("<")), None) if rows else None


def cells(row: dict[str, str], skip: set[str], units: dict[str, str] | None = None) -> str:
    """The row's other columns as 'header value' pairs, in the benchmark's own order and words."""
    units = units or {}
    return "; ".join(f"{k} {v}{units.get(k, '')}" for k, v in row.items() if k not in skip and v)


def parse_walls(out: str, source: str) -> list[Row]:
    """Tables are read by column header, not position: bench_training.py gains columns as it evolves."""
    title, walls = find_table(text_tables(out), "Comparison wall time", source)
    goal = goal_column(walls)
    rows = []
    for row in walls:
        extra = f", {row['CPU s']} CPU s" if row.get("CPU s") else ""
        rows.append(Row(f"one comparison at default settings, wall time: {row['decision']}",
                        f"{row['median s']} s{extra} ({runs_of(title)} run(s), range {row['min s']}-{row['max s']} s)",
                        f"{target_from_header(goal)} wall ({row[goal]})" if goal else "-", source))
    return rows + tensorflow_import(out, source)


def parse_overhead(out: str, source: str) -> list[Row]:
    title, overhead = find_table(text_tables(out), "Harness overhead", source)
    goal = goal_column(overhead)
    first = next(iter(overhead[0])) if overhead else "model"
    rows = []
    for row in overhead:
        shown = cells(row, {first, goal or "", "NumPy-input fit s", "whole candidate s"})
        rows.append(Row(f"harness vs bare `model.fit` (median of {runs_of(title)}): {row[first]}", shown,
                        f"{target_from_header(goal)} ({row[goal]})" if goal else "-", source))
    return rows


def parse_memory(out: str, source: str) -> list[Row]:
    title, memory = find_table(text_tables(out), "Resident memory", source)
    goal = goal_column(memory)
    first = next(iter(memory[0])) if memory else "process"
    rows = []
    if first == "when":  # the older layout: one row per moment, then 'growth ...' and 'under N MB' rows
        values = {r["when"]: r.get("RSS MB", "") for r in memory}
        growth = next((k for k in values if k.startswith("growth")), None)
        under = next((k for k in values if k.startswith("under ")), None)
        if growth is None:
            raise Unreadable(f"{source}: the memory table has no growth row")
        rows.append(Row(f"resident memory {growth}", f"{values[growth]} MB",
                        "< " + under.removeprefix("under ") if under else "-", source))
        return rows
    for row in memory:
        rows.append(Row(f"resident memory (MB): {row[first]}", cells(row, {first, goal or ""}),
                        f"{target_from_header(goal)} growth ({row[goal]})" if goal and row.get(goal) else "-",
                        source))
    return rows


def tensorflow_import(out: str, source: str) -> list[Row]:
    found = re.search(r"TensorFlow import: ([\d.]+) s", out)
    return [Row("`import tensorflow` in the benchmark process", f"{found.group(1)} s (1 run)", "-", source)] \
        if found else []


# ---------------------------------------------------------------- engine scaling --json

def parse_scaling(outputs: list[str], source: str) -> list[Row]:
    """Medians over several runs of the experiment's JSON."""
    results = [json.loads(out) for out in outputs]
    by_key: dict[tuple[str, int], list[dict]] = {}
    for result in results:
        for row in result["rows"]:
            by_key.setdefault((row["layer"], row["seq_len"]), []).append(row)
    rows = []
    for (layer, length), found in sorted(by_key.items()):
        ms = statistics.median(r["ms_per_batch"] for r in found)
        peaks = [r["peak_mb"] for r in found if r["peak_mb"] is not None]
        memory = f"{statistics.median(peaks):.1f} MB peak growth" if peaks else "peak not measurable here"
        rows.append(Row(f"scaling, {layer}, {length} tokens: time per batch, memory",
                        f"{ms:.1f} ms, {memory} ({len(found)} runs)", "-", source))
    # The claim under test names the growth of each: attention first, then the RNN.
    claim = results[0]["claim"]
    orders = re.findall(r"O\(n[^)]*\)", claim)
    expected = {"MultiHeadAttention": orders[0], "LSTM": orders[1]} if len(orders) >= 2 else {}
    for name in dict.fromkeys(k for r in results for k in r["exponents"]):  # a run may lack one (no reading)
        values = [r["exponents"][name] for r in results if name in r["exponents"]]
        layer = name.split()[0]
        target = f"claim: {expected[layer]}" if layer in expected else "-"
        rows.append(Row(f"scaling, fitted exponent of {name} vs length (1 linear, 2 quadratic)",
                        f"{statistics.median(values):.2f} ({len(values)} runs)", target, source))
    return rows


# ---------------------------------------------------------------- the machine, and the table

def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({cpu}), {ram / 1024 ** 2:.1f} GB RAM, load average at start {load}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the benchmarks' default repetitions (slower)")
    parser.add_argument("--budget", type=float, default=600, help="seconds for everything (default 600)")
    args = parser.parse_args()
    header = f"Benchmarks on {machine()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; Python {sys.version.split()[0]}"
    started = time.monotonic()
    deadline = started + args.budget
    py = sys.executable
    app_cmd = [py, "bench/bench_app.py"] + ([] if args.full else ["--runs", "3"])
    training = [py, "bench/bench_training.py"] + ([] if args.full else ["--quick"])
    scaling_cmd = [py, "-m", "engine", "scaling", "--json"]

    def label(cmd: list[str]) -> str:
        return " ".join(["python", *cmd[1:]])

    # (command, parser, repeats, share of the time budget it may use at most); the memory loop is the
    # longest and goes last, with whatever time is left.
    jobs = [
        (app_cmd, parse_bench_app, 1, 0.2),
        ([*training, "--only", "walls"], parse_walls, 1, 0.25),
        ([*training, "--only", "overhead"], parse_overhead, 1, 0.25),
        (scaling_cmd, parse_scaling, SCALING_RUNS, 0.1),
        ([*training, "--only", "memory"], parse_memory, 1, 1.0),
    ]
    rows: list[Row] = []
    failures: list[str] = []
    for cmd, parse, repeats, share in jobs:
        source = label(cmd) + (f" (x{repeats})" if repeats > 1 else "")
        try:
            outputs = []
            for _ in range(repeats):
                left = deadline - time.monotonic()
                if left < 5:
                    raise Unreadable(f"skipped: the {args.budget:.0f} s budget was used up")
                outputs.append(run(cmd, min(left, args.budget * share / repeats + 60)))
            rows += parse(outputs if repeats > 1 else outputs[0], source)
        except (Unreadable, subprocess.TimeoutExpired, KeyError, IndexError, ValueError) as exc:
            failures.append(f"{source}: {type(exc).__name__}: {exc}")
    print(f"\n{header}; all benchmarks took {time.monotonic() - started:.0f} s.\n")
    print("| measure | median | target | source |")
    print("|---|---|---|---|")
    for row in rows:
        print(f"| {row.measure} | {row.median} | {row.target} | `{row.source}` |")
    for failure in failures:
        print(f"\nFAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
