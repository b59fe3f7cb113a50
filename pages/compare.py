"""Compare: two or three scenarios side by side, with the cells that differ from the first one highlighted.

The scenarios are kept in session state and in the link (ui/scenarios.py), so a reload or a shared link
brings them back.
"""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st

from engine import Comparison, check_answers, compare
from ui import render, shim, state
from ui.questions import ask, forget_widgets
from ui.scenarios import MAX_SCENARIOS

HIGHLIGHT = "background-color: rgba(255, 196, 0, 0.28); font-weight: 600"
shim.through_app()
t = state.tables()

st.title("Compare scenarios")
st.markdown(
    "See how the recommendations change when your situation does: for example *my data today* against "
    "*ten times more labelled data* or *on a phone with a 20 ms budget*. Each scenario is compared with the first: "
    "the cells that differ from it are highlighted."
)

scenarios: list[dict[str, Any]] = st.session_state.setdefault(state.SCENARIOS, [])


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
    recommendations_table(comparison)
    answers_table(comparison)
    why(comparison)
    c1, c2 = st.columns(2)
    c1.download_button("Download comparison (Markdown)", comparison.to_markdown(), file_name="comparison.md",
                       mime="text/markdown", icon=":material/description:", on_click="ignore")
    c2.download_button("Download comparison (JSON)", comparison.to_json(), file_name="comparison.json",
                       mime="application/json", icon=":material/data_object:", on_click="ignore")


# The row names (a decision, a question) wide enough to read whole at 1280 px ("Room for optimizer state").
ROW_NAMES = {"_index": st.column_config.TextColumn(width="medium")}


def _highlighted(rows: dict[str, list[Any]], differs: dict[str, list[bool]], columns: list[str]) -> Any:
    """A table whose cells that differ from the first scenario's are highlighted (only those cells)."""
    import pandas as pd  # only this page's tables need pandas; the Advisor's first screen does not

    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    styles = pd.DataFrame.from_dict({k: [HIGHLIGHT if d else "" for d in v] for k, v in differs.items()},
                                    orient="index", columns=columns)
    return frame.style.apply(lambda _: styles, axis=None)


def recommendations_table(comparison: Comparison) -> None:
    st.subheader("Recommendations")
    first, names = comparison.advices[0], list(comparison.names)
    rows = {r.title: [a[r.decision].choice_label for a in comparison.advices] for r in first.recommendations}
    differs = {r.title: [a[r.decision].choice != r.choice for a in comparison.advices] for r in first.recommendations}
    st.dataframe(_highlighted(rows, differs, names), width="stretch", column_config=ROW_NAMES)
    changed = len(comparison.differing_decisions())
    st.caption(f"{changed} of {len(rows)} recommendations differ; highlighted where a scenario's differs from "
               f"*{state.escape_md(names[0])}*." if changed else "Every recommendation is the same in all scenarios.")
    render.scenario_stories(names, comparison.advices)


def answers_table(comparison: Comparison) -> None:
    st.subheader("Answers")
    first, names = comparison.advices[0], list(comparison.names)
    rows = {row.pop("Question"): [row[n] for n in names] for row in comparison.answer_rows()}
    differs = {t.questions[q].label: [a.answers[q] != first.answers[q] for a in comparison.advices]
               for q in t.questions}
    st.dataframe(_highlighted(rows, differs, names), width="stretch", height=35 * (len(rows) + 1) + 3,
                 column_config=ROW_NAMES)
    st.caption("*(default)*: not answered in that scenario, so the question's default is used.")


def why(comparison: Comparison) -> None:
    """Each decision's reason, once when every scenario shares it, else once per group of scenarios that share one."""
    st.subheader("Why")
    differing = set(comparison.differing_decisions())
    for rec in comparison.advices[0].recommendations:
        st.markdown(f"**{rec.title}**" + (" :orange-badge[differs]" if rec.decision in differing else ""))
        groups: dict[tuple[str, str, str], list[str]] = {}
        for name, advice in zip(comparison.names, comparison.advices, strict=True):
            r = advice[rec.decision]
            groups.setdefault((r.choice_label, r.rule_id, r.because), []).append(name)
        for (label, rule_id, because), members in groups.items():
            who = "All scenarios" if len(groups) == 1 else ", ".join(f"*{state.escape_md(n)}*" for n in members)
            st.markdown(f"{who}: **{label}** (rule `{rule_id}`)")
            st.caption(because)


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
state.sync_url()  # names typed during this run belong in the link too
