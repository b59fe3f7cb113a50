"""A new user's path through the real app in Chromium: land, answer, read, share, compare, download."""

import re
from pathlib import Path

import pytest

from tests.browser_support import screenshot, wait_idle

pytestmark = pytest.mark.browser


def open_app(page, url):
    page.goto(url)
    page.get_by_role("heading", name="What should I use?").wait_for(timeout=30_000)
    wait_idle(page)


def answer(page, label, value):
    field = page.get_by_label(label)
    field.fill(str(value))
    field.press("Enter")
    wait_idle(page)


def test_new_user_journey(page, app_url, browser):
    open_app(page, app_url)
    screenshot(page, "01-advisor-landing")
    # Letters in a number field stay as typed, and the message names the field and what it accepts.
    answer(page, "How many distinct tokens are in your vocabulary?", "lots")
    page.get_by_text("Vocabulary size: “lots” is not a number").wait_for()
    assert page.get_by_label("How many distinct tokens are in your vocabulary?").input_value() == "lots"
    answer(page, "How many distinct tokens are in your vocabulary?", 300)
    page.get_by_role("button", name="Next").click()
    wait_idle(page)
    page.get_by_role("heading", name="Your sequences").wait_for()
    answer(page, "How long is a typical input, in tokens?", 6)
    answer(page, "How long is the longest input you must handle, in tokens?", 8)
    screenshot(page, "02-advisor-step-sequences")
    for heading in ("What matters most", "Your model and training plan", "Hardware and deployment", "Training so far"):
        page.get_by_role("button", name="Next").click()
        page.get_by_role("heading", name=heading).wait_for()
        wait_idle(page)
    page.get_by_role("button", name="See my recommendations").click()
    page.get_by_role("heading", name="Your recommendations").wait_for()
    wait_idle(page)
    page.get_by_text("Use: SimpleRNN").wait_for()
    assert page.get_by_text("Use: One-hot encoding").is_visible()
    page.locator("[data-testid='stExpander'] summary", has_text="sm-short").click()
    screenshot(page, "03-advisor-recommendations")

    # The report downloads with the same recommendation.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download report (Markdown)").click()
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert "## Sequence model: **SimpleRNN**" in report
    assert "## Text encoding: **One-hot encoding**" in report

    # The shared link, opened in a fresh browser context, shows the same result.
    link = page.locator("[data-testid='stCode']").last.inner_text().strip()
    assert "vocab_size=300" in link and "typical_length=6" in link
    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    other.goto(link if link.startswith("http") else app_url + "/" + link.lstrip("/"))
    other.get_by_role("heading", name="Your recommendations").wait_for(timeout=30_000)
    other.get_by_text("Use: SimpleRNN").wait_for()
    assert other.get_by_text("Use: One-hot encoding").is_visible()
    other.context.close()

    # Compare today's answers with the phone scenario.
    page.get_by_role("link", name="Compare", exact=True).click()
    page.get_by_role("heading", name="Compare scenarios").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Phone, 20 ms").click()
    wait_idle(page)
    page.get_by_text(re.compile(r"1 of \d recommendations differ")).wait_for()
    page.locator("p", has_text="GRU or small RNN (rule at-latency)").wait_for()
    screenshot(page, "04-compare")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download comparison (Markdown)").click()
    assert "| **Attention vs Transformer** |" in Path(download.value.path()).read_text(encoding="utf-8")

    page.get_by_role("link", name="Decision tables").click()
    page.get_by_role("heading", name="Decision tables").wait_for()
    wait_idle(page)
    page.get_by_role("tab", name="Sequence model").click()
    page.get_by_text("With your answers one rule matches, sm-short, recommending SimpleRNN").wait_for()
    screenshot(page, "05-decision-tables")


def test_tampered_link_gets_a_notice_not_an_error(page, app_url):
    page.goto(app_url + "/?vocab_size=lots&colour=red&typical_length=5&max_length=5")
    page.get_by_text("Some of the link could not be used").wait_for(timeout=30_000)
    assert page.get_by_text("Ignored unknown link parameter 'colour'.").is_visible()
    assert page.get_by_text("Use: SimpleRNN").is_visible()
    screenshot(page, "06-tampered-link")


def test_narrow_window_is_readable(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(app_url + "/?typical_length=5&max_length=5")
    page.get_by_text("Use: SimpleRNN").wait_for(timeout=30_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page scrolls sideways on a phone: {width}px wide"
    screenshot(page, "07-narrow-recommendations")
    context.close()
