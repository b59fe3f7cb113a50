"""Compare: two or three scenarios side by side, with what differs highlighted."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import streamlit as st

from engine import check_answers, compare
from ui import render, shim, state
from ui.questions import ask, forget_widgets

MAX_SCENARIOS = 3
HIGHLIGHT = "background-color: rgba(255, 196, 0, 0.28); font-weight: 600"
shim.through_app()
t = state.tables()

st.title("Compare scenarios")
st.markdown(
    "See how the recommendations change when your situation does: for example *my data today* against "
    "*ten times more labelled data* or *on a phone with a 20 ms budget*. Rows that differ are highlighted."
)

scenarios: list[dict[str, Any]] = st.session_state.setdefault("scenarios", [])


def _add(name: str, answers: dict[str, Any]) -> None:
    next_id = st.session_state.get("scenario_next_id", 0)
    st.session_state["scenario_next_id"] = next_id + 1
    scenarios.append({"id": next_id, "name": name, "answers": copy.deepcopy(answers)})


def _variant(change: dict[str, Any]) -> dict[str, Any]:
    base = dict(state.answers())
    base.update(change)
    return base


def _remove(index: int) -> None:
    forget_widgets(f"s{scenarios[index]['id']}_")
    del scenarios[index]


if not scenarios:
    _add("My data today", state.answers())

current = check_answers(state.answers(), t)[0]
tenfold = int(current["labelled_examples"]) * 10
# name: (change to the current interview's answers, what it means)
presets = {
    "Current interview": ({}, "Your answers on the Advisor page, as they are now."),
    "10x labelled data": ({"labelled_examples": min(tenfold, int(t.questions["labelled_examples"].max or 0))},
                          "Your answers, with ten times as many labelled examples."),
    "Phone, 20 ms": ({"latency_budget_ms": 20.0, "gpu_memory_gb": 0.0},
                     "Your answers, deployed on a phone: no GPU and 20 ms per prediction."),
    "Long documents": ({"typical_length": 1500, "max_length": 4000},
                       "Your answers, with documents of about 1,500 tokens and up to 4,000."),
}
def scenario_comparison() -> None:
    full = len(scenarios) >= MAX_SCENARIOS
    st.markdown("**Add a scenario**" + (f" (at most {MAX_SCENARIOS}; remove one to add another)" if full else ""))
    cols = st.columns(len(presets))
    for col, (name, (change, meaning)) in zip(cols, presets.items(), strict=True):
        col.button(name, on_click=_add, args=(name, _variant(change)), disabled=full, width="stretch",
                   key=f"add_{name}", icon=":material/add:", help=meaning)
    st.subheader("Scenarios")
    cols = st.columns(len(scenarios))
    all_errors: dict[str, dict[str, str]] = {}
    for index, (col, scenario) in enumerate(zip(cols, scenarios, strict=True)):
        prefix = f"s{scenario['id']}_"
        with col.container(border=True):
            name_key = f"{prefix}name"
            st.session_state.setdefault(name_key, scenario["name"])
            scenario["name"] = st.text_input("Name", key=name_key).strip() or f"Scenario {index + 1}"
            b1, b2 = st.columns(2)
            b1.button("Duplicate", key=f"{prefix}dup", on_click=_add,
                      args=(f"{scenario['name']} (copy)", scenario["answers"]), disabled=full, width="stretch",
                      icon=":material/content_copy:")
            b2.button("Remove", key=f"{prefix}rm", on_click=_remove, args=(index,), width="stretch",
                      icon=":material/delete:")
            _, errors = check_answers(scenario["answers"], t)
            all_errors[scenario["name"]] = errors
            with st.expander("Edit answers", expanded=bool(errors)):
                for step in t.steps:
                    st.markdown(f"**{step.title}**")
                    for q in t.questions_in(step.id):
                        ask(q, scenario["answers"], prefix, errors.get(q.id), compact=True)

    if len(scenarios) < 2:
        st.info("Add a second scenario to compare: use one of the buttons above, or duplicate a scenario and edit it.",
                icon=":material/info:")
        return

    names = [s["name"] for s in scenarios]
    if len(set(names)) < len(names):
        st.warning("Two scenarios share a name; rename one so the columns can be told apart.",
                   icon=":material/warning:")
        return
    bad = {n: e for n, e in all_errors.items() if e}
    if bad:
        for name, errors in bad.items():
            st.warning(f"Scenario **{state.escape_md(name)}**: some answers could not be used and the defaults "
                       "stand in: " + " ".join(errors.values()), icon=":material/warning:")
    comparison = compare([(s["name"], check_answers(s["answers"], t)[0]) for s in scenarios], t)


    def _highlight(frame: pd.DataFrame, rows: set[str]) -> pd.io.formats.style.Styler:
        return frame.style.apply(lambda row: [HIGHLIGHT if row.name in rows else "" for _ in row], axis=1)


    st.subheader("Recommendations")
    decisions = {r.decision: r.title for r in comparison.advices[0].recommendations}
    recs = pd.DataFrame({n: [a[d].choice_label for d in decisions] for n, a in zip(names, comparison.advices,
                                                                                      strict=True)},
                        index=list(decisions.values()))
    changed = {decisions[d] for d in comparison.differing_decisions()}
    st.dataframe(_highlight(recs, changed), width="stretch")
    st.caption(f"{len(changed)} of {len(decisions)} recommendations differ." if changed
               else "Every recommendation is the same in all scenarios.")
    render.scenario_stories(names, comparison.advices)

    st.subheader("Answers")
    answers = pd.DataFrame(comparison.answer_rows()).set_index("Question")
    changed_q = {t.questions[q].label for q in comparison.differing_answers()}
    st.dataframe(_highlight(answers, changed_q), width="stretch", height=35 * (len(answers) + 1) + 3)

    st.subheader("Why")
    for decision, title in decisions.items():
        differs = decision in comparison.differing_decisions()
        st.markdown(f"**{title}**" + (" :orange-badge[differs]" if differs else ""))
        cols = st.columns(len(names))
        for col, name, advice in zip(cols, names, comparison.advices, strict=True):
            rec = advice[decision]
            col.markdown(f"*{state.escape_md(name)}*: **{rec.choice_label}** (rule `{rec.rule_id}`)")
            col.caption(rec.because)

    c1, c2 = st.columns(2)
    c1.download_button("Download comparison (Markdown)", comparison.to_markdown(), file_name="comparison.md",
                       mime="text/markdown", icon=":material/description:", on_click="ignore")
    c2.download_button("Download comparison (JSON)", comparison.to_json(), file_name="comparison.json",
                       mime="application/json", icon=":material/data_object:", on_click="ignore")


def lab_runs_comparison() -> None:
    """Two finished Lab runs side by side: their verdicts and per-candidate numbers."""
    from ui import lab_view

    runs = st.session_state.get("lab_runs", [])
    if len(runs) < 2:
        st.info("Train at least two comparisons on the **Lab** page (for example the same decision with two "
                "seeds or sequence lengths) and they can be compared here.", icon=":material/science:")
        return
    labels = [f"Run {i + 1}: {r.decision} on {r.dataset}, seed {r.seed}, "
              + ", ".join(f"{k}={v}" for k, v in r.settings.items() if k in ("seq_len", "epochs")) for i, r in
              enumerate(runs)]
    cols = st.columns(2)
    for col, default, key in ((cols[0], len(runs) - 2, "cmp_run_a"), (cols[1], len(runs) - 1, "cmp_run_b")):
        with col:
            index = st.selectbox("Run", range(len(runs)), index=default, format_func=labels.__getitem__, key=key)
            result = runs[index]
            lab_view.verdict(result)
            st.dataframe(lab_view.candidates_table(result.to_frame()), hide_index=True, width="stretch")
            st.caption(f"Wall time {result.wall_seconds:.1f} s.")


scenarios_tab, runs_tab = st.tabs(["Scenarios", "Lab runs"])
with scenarios_tab:
    scenario_comparison()
with runs_tab:
    lab_runs_comparison()
