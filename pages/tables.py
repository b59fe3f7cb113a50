"""Decision tables: each table drawn from the rules files, with every rule your answers match and the winner."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine import Recommendation, check_answers, check_table, recommend
from engine.recommend import read_inputs
from engine.schema import DecisionFile
from engine.tables import Tables, value_labels
from ui import shim, state

WINS = "background-color: rgba(46, 160, 67, 0.25); font-weight: 600"
MATCHES = "background-color: rgba(255, 196, 0, 0.22)"
shim.through_app()
t = state.tables()

st.title("Decision tables")
st.markdown(
    "These are the rules the advisor follows, drawn straight from the files in the project's rules folder, so "
    "what you see here is exactly what the engine does. Every rule your current answers match is marked, and "
    "so is the one that wins; change your answers on the **Advisor** page and come back."
)

checked, _ = check_answers(state.answers(), t)
advice = recommend(checked, tables=t)


def rule_inputs(table: DecisionFile) -> list:
    """The inputs some rule reads (inputs read only by beyond-the-cheatsheet notes are not columns)."""
    read = {i for r in table.rules for i in r.when}
    return [i for i in table.inputs if i.id in read]


def status(rec: Recommendation) -> dict[str, str]:
    """Rule id -> what it did with these answers: won, fired (collect), or matched but lost to an earlier rule."""
    winners = {rec.rule_id} | {r.rule_id for r in rec.also}
    if rec.hit_policy == "collect":
        return {r: ("fires (first pick)" if r == rec.rule_id else "fires") for r in rec.matched}
    return {r: ("wins" if r in winners else "matches, but an earlier rule wins") for r in rec.matched}


def rule_frame(table: DecisionFile, tables: Tables, did: dict[str, str]) -> pd.DataFrame:
    labels = {inp.id: value_labels(inp, tables.questions) for inp in table.inputs}
    rows = []
    for n, rule in enumerate(table.rules, start=1):
        row = {"#": n, "Rule": rule.id, "Then use": table.choices[rule.choice].label,
               "With your answers": did.get(rule.id, "")}
        for inp in rule_inputs(table):
            allowed = rule.when.get(inp.id)
            row[inp.label] = " or ".join(labels[inp.id].get(v, v) for v in allowed) if allowed else "any"
        row["Cheatsheet row"] = str(rule.seed_row) if rule.seed_row else "ours"
        rows.append(row)
    return pd.DataFrame(rows).set_index("#")


def matched_sentence(rec: Recommendation) -> str:
    """Every rule that matched and which one won, in the words of the table's hit policy."""
    m = [f"`{r}`" for r in rec.matched]
    if rec.hit_policy == "collect":
        if len(m) == 1:
            return f"With your answers one rule fires, {m[0]}, recommending **{rec.choice_label}**."
        rest = ", then ".join(f"**{r.label}**" for r in rec.also)
        return (f"With your answers {len(m)} rules fire ({', '.join(m)}): **{rec.choice_label}** first"
                + (f", then {rest}." if rest else " (they agree)."))
    if len(m) == 1:
        return f"With your answers one rule matches, `{rec.rule_id}`, recommending **{rec.choice_label}**."
    return (f"With your answers {len(m)} rules match ({', '.join(m)}); the first, `{rec.rule_id}`, wins, "
            f"recommending **{rec.choice_label}**.")


def diagram(table: DecisionFile, tables: Tables, facts: dict[str, str], did: dict[str, str]) -> str:
    """Graphviz DOT: your answers, then each rule in order, then the choices; the taken path in colour."""
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    labels = {inp.id: value_labels(inp, tables.questions) for inp in table.inputs}
    names = {inp.id: inp.label for inp in table.inputs}
    lines = ["digraph {", "rankdir=LR; nodesep=0.15; ranksep=0.5;",
             'node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
             'edge [color="#9aa0a6"];']
    shown = rule_inputs(table)
    answer_text = "\n".join(["Your answers"] + [f"{i.label}: {labels[i.id].get(facts[i.id], facts[i.id])}"
                                                for i in shown])
    lines.append(f'answers [label={q(answer_text)}, shape=note, fillcolor="#e8f0fe"];')
    for rule in table.rules:
        cond = "\n".join(f"{names[k]}: {' or '.join(labels[k].get(x, x) for x in v)}"
                         for k, v in rule.when.items()) or "(any answers)"
        won = did.get(rule.id, "").startswith(("wins", "fires"))
        lost = rule.id in did and not won
        fill = ('fillcolor="#b7e4c7", penwidth=2' if won else 'fillcolor="#ffe8a3"' if lost
                else 'fillcolor="#ffffff"')
        node = q("r_" + rule.id)  # a node's id, never shown; its label is what people read
        lines.append(f"{node} [label={q(rule.id + chr(10) + cond)}, {fill}];")
        style = 'color="#2e7d32", penwidth=2.5' if won else 'color="#c99a00"' if lost else "style=dashed"
        lines.append(f"answers -> {node} [{style}];")
        lines.append(f"{node} -> {q('c_' + rule.choice)} [{style if not lost else 'style=dashed'}];")
    chosen = {r.choice for r in table.rules if did.get(r.id, "").startswith(("wins", "fires"))}
    for cid, choice in table.choices.items():
        fill = "#2e7d32" if cid in chosen else "#f1f3f4"
        font = "#ffffff" if cid in chosen else "#202124"
        lines.append(f'{q("c_" + cid)} [label={q(choice.label)}, shape=ellipse, fillcolor="{fill}", '
                     f'fontcolor="{font}"];')
    lines.append("}")
    return "\n".join(lines)


def diagram_as_text(table: DecisionFile, tables: Tables, did: dict[str, str]) -> str:
    """The diagram's content as a numbered list: readable on a phone without zooming."""
    labels = {inp.id: value_labels(inp, tables.questions) for inp in table.inputs}
    names = {inp.id: inp.label for inp in table.inputs}
    lines = []
    for n, rule in enumerate(table.rules, start=1):
        cond = " and ".join(f"{names[k]} is {' or '.join(labels[k].get(x, x) for x in v)}"
                            for k, v in rule.when.items()) or "any answers"
        mark = f" (**{did[rule.id]}**)" if rule.id in did else ""
        lines.append(f"{n}. If {cond}: **{table.choices[rule.choice].label}**{mark}")
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
        did = status(rec)
        st.markdown(f"**{table.asks}** From the cheatsheet's table *{table.source}*. "
                    f"Hit policy **{table.hit_policy}**: {policy_text[table.hit_policy]}.")
        st.markdown(matched_sentence(rec))
        for o in rec.overridden:
            st.warning(f"**A goal lost here.** {o.sentence()}", icon=":material/swap_horiz:")
        frame = rule_frame(table, t, did)
        # st.table wraps long cells instead of clipping them, and scrolls sideways on a narrow screen
        st.table(frame.style.apply(
            lambda row, d=did: [WINS if d.get(row["Rule"], "").startswith(("wins", "fires")) else
                                MATCHES if row["Rule"] in d else "" for _ in row], axis=1))
        with st.expander("How numeric answers are binned"):
            for inp in table.inputs:
                if inp.bins:
                    joiner = " divided by " if inp.ratio_of else " minus "
                    source = joiner.join(t.questions[q].label for q in inp.questions)
                    st.markdown(f"- **{inp.label}** ({source}): " + "; ".join(b.label for b in inp.bins)
                                + (f"; empty: {t.questions[inp.questions[0]].when_missing}" if inp.missing_bin else ""))
        st.graphviz_chart(diagram(table, t, facts, did), width="stretch")
        with st.expander("The diagram as a list (easier to read on a small screen)"):
            st.markdown(diagram_as_text(table, t, did))
        if table.beyond:
            with st.expander(f"Beyond the cheatsheet: {len(table.beyond)} note(s) on current practice"):
                for n in table.beyond:
                    st.markdown(f"- **{n.applies_when}:** {n.text} *Source: {n.source}.*")
        problems = check_table(table, t)
        if problems:
            st.error("\n\n".join(problems))
        else:
            st.caption(f"Checked: every combination of answers matches a rule, no unintended overlap, every rule "
                       f"can fire, and all {table.seed_rows} rows of the cheatsheet's table are carried.")
