"""The Lab's stored evidence for a decision: the metric along the rule's swept quantity, with bands and thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from engine.evidence.bank import EvidenceError, describe_all, describe_levels, load
from engine.evidence.budget import describe_budget
from engine.evidence.papers import PAPERS
from engine.evidence.scaling_evidence import cost_thresholds, describe_scaling
from engine.evidence.sweeps import BANKED, SWEEPS, Sweep, levels, thresholds
from engine.lab.decisions import candidates
from engine.lab.results.stats import spread
from ui import evidence_charts
from ui.scaling_charts import FIT_WIDTH


def sweep_frame(document: Mapping[str, Any], labels: Mapping[str, str]) -> pd.DataFrame:
    """One row per (swept value, candidate): mean, 95% interval and min/max over the stored seeds."""
    rows = []
    for point in document["points"]:
        for choice, values in point["metric"].items():
            s = spread(values)  # a point with one seed has no interval: its band is left out (NaN)
            rows.append({"x": point["x"], "choice": choice, "candidate": labels.get(choice, choice),
                         "mean": s.mean, "low": s.low, "high": s.high, "min": s.minimum, "max": s.maximum,
                         "seeds": s.n})
    frame = pd.DataFrame(rows)
    if str(document["sweep"]["metric"]).endswith("accuracy"):
        # A t-interval of a few seeds can pass 100% (0.94 [0.78, 1.09]); the band shows what an accuracy can be.
        frame[["low", "high"]] = frame[["low", "high"]].clip(0.0, 1.0)
    return frame


def sweep_chart(frame: pd.DataFrame, quantity: str, metric: str, marks: Mapping[str, float]) -> alt.LayerChart:
    """Mean per candidate with its 95% band on a log axis; vertical rules at the rule's thresholds and the user."""
    order = list(dict.fromkeys(frame["candidate"]))  # stable colours: the bank's candidate order
    # A categorical scheme: the theme's default puts near-identical blues on neighbouring candidates.
    color = alt.Color("candidate:N", title="Candidate", sort=order, scale=alt.Scale(domain=order, scheme="category10"),
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0))
    x = evidence_charts.sweep_axis(quantity)
    base = alt.Chart(frame)
    band = base.mark_area(opacity=0.18).encode(x=x, y=alt.Y("low:Q", title=metric.replace("_", " "),
                                                            scale=alt.Scale(zero=False)), y2="high:Q", color=color)
    line = base.mark_line(point=True).encode(
        x=x, y="mean:Q", color=color,
        tooltip=["candidate:N", alt.Tooltip("x:Q", title=quantity), alt.Tooltip("mean:Q", format=".3f"),
                 alt.Tooltip("low:Q", format=".3f", title="95% low"), alt.Tooltip("high:Q", format=".3f",
                                                                                title="95% high")])
    layers = [band, line, *evidence_charts.vertical_marks(marks, "x")]
    return alt.layer(*layers).properties(height=300, autosize=FIT_WIDTH)  # 300 px of plot, legend below


def evidence(decision: str, labels: Mapping[str, str], user_value: float | None = None,
             answers: Mapping[str, Any] | None = None) -> None:
    """The stored sweep of `decision`, or a sentence saying there is none. `answers` (the interview's) mark
    the user's own position: the swept quantity, and for some decisions a measured gap or GPU memory."""
    sweep = SWEEPS.get(decision)
    if sweep is None:
        st.caption("No stored sweep for this decision yet; the comparison below is what this run measures.")
        return
    try:
        document = load(decision)
    except EvidenceError as exc:
        st.warning(str(exc))
        return
    if document is None:
        st.info(f"The evidence bank has no {decision} sweep on this server. "
                f"Make it with `python -m engine evidence --build --decision {decision}` (minutes).")
        return
    answers = answers or {}
    if user_value is None:
        user_value = _number(answers.get(sweep.question))
    if user_value is not None and user_value <= 0:
        user_value = None  # the swept axis is logarithmic: zero (e.g. no labelled examples yet) has no place on it
    # The Lab names candidates the rules do not list (the baseline, L1 and L2 apart).
    labels = {**{spec.choice: spec.label for spec in candidates(decision)}, **labels}
    marks = {f"rule: {t.value:g}": t.value for t in thresholds(sweep)}
    if user_value is not None:
        marks[f"you: {user_value:g}"] = float(user_value)
    frame = sweep_frame(document, labels)
    st.altair_chart(sweep_chart(frame, sweep.quantity, sweep.metric, marks), width="stretch")
    for line in [*describe_all(document, labels), *describe_budget(document)]:
        st.markdown("- " + line)
    if sweep.level_input and document["points"] and "extra" in document["points"][0]:
        _levels(document, sweep, labels, answers, user_value)
    if "scaling" in document:
        _cost(document, answers)
    if sweep.note:
        st.caption(sweep.note)
    prov = document["provenance"]
    st.caption(f"Stored evidence: {len(document['points'][0]['seeds'])} seeds a point, measured {prov['date']} "
               f"on {prov['machine']} (code {prov['code_hash']}). Reproduce: `python -m engine evidence --check "
               f"--decision {decision}`. Bands are 95% intervals of the mean over seeds.")
    with st.expander("Every seed's number"):
        rows = [{sweep.quantity: p["x"], "candidate": labels.get(c, c), **{f"seed {i}": v for i, v in enumerate(vs)}}
                for p in document["points"] for c, vs in p["metric"].items()]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _levels(document: Mapping[str, Any], sweep: Sweep, labels: Mapping[str, str], answers: Mapping[str, Any],
            user_value: float | None) -> None:
    """The measured quantity the rule reads (the gap) against the rule's level, and the remedy's benefit."""
    who = labels.get(sweep.level_candidate, sweep.level_candidate)
    found = levels(sweep)
    train, val = _number(answers.get("train_accuracy")), _number(answers.get("val_accuracy"))
    mine = {f"you: {train - val:g} points": train - val} if train is not None and val is not None else {}
    title = f"{sweep.level_input.capitalize()}, {who.lower()} (points)"
    st.altair_chart(evidence_charts.level_chart(
        evidence_charts.level_frame(document), sweep.quantity, title,
        {f"rule: {t.value:g} points": t.value for t in found},
        {f"you: {user_value:g}": user_value} if user_value is not None else {}, mine), width="stretch")
    for line in describe_levels(document, labels):
        st.markdown("- " + line)


def _cost(document: Mapping[str, Any], answers: Mapping[str, Any]) -> None:
    """Latency against length (measured) and memory of a realistic model (estimate), thresholds drawn."""
    edge = cost_thresholds(document["decision"])
    length, gpu = _number(answers.get("max_length")), _number(answers.get("gpu_memory_gb"))
    st.markdown("**Latency and memory against length**: accuracy cannot be trained past 128 tokens here, so the "
                "rule's length and memory thresholds are checked on cost.")
    for chart in evidence_charts.cost_charts(document["scaling"], edge.longest_fitting, length):
        st.altair_chart(chart, width="stretch")
    st.altair_chart(evidence_charts.estimate_chart(edge.longest_fitting, edge.memory_gb, length, gpu),
                    width="stretch")
    for line in describe_scaling(document):
        st.markdown("- " + line)


STATUS_ICONS = {"reproduced": ":material/check_circle:", "not reproduced": ":material/cancel:",
                "too few seeds to tell": ":material/help:", "out of reach here": ":material/block:",
                "not measured": ":material/hourglass_empty:"}


def published(decision: str) -> None:
    """This decision's published results, each beside what the stored bank measured, and its status here."""
    found = [paper for paper in PAPERS if paper.decision == decision]
    if not found:
        st.caption("No published result is set beside this decision yet.")
        return
    bank = {}
    for name in BANKED:
        try:
            document = load(name)
        except EvidenceError:
            continue
        if document is not None:
            bank[name] = document
    for paper in found:
        row = paper.row(bank)
        st.markdown(f"{STATUS_ICONS.get(row['status'], '')} **{row['status'].capitalize()}.** {row['result']} "
                    f"*({row['source']})*")
        st.caption(row["measured"])
    st.caption("Each row is read off the stored evidence by a rule (the seeds' 95% intervals decide); "
               "`python -m engine evidence --papers` prints every decision's rows.")
