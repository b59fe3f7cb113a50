"""How the Lab draws a comparison: learning curves, the per-candidate table, the verdict, downloads, code."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ui import decision_views
from ui.state import escape_md

BEST = "background-color: rgba(46, 160, 67, 0.22); font-weight: 600"
# column: (header, higher is better?, format)
COLUMNS = {
    "label": ("Candidate", None, "{}"),
    "val_accuracy": ("Val. accuracy", True, "{:.3f}"),  # the mean over seeds (the caption says so)
    "val_accuracy_interval": ("95% interval", None, "{}"),
    "val_accuracy_range": ("Seeds' range", None, "{}"),
    "val_loss": ("Val. loss", False, "{:.3f}"),
    "gap": ("Train - val. gap", False, "{:+.3f}"),
    "test_accuracy": ("Test accuracy", True, "{:.3f}"),
    "params": ("Parameters", False, "{:,.0f}"),
    "seconds_per_epoch": ("s / epoch", False, "{:.3f}"),
    "cpu_seconds_per_epoch": ("CPU s / epoch", False, "{:.3f}"),  # timed side by side (timing.py)
    "latency_ms_per_example": ("Latency ms / example", False, "{:.3f}"),
    "size_bytes": ("Size on disk (KB)", False, "{:,.1f}"),
}
SPLITS = {"validation": "validation (solid)", "train": "training (dashed)"}
EXPLAIN = (
    "**How to read this.** Each candidate was trained once per seed; a seed changes the random draw of the "
    "data, the order of the batches and the starting weights, so the seeds show how much a number moves by "
    "chance. A line is the mean over seeds and the shaded band around the validation line spans the lowest to "
    "the highest seed. In the table, the *95% interval* is where the true mean probably lies (a t-interval "
    "over the seeds: with 3 seeds it is wide, so two candidates whose intervals overlap may not really "
    "differ). The verdict judges every seed on its own: *holds in k of n seeds* counts them; the page says "
    "*agrees* only when the claim held in at least two thirds of the seeds, *does not agree* when it failed in "
    "at least two thirds, and *inconclusive* otherwise."
)


NOTEBOOK = "application/x-ipynb+json"
PLOT_HEIGHT = 270


def chart_height(candidates: int) -> int:
    """The element height that leaves PLOT_HEIGHT for the plot itself: Streamlit sizes the whole chart
    (title, axes and the legends below) to the element, so those are added (measured in Chromium)."""
    return PLOT_HEIGHT + 180 + 18 * max(candidates, 2)


def curves_chart(curves: pd.DataFrame, metric: str, order: list[str], starred: set[str] | None = None,
                 height: int = PLOT_HEIGHT) -> alt.LayerChart:
    """One metric per epoch: each candidate's mean over seeds as a line, min-max over seeds as a band.

    The colour scale's domain is the candidates' names in a fixed order, so a candidate keeps its colour
    from the first live epoch to the stored result; the line style (solid validation, dashed training)
    has its own legend.
    """
    data = curves[curves["metric"] == metric]
    grouped = (data.groupby(["candidate", "label", "epoch", "split"], sort=False)["value"]
               .agg(mean="mean", low="min", high="max", seeds="count").reset_index())
    grouped["split_name"] = grouped["split"].map(SPLITS)
    grouped["starred"] = grouped["candidate"].isin(starred or set())
    domain = order + sorted(set(grouped["label"]) - set(order))
    color = alt.Color("label:N", title="Candidate", scale=alt.Scale(domain=domain),
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0, titleLimit=0,
                                        symbolType="stroke", symbolStrokeWidth=3, symbolOpacity=1))
    x = alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1, format="d"))
    dash = alt.Scale(domain=list(SPLITS.values()), range=[[1, 0], [6, 4]])
    base = alt.Chart(grouped, title=metric.capitalize())
    band = base.transform_filter("datum.split == 'validation'").mark_area(opacity=0.18).encode(
        x=x, y=alt.Y("low:Q", title=None, scale=alt.Scale(zero=False)), y2="high:Q", color=color)
    lines = base.mark_line(point=True).encode(
        x=x, y=alt.Y("mean:Q", title=None, scale=alt.Scale(zero=False)), color=color,
        strokeDash=alt.StrokeDash("split_name:N", scale=dash, legend=None),
        strokeWidth=alt.condition("datum.starred", alt.value(3.5), alt.value(1.8)),
        tooltip=[alt.Tooltip("label:N", title="Candidate"), alt.Tooltip("split_name:N", title="Line"),
                 "epoch:Q", alt.Tooltip("mean:Q", format=".4f", title="mean"),
                 alt.Tooltip("low:Q", format=".4f", title="lowest seed"),
                 alt.Tooltip("high:Q", format=".4f", title="highest seed"), alt.Tooltip("seeds:Q", title="seeds")],
    )
    # The line-style legend comes from a layer of invisible lines drawn in one grey: Vega-Lite draws a
    # strokeDash legend with a transparent stroke when the colour comes from another field.
    styles = base.mark_line(opacity=0).encode(
        x=x, y="mean:Q", color=alt.value("#444"),
        strokeDash=alt.StrokeDash("split_name:N", title="Line", scale=dash, legend=alt.Legend(
            orient="bottom", direction="vertical", labelLimit=0, symbolType="stroke", symbolStrokeWidth=2,
            symbolSize=500, symbolOpacity=1, symbolStrokeColor="#444")))
    return (band + lines + styles).resolve_legend(strokeDash="independent").properties(height=height)


def curves(data: pd.DataFrame, order: list[str], starred: set[str] | None = None) -> None:
    """Accuracy and loss side by side (stacked on a narrow window)."""
    for col, metric in zip(st.columns(2), ("accuracy", "loss"), strict=True):
        col.altair_chart(curves_chart(data, metric, order, starred), width="stretch", height=chart_height(len(order)))


def table_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The numbers the page's table shows, with the interval and the seeds' range as text."""
    data = frame.copy()
    data["size_bytes"] = data["size_bytes"] / 1024
    data["label"] = data["label"] + data["recommended"].map({True: " ★", False: ""})
    if "val_accuracy_low" in data:
        data["val_accuracy_interval"] = [
            "one seed" if pd.isna(lo) else f"{lo:.3f} to {hi:.3f}"
            for lo, hi in zip(data["val_accuracy_low"], data["val_accuracy_high"], strict=True)]
        data["val_accuracy_range"] = [f"{lo:.3f} to {hi:.3f}" if pd.notna(lo) else "-"
                                      for lo, hi in zip(data["val_accuracy_min"], data["val_accuracy_max"],
                                                        strict=True)]
    columns = [c for c in COLUMNS if c in data
               and not (c in ("test_accuracy", "cpu_seconds_per_epoch") and data[c].isna().all())]
    return data[columns].rename(columns={c: COLUMNS[c][0] for c in columns})


def candidates_table(frame: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The per-candidate numbers with the best value of each column marked."""
    data = table_frame(frame)
    higher_better = {h: better for h, better, _ in COLUMNS.values()}

    def mark(column: pd.Series) -> list[str]:
        higher = higher_better[column.name]
        if higher is None or column.isna().all():
            return [""] * len(column)
        values = column.abs() if column.name == COLUMNS["gap"][0] else column
        best = values.max() if higher else values.min()
        return [BEST if v == best else "" for v in values]

    return data.style.apply(mark, axis=0).format(
        {h: fmt for c, (h, _, fmt) in COLUMNS.items() if h in data and fmt != "{}"}, na_rep="-").hide(axis="index")


SETTING_WORDS = {"seq_len": "sequence length", "examples": "examples", "labelled": "labelled examples",
                 "corpus": "unlabelled sentences", "train": "training examples", "more": "examples for 'more data'",
                 "label_noise": "label noise", "epochs": "epochs", "batch_size": "batch size",
                 "learning_rate": "learning rate"}


def verdict(result: Any) -> None:
    v = result.verdict  # its text opens by saying whether this run agrees with the cheatsheet
    show = {True: (st.success, ":material/thumb_up:"), False: (st.warning, ":material/science:"),
            None: (st.info, ":material/help:")}[v.agrees]
    show[0](f"**Verdict of this run.** {v.text}", icon=show[1])
    st.caption(f"The claim tested: {v.claim}")
    if v.power:  # what these seeds could tell apart, next to the difference the claim needs
        st.markdown("**What these seeds could detect.** " + " ".join(escape_md(line) for line in v.power))


def star(result: Any) -> None:
    """Which candidate carries the star and why; both picks when the interview's differs from the data's."""
    rec = result.recommendation
    if rec is None or rec.choice is None:
        return
    text = (f"★ marks **{escape_md(rec.label)}**: what the project's rules recommend for the data trained on "
            f"(the same rules as the Advisor, asked with this data's numbers).")
    if rec.differs:
        st.info(text + f" Your interview's answers lead to **{escape_md(rec.interview_label)}** instead. "
                + escape_md(rec.note), icon=":material/compare_arrows:")
    else:
        st.caption(text + (" It is also your interview's pick." if rec.interview else "")
                   + (f" {escape_md(rec.note)}" if rec.note else ""))


def seeds_table(result: Any) -> pd.DataFrame:
    frame = result.seeds_frame()
    if frame["test_accuracy"].isna().all():
        frame = frame.drop(columns=["test_accuracy"])
    return frame.drop(columns=["choice"]).rename(columns={
        "label": "Candidate", "seed": "Seed", "val_accuracy": "Val. accuracy", "val_loss": "Val. loss",
        "gap": "Train - val. gap", "test_accuracy": "Test accuracy", "epochs": "Epochs",
        "seconds_per_epoch": "s / epoch", "latency_ms_per_example": "Latency ms / example"})


@functools.lru_cache(maxsize=16)
def _file_bytes(path: str, modified_ns: int, size: int) -> bytes:
    """A stored file's bytes, read once while it is unchanged (the key holds its time and size)."""
    return Path(path).read_bytes()


def file_bytes(path: Path) -> bytes:
    stat = path.stat()
    return _file_bytes(str(path), stat.st_mtime_ns, stat.st_size)


def downloads(result: Any, key: str) -> None:
    """The trained models, their notebooks and the results, in one row under the table.

    Not inside an expander or tabs: an expander animates its height for half a second when it opens and
    again when its content changes size (choosing a tab with longer code), and when that ends the page is
    laid out anew, so a button inside can move away between the press and the release and the press is
    lost (the browser test lost one in about ten runs that way). Here nothing animates around them.

    Each file is handed over as bytes (read or made once, cached): its media address is named by its content,
    so every run of the page gives the same address and a press while the page reruns still downloads. A
    deferred download (`data=callable`) gets a new id on every run and the run that replaces it retires the
    old one, so a press landing during a rerun fails ("Failed to generate file for download").
    """
    notebooks = all(c.code_parts is not None for c in result.candidates)
    row = st.container(horizontal=True)  # wraps onto more rows on a narrow screen
    for cand in result.candidates:
        path = Path(cand.model_path) if cand.model_path else None
        if path is not None and path.is_file():
            row.download_button(f"Download {cand.label} (.keras)", file_bytes(path), file_name=path.name,
                                mime="application/octet-stream", key=f"{key}_model_{cand.choice}", on_click="ignore",
                                icon=":material/download:")
        if notebooks:
            row.download_button(f"{cand.label} notebook (.ipynb)", notebook_bytes(result, cand.choice),
                                file_name=f"{result.decision}-{cand.choice}.ipynb", mime=NOTEBOOK,
                                key=f"{key}_notebook_{cand.choice}", on_click="ignore", icon=":material/description:",
                                help="This candidate's data, model, training, curves and evaluation as a Jupyter "
                                     "notebook.")
    row.download_button("Results (CSV)", result.to_frame().to_csv(index=False), file_name="results.csv",
                        mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/table:")
    row.download_button("Results and curves (JSON)", result.to_json(), file_name="results.json",
                        mime="application/json", key=f"{key}_json", on_click="ignore", icon=":material/data_object:")
    if notebooks:
        row.download_button("Whole comparison (.ipynb)", notebook_bytes(result, None),
                            file_name=f"{result.decision}-comparison.ipynb", mime=NOTEBOOK, key=f"{key}_notebook",
                            on_click="ignore", icon=":material/menu_book:",
                            help="Every candidate trained with every seed of this run, the table of validation "
                                 "accuracy per seed and the learning curves, as a Jupyter notebook.")
    else:
        st.caption("Notebooks come with runs trained since they were added: train this comparison again to "
                   "download it, or a candidate, as a Jupyter notebook.")


def how_seeds_trained(result: Any) -> str:
    """A sentence on how several seeds trained: as one seed-stacked model, or one after another and why
    (nothing for one seed, or for results saved before the stacked path existed)."""
    if len(result.seed_list) < 2:
        return ""
    apart = [c for c in result.candidates if not c.trained_together]
    if not apart:
        return " Each candidate's seeds trained together, as one model whose weights carry a seed axis."
    if all(c.apart_because is None for c in apart):
        return ""
    named = "; ".join(f"{c.label} ({c.apart_because})" for c in apart if c.apart_because)
    return escape_md(f" Seeds trained one after another for {named}; any other candidate's as one model.")


def comparison(result: Any, key: str) -> None:
    """Everything about one finished (or stopped) comparison."""
    starred = {c.choice for c in result.candidates if c.recommended}
    settings = escape_md(", ".join(f"{SETTING_WORDS.get(k, k)} {v}" for k, v in result.settings.items()))
    seeds = result.seed_list
    st.caption(f"Data set: {escape_md(result.dataset)}; {len(seeds)} seed{'s' if len(seeds) > 1 else ''} "
               f"({', '.join(map(str, seeds))}); {settings}. Wall time {result.wall_seconds:.1f} s."
               + (" Stopped early." if result.stopped_early else "") + how_seeds_trained(result))
    star(result)
    verdict(result)
    curves(result.curves_frame(), [c.label for c in result.candidates], starred)
    st.caption("Lines and table: means over seeds (solid validation, dashed training); band: lowest to highest "
               "seed. ★ (and the thicker line) marks the recommended candidate; the best value in each column is "
               "highlighted. Every number was measured in this run.")
    # On a phone the table scrolls sideways inside itself; the candidate's name stays pinned at the left.
    st.dataframe(candidates_table(result.to_frame()), width="stretch", hide_index=True,
                 column_config={"Candidate": st.column_config.Column(pinned=True)})
    downloads(result, key)
    decision_views.extras(result)
    with st.expander("How to read the band, the interval and 'k of n seeds'"):
        st.markdown(EXPLAIN)
    with st.expander(f"Per-seed numbers ({len(seeds)} seed{'s' if len(seeds) > 1 else ''})"):
        st.dataframe(seeds_table(result), hide_index=True, width="stretch",
                     column_config={"Candidate": st.column_config.Column(pinned=True)})
    for note in result.notes:
        st.caption(escape_md(note))
    with st.expander("Code for each candidate and TensorBoard"):
        tabs = st.tabs([c.label for c in result.candidates])
        for tab, cand in zip(tabs, result.candidates, strict=True):
            with tab:
                st.caption(cand.changes)
                st.code(cand.code, language="python")
        st.markdown("See these curves in TensorBoard:")
        st.code(f"tensorboard --logdir {result.run_dir}", language="bash")


_NOTEBOOKS: dict[tuple[str, str, str], bytes] = {}


def notebook_bytes(result: Any, choice: str | None) -> bytes:
    """A candidate's notebook (`choice`), or the whole comparison's (None), made once per result and kept:
    handed over as bytes for the same reason as the model files (see `downloads`)."""
    cache_key = (str(result.run_dir), f"{result.wall_seconds!r}", choice or "")
    if cache_key not in _NOTEBOOKS:
        from engine.lab.codegen import notebook
        from engine.notebooks import to_bytes

        made = notebook.comparison_notebook(result) if choice is None else notebook.candidate_notebook(result, choice)
        if len(_NOTEBOOKS) >= 64:
            _NOTEBOOKS.pop(next(iter(_NOTEBOOKS)))
        _NOTEBOOKS[cache_key] = to_bytes(made)
    return _NOTEBOOKS[cache_key]
