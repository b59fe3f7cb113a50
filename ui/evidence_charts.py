"""Evidence charts beyond one metric per candidate: a measured quantity against a rule's level (the overfitting
gap against 5 points), and cost against length with the attention rule's 512-token and 8 GB thresholds drawn.

Pure functions from stored numbers to Altair charts; each chart is one view with its plot height at least
250 px, fitted to its column's width, thresholds labelled inside the plot so a 390 px page does not cut them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from engine.evidence.scaling_evidence import estimate_curve
from engine.lab.results.stats import spread
from engine.lab.scaling.experiment import ScalingResult
from ui.scaling_charts import FIT_WIDTH, HEIGHT, LENGTH_AXIS, memory_chart, time_chart

MARK = "#666"


def sweep_axis(quantity: str) -> alt.X:
    """The sweep's quantity on a log scale that spans the data and the thresholds drawn, not the powers of ten
    around them (a "nice" log axis began at 10 for a sweep that starts at 35), with room for the end points."""
    return alt.X("x:Q", title=quantity.capitalize() + " (log scale)", scale=alt.Scale(type="log", nice=False,
                                                                                       padding=12))


def level_frame(document: Mapping[str, Any]) -> pd.DataFrame:
    """The level candidate's measured quantity (in the rule's unit) per point: mean, 95% interval, min/max."""
    sweep = document["sweep"]
    rows = []
    for point in document["points"]:
        s = spread([v * sweep["level_scale"] for v in point["extra"][sweep["level_metric"]][sweep["level_candidate"]]])
        rows.append({"x": point["x"], "mean": s.mean, "low": s.low, "high": s.high, "min": s.minimum,
                     "max": s.maximum})
    return pd.DataFrame(rows)


def vertical_marks(marks: Mapping[str, float], field: str) -> list[alt.Chart]:
    """Dashed vertical lines at `marks` (label -> value on the x field), each labelled left of its line inside
    the plot, so a threshold at the right edge is not cut off."""
    if not marks:
        return []
    rules = pd.DataFrame({field: list(marks.values()), "what": list(marks)})
    return [alt.Chart(rules).mark_rule(strokeDash=[6, 4], color=MARK).encode(x=f"{field}:Q"),
            alt.Chart(rules).mark_text(align="right", dx=-4, dy=-6, color="#444").encode(
                x=f"{field}:Q", y=alt.value(8), text="what:N")]


def _horizontal(marks: Mapping[str, float], field: str, colour: str = "#b30000") -> list[alt.Chart]:
    if not marks:
        return []
    rules = pd.DataFrame({field: list(marks.values()), "what": list(marks)})
    return [alt.Chart(rules).mark_rule(strokeDash=[2, 2], color=colour, strokeWidth=2).encode(y=f"{field}:Q"),
            alt.Chart(rules).mark_text(align="left", x=4, dy=-7, color=colour).encode(y=f"{field}:Q",
                                                                                       text="what:N")]


def level_chart(frame: pd.DataFrame, quantity: str, title: str, levels: Mapping[str, float],
                x_marks: Mapping[str, float], y_marks: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The measured quantity along the sweep with its 95% band; the rule's level as a horizontal line,
    the user's size (vertical) and the user's own measured value (horizontal, grey) when known."""
    x = sweep_axis(quantity)
    base = alt.Chart(frame)
    band = base.mark_area(opacity=0.2, color="#1f77b4").encode(x=x, y=alt.Y("low:Q", title=title), y2="high:Q")
    line = base.mark_line(point=True, color="#1f77b4").encode(
        x=x, y="mean:Q", tooltip=[alt.Tooltip("x:Q", title=quantity), alt.Tooltip("mean:Q", format=".1f"),
                                  alt.Tooltip("low:Q", format=".1f", title="95% low"),
                                  alt.Tooltip("high:Q", format=".1f", title="95% high")])
    layers = [band, line, *_horizontal(levels, "y"), *_horizontal(y_marks or {}, "y", colour=MARK),
              *vertical_marks(x_marks, "x")]
    return alt.layer(*layers).properties(height=300, autosize=FIT_WIDTH)


def cost_charts(scaling: Mapping[str, Any], length_edge: int, user_length: float | None) -> list[alt.LayerChart]:
    """The stored time-per-batch and memory-per-call charts with the rule's length edge (and the user's) drawn."""
    result = ScalingResult.from_dict(dict(scaling))
    marks = {f"rule: over {length_edge}": float(length_edge)}
    if user_length:
        marks[f"you: {user_length:g}"] = float(user_length)
    # The Lab's charts keep their data on the outer layer (Altair hoists data the layers share): carry it over,
    # the threshold layers bring their own.
    return [alt.layer(*chart.layer, *vertical_marks(marks, "seq_len"), data=chart.data).properties(
        height=HEIGHT, autosize=FIT_WIDTH, title=chart.title) for chart in (time_chart(result), memory_chart(result))]


def estimate_chart(length_edge: int, memory_gb: float, user_length: float | None = None,
                   user_gb: float | None = None) -> alt.LayerChart:
    """BERT-base training memory (estimate) against length for two batches, with the rule's 8 GB (horizontal)
    and 512-token (vertical) thresholds and the user's own length and GPU memory."""
    frame = pd.DataFrame(estimate_curve())
    frame["Batch"] = frame["batch"].map(lambda b: f"batch {b}")
    y = alt.Y("training_gib:Q", title="Training memory (GiB, estimate, log)", scale=alt.Scale(type="log"))
    lines = alt.Chart(frame).mark_line(point=True).encode(
        x=LENGTH_AXIS, y=y, color=alt.Color("Batch:N", legend=alt.Legend(orient="bottom", title=None)),
        tooltip=[alt.Tooltip("Batch:N"), alt.Tooltip("seq_len:Q", title="tokens", format=","),
                 alt.Tooltip("training_gib:Q", title="GiB", format=".1f")])
    x_marks = {f"rule: over {length_edge}": float(length_edge)}
    if user_length:
        x_marks[f"you: {user_length:g}"] = float(user_length)
    y_marks = {f"you: {user_gb:g} GB": float(user_gb)} if user_gb else {}
    layers = [lines, *_horizontal({f"rule: {memory_gb:g} GB": memory_gb}, "training_gib"),
              *_horizontal(y_marks, "training_gib", colour=MARK), *vertical_marks(x_marks, "seq_len")]
    return alt.layer(*layers).properties(
        height=HEIGHT, autosize=FIT_WIDTH,
        title=alt.Title("A BERT-base sized model, fine-tuned (estimate)",
                        subtitle="computed from tensor sizes, not measured; a floor"))
