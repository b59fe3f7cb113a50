"""How the Lab draws a comparison: learning curves, the per-candidate table, the verdict, code, downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ui.state import escape_md

BEST = "background-color: rgba(46, 160, 67, 0.22); font-weight: 600"
# column: (header, higher is better?, format)
COLUMNS = {
    "label": ("Candidate", None, "{}"),
    "val_accuracy": ("Val. accuracy", True, "{:.3f}"),
    "val_loss": ("Val. loss", False, "{:.3f}"),
    "gap": ("Train - val. gap", False, "{:+.3f}"),
    "params": ("Parameters", False, "{:,.0f}"),
    "seconds_per_epoch": ("s / epoch", False, "{:.2f}"),
    "latency_ms_per_example": ("Latency ms / example", False, "{:.3f}"),
    "size_bytes": ("Size on disk (KB)", False, "{:,.1f}"),
}


def curves_chart(curves: pd.DataFrame, metric: str, recommended: set[str] | None = None) -> alt.Chart:
    """One metric per epoch for every candidate on shared axes; the recommended line drawn thicker."""
    data = curves[curves["metric"] == metric].copy()
    data["recommended"] = data["candidate"].isin(recommended or set())
    data["who"] = data["label"] + data["recommended"].map({True: " ★", False: ""})
    return alt.Chart(data, title=metric.capitalize()).mark_line(point=True).encode(
        x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        color=alt.Color("who:N", title="Candidate", legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("split:N", title="Split", sort=["validation", "train"],
                                  legend=alt.Legend(orient="bottom")),
        strokeWidth=alt.condition("datum.recommended", alt.value(3.5), alt.value(1.5)),
        tooltip=["who:N", "split:N", "epoch:Q", alt.Tooltip("value:Q", format=".4f")],
    ).properties(height=240)


def curves(data: pd.DataFrame, recommended: set[str] | None = None) -> None:
    """Accuracy and loss side by side (stacked on a narrow window)."""
    for col, metric in zip(st.columns(2), ("accuracy", "loss"), strict=True):
        col.altair_chart(curves_chart(data, metric, recommended), width="stretch")


def candidates_table(frame: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The per-candidate numbers with the best value of each column marked."""
    data = frame.copy()
    data["size_bytes"] = data["size_bytes"] / 1024
    data["label"] = data["label"] + data["recommended"].map({True: " ★", False: ""})
    data = data[list(COLUMNS)].rename(columns={c: h for c, (h, _, _) in COLUMNS.items()})
    higher_better = {h: better for h, better, _ in COLUMNS.values()}

    def mark(column: pd.Series) -> list[str]:
        higher = higher_better[column.name]
        if higher is None or column.isna().all():
            return [""] * len(column)
        values = column.abs() if column.name == COLUMNS["gap"][0] else column
        best = values.max() if higher else values.min()
        return [BEST if v == best else "" for v in values]

    return data.style.apply(mark, axis=0).format(
        {h: fmt for c, (h, _, fmt) in COLUMNS.items() if c != "label"}, na_rep="-").hide(axis="index")


def verdict(result: Any) -> None:
    v = result.verdict  # its text opens by saying whether this run agrees with the cheatsheet
    show = {True: (st.success, ":material/thumb_up:"), False: (st.warning, ":material/science:"),
            None: (st.info, ":material/hourglass_empty:")}[v.agrees]
    show[0](f"**Verdict of this run.** {v.text}", icon=show[1])
    st.caption(f"The claim tested: {v.claim}")


def comparison(result: Any, key: str) -> None:
    """Everything about one finished (or stopped) comparison."""
    recommended = {c.choice for c in result.candidates if c.recommended}
    settings = escape_md(", ".join(f"{k}={v}" for k, v in result.settings.items()))  # may hold a CSV's names
    st.caption(f"Decision `{result.decision}` on data set `{result.dataset}`, seed {result.seed}; {settings}. "
               f"Wall time {result.wall_seconds:.1f} s." + (" Stopped early." if result.stopped_early else ""))
    verdict(result)
    curves(result.curves_frame(), recommended)
    st.caption("Solid: validation; dashed: training. ★ marks the recommended candidate; the best value in "
               "each column is highlighted. Every number was measured in this run.")
    st.dataframe(candidates_table(result.to_frame()), width="stretch", hide_index=True)
    for note in result.notes:
        st.caption(escape_md(note))
    with st.expander("Code for each candidate, TensorBoard and downloads"):
        tabs = st.tabs([c.label for c in result.candidates])
        for tab, cand in zip(tabs, result.candidates, strict=True):
            with tab:
                st.caption(cand.changes)
                st.code(cand.code, language="python")
                if cand.model_path and Path(cand.model_path).is_file():
                    st.download_button(f"Download {cand.label} (.keras)", Path(cand.model_path).read_bytes(),
                                       file_name=Path(cand.model_path).name, mime="application/octet-stream",
                                       key=f"{key}_model_{cand.choice}", on_click="ignore",
                                       icon=":material/download:")
        st.markdown("See these curves in TensorBoard:")
        st.code(f"tensorboard --logdir {result.run_dir}", language="bash")
        c1, c2 = st.columns(2)
        c1.download_button("Results (CSV)", result.to_frame().to_csv(index=False), file_name="results.csv",
                           mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/table:")
        c2.download_button("Results and curves (JSON)", result.to_json(), file_name="results.json",
                           mime="application/json", key=f"{key}_json", on_click="ignore",
                           icon=":material/data_object:")


def scaling_charts(frame: pd.DataFrame) -> alt.VConcatChart | alt.HConcatChart:
    """Time and memory per batch against sequence length, log-log, recurrent vs attention."""
    def chart(field: str, title: str) -> alt.Chart:
        return alt.Chart(frame.dropna(subset=[field])).mark_line(point=True).encode(
            x=alt.X("seq_len:Q", title="Sequence length (tokens)", scale=alt.Scale(type="log", base=2)),
            y=alt.Y(f"{field}:Q", title=title, scale=alt.Scale(type="log")),
            color=alt.Color("layer:N", title="Layer"),
            tooltip=["layer:N", "seq_len:Q", alt.Tooltip(f"{field}:Q", format=".3f")],
        ).properties(height=220)

    if frame["peak_mb"].notna().any():
        memory = chart("peak_mb", "peak memory growth (MB, measured)")
    else:  # the platform gave no peak-memory reading: show the computed size, labelled as computed
        memory = chart("attention_matrix_mb", "attention score tensor (MB, computed)")
    return alt.hconcat(chart("ms_per_batch", "ms per batch (measured)"), memory)
