"""Charts and text for the Lab's scaling experiment: pure functions from a ScalingResult to Altair charts.

Two log-log charts (a straight line of slope p means cost grows as n^p): time per batch with the spread of
the rounds, and memory as computed tensor sizes with the measured peaks on top. Each chart is a single view,
so `st.altair_chart(..., width="stretch")` fits it to its column at any page width.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from engine.lab.scaling.experiment import LAYER_NAMES

LENGTH_AXIS = alt.X("seq_len:Q", title="Sequence length (tokens, log scale)",
                    scale=alt.Scale(type="log", base=2, nice=False), axis=alt.Axis(values=[2**k for k in range(14)],
                                                                                    labelOverlap=True))
# Fixed colours, far apart, so the two layers never look alike (the theme's default blues do).
LAYER_COLOURS = alt.Scale(domain=list(LAYER_NAMES.values()), range=["#1f77b4", "#d95f02"])
LEGEND = alt.Legend(orient="bottom", direction="horizontal", title=None, labelLimit=400)
HEIGHT = 260  # issue 12: a drawing area of at least 250 px on a 1280 px page
# Fit the width to the column, but keep `height` the plot area's (titles and legends come on top of it).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _records(result: Any) -> pd.DataFrame:
    frame = result.to_records().copy()
    frame["Layer"] = frame["layer"].map(lambda name: LAYER_NAMES.get(name, name))
    return frame


def time_chart(result: Any) -> alt.LayerChart:
    frame = _records(result)
    base = alt.Chart(frame).encode(x=LENGTH_AXIS, color=alt.Color("Layer:N", legend=LEGEND, scale=LAYER_COLOURS))
    y = alt.Y("ms_per_batch:Q", title="Time per batch (ms, log scale)", scale=alt.Scale(type="log"))
    tooltip = [alt.Tooltip("Layer:N"), alt.Tooltip("seq_len:Q", title="tokens", format=","),
               alt.Tooltip("ms_per_batch:Q", title="median ms", format=".2f"),
               alt.Tooltip("ms_low:Q", title="fastest round", format=".2f"),
               alt.Tooltip("ms_high:Q", title="slowest round", format=".2f")]
    line = base.mark_line(point=True).encode(y=y, tooltip=tooltip)
    spread = base.mark_rule(strokeWidth=2, opacity=0.5).encode(y=alt.Y("ms_low:Q", scale=alt.Scale(type="log")),
                                                               y2="ms_high:Q")
    return alt.layer(spread, line).properties(
        height=HEIGHT, autosize=FIT_WIDTH,
        title=alt.Title("Time per batch (measured)", subtitle="line: median of the rounds; bar: fastest to slowest"))


def memory_chart(result: Any) -> alt.LayerChart:
    frame = _records(result)
    computed = frame.assign(how="computed tensor sizes", mb=frame["computed_mb"])
    measured = frame.dropna(subset=["peak_mb"])
    measured = measured[measured["peak_mb"] > 0.05].assign(how="measured peak growth", mb=lambda f: f["peak_mb"])
    long = pd.concat([computed, measured], ignore_index=True)
    base = alt.Chart(long).encode(
        x=LENGTH_AXIS,
        y=alt.Y("mb:Q", title="Memory per call (MB, log scale)", scale=alt.Scale(type="log")),
        color=alt.Color("Layer:N", legend=LEGEND, scale=LAYER_COLOURS),
        tooltip=[alt.Tooltip("Layer:N"), alt.Tooltip("how:N", title="what"),
                 alt.Tooltip("seq_len:Q", title="tokens", format=","), alt.Tooltip("mb:Q", title="MB", format=".2f")])
    lines = base.transform_filter(alt.datum.how == "computed tensor sizes").mark_line(point=False)
    points = base.transform_filter(alt.datum.how == "measured peak growth").mark_point(
        filled=True, size=70).encode(shape=alt.Shape("how:N", legend=alt.Legend(orient="bottom", title=None,
                                                                                 labelLimit=400)))
    return alt.layer(lines, points).properties(
        height=HEIGHT, autosize=FIT_WIDTH,
        title=alt.Title("Memory per call",
                        subtitle="lines: computed from the tensors' shapes; dots: measured growth of peak memory"))


def charts(result: Any) -> list[alt.LayerChart]:
    """The time chart and the memory chart, each for its own `st.altair_chart(..., width="stretch")`."""
    return [time_chart(result), memory_chart(result)]


def notes_markdown(result: Any) -> str:
    """The memory check and the BERT-base estimate, as Markdown (plain sentences computed by the engine)."""
    parts = []
    if getattr(result, "memory_check", ""):
        parts.append(f"**Memory check.** {result.memory_check}")
    if getattr(result, "estimate_text", None):
        parts.append("**A realistic model (estimate).**\n\n" + "\n".join(f"- {line}" for line in result.estimate_text))
    return "\n\n".join(parts)
