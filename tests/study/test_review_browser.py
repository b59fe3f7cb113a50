"""A review session in a real Chromium against `streamlit run pages/review.py`.

Reveals a card, rates it, answers a quiz question and saves screenshots under
test-output/screenshots/ (review.png is the one to look at after a change to the page).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.study.conftest import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def settle(page) -> None:
    """Wait until Streamlit has finished rerunning (its status widget disappears)."""
    page.wait_for_timeout(200)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    settle(page)
    page.wait_for_timeout(600)  # let charts paint
    # Streamlit scrolls inside its main block, so grow the viewport to the content to capture all of it.
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 6000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


@pytest.fixture
def page(chromium, review_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.goto(review_server)
        pg.get_by_role("heading", name="Review").first.wait_for(timeout=60_000)
        settle(pg)
        yield pg
        context.close()
        browser.close()


def test_review_session_in_a_browser(page):
    card = page.get_by_text("What is **TensorBoard**?").or_(page.get_by_text("What is TensorBoard?"))
    card.first.wait_for()
    page.get_by_role("button", name="Show answer").click()
    settle(page)
    page.get_by_text("Used for:").first.wait_for()
    good = page.get_by_role("button", name=re.compile(r"^Good · "))
    good.wait_for()
    shoot(page, "review-revealed")
    good.click()
    settle(page)
    page.get_by_text(re.compile(r"Rated good: that card comes back in \d+ min")).wait_for()
    page.get_by_text("What is Autoencoder?").first.wait_for()
    shoot(page, "review")
    page.get_by_role("tab", name="Progress").click()
    settle(page)
    page.get_by_text("Mastery by topic").wait_for()
    shoot(page, "review-progress")


def test_quiz_in_a_browser(page):
    page.get_by_role("tab", name="Quiz").click()
    settle(page)
    page.get_by_text("Which definition fits").first.wait_for()
    page.locator('[data-testid="stRadio"]').nth(1).locator("label").first.click()
    settle(page)
    page.get_by_role("button", name="Check answer").click()
    settle(page)
    page.get_by_text(re.compile(r"^(Correct!|Not quite\.)")).first.wait_for()
    shoot(page, "review-quiz")
    page.get_by_role("tab", name="Errata").click()
    settle(page)
    page.get_by_text("corrections to the source cheatsheet").wait_for()
    page.get_by_text(re.compile(r"Essential Commands > Backpropagation")).first.click()
    settle(page)
    page.get_by_text("tape.gradient(loss, model.trainable_variables)").first.wait_for()
    shoot(page, "review-errata")
