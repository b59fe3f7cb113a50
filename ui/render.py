"""Draw engine results: a recommendation with its reason, the rule that fired, and the alternatives."""

from __future__ import annotations

import streamlit as st

from engine import Advice, Recommendation
from engine.decisions import LAB as LAB_DECISIONS
from engine.decisions import icon

# Wide Markdown tables (a rule's conditions, the Review's tables) scroll inside their own box on a phone
# instead of being cut off at the screen's edge. A constant style sheet: no user text goes into it.
TABLES_SCROLL = ("<style>[data-testid='stMarkdownContainer'] table {display: block; max-width: 100%; overflow-x: auto}"
                 "</style>")


def tables_scroll_sideways() -> None:
    """Let this page's wide Markdown tables scroll sideways in their own box.

    Only pages that draw such tables ask for it: st.html is one of the element bundles a browser fetches
    before the page paints, and the Advisor's first screen is faster without it (README, start-up).
    """
    st.html(TABLES_SCROLL)


def trace_markdown(rec: Recommendation) -> str:
    """The fired rule's conditions with the user's answers read against them, as a Markdown table.

    Markdown rather than a dataframe keeps pandas and Arrow off the Advisor page, which starts faster.
    """
    lines = ["| Input | Your answer | Read as | Rule needs | Holds |", "|---|---|---|---|---|"]
    for c in rec.trace:
        answer = c.answer + (" *(assumed)*" if c.assumed else "")
        lines.append(f"| {c.label} | {answer} | {c.read_as_label} | {' or '.join(c.expected_labels)} | "
                     f"{'✔' if c.met else '✘'} |")
    return "\n".join(lines)


def summary(advice: Advice) -> None:
    """One card per decision with just the recommended choice: the answer at a glance."""
    recs = advice.recommendations
    per_row = 3  # six cards in one row leave each too narrow to read at 1280 px
    for start in range(0, len(recs), per_row):
        cols = st.columns(per_row)
        for col, rec in zip(cols, recs[start:start + per_row], strict=False):
            with col.container(border=True):
                st.caption(rec.title)
                st.markdown(f"{icon(rec.decision)} **{rec.choice_label}**")


def recommendation(rec: Recommendation, asks: str = "") -> None:
    """The full explanation of one decision."""
    with st.container(border=True):
        st.subheader(f"{icon(rec.decision)} {rec.title}", anchor=rec.decision)
        if asks:
            st.caption(asks)
        st.success(f"**Use: {rec.choice_label}**", icon=":material/check_circle:")
        st.markdown(rec.because)
        for o in rec.overridden:
            st.warning(f"**A goal lost here.** {o.sentence()}", icon=":material/swap_horiz:")
        if rec.also:
            st.markdown("**Also worth doing, in this order:**\n\n"
                        + "\n".join(f"{i}. **{r.label}**: {r.because}" for i, r in enumerate(rec.also, start=1)))
        beyond(rec)
        with st.expander(f"Why: rule `{rec.rule_id}` and how your answers were read"):
            st.markdown(f"Rule `{rec.rule_id}` fired: {rec.basis}. Hit policy: **{rec.hit_policy}**.")
            if rec.trace:
                st.markdown(trace_markdown(rec))
            else:
                st.markdown("This rule has no conditions: it applies to any answers.")
        if rec.alternatives:
            st.markdown("**Alternatives, and when each would win:**")
            st.markdown("\n".join(f"- **{a.label}**: {a.when}" for a in rec.alternatives))
        if rec.decision in LAB_DECISIONS:
            st.button("Show me: train it against the alternatives", key=f"show_me_{rec.decision}",
                      on_click=_to_lab, args=(rec.decision,), icon=":material/science:",
                      help="Opens the Lab with this decision, ready to train the recommended model and each "
                           "alternative.")
        else:
            st.caption("The Lab has no comparison for this decision yet.")
        if st.session_state.get("go_to_lab"):
            st.session_state.pop("go_to_lab")
            st.switch_page("pages/lab.py")
        if rec.assumptions:
            st.caption("Assumed because not answered: " + "; ".join(
                f"{a.label or a.question}: {a.note.removeprefix('not answered; ')}" for a in rec.assumptions))


def beyond(rec: Recommendation) -> None:
    """Current practice past the cheatsheet, always labelled as such, with its condition and source."""
    if not rec.beyond_the_cheatsheet:
        return
    with st.container(border=True):
        st.markdown(":violet-badge[:material/auto_awesome: Beyond the cheatsheet] current practice the source "
                    "does not cover")
        for n in rec.beyond_the_cheatsheet:
            st.markdown(f"**{n.applies_when}:** {n.text}")
            st.caption(f"Source: {n.source}")


def conflicts(advice: Advice, scenario: str = "") -> None:
    """One scenario, one story: recommendations that seem to disagree, and how they fit together."""
    if not advice.conflicts:
        return
    with st.container(border=True):
        where = f"In *{scenario.replace('*', '')}*, some" if scenario else "Some"
        st.markdown(f"**One scenario, one story.** {where} recommendations answer different questions and "
                    "seem to disagree; here is how they fit together.")
        st.markdown("\n".join(f"- {c.sentence()}" for c in advice.conflicts))


def scenario_stories(names: list[str], advices: tuple[Advice, ...]) -> None:
    """The one-story check for each compared scenario that needs it."""
    for name, advice in zip(names, advices, strict=True):
        conflicts(advice, name)


def _to_lab(decision: str) -> None:
    st.session_state["lab_decision"] = decision
    st.session_state["go_to_lab"] = True


def downloads(advice: Advice, stem: str = "recommendation", key: str = "advice") -> None:
    c1, c2 = st.columns(2)
    c1.download_button("Download report (Markdown)", advice.to_markdown(), file_name=f"{stem}.md",
                       mime="text/markdown", icon=":material/description:", key=f"{key}_md", on_click="ignore")
    c2.download_button("Download data (JSON)", advice.to_json(), file_name=f"{stem}.json",
                       mime="application/json", icon=":material/data_object:", key=f"{key}_json", on_click="ignore")
