"""One widget per interview question, bound to a plain answers dict (the interview's or a scenario's).

Numbers are typed into text fields and read here, rather than with st.number_input: a number widget
cannot hold what was typed when it is not a number (letters became 0, and the message then said
"got 0"), so the person could not see their mistake. What cannot be read as a number is kept as typed,
the engine's default stands in for it, and the field says what it accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from engine import accepted
from engine.schema import Question
from ui.state import escape_md, forget_widgets, show_value

__all__ = ["ask", "commit_shown", "forget_widgets", "read_number"]

NUMERIC = ("integer", "number")


def ask(q: Question, store: dict[str, Any], prefix: str, error: str | None = None, compact: bool = False) -> None:
    """Draw the widget for `q`, seeded from `store`; every change is written back into `store`."""
    key = f"{prefix}{q.id}"
    if key not in st.session_state:
        st.session_state[key] = _widget_value(q, store.get(q.id, q.default))
    kwargs: dict[str, Any] = {"key": key, "on_change": _save, "args": (q, key, store)}
    if compact:
        kwargs["help"] = q.help
    label = q.prompt
    if q.type in NUMERIC:
        placeholder = f"empty: {q.when_missing}" if q.optional else f"e.g. {show_value(q.default)}"
        st.text_input(label, placeholder=placeholder, **kwargs)
    elif q.type == "boolean":
        st.toggle(label, **kwargs)
    else:
        labels = {o.value: o.label for o in q.options}
        st.radio(label, options=list(labels), format_func=labels.__getitem__, **kwargs)
    if not compact:
        st.caption(q.help)
    typed = store.get(q.id)
    if q.type in NUMERIC and isinstance(typed, str):
        error = not_a_number(q, typed)  # clearer than the engine's generic message for this case
    if error:
        st.error(error, icon=":material/error:")


def read_number(q: Question, text: str) -> int | float | str | None:
    """What was typed into a number field: a number, None when empty, or the text itself when it is not one.

    Thousands separators and spaces are allowed ("20,000", "20 000"). Range checks are the engine's,
    so an out-of-range number is returned as a number and reported there.
    """
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return text.strip()
    if number != number or number in (float("inf"), float("-inf")):
        return text.strip()
    if q.type == "integer" and number.is_integer():
        return int(number)
    return number


def not_a_number(q: Question, typed: str) -> str:
    """The field's name, what was typed, and what it accepts."""
    return (f"{q.label}: “{escape_md(typed)}” is not a number, so the default is used for now. "
            f"Enter {accepted(q)}.")


def commit_shown(questions: Iterable[Question], store: dict[str, Any], prefix: str) -> None:
    """Record what the person saw and left as it was as their answer (a default they agreed with is an answer).

    Called when they leave a step: each question shown there that is not in `store` yet gets the value
    its widget shows. An optional number left empty stays out (empty means "not given" to the engine).
    """
    for q in questions:
        key = f"{prefix}{q.id}"
        if q.id not in store and key in st.session_state:
            _save(q, key, store)


def _widget_value(q: Question, value: Any) -> Any:
    if q.type in NUMERIC:
        return "" if value is None else show_value(value)
    return value


def _save(q: Question, key: str, store: dict[str, Any]) -> None:
    value = st.session_state[key]
    if q.type in NUMERIC:
        value = read_number(q, str(value or ""))
    if value is None:
        store.pop(q.id, None)
    else:
        store[q.id] = value
