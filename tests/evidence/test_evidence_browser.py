"""The evidence expander in Chromium for the gap and length sweeps: tall enough at 1280 px, no sideways scroll at
390 px, thresholds and the user's position visible (screenshots of the opened expander)."""

from __future__ import annotations

import pytest

from tests.browser.test_lab import PLOT_HEIGHTS, SIDEWAYS
from tests.browser_support import SCREENSHOTS, wait_idle

pytestmark = pytest.mark.browser

CASES = {
    "overfitting": "train_accuracy=98&val_accuracy=80&labelled_examples=300",
    "attention_vs_transformer": "max_length=2000&gpu_memory_gb=4",
}


def open_evidence(page, app_url: str, decision: str):
    page.goto(f"{app_url}/lab?lab_decision={decision}&{CASES[decision]}")
    page.get_by_role("heading", name="Lab: see the trade-off").wait_for(timeout=30_000)
    wait_idle(page)
    expander = page.locator("[data-testid='stExpander']", has_text="Stored evidence").first
    expander.locator("summary").first.click()
    wait_idle(page)
    # Vega paints each chart asynchronously: wait until every chart in the opened expander has its plot frame.
    page.wait_for_function("""() => { const charts = Array.from(document.querySelectorAll(
        'details[open] [data-testid="stVegaLiteChart"]'));
      return charts.length > 0 && charts.every(c => c.querySelector('svg path.background, canvas')); }""",
                           timeout=30_000)
    page.wait_for_timeout(500)
    return expander


def shoot(page, expander, name: str) -> None:
    """The opened expander whole: Streamlit scrolls inside its main container, so grow the viewport first."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 5000})
    page.wait_for_timeout(800)
    expander.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size(size)


@pytest.mark.parametrize("decision", sorted(CASES))
def test_the_evidence_reads_at_desktop_and_phone_widths(page, app_url, decision):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    expander = open_evidence(page, app_url, decision)
    heights = [h for h in page.evaluate(PLOT_HEIGHTS) if h]
    assert len(heights) >= (3 if decision == "attention_vs_transformer" else 2), heights
    assert min(heights) >= 250, heights
    shoot(page, expander, f"40-evidence-{decision}")
    text = expander.inner_text()
    assert "rule:" in text or "The rule" in text

    page.set_viewport_size({"width": 390, "height": 844})
    expander = open_evidence(page, app_url, decision)
    assert page.evaluate(SIDEWAYS) <= 0, "the page scrolls sideways at 390 px"
    heights = [h for h in page.evaluate(PLOT_HEIGHTS) if h]
    assert heights and min(heights) >= 180, heights
    shoot(page, expander, f"41-evidence-{decision}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
