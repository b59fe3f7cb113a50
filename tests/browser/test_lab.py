"""The Lab in Chromium: train a small comparison to the end, download a model, reject a bad CSV."""

from pathlib import Path

import pytest

from tests.browser_support import screenshot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.training]


def test_train_a_small_comparison_and_upload_a_bad_csv(page, app_url, tmp_path):
    # The settings come from the link, as a shared experiment would.
    page.goto(app_url + "/lab?lab_decision=sequence_model&lab_dataset=adding&lab_epochs=2&lab_seq_len=12")
    page.get_by_role("heading", name="Lab: see the trade-off").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("button", name="Train and compare").click()
    page.get_by_text("Running:", exact=False).first.wait_for(timeout=30_000)
    page.get_by_role("heading", name="Results").wait_for(timeout=180_000)
    wait_idle(page)
    page.get_by_text("Verdict of this run.", exact=False).wait_for()
    screenshot(page, "10-lab-results")
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1  # learning curves
    assert page.locator("[data-testid='stDataFrame']").count() >= 1  # per-candidate table

    page.locator("[data-testid='stExpander'] summary", has_text="Code for each candidate").click()
    page.get_by_role("tab", name="GRU").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download GRU (.keras)").click()
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
    assert "labelled_examples=60" in page.url
