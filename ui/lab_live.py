"""The Lab's live panel: a running job's status, progress and learning curves, polled once a second.

Every poll is a fragment rerun, and ten sessions polling at once share one process and one GIL, so a
poll must be cheap: the status line and progress bar are a few elements, and the two curve charts are
built (altair, about 0.1-0.2 s of CPU) only when a new epoch arrived since the last poll; otherwise the
Vega-Lite specs built then are sent again as they are. When the job ends, the panel reruns the whole page
at once so the result appears, instead of waiting for the next poll of the page.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import streamlit as st

from ui import lab_data, lab_trace, lab_view
from ui.jobs import Job

POLL_S = 1.0
CHARTS_KEY = "lab_live_charts"  # (job id, epoch events drawn, [accuracy spec, loss spec])


def epoch_count(job: Job) -> int:
    return sum(1 for e in list(job.events) if getattr(e, "phase", "") == "epoch")


def curve_specs(job: Job) -> tuple[list[dict[str, Any]], bool]:
    """The two charts' Vega-Lite specs (none before the first epoch), and whether they were rebuilt now."""
    count = epoch_count(job)
    cached = st.session_state.get(CHARTS_KEY)
    if cached is not None and cached[0] == job.id and cached[1] == count:
        return cached[2], False
    specs: list[dict[str, Any]] = []
    if count:
        curves = job.live_curves()
        specs = [lab_view.curves_chart(curves, metric, job.params["order"]).to_dict()
                 for metric in ("accuracy", "loss")]
    st.session_state[CHARTS_KEY] = (job.id, count, specs)
    return specs, True


def running_panel(job: Job) -> bool:
    """Draw a running job's panel; True when the charts had to be rebuilt (a new epoch arrived)."""
    with st.container(border=True):
        st.markdown(f"**Running:** {job.title}")
        st.progress(job.progress(), text=job.status())
        ahead = job.queue_position()
        st.button("Cancel and leave the queue" if ahead else "Stop (keep what was measured)",
                  on_click=job.stop.set, icon=":material/stop:", key="lab_stop")
        specs, rebuilt = curve_specs(job)
        height = lab_view.chart_height(len(job.params["order"]))
        for col, spec in zip(st.columns(2) if specs else [], specs, strict=True):
            # A copy: Streamlit moves the spec's datasets into its message, and the cached spec must stay whole.
            col.vega_lite_chart(copy.deepcopy(spec), width="stretch", height=height)
    return rebuilt


def collect(job: Job) -> None:
    """Once per finished job: keep its result and rerun the page, which draws it in the results section."""
    if st.session_state.get("lab_job_collected"):
        return
    st.session_state["lab_job_collected"] = True
    st.session_state.pop(CHARTS_KEY, None)
    if job.result is not None:
        lab_data.show_run(job.result)
    st.rerun(scope="app")


def show(running: bool) -> None:
    """The panel for this session's job; it polls only while the job runs (decided on each page run)."""
    if running:
        st.session_state["lab_job_collected"] = False

    @st.fragment(run_every=POLL_S if running else None)
    def live() -> None:
        job: Job | None = st.session_state.get("lab_job")
        if job is None:
            return
        began = time.time()
        if job.running:
            drew = running_panel(job)
            lab_trace.record("panel", began, job=job.id, seed=job.params.get("seed"), events=len(job.events),
                             running=True, drew=drew)
            return
        if not st.session_state.get("lab_job_collected"):
            lab_trace.record("panel", began, job=job.id, seed=job.params.get("seed"), events=len(job.events),
                             running=False, finished_at=job.finished_at, collected=True)
        collect(job)
        if job.error:
            (st.info if job.cancelled else st.error)(job.error, icon=":material/error:")

    live()
