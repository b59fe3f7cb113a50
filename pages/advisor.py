"""Advisor: a guided interview, a few questions at a time, ending in explained recommendations."""

from __future__ import annotations

import streamlit as st

from engine import check_answers, recommend
from ui import render, shim, state
from ui.questions import ask, commit_shown, forget_widgets

PREFIX = state.PREFIX
shim.through_app()
t = state.tables()
answers = state.answers()

st.title("What should I use?")
st.markdown(
    f"Answer a few questions about your data and constraints and get a recommendation for each of "
    f"{len(t.decisions)} deep-learning decisions: "
    + ", ".join(f"**{d.title.lower()}**" for d in t.decisions.values())
    + ", each with the reason, the rule behind it and the alternatives. "
    "Unanswered questions use sensible defaults, and the page says so."
)
state.show_notices()
state.show_filled()


def _set_focus() -> None:
    st.session_state[state.FOCUS] = st.session_state["focus_widget"]
    st.session_state["step"] = 0


names = {state.ALL: f"All {len(t.decisions)} decisions"} | {d.id: d.title for d in t.decisions.values()}
st.session_state.setdefault("focus_widget", st.session_state[state.FOCUS])
# Pills rather than a select box: all choices in view, and they share the step bar's element bundle, where a
# select box made the browser fetch eight more files before the first question painted (README, start-up).
st.pills("Decide about", list(names), format_func=names.__getitem__, key="focus_widget", on_change=_set_focus,
         required=True, help="Pick one decision to be asked only the questions it needs.")
focus = st.session_state[state.FOCUS]
decisions = list(t.decisions) if focus == state.ALL else [focus]
relevant = state.relevant_questions(decisions, t)
steps = [s for s in t.steps if any(q.id in relevant for q in t.questions_in(s.id))]
last = len(steps)  # the step after the questions shows the results
titles = [s.title for s in steps] + ["Recommendations"]

if "step" not in st.session_state:
    st.session_state["step"] = last if answers else 0
st.session_state["step"] = min(st.session_state["step"], last)
step = st.session_state["step"]


def _leave_step() -> None:
    """Leaving a step answers its questions with what they show: a default the user saw and kept is their answer."""
    if step < last:
        commit_shown([q for q in t.questions_in(steps[step].id) if q.id in relevant], answers, PREFIX)


def _go(to: int) -> None:
    _leave_step()
    st.session_state["step"] = to
    st.session_state["stepper"] = to


def _from_stepper() -> None:
    if st.session_state.get("stepper") is not None:
        _leave_step()
        st.session_state["step"] = st.session_state["stepper"]


st.session_state["stepper"] = step
st.segmented_control("Interview steps", list(range(last + 1)), format_func=titles.__getitem__, key="stepper",
                     on_change=_from_stepper, required=True, label_visibility="collapsed")
done = step / last if last else 1.0
st.progress(done, text=f"Step {step + 1} of {last}: {titles[step]}" if step < last else "All steps done")

checked, errors = check_answers(answers, t)
if errors.get(""):
    st.error(errors[""])

if step < last:
    current = steps[step]
    st.header(current.title)
    if current.intro:
        st.markdown(current.intro)
    for q in t.questions_in(current.id):
        if q.id in relevant:
            ask(q, answers, PREFIX, errors.get(q.id))
    back, nxt, _ = st.columns([1, 2, 3])
    back.button("Back", on_click=_go, args=(step - 1,), disabled=step == 0, icon=":material/arrow_back:",
                width="stretch")
    nxt.button("See my recommendations" if step == last - 1 else "Next", on_click=_go, args=(step + 1,),
               type="primary", icon=":material/arrow_forward:", width="stretch")

advice = recommend(checked, decisions, t)
if step < last:
    st.divider()
    st.caption("So far, with defaults for what you have not answered yet:")
    render.summary(advice)
else:
    render.tables_scroll_sideways()  # the rule traces below are Markdown tables
    st.header("Your recommendations")
    if errors:
        bad = ", ".join(t.questions[q].label for q in errors if q)
        st.warning(f"Some answers could not be used ({bad}); the defaults stand in for them. "
                   "Fix them at their questions: the messages are shown there.", icon=":material/warning:")
    render.summary(advice)
    render.conflicts(advice)
    for rec in advice.recommendations:
        render.recommendation(rec, t.decisions[rec.decision].asks)
    st.subheader("Keep, share or compare")
    render.downloads(advice)
    st.markdown("**Link to these answers** (it reopens this interview and its recommendations):")
    state.sync_url()  # answers committed by this run's callbacks belong in the link shown
    st.code(state.share_link(), language=None)
    c1, c2 = st.columns(2)
    c1.page_link("pages/compare.py", label="Compare with another scenario", icon=":material/compare_arrows:")
    c2.page_link("pages/tables.py", label="See the decision tables", icon=":material/table_chart:")

st.divider()
if st.button("Start over", icon=":material/restart_alt:", help="Clear every answer and go back to the first step."):
    answers.clear()
    forget_widgets(PREFIX)
    _go(0)
    st.rerun()
state.sync_url()  # this run may have changed the answers (a default committed by leaving a step)
