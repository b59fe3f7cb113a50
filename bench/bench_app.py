"""Benchmark the question-and-answer path: start-up, rerun latency, engine latency.

    python bench/bench_app.py [--runs N] [--startup-only] [--before DIR]

Prints one table of medians (and the spread) measured side by side in this run:
- start-up: from launching `streamlit run app.py` to the first frame Chromium paints with the interview's
  first question (stamped in the page, see PAINT_PROBE), alternating run by run with the same measurement
  of a one-widget Streamlit app that draws only that question's widget (the floor no app can beat), so
  both see the same machine load; the goal is within 10% of that floor, judged on the median of each
  round's own ratio (the two starts of a round ran back to back; the ratio of the medians is printed
  too). The rules' start-up cache (engine.tables_cache) is made current first, so this is an ordinary
  start, not the first one after a rule was edited (that one validates the rules again, about 0.1 s
  more). The time `import tensorflow` alone takes is shown for scale (the interview never imports it);
  `--before DIR` adds a third app to the same alternation: DIR/app.py from another checkout (say, the
  commit before a change, from `git worktree add`), so a before/after comparison sees the same load too;
- rerun: server-side time of one script run after changing one answer (AppTest; target under 150 ms);
- engine: `recommend()` for all four decisions from raw answers (target under 1 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


# The interview asks for numbers in a text field (ui/questions.py says why), so the floor draws the same widget.
BARE_APP = 'import streamlit as st\nst.text_input("How many distinct tokens are in your vocabulary?")\n'


def startup_seconds(runs: int, scripts: tuple[tuple[str, Path], ...] = (("app.py", ROOT),)) -> list[list[float]]:
    """Seconds from `streamlit run` to the first question being visible, per script, runs alternating.

    `scripts` holds (script, folder to start it in: that folder's .streamlit/config.toml applies).
    Round i starts them in turn (reversed every other round), so a burst of load on the shared machine
    falls on all of them and the ratios stay fair.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS

    times: list[list[float]] = [[] for _ in scripts]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for i in range(runs):
            order = list(enumerate(scripts))
            for index, (script, cwd) in order if i % 2 == 0 else order[::-1]:
                times[index].append(_one_startup(browser, script, cwd))
        browser.close()
    return times


# Stamps, in the page, the wall-clock time of the first frame painted after the first question's label is
# laid out (a requestAnimationFrame callback runs just before a paint, so the stamp is taken one frame
# later). Reading the time in the page matters: Playwright's own waits poll with a backoff that reaches
# 500 ms between checks (playwright-core's retryWithProgressAndBackoff: 0, 20, 50, 100, 100, 500 ms), so a
# page that paints 300 ms after the wait began was reported up to 500 ms late, and a slower page looked
# slower still by a random amount (1.09x in one run, 1.30x in the next).
PAINT_PROBE = """
(() => {
  const text = %s;
  const seen = () => [...document.querySelectorAll('label')].some(l => {
    if (!l.textContent.includes(text)) return false;
    const r = l.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(l).visibility !== 'hidden';
  });
  const frame = () => seen() ? requestAnimationFrame(() => { window.__firstQuestionPainted = Date.now(); })
                             : requestAnimationFrame(frame);
  requestAnimationFrame(frame);
})();
"""
FIRST_QUESTION = "How many distinct tokens are in your vocabulary?"


def _one_startup(browser, script: str, cwd: Path) -> float:
    from tests.browser_support import free_port, stop

    port = free_port()
    page = browser.new_page()
    page.add_init_script(PAINT_PROBE % json.dumps(FIRST_QUESTION))
    start = time.time()  # the page's Date.now() reads the same wall clock
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:  # open the page as soon as the server listens (a refused connect costs microseconds)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit run {script} exited with status {proc.returncode}") from None
                time.sleep(0.01)
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        painted = page.wait_for_function("() => window.__firstQuestionPainted", timeout=30_000).json_value()
        return painted / 1000 - start
    finally:
        page.close()
        stop(proc)


def tensorflow_import_seconds(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); import tensorflow; "
                              "print(time.perf_counter() - t)"], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


def rerun_seconds(runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    times = []
    for i in range(runs):
        widget = at.text_input(key="q_vocab_size").set_value(str(500 + i))
        start = time.perf_counter()
        widget.run()
        times.append(time.perf_counter() - start)
    return times


def engine_seconds(runs: int) -> list[float]:
    from engine import recommend

    answers = {"vocab_size": "20000", "labelled_examples": "5000", "typical_length": "40", "max_length": "120",
               "train_accuracy": "98", "val_accuracy": "80", "val_loss_rising": "yes"}
    recommend(answers)  # load and cache the rules first
    return [t / 200 for t in timeit.repeat(lambda: recommend(answers), number=200, repeat=runs)]


def quartiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return f"{q[0]:.3f}-{q[2]:.3f}"


def row(name: str, times: list[float], unit: str, target: str) -> str:
    scale = {"s": 1, "ms": 1e3}[unit]
    med = statistics.median(times) * scale
    spread = f"{min(times) * scale:.3f}-{max(times) * scale:.3f}"
    return f"| {name} | {med:.3f} {unit} | {spread} | {len(times)} | {target} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--startup-only", action="store_true", help="measure only start-up against the floor")
    parser.add_argument("--before", type=Path, help="another checkout whose app.py joins the start-up alternation")
    args = parser.parse_args()
    if args.before is not None and not (args.before / "app.py").is_file():
        parser.error(f"--before {args.before}: no app.py there; give the root of another checkout of this project")
    bare_file = Path(tempfile.mkdtemp()) / "bare_app.py"
    bare_file.write_text(BARE_APP)
    from engine import load_tables

    load_tables()  # write the rules cache if a rule changed since the last start
    load_before = os.getloadavg()
    scripts = (("app.py", ROOT), (str(bare_file), ROOT)) + ((("app.py", args.before.resolve()),) if args.before else ())
    startup, bare, *before = startup_seconds(args.runs, scripts)
    load_after = os.getloadavg()
    floor_ratio = statistics.median(startup) / statistics.median(bare)
    paired = sorted(a / b for a, b in zip(startup, bare, strict=True))  # each round's two starts ran back to back
    print("| measure | median | range | runs | target |")
    print("|---|---|---|---|---|")
    print(row("start-up to the first question painted (Chromium)", startup, "s", "within 10% of the one-widget app"))
    print(row("same, a one-widget Streamlit app (floor)", bare, "s", "for comparison"))
    if before:
        print(row(f"same, the app in {args.before}", before[0], "s", "before / after"))
    if not args.startup_only:
        tf_import = tensorflow_import_seconds(max(3, args.runs // 2))
        print(row("`import tensorflow` alone (fresh process)", tf_import, "s", "for comparison"))
        print(row("rerun after changing one answer (server)", rerun_seconds(args.runs * 4), "ms", "< 150 ms"))
        print(row("engine: recommend() for all four decisions", engine_seconds(args.runs), "ms", "< 1 ms"))
    print(f"\nload average (1 min) before / after the start-up runs: {load_before[0]:.1f} / {load_after[0]:.1f} "
          f"on {os.cpu_count()} cores")
    verdict = "met" if statistics.median(paired) <= 1.10 else "NOT met"
    print(f"start-up / one-widget app, median of the rounds' own ratios = {statistics.median(paired):.3f} "
          f"(quartiles {quartiles(paired)}; goal: 1.10 or less; {verdict})")
    print(f"start-up / one-widget app, ratio of the medians = {floor_ratio:.3f}")
    if before:
        before_paired = sorted(a / b for a, b in zip(before[0], bare, strict=True))
        print(f"the app in {args.before} / one-widget app, median of the rounds' own ratios = "
              f"{statistics.median(before_paired):.3f} (quartiles {quartiles(before_paired)}); ratio of the medians = "
              f"{statistics.median(before[0]) / statistics.median(bare):.3f}")
        after_before = sorted(a / b for a, b in zip(startup, before[0], strict=True))
        print(f"this app / the app in {args.before}, median of the rounds' own ratios = "
              f"{statistics.median(after_before):.3f} (quartiles {quartiles(after_before)})")
    if not args.startup_only:
        print(f"start-up / TensorFlow import = {statistics.median(startup) / statistics.median(tf_import):.2f}")


if __name__ == "__main__":
    main()
