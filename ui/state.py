"""Per-user state: the interview's answers and Compare's scenarios live in session state, mirrored into the URL.

The answers dict holds what the user set (typed values), including defaults they saw and left as they
were (those are answers too); the engine fills in and reports the rest. A link's query parameters seed
the answers and scenarios once per session; anything in a link that cannot be used is dropped with a
notice naming it, never an error page. Answers filled in from elsewhere (a CSV) can be undone.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import asdict, dataclass
from typing import Any

import streamlit as st

from engine import AnswerError, Tables, check_answers, display, load_tables
from engine.answers import coerce
from ui import scenarios as scenario_link
from ui.scenarios import show_value

ANSWERS = "answers"
SCENARIOS = "scenarios"
FILLED = "answers_filled"
PREFIX = "q_"  # the Advisor's widget keys: f"{PREFIX}{question id}"

NOTICES = "url_notices"
FOCUS = "focus"
ALL = "all"
# Query parameters owned by pages rather than the interview; each page validates its own.
PAGE_PARAMS: set[str] = {FOCUS, "lab_decision", "lab_dataset", "lab_epochs", "lab_seed", "lab_seq_len",
                         "lab_seeds", "lab_examples", "lab_run"}


def tables() -> Tables:
    """The decision tables, loaded and checked once per server process (read-only, so safe to share).

    engine.load_tables memoises them itself; st.cache_resource here would add nothing but its own cost
    (it reads and tokenises this file to key the function: 7 ms of the first screen's start-up).
    """
    return load_tables()


def init() -> None:
    """Create this session's state once, seeding it from the link the user opened."""
    if ANSWERS in st.session_state:
        return
    answers, extras, notices = read_link(st.query_params.to_dict(), tables())
    st.session_state[ANSWERS] = answers
    found, problems = scenario_link.from_params(st.query_params.to_dict(), tables())
    notices += problems
    if found:
        st.session_state[SCENARIOS] = found
        st.session_state["scenario_next_id"] = len(found)
    st.session_state[NOTICES] = notices
    st.session_state["url_extras"] = extras
    focus = extras.get(FOCUS, ALL)
    st.session_state[FOCUS] = focus if focus == ALL or focus in tables().decisions else ALL
    if focus != st.session_state[FOCUS]:
        notices.append(f"Ignored focus={focus!r} from the link: expected one of {', '.join(tables().decisions)}.")


def read_link(params: dict[str, str], t: Tables) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """Split query parameters into valid answers, page parameters, and notices for what was ignored."""
    answers: dict[str, Any] = {}
    extras: dict[str, str] = {}
    notices: list[str] = []
    for key, raw in params.items():
        if key in t.questions:
            try:
                value = coerce(t.questions[key], raw)
            except AnswerError as exc:
                notices.append(f"Ignored {key}={raw!r} from the link: {str(exc).split(': ', 1)[1]}")
                continue
            if value is not None:
                answers[key] = value
        elif key in PAGE_PARAMS:
            extras[key] = raw
        elif key in scenario_link.KEYS:
            continue  # read by scenario_link.from_params
        else:
            notices.append(f"Ignored unknown link parameter {key!r}.")
    return answers, extras, notices


def answers() -> dict[str, Any]:
    return st.session_state[ANSWERS]


def set_answer(question: str, value: Any) -> None:
    if value is None or value == "":
        st.session_state[ANSWERS].pop(question, None)
    else:
        st.session_state[ANSWERS][question] = value


def sync_url(extra: dict[str, Any] | None = None) -> None:
    """Mirror the answers (and page parameters) into the address bar, so a link reopens this state."""
    extras = st.session_state.setdefault("url_extras", {})
    if extra is not None:
        extras.update({k: v for k, v in extra.items() if v is not None})
        for k in [k for k, v in extra.items() if v is None]:
            extras.pop(k, None)
    params = {k: show_value(v) for k, v in answers().items()}
    params.update(scenario_link.to_params(st.session_state.get(SCENARIOS, []), tables()))
    if st.session_state.get(FOCUS, ALL) != ALL:
        params[FOCUS] = st.session_state[FOCUS]
    params.update({k: str(v) for k, v in extras.items() if k != FOCUS})
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def share_link() -> str:
    """The address of this page with its current query string (relative when the host is unknown)."""
    from urllib.parse import urlencode

    query = urlencode(st.query_params.to_dict())
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{query}" if query else base


def show_notices() -> None:
    notices: list[str] = st.session_state.get(NOTICES, [])
    if notices:
        with st.container(border=True):
            st.warning("Some of the link could not be used, so those parts were ignored; the rest is loaded.",
                       icon=":material/link_off:")
            for n in notices:
                st.markdown(f"- {escape_md(n)}")
            if st.button("Dismiss", key="dismiss_notices"):
                st.session_state[NOTICES] = []
                st.rerun()


def escape_md(text: str) -> str:
    """Show text from a link or an upload as plain text: no Markdown or HTML from users reaches the page."""
    specials = "\\`*_{}[]<>#|~$:"  # enough to stop emphasis, links, images, tables, maths and :icons:
    return "".join("\\" + c if c in specials else c for c in str(text))


def relevant_questions(decisions: Iterable[str], t: Tables) -> set[str]:
    return {q for d in decisions for i in t.decisions[d].inputs for q in i.questions}


def forget_widgets(prefix: str, session: MutableMapping[str, Any] | None = None) -> None:
    """Drop widget state under a prefix so the widgets re-seed from their store (after a reset or a load)."""
    session = st.session_state if session is None else session
    for key in [k for k in list(session) if isinstance(k, str) and k.startswith(prefix)]:
        del session[key]


@dataclass(frozen=True)
class Change:
    """One answer replaced by a value from elsewhere, in the words the Advisor shows."""

    question: str
    label: str
    before: str
    after: str
    source: str  # which statistic of the file gave the new value, e.g. "maximum length in the file"


def fill_answers(new: Mapping[str, Any], origin: str, sources: Mapping[str, str] | None = None,
                 session: MutableMapping[str, Any] | None = None) -> list[Change]:
    """Put answers from elsewhere (a CSV's profile) into the interview, keeping the old ones for Undo.

    Returns what changed, old -> new per question; the Advisor shows the same list with an Undo button.
    `sources` names, per question, the statistic the value comes from. Answers that do not change are
    left out of the list but still become answers (so they no longer count as defaults).
    """
    session = st.session_state if session is None else session
    t = tables()
    current: dict[str, Any] = session[ANSWERS]
    before = copy.deepcopy(current)
    effective = check_answers(before, t)[0]
    changes = []
    for qid, value in new.items():
        q = t.questions[qid]
        old = display(q, effective[qid]) + ("" if qid in effective.given else " (default)")
        if qid not in effective.given or effective[qid] != value:
            changes.append(Change(qid, q.label, old, display(q, value), (sources or {}).get(qid, "")))
    current.update(new)
    session[FILLED] = {"origin": origin, "before": before, "changes": [asdict(c) for c in changes]}
    forget_widgets(PREFIX, session)
    return changes


def undo_fill(session: MutableMapping[str, Any] | None = None) -> None:
    """Put back the answers as they were before the last fill_answers."""
    session = st.session_state if session is None else session
    record = session.pop(FILLED, None)
    if record:
        session[ANSWERS].clear()
        session[ANSWERS].update(record["before"])
        forget_widgets(PREFIX, session)


def show_filled() -> None:
    """Say which answers were just filled in from elsewhere, from what statistic, with Undo."""
    record = st.session_state.get(FILLED)
    if not record:
        return
    with st.container(border=True):
        lines = [f"- **{c['label']}**: {escape_md(c['before'])} → **{escape_md(c['after'])}**"
                 + (f" ({escape_md(c['source'])})" if c["source"] else "") for c in record["changes"]]
        st.info(f"Filled from {escape_md(record['origin'])}:\n\n" + ("\n".join(lines) if lines
                else "every answer was already the same."), icon=":material/auto_fix_high:")
        undo, keep, _ = st.columns([1, 1, 2])
        undo.button("Undo", key="undo_fill", on_click=undo_fill, icon=":material/undo:", width="stretch",
                    help="Put back the answers you had before.")
        keep.button("Keep", key="keep_fill", on_click=lambda: st.session_state.pop(FILLED, None),
                    icon=":material/check:", width="stretch")
