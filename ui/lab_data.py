"""The Lab's side sections: settings from a link, the CSV upload with its profile, the scaling experiment."""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine import lab as lab_engine
from engine.errors import DataError
from engine.lab.data.datasets import DATASETS
from engine.lab.running import situation as situation_lab
from engine.lab.scaling.experiment import DEFAULT_LENGTHS
from ui import profile_charts, scaling_charts, state
from ui.jobs import Job

MAX_EPOCHS = 30
MAX_SEEDS = 10
DEFAULT_SEEDS = 3


def seed_settings_from_link(extras: dict[str, str]) -> list[str]:
    """Put the link's lab_* parameters into the Lab's widgets; return a notice for each one ignored."""
    notices: list[str] = []

    def ignore(key: str, why: str) -> None:
        notices.append(f"Ignored {key}={state.escape_md(repr(extras[key]))} from the link: {why}")

    decision = extras.get("lab_decision", lab_engine.DECISIONS[0])
    if decision not in lab_engine.DECISIONS:
        ignore("lab_decision", f"expected one of {', '.join(lab_engine.DECISIONS)}.")
        decision = lab_engine.DECISIONS[0]
    st.session_state["lab_decision"] = decision
    names = [d.name for d in lab_engine.list_datasets(decision)]
    if "lab_dataset" in extras:
        if extras["lab_dataset"] in names:
            st.session_state["lab_dataset"] = extras["lab_dataset"]
        else:
            ignore("lab_dataset", f"for {decision} expected one of {', '.join(names)}.")
    st.session_state.setdefault("lab_seeds", DEFAULT_SEEDS)
    limits = (("lab_epochs", 1, MAX_EPOCHS), ("lab_seed", 0, 1_000_000), ("lab_seq_len", 4, situation_lab.MAX_SEQ_LEN),
              ("lab_seeds", 1, MAX_SEEDS), ("lab_examples", 20, max(d.max_labelled for d in DATASETS.values())))
    for key, low, high in limits:
        if key not in extras:
            continue
        try:
            value = int(extras[key])
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            ignore(key, f"expected a whole number from {low:,} to {high:,}.")
            continue
        if key in ("lab_seq_len", "lab_examples"):
            dataset = st.session_state.get("lab_dataset", names[0])
            most = DATASETS[dataset].max_labelled if dataset in DATASETS else high
            if key == "lab_examples" and value > most:
                ignore(key, f"{dataset} trains on at most {most:,} here.")
                continue
            key = f"{key}_{dataset}"
        st.session_state[key] = value
    return notices


def show_run(result: Any) -> None:
    """Add a finished or loaded run to this session's results and show it (its id goes into the link)."""
    runs = st.session_state.setdefault("lab_runs", [])
    runs.append(result)
    st.session_state["lab_shown"] = len(runs) - 1
    st.session_state.pop("lab_shown_widget", None)  # the selectbox follows lab_shown, not its old value


def _load(run_dir: Any) -> Any:
    try:
        result = lab_engine.load_result(run_dir)
    except ValueError:  # damaged or foreign result.json (pydantic and json errors are ValueErrors)
        return None
    if result is not None and str(result.run_dir) != str(run_dir):  # the folder was moved: it is where it is now
        result = result.model_copy(update={"run_dir": str(run_dir)})
    return result


def restore_run_from_link(extras: dict[str, str]) -> list[str]:
    """Bring back the run named by the link's lab_run (a stored run's id), once per session."""
    run_id = extras.get("lab_run")
    if not run_id or st.session_state.get("lab_runs"):
        return []
    found = next((p for p in lab_engine.finished_runs(lab_engine.runs_root()) if p.name == run_id), None)
    result = _load(found) if found is not None else None
    if result is None:
        extras.pop("lab_run", None)
        return [f"Ignored lab_run={state.escape_md(repr(run_id))} from the link: no finished run with that id is "
                "stored on this server (runs are kept in its runs folder; it may have been cleared)."]
    show_run(result)
    return []


def earlier_runs(decision: str) -> None:
    """Finished runs of `decision` saved on this server (also from before a restart); unfinished ones never show."""
    saved = [p for p in lab_engine.finished_runs(lab_engine.runs_root()) if f"-{decision}-" in p.name][:20]
    if not saved:
        return
    with st.expander(f"Earlier runs of this decision saved on this server ({len(saved)})"):
        pick = st.selectbox("Run folder", saved, format_func=lambda p: p.name, key="lab_saved_pick")
        if st.button("Load this run", icon=":material/history:", key="lab_saved_load"):
            result = _load(pick)
            if result is None:
                st.error(f"{pick.name} has no readable finished result; it was not loaded.", icon=":material/error:")
                return
            show_run(result)
            st.rerun()


def upload_section() -> None:
    st.markdown("Upload a CSV with a text column and a label column: the Lab profiles it, can train on it, "
                "and can fill the Advisor's answers from it. Up to 5 MB; nothing leaves this server.")
    upload = st.file_uploader("CSV file", type=["csv"], key="lab_upload")
    if upload is not None and upload.file_id != st.session_state.get("lab_upload_id"):
        st.session_state["lab_upload_id"] = upload.file_id
        try:
            st.session_state["lab_csv"] = lab_engine.load_csv(upload.getvalue(), name=upload.name)
            st.session_state.pop("lab_upload_error", None)
            st.rerun()  # the data choice above is drawn before this section: redraw it with the new file
        except DataError as exc:
            st.session_state["lab_upload_error"] = str(exc)
    if st.session_state.get("lab_upload_error"):
        st.error(state.escape_md(st.session_state["lab_upload_error"]), icon=":material/error:")
        if st.session_state.get("lab_csv") is not None:
            st.caption("Your previously loaded file is still in use.")
    source = st.session_state.get("lab_csv")
    if source is None:
        return
    c1, c2 = st.columns(2)
    text_col = c1.selectbox("Text column", source.columns, index=source.columns.index(source.text_column),
                            key="lab_text_col")
    label_col = c2.selectbox("Label column", source.columns, index=source.columns.index(source.label_column),
                             key="lab_label_col")
    if (text_col, label_col) != (source.text_column, source.label_column):
        try:
            source = source.select(text_col, label_col)
            st.session_state["lab_csv"] = source
        except DataError as exc:
            st.error(state.escape_md(str(exc)), icon=":material/error:")
            return
    profile = lab_engine.profile_csv(source)
    show_profile(profile)
    if st.button("Use these numbers in the Advisor", icon=":material/auto_fix_high:",
                 help="Fills vocabulary size, labelled examples and lengths from this file."):
        state.fill_answers(profile.to_answers(), origin=f"your CSV {profile.name}", sources=profile.answer_sources())
        st.session_state["step"] = 10_000  # the Advisor clamps this to its results step
        st.switch_page("pages/advisor.py")


def show_profile(profile: Any) -> None:
    m = st.columns(4)
    m[0].metric("Rows", f"{profile.rows:,}")
    m[1].metric("Vocabulary", f"{profile.vocab_size:,} words")
    m[2].metric("Median length", f"{profile.length_median} words")
    m[3].metric("95th percentile", f"{profile.length_p95} words")
    hist = profile_charts.length_histogram(profile.lengths)
    bars = profile_charts.class_balance(profile.class_counts)
    left, right = st.columns(2)
    left.altair_chart(hist, width="stretch")
    right.altair_chart(bars, width="stretch")


def scaling_section() -> None:
    st.markdown("The cheatsheet says attention costs O(n²) in sequence length and an RNN O(n). This measures it: "
                "one batch through an LSTM layer and through a self-attention layer at lengths "
                f"{DEFAULT_LENGTHS[0]:,} to {DEFAULT_LENGTHS[-1]:,} tokens, then fits how the time grows on the "
                "longest lengths, where attention's quadratic term dominates.")
    job: Job | None = st.session_state.get("lab_scaling_job")
    running = job is not None and job.running
    if st.button("Measure", icon=":material/speed:", disabled=running, key="lab_scaling_go"):
        job = Job("scaling", "scaling experiment", {}).start(lambda emit, stop: lab_engine.scaling_experiment())
        st.session_state["lab_scaling_job"] = job
        running = True

    # Once a second, like the live panel: every poll is a script run that all sessions' polls share a GIL with.
    @st.fragment(run_every=1.0 if running else None)
    def panel() -> None:
        job: Job | None = st.session_state.get("lab_scaling_job")
        if job is None:
            return
        if job.running:
            st.info("Measuring (waits its turn if another session is training)...", icon=":material/hourglass_top:")
            return
        if job.error:
            st.error(job.error, icon=":material/error:")
            return
        result = job.result
        for chart in scaling_charts.charts(result):
            st.altair_chart(chart, width="stretch")
        st.markdown(result.verdict)
        st.markdown(scaling_charts.notes_markdown(result))
        st.dataframe(result.to_frame(), hide_index=True, width="stretch")

    panel()
