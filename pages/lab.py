"""Lab: train the recommended model and its alternatives, changing one decision, and watch the trade-off."""

from __future__ import annotations

import time

import streamlit as st

from engine import check_answers, recommend
from engine import lab as lab_engine
from engine.evidence.sweeps import SWEEPS
from engine.lab.decisions import train_config
from engine.lab.running import situation as situation_lab
from ui import evidence_view, lab_data, lab_live, lab_trace, lab_view, shim, state
from ui.jobs import Job

page_began = time.time()
shim.through_app()
t = state.tables()


@st.cache_resource
def _warm_up_trainer() -> bool:
    """Start the training worker (it loads TensorFlow, seconds) as soon as someone opens the Lab."""
    lab_engine.warm_up()
    return True


_warm_up_trainer()

st.title("Lab: see the trade-off")
st.markdown(
    "Pick a decision and the Lab trains the recommended model **and** each alternative on the same data, "
    "with the same seeds, training settings and epochs, so the only difference between them is that one decision. "
    "Curves appear epoch by epoch; every number is measured in this run, on this machine's CPU."
)

# ---------------------------------------------------------------- settings (seeded once from the link)
if "lab_decision" not in st.session_state:
    st.session_state["lab_notices"] = lab_data.seed_settings_from_link(st.session_state.get("url_extras", {}))
    st.session_state["lab_notices"] += lab_data.restore_run_from_link(st.session_state.get("url_extras", {}))
for notice in st.session_state.pop("lab_notices", []):
    st.warning(notice, icon=":material/link_off:")

decision = st.selectbox("Decision", lab_engine.DECISIONS, key="lab_decision",
                        format_func=lambda d: t.decisions[d].title)
csv_source = st.session_state.get("lab_csv")
options = [d.name for d in lab_engine.list_datasets(decision)] + (["csv"] if csv_source else [])
titles = {d.name: d.title + (" (default)" if i == 0 else "") for i, d in enumerate(lab_engine.list_datasets(decision))}
titles["csv"] = f"Your CSV: {state.escape_md(csv_source.name)}" if csv_source else "Your CSV"  # a user's name
if st.session_state.get("lab_dataset") not in options:
    st.session_state["lab_dataset"] = options[0]
dataset = st.radio("Data", options, key="lab_dataset", format_func=titles.__getitem__, horizontal=True)
info = next((d for d in lab_engine.list_datasets(decision) if d.name == dataset), None)
if info:
    with st.expander("How this data set is made, and why it shows the effect"):
        st.markdown(info.description)

# The user's situation: the interview's length and labelled examples, where this data set can be made at them.
situation, situation_notes = ({}, []) if dataset == "csv" else situation_lab.settings_for(decision, dataset,
                                                                                      state.answers())
c1, c2, c3, c4, c5 = st.columns(5)
st.session_state.setdefault("lab_epochs", train_config(decision).epochs)
epochs = c1.slider("Epochs per candidate", 1, lab_data.MAX_EPOCHS, key="lab_epochs")
seq_default = info.settings.get("seq_len") if info else None
seq_len = None
if seq_default is not None:
    st.session_state.setdefault(f"lab_seq_len_{dataset}", int(situation.get("seq_len", seq_default)))
    seq_len = c2.number_input("Sequence length (tokens)", 4, situation_lab.MAX_SEQ_LEN, step=1,
                              key=f"lab_seq_len_{dataset}",
                              help="Longer sequences make long-range memory harder and attention costlier. "
                                   "Starts at your interview's typical length where the data set allows.")
size_key = info.size if info is not None else None
examples = None
if size_key is not None and info is not None:
    key, factor = size_key
    st.session_state.setdefault(f"lab_examples_{dataset}", int(round(situation.get(key, info.settings[key])
                                                                       / factor)))
    examples = c3.number_input("Labelled examples", 20, info.max_labelled, step=10,
                               key=f"lab_examples_{dataset}",
                               help="How many examples the candidates train on. Starts at your interview's "
                                    "number where the data set allows.")
seeds = c4.number_input("Seeds", 1, lab_data.MAX_SEEDS, step=1, key="lab_seeds",
                        help="Each candidate trains once per seed (its own data draw, batch order and starting "
                             "weights), so you see how much a result moves by chance. The seeds of one "
                             "candidate train together as one seed-stacked model: 3 seeds cost 1.06-1.61x one "
                             "seed on 2 cores, not 3x (measured 2026-12-04 on two CPUs, bench/bench_seed_floor.py "
                             "and bench_stacked_seeds.py; the faster the CPU, the more the fixed costs weigh).")
seed = c5.number_input("First seed", 0, 1_000_000, step=1, key="lab_seed",
                       help="Same seeds and settings, same numbers: share the link to reproduce this experiment.")
for note in situation_notes:
    st.caption(state.escape_md(note))
state.sync_url({"lab_decision": decision, "lab_dataset": dataset, "lab_epochs": epochs, "lab_seed": seed,
                "lab_seq_len": seq_len, "lab_seeds": seeds, "lab_examples": examples})

checked, _ = check_answers(state.answers(), t)
advised = recommend(checked, decision, t)[decision]
st.markdown(f"For your Advisor answers the recommendation is **{advised.choice_label}**. After the run, ★ marks "
            "what the same rules recommend for the data actually trained on (its length, size and vocabulary); "
            "when the two differ, the results say so and why.")

# ---------------------------------------------------------------- training job
def start_training(params: dict, title: str, reuse: bool = True) -> None:
    """Start a comparison in the background; `reuse` offers a stored identical run at once (sharing.py)."""
    specs = lab_engine.candidates(params["decision"])
    job = Job("train", title, {"seed": params["seed"], "epochs": params["epochs"], "candidates": len(specs),
                               "seeds": params["seeds"], "labels": {c.choice: c.label for c in specs},
                               "order": [c.label for c in specs]})
    st.session_state["lab_job"] = job.start(
        lambda emit, stop, p=params: lab_engine.train_comparison(lab_engine.TrainRequest.make(**p), on_progress=emit,
                                                                 stop=stop, reuse=reuse))


job: Job | None = st.session_state.get("lab_job")
running = job is not None and job.running
if st.button("Train and compare", type="primary", icon=":material/play_arrow:", disabled=running):
    settings = {}
    if examples is not None and size_key is not None:
        settings, _ = situation_lab.settings_for(decision, dataset, {"labelled_examples": int(examples)})
        settings.pop("seq_len", None)
    params = {"decision": decision, "dataset": None if dataset == "csv" else dataset,
              "csv": csv_source if dataset == "csv" else None, "epochs": int(epochs), "seed": int(seed),
              "seeds": int(seeds), "seq_len": int(seq_len) if seq_len else None, "settings": settings,
              "recommended": advised.choice, "answers": dict(state.answers())}
    st.session_state["lab_last"] = (params, f"{t.decisions[decision].title} on {titles[dataset]}")
    start_training(*st.session_state["lab_last"])
    st.rerun()  # redraw the page with the button disabled and the live panel polling


lab_live.show(running)

# ---------------------------------------------------------------- results
runs = st.session_state.get("lab_runs", [])
if runs:
    st.header("Results")
    labels = [f"Run {i + 1}: {t.decisions[r.decision].title} on {r.dataset}, "
              + (f"seeds {r.seed_list[0]}-{r.seed_list[-1]}" if len(r.seed_list) > 1 else f"seed {r.seed}")
              for i, r in enumerate(runs)]
    shown = st.selectbox("Show", range(len(runs)), index=st.session_state.get("lab_shown", len(runs) - 1),
                         format_func=labels.__getitem__, key="lab_shown_widget")
    st.session_state["lab_shown"] = shown
    state.sync_url({"lab_run": runs[shown].run_id})  # a reload or a shared link brings this run back
    measured = lab_engine.provenance(runs[shown])
    last_job, last = st.session_state.get("lab_job"), st.session_state.get("lab_last")
    was_stored = last_job is not None and any(getattr(e, "phase", "") == "reused" for e in last_job.events)
    if measured is not None:
        st.caption(("This exact experiment was stored already, so it was shown at once. " if was_stored else "")
                   + measured.sentence())
    again = was_stored and last is not None and shown == len(runs) - 1 and not running
    if again and st.button("Run it again (measure anew on this machine)", icon=":material/replay:"):
        start_training(*last, reuse=False)
        st.rerun()
    lab_view.comparison(runs[shown], key=f"run{shown}")
    if len(runs) >= 2:
        st.page_link("pages/compare.py", label="Compare two runs side by side", icon=":material/compare_arrows:")

lab_trace.record("page", page_began, job=job.id if job else None, seed=job.params.get("seed") if job else None,
                 runs=len(runs), running=running)  # bench/load_test.py: when the server had drawn a result
lab_data.earlier_runs(decision)

# ---------------------------------------------------------------- the evidence bank
if decision in SWEEPS:
    sweep = SWEEPS[decision]
    with st.expander(f"Stored evidence: {t.decisions[decision].title.lower()} along {sweep.quantity}, "
                     f"{sweep.seeds} seeds a point"):
        choice_labels = {c: choice.label for c, choice in t.decisions[decision].choices.items()}
        evidence_view.evidence(decision, choice_labels, answers=state.answers())
with st.expander("Published results, and whether this machine reproduces them"):
    evidence_view.published(decision)

# ---------------------------------------------------------------- your data, and scaling
st.header("Your data")
lab_data.upload_section()
st.header("How cost grows with sequence length")
lab_data.scaling_section()
