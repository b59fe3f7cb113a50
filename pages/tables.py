"""Decision tables: each table drawn from the rules files, with the path your answers take highlighted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine import check_answers, check_table, recommend
from engine.recommend import read_inputs
from engine.schema import DecisionFile
from engine.tables import Tables, value_labels
from ui import shim, state

FIRED = "background-color: rgba(46, 160, 67, 0.25); font-weight: 600"
shim.through_app()
t = state.tables()

st.title("Decision tables")
st.markdown(
    "These are the rules the advisor follows, drawn straight from the files in `rules/`, so what you see "
    "here is exactly what the engine does. The row and the path your current answers take are highlighted; "
    "change your answers on the **Advisor** page and come back."
)

checked, _ = check_answers(state.answers(), t)
advice = recommend(checked, tables=t)


def rule_frame(table: DecisionFile, tables: Tables) -> pd.DataFrame:
    labels = {inp.id: value_labels(inp, tables.questions) for inp in table.inputs}
    rows = []
    for rule in table.rules:
        row = {"Rule": rule.id, "Then use": table.choices[rule.choice].label}  # the answer first: tables are wide
        for inp in table.inputs:
            allowed = rule.when.get(inp.id)
            row[inp.label] = " or ".join(labels[inp.id].get(v, v) for v in allowed) if allowed else "any"
        row["Cheatsheet row"] = str(rule.seed_row) if rule.seed_row else "ours"
        rows.append(row)
    return pd.DataFrame(rows).set_index("Rule")


def diagram(table: DecisionFile, facts: dict[str, str], fired: set[str]) -> str:
    """Graphviz DOT: your answers, then each rule in order, then the choices; the taken path in colour."""
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = ["digraph {", "rankdir=LR; nodesep=0.15; ranksep=0.5;",
             'node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
             'edge [color="#9aa0a6"];']
    answer_text = "\n".join(["Your answers"] + [f"{i.label}: {facts[i.id]}" for i in table.inputs])
    lines.append(f'answers [label={q(answer_text)}, shape=note, fillcolor="#e8f0fe"];')
    for rule in table.rules:
        cond = "\n".join(f"{k} = {' | '.join(v)}" for k, v in rule.when.items()) or "(always)"
        hit = rule.id in fired
        fill = 'fillcolor="#b7e4c7", penwidth=2' if hit else 'fillcolor="#ffffff"'
        lines.append(f'{q("r_" + rule.id)} [label={q(rule.id + chr(10) + cond)}, {fill}];')
        style = 'color="#2e7d32", penwidth=2.5' if hit else "style=dashed"
        lines.append(f'answers -> {q("r_" + rule.id)} [{style}];')
        lines.append(f'{q("r_" + rule.id)} -> {q("c_" + rule.choice)} [{style}];')
    chosen = {r.choice for r in table.rules if r.id in fired}
    for cid, choice in table.choices.items():
        fill = "#2e7d32" if cid in chosen else "#f1f3f4"
        font = "#ffffff" if cid in chosen else "#202124"
        lines.append(f'{q("c_" + cid)} [label={q(choice.label)}, shape=ellipse, fillcolor="{fill}", '
                     f'fontcolor="{font}"];')
    lines.append("}")
    return "\n".join(lines)


policy_text = {
    "unique": "exactly one rule can match any answers (proved by the checks below)",
    "first": "rules are tried from the top; the first that matches wins, so hard constraints come first",
    "collect": "every rule that matches fires; remedies are ranked in the order of the rules",
}
tabs = st.tabs([d.title for d in t.decisions.values()])
for tab, table in zip(tabs, t.decisions.values(), strict=True):
    with tab:
        rec = advice[table.id]
        facts = read_inputs(table, checked.values, t)
        fired = {rec.rule_id} | {r.rule_id for r in rec.also}
        st.markdown(f"**{table.asks}** From the cheatsheet's table *{table.source}*. "
                    f"Hit policy **{table.hit_policy}**: {policy_text[table.hit_policy]}.")
        st.markdown(f"With your answers: rule `{rec.rule_id}` fires, recommending **{rec.choice_label}**.")
        frame = rule_frame(table, t)
        st.dataframe(frame.style.apply(lambda row, f=fired: [FIRED if row.name in f else "" for _ in row], axis=1),
                     width="stretch")
        with st.expander("How numeric answers are binned"):
            for inp in table.inputs:
                if inp.bins:
                    source = " minus ".join(t.questions[q].label for q in inp.questions)
                    st.markdown(f"- **{inp.label}** ({source}): " + "; ".join(b.label for b in inp.bins)
                                + (f"; empty: {t.questions[inp.questions[0]].when_missing}" if inp.missing_bin else ""))
        st.graphviz_chart(diagram(table, facts, fired), width="stretch")
        problems = check_table(table, t)
        if problems:
            st.error("\n\n".join(problems))
        else:
            st.caption(f"Checked: every combination of answers matches a rule, no unintended overlap, every rule "
                       f"can fire, and all {table.seed_rows} rows of the cheatsheet's table are carried.")
