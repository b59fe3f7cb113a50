"""Per-user state: the interview's answers live in session state and are mirrored into the URL.

The answers dict holds only what the user set (typed values); the engine fills in and reports
defaults. A link's query parameters seed the answers once per session; anything in a link that
cannot be used is dropped with a notice naming it, never an error page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from engine import AnswerError, Tables, load_tables
from engine.answers import coerce

ANSWERS = "answers"
NOTICES = "url_notices"
FOCUS = "focus"
ALL = "all"
# Query parameters owned by pages rather than the interview; each page validates its own.
PAGE_PARAMS: set[str] = {FOCUS, "lab_decision", "lab_dataset", "lab_epochs", "lab_seed", "lab_seq_len",
                         "lab_seeds", "lab_examples", "lab_run"}


@st.cache_resource
def tables() -> Tables:
    """The decision tables, loaded and checked once per server process (read-only, so safe to share)."""
    return load_tables()


def init() -> None:
    """Create this session's state once, seeding it from the link the user opened."""
    if ANSWERS in st.session_state:
        return
    answers, extras, notices = read_link(st.query_params.to_dict(), tables())
    st.session_state[ANSWERS] = answers
    st.session_state[NOTICES] = notices
    st.session_state["url_extras"] = extras
    focus = extras.get(FOCUS, ALL)
    st.session_state[FOCUS] = focus if focus == ALL or focus in tables().decisions else ALL
    if focus != st.session_state[FOCUS]:
        notices.append(f"Ignored focus={focus!r} from the link: expected one of {', '.join(tables().decisions)}.")


def through_app() -> None:
    """Make sure this page runs inside app.py's navigation, even as a fresh server's very first request.

    Streamlit runs the files of a `pages/` folder on their own (its older multipage mode) until the first
    call to st.navigation in the process, so a link straight to /lab, say, opened before anyone loaded
    the app would skip app.py's set-up. Turning that mode off (as st.navigation itself does) and rerunning
    sends the request through app.py. Only a session's first run is restarted: it has no clicks to lose.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if ANSWERS not in st.session_state:
            st.rerun()


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
    params = {k: _text(v) for k, v in answers().items()}
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


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def relevant_questions(decisions: Iterable[str], t: Tables) -> set[str]:
    return {q for d in decisions for i in t.decisions[d].inputs for q in i.questions}
