"""Charts of an uploaded CSV's profile: pure functions returning Altair charts.

The class-balance chart is horizontal bars, one row per class, tall enough for every label and with label
overlap removal switched off, so six classes show six labels (Vega-Lite otherwise drops labels it thinks
collide); each bar carries its count.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

ROW_PX = 26  # height per class
MIN_HEIGHT = 250  # issue 12: a drawing area of at least 250 px on a 1280 px page
# Fit the width to the column, but keep `height` the plot area's (titles and legends come on top of it).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
MAX_CLASSES = 40  # beyond this the chart shows the largest classes and says so


def class_balance(counts: dict[str, int]) -> alt.LayerChart:
    """Texts per class, largest first, every class labelled."""
    frame = pd.DataFrame({"label": [str(k) for k in counts], "count": [int(v) for v in counts.values()]})
    frame = frame.sort_values(["count", "label"], ascending=[False, True], kind="stable")
    title = "Class balance"
    if len(frame) > MAX_CLASSES:
        title = f"Class balance: the {MAX_CLASSES} largest of {len(frame)} classes"
        frame = frame.head(MAX_CLASSES)
    order = frame["label"].tolist()
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=order, title=None,
                axis=alt.Axis(labelOverlap=False, labelLimit=220, ticks=False)),
        tooltip=[alt.Tooltip("label:N", title="class"), alt.Tooltip("count:Q", title="texts", format=",")])
    bars = base.mark_bar().encode(x=alt.X("count:Q", title="Texts"))
    labels = base.mark_text(align="left", dx=3).encode(x="count:Q", text=alt.Text("count:Q", format=","))
    return alt.layer(bars, labels).properties(height=max(MIN_HEIGHT, ROW_PX * len(frame)), title=title,
                                              autosize=FIT_WIDTH)


def length_histogram(lengths: list[int]) -> alt.Chart:
    """How many texts have each length (in words), in up to 30 bins."""
    frame = pd.DataFrame({"length": [int(n) for n in lengths]})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("length:Q", bin=alt.Bin(maxbins=30), title="Length (words)"),
        y=alt.Y("count():Q", title="Texts"),
        tooltip=[alt.Tooltip("count():Q", title="texts")],
    ).properties(height=MIN_HEIGHT, title="Length distribution", autosize=FIT_WIDTH)
