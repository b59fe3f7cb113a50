"""The scaling and CSV-profile charts drawn by Streamlit in Chromium, at 1280 and 390 px: tall, inside the page.

A chart whose `height` Streamlit treats as the whole box (title, axes and legend included) squeezes its plot
to a sliver; these sizes would catch that, and a chart wider than a phone would make the page scroll sideways.
"""

import json
import textwrap

import pytest

from engine.lab.scaling.experiment import ScalingRow, computed_mb, summarise
from tests.browser_support import ROOT, SCREENSHOTS, start_streamlit, stop

pytestmark = pytest.mark.browser

LENGTHS = (128, 256, 512, 1024, 2048, 4096)


@pytest.fixture(scope="module")
def charts_url(chromium_path, tmp_path_factory):
    times = {"LSTM": [[0.02 * n for n in LENGTHS]] * 3, "MultiHeadAttention": [[1e-5 * n * n for n in LENGTHS]] * 3}
    rows = []
    for name, runs in times.items():
        for i, n in enumerate(LENGTHS):
            total, scores = computed_mb(name, n, 2, 32, 2)
            rows.append(ScalingRow(name, n, runs[0][i], total * 1.02, scores, runs[0][i] * 0.9, runs[0][i] * 1.2,
                                   total))
    folder = tmp_path_factory.mktemp("charts")
    (folder / "result.json").write_text(json.dumps(summarise(rows, times, LENGTHS, 2, 32, 2, 3, 1.0).to_dict()))
    page = folder / "charts_page.py"
    page.write_text(textwrap.dedent(f"""\
        import json
        import streamlit as st
        from engine.lab.scaling.experiment import ScalingResult
        from ui import profile_charts, scaling_charts

        result = ScalingResult.from_dict(json.loads(open({str(folder / "result.json")!r}).read()))
        for chart in scaling_charts.charts(result):
            st.altair_chart(chart, width="stretch")
        st.dataframe(result.to_frame(), hide_index=True, width="stretch")
        left, right = st.columns(2)
        left.altair_chart(profile_charts.length_histogram([3, 5, 7, 7, 8, 11, 12, 16]), width="stretch")
        right.altair_chart(profile_charts.class_balance({{"sports": 40, "politics": 35, "science fiction": 30,
                                                          "weather": 22, "business news": 18, "arts": 9}}),
                           width="stretch")
        """))
    proc, url = start_streamlit(str(page), env={"PYTHONPATH": str(ROOT)})
    yield url
    stop(proc)


@pytest.mark.parametrize("width", [1280, 390])
def test_charts_are_tall_and_fit_the_page(browser, charts_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(charts_url)
        # Four charts, or the page's own error (a broken import once cost two minutes of timeouts to find).
        page.wait_for_function("document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length >= 4 || "
                               "document.querySelector('[data-testid=stException]') !== null", timeout=60_000)
        error = page.locator("[data-testid=stException]")
        assert error.count() == 0, error.first.inner_text()
        page.wait_for_timeout(1500)
        boxes = page.evaluate("() => [...document.querySelectorAll('.vega-embed')].map(e => "
                              "{const r = e.getBoundingClientRect(); return [r.width, r.height, r.right];})")
        assert len(boxes) == 4, boxes
        # plot area 250 (260 for scaling) plus title, axis and legend
        assert all(h >= 330 for _, h, _ in boxes[:2]), boxes
        assert all(h >= 300 for _, h, _ in boxes[2:]), boxes
        assert all(right <= width for _, _, right in boxes), boxes
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".vega-embed").nth(3).screenshot(path=str(SCREENSHOTS / f"class-balance-{width}.png"))
    finally:
        context.close()
