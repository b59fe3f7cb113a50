"""A review session in a real Chromium, on the Review page of `streamlit run app.py`.

Reveals a card, rates it, answers a quiz question and saves screenshots under
test-output/screenshots/ (review.png is the one to look at after a change to the page).
"""

from __future__ import annotations

import re

import pytest

from tests.browser_support import screenshot, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture
def review(page, app_url):
    """The Review page as a learner reaches it: inside the app, at /review."""
    page.goto(app_url + "/review")
    page.get_by_role("heading", name="Review").first.wait_for(timeout=60_000)
    wait_idle(page)
    return page


def test_review_session_in_a_browser(review):
    page = review
    card = page.get_by_text("What is TensorBoard?")
    card.first.wait_for()
    page.get_by_role("button", name="Show answer").click()
    wait_idle(page)
    page.get_by_text("Used for:").first.wait_for()
    good = page.get_by_role("button", name=re.compile(r"^Good · "))
    good.wait_for()
    screenshot(page, "review-revealed")
    good.click()
    wait_idle(page)
    page.get_by_text(re.compile(r"Rated good: that card comes back in \d+ min")).wait_for()
    page.get_by_text("What is an autoencoder?").first.wait_for()
    screenshot(page, "review")
    page.get_by_role("tab", name="Progress").click()
    wait_idle(page)
    page.get_by_text("Mastery by topic").wait_for()
    screenshot(page, "review-progress")


def test_quiz_in_a_browser(review):
    page = review
    page.get_by_role("tab", name="Quiz").click()
    wait_idle(page)
    page.get_by_text("Which definition fits").first.wait_for()
    page.locator('[data-testid="stRadio"]').nth(1).locator("label").first.click()
    wait_idle(page)
    page.get_by_role("button", name="Check answer").click()
    wait_idle(page)
    page.get_by_text(re.compile(r"^(Correct!|Not quite\.)")).first.wait_for()
    screenshot(page, "review-quiz")
    page.get_by_role("tab", name="Errata").click()
    wait_idle(page)
    page.get_by_text("corrections to the source cheatsheet").wait_for()
    page.get_by_text(re.compile(r"^Code that fails or is outdated on Keras 3 \(\d+\)$")).wait_for()
    erratum = page.locator('[data-testid="stExpander"]').filter(has_text="tape.gradients(loss").first
    erratum.locator("summary").click()
    wait_idle(page)
    erratum.get_by_text("tape.gradient(loss, model.trainable_variables)").first.wait_for()
    screenshot(page, "review-errata")
    erratum.get_by_role("button", name=re.compile(r"^Open the corrected, runnable code")).click()
    wait_idle(page)
    page.get_by_role("button", name="Run").wait_for()  # the Snippets tab, on that snippet
    page.get_by_text("optimizer.apply_gradients").first.wait_for()
    screenshot(page, "review-errata-snippet")
