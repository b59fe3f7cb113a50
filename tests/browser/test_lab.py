"""The Lab in Chromium: train a small comparison to the end, download a model, reject a bad CSV."""

import contextlib
import re
from pathlib import Path

import pytest

from tests.browser_support import SCREENSHOTS, screenshot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.training]


# The height of each visible Vega chart's plot area (the frame the marks are drawn in, without axes and
# legends); charts inside a closed expander are not seen, so they are not measured.
PLOT_HEIGHTS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
  .filter(chart => !(chart.closest('details') && !chart.closest('details').open)).map(chart => {
    const frame = chart.querySelector('svg .role-frame path.background, svg .mark-group.role-scope path.background');
    const canvas = chart.querySelector('canvas');
    return frame ? frame.getBoundingClientRect().height : (canvas ? canvas.getBoundingClientRect().height : 0);
})"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def plot_heights(page, charts: int = 2) -> list[float]:
    """Every visible chart's plot height, once at least `charts` charts have drawn their frames.

    Vega draws a chart after its element arrives, and a loaded machine draws the learning curves seconds after
    the heading above them (a reload at phone width once measured no chart at all): wait for the drawing, then
    measure. A chart that never draws leaves the wait to time out and the caller's assertion to show what is.
    """
    drawn = f"() => {{ const h = ({PLOT_HEIGHTS})(); return h.length >= {charts} && h.every(x => x > 0); }}"
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(drawn, timeout=60_000)
    return page.evaluate(PLOT_HEIGHTS)


def test_train_a_small_comparison_and_upload_a_bad_csv(page, app_url, tmp_path):
    # The settings come from the link, as a shared experiment would.
    page.goto(app_url + "/lab?lab_decision=sequence_model&lab_dataset=adding&lab_epochs=2&lab_seq_len=12"
              "&lab_seeds=2&lab_examples=300")
    page.get_by_role("heading", name="Lab: see the trade-off").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("button", name="Train and compare").click()
    page.get_by_text("Running:", exact=False).first.wait_for(timeout=30_000)
    # The live panel draws both curves from the first epoch on, while the run goes on.
    live = page.locator("[data-testid='stVerticalBlock']", has_text="Running:").last  # the innermost: the panel
    live.locator("[data-testid='stVegaLiteChart']").nth(1).wait_for(timeout=120_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    live.screenshot(path=str(SCREENSHOTS / "09-lab-live.png"))  # at once: waiting for idle would miss the run
    page.get_by_role("heading", name="Results").wait_for(timeout=180_000)
    wait_idle(page)
    page.get_by_text("Verdict of this run.", exact=False).wait_for()
    screenshot(page, "10-lab-results")
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 2  # learning curves: accuracy and loss
    assert page.locator("[data-testid='stDataFrame']").count() >= 1  # per-candidate table
    heights = plot_heights(page)
    assert heights and min(heights) >= 250, heights
    page.wait_for_url(re.compile(r"[?&]lab_run="))  # the run is in the link ...

    # ... so on a phone, the same link brings the results back, readable and without sideways scrolling.
    link = page.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    page.get_by_role("heading", name="Results").wait_for(timeout=60_000)
    wait_idle(page)
    heights = plot_heights(page)
    assert heights and min(heights) >= 180, heights
    assert page.evaluate(SIDEWAYS) <= 0, "the page scrolls sideways at 390 px"
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    # the wide table scrolls inside itself: its grid is wider than its box, and the box fits the screen
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    inner = page.evaluate("""() => { const s = document.querySelector('[data-testid="stDataFrame"] .dvn-scroller');
                                     return s ? [s.scrollWidth, s.clientWidth] : null; }""")
    assert inner is None or inner[0] > inner[1], inner
    screenshot(page, "13-lab-results-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The models download from the row under the table; wait_idle also waits for the sidebar, which slides
    # back in at this width, to stop moving the page.
    button = page.get_by_role("button", name="Download GRU (.keras)")
    button.wait_for()
    wait_idle(page)
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / "gru.keras"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"  # a .keras file is a zip archive

    bad = tmp_path / "broken.csv"
    bad.write_bytes(b"\x00\x01\x02 not a csv")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad))
    page.get_by_text("broken.csv", exact=False).first.wait_for()
    page.get_by_text("binary file", exact=False).wait_for(timeout=30_000)
    assert page.get_by_role("heading", name="Results").is_visible()  # earlier results stay
    screenshot(page, "11-lab-bad-csv")


def test_good_csv_fills_the_advisor(page, app_url, tmp_path):
    rows = ["text,label"] + [f"sample review number {i} with some words,{'pos' if i % 2 else 'neg'}"
                             for i in range(60)]
    good = Path(tmp_path / "[reviews](javascript:alert(1)).csv")  # a name that is also Markdown
    good.write_text("\n".join(rows), encoding="utf-8")
    page.goto(app_url + "/lab")
    page.get_by_role("heading", name="Lab: see the trade-off").wait_for(timeout=30_000)
    wait_idle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(good))
    page.get_by_text("Class balance", exact=False).first.wait_for(timeout=30_000)
    screenshot(page, "12-lab-csv-profile")
    # The file name is shown as text, never turned into a link.
    page.get_by_text("Your CSV: [reviews](javascript:alert(1)).csv").wait_for()
    assert page.locator("[data-testid='stRadio'] a").count() == 0
    page.get_by_role("button", name="Use these numbers in the Advisor").click()
    page.get_by_role("heading", name="Your recommendations").wait_for(timeout=30_000)
    # The heading is drawn mid-run; the address bar follows when the run ends (app.py mirrors the answers
    # into the link last), so wait for the link rather than read it at once.
    page.wait_for_url(re.compile(r"[?&]labelled_examples=60(&|$)"), timeout=30_000)
