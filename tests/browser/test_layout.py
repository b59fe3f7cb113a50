"""Layout classes that a newcomer tripped over, checked in Chromium at 1280 px and 390 px (a phone).

Each test keeps one class of problem fixed on every page, not one instance: nothing scrolls the page
sideways or is cut off at the screen's edge, charts are tall enough to read, the Advisor's results
speak in the questions' words (no internal ids outside code blocks), exported Markdown lists are lists,
and Compare's scenarios survive a reload. Screenshots of every page at both widths go to
test-output/screenshots/layout-*.png.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tests.browser_support import ROOT, screenshot, wait_idle

pytestmark = pytest.mark.browser

# Smallest height of a chart's drawing area (the Vega canvas or svg) per window width.
MIN_CHART_HEIGHT = {1280: 250, 390: 180}
# Answers that make every part of a result appear: assumptions, several overfitting remedies, alternatives.
ANSWERS = ("vocab_size=300&typical_length=6&max_length=8&train_accuracy=98&val_accuracy=80"
           "&val_loss_rising=yes&large_weights=yes")
SCENARIOS = "s1=Today&s2=Phone~latency_budget_ms-20~gpu_memory_gb"
PAGES = {  # name: (address, its title, tab to open or None)
    "interview": ("/", "What should I use?", None),
    "advisor": (f"/?{ANSWERS}", "What should I use?", None),
    "compare": (f"/compare?{ANSWERS}&{SCENARIOS}", "Compare scenarios", None),
    "tables": (f"/tables?{ANSWERS}", "Decision tables", None),
    "review": ("/review", "Review", "Progress"),
    "lab": ("/lab", "Lab: see the trade-off", None),
}

# Visible elements in the main area that reach past the window's right edge without a scrolling box of their
# own to reach them in: cut off for the reader (Streamlit's main area hides sideways overflow).
CUT_OFF = """() => {
  const edge = document.documentElement.clientWidth + 1, found = [];
  const page = new Set(['stMain', 'stAppViewContainer', 'stMainBlockContainer', 'stApp']);
  const inScroller = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && !page.has(a.getAttribute('data-testid'))) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= edge || !el.checkVisibility() || inScroller(el)) continue;
    const text = (el.innerText || '').slice(0, 40).replace(/\\s+/g, ' ');
    found.push(`${el.tagName} "${text}" ends at ${Math.round(r.right)}px`);
  }
  return found.slice(0, 5);
}"""


def open_page(page, url: str, title: str, tab: str | None = None) -> None:
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=30_000)
    wait_idle(page)
    if tab:
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
    for summary in page.locator("[data-testid='stExpander'] summary").all():
        if summary.is_visible():
            summary.click()  # what is folded away must fit too
    wait_idle(page)  # the expanders finish opening: until then the page moves under a press (a download below)
    page.wait_for_timeout(600)  # charts and tables paint after the run ends


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_scrolls_sideways_and_charts_are_tall_enough(browser, app_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 844})
    page = context.new_page()
    problems, charts = [], 0
    for name, (path, title, tab) in PAGES.items():
        open_page(page, app_url + path, title, tab)
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if sizes[0] > sizes[1]:
            problems.append(f"{name}: the page scrolls sideways ({sizes[0]} px of content in {sizes[1]} px)")
        problems += [f"{name}: cut off at the right edge: {c}" for c in page.evaluate(CUT_OFF)]
        for chart in page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").all():
            box = chart.bounding_box()
            low = MIN_CHART_HEIGHT[width]
            if box and chart.is_visible():
                charts += 1
                if box["height"] < low:
                    problems.append(f"{name}: a chart is {box['height']:.0f} px tall, below {low} px")
        screenshot(page, f"layout-{name}-{width}")
    context.close()
    assert charts >= 2, "the Review page's progress charts were not found"
    assert not problems, "\n".join(problems)


def question_and_option_ids() -> set[str]:
    """Ids a person should never have to read. Single words ('simplicity') are also plain English, so only
    ids with an underscore are looked for: those are unmistakably ids."""
    questions = tomllib.loads((ROOT / "rules" / "questions.toml").read_text(encoding="utf-8"))["questions"]
    ids = {q["id"] for q in questions} | {o["value"] for q in questions for o in q.get("options", [])}
    return {i for i in ids if "_" in i}


def test_advisor_results_use_words_not_ids(page, app_url):
    open_page(page, f"{app_url}/?{ANSWERS}", "What should I use?")
    page.get_by_role("heading", name="Your recommendations").wait_for()
    # Everything the results say, folded parts included, except code blocks (the share link is one).
    text = page.evaluate("""() => {
      const main = document.querySelector('[data-testid=stMain]').cloneNode(true);
      main.querySelectorAll('[data-testid=stCode], pre').forEach(e => e.remove());
      return main.textContent; }""")
    found = sorted(i for i in question_and_option_ids() if re.search(rf"\b{re.escape(i)}\b", text))
    screenshot(page, "layout-advisor-results-words")
    assert not found, f"internal ids shown to the reader: {found}"


def test_markdown_report_lists_start_at_one(page, app_url):
    open_page(page, f"{app_url}/?{ANSWERS}", "What should I use?")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download report (Markdown)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    item = re.compile(r"^(\d+)\. ")
    starts = [(n, lines[n - 1] if n else "", int(m.group(1))) for n, line in enumerate(lines)
              if (m := item.match(line)) and not (n and item.match(lines[n - 1]))]
    assert starts, "the report has no numbered list (the answers were chosen to produce one)"
    for n, before, number in starts:
        # A list that starts at 2, or right under a paragraph, is not a list to Markdown renderers.
        assert number == 1 and before.strip() == "", f"line {n + 1}: list starts at {number} after {before!r}"


def test_compare_scenarios_survive_a_reload(page, app_url):
    open_page(page, f"{app_url}/compare?vocab_size=300", "Compare scenarios")
    page.get_by_role("button", name="Phone, 20 ms").click()
    wait_idle(page)
    names = page.get_by_label("Name")
    names.nth(1).fill("On a *phone*")
    names.nth(1).press("Enter")
    wait_idle(page)
    page.get_by_text(re.compile(r"1 of \d recommendations differ")).wait_for()
    page.wait_for_function("() => location.search.includes('s2=')")
    page.reload()
    page.get_by_role("heading", name="Compare scenarios").wait_for(timeout=30_000)
    wait_idle(page)
    names = page.get_by_label("Name")
    names.nth(1).wait_for()
    assert [names.nth(i).input_value() for i in range(names.count())] == ["My data today", "On a *phone*"]
    page.get_by_text(re.compile(r"1 of \d recommendations differ")).wait_for()
    assert page.get_by_text("On a *phone*: GRU or small RNN").is_visible()  # the name is shown as typed
    screenshot(page, "layout-compare-after-reload")
