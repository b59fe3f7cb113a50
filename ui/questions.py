"""One widget per interview question, bound to a plain answers dict (the interview's or a scenario's)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine.schema import Question


def ask(q: Question, store: dict[str, Any], prefix: str, error: str | None = None, compact: bool = False) -> None:
    """Draw the widget for `q`, seeded from `store`; every change is written back into `store`."""
    key = f"{prefix}{q.id}"
    if key not in st.session_state:
        st.session_state[key] = store.get(q.id, q.default)
    kwargs: dict[str, Any] = {"key": key, "on_change": _save, "args": (q.id, key, store)}
    if compact:
        kwargs["help"] = q.help
    label = q.prompt
    if q.type == "integer":
        st.number_input(label, step=1, format="%d", placeholder="empty", **kwargs)
    elif q.type == "number":
        placeholder = f"leave empty: {q.when_missing}" if q.optional else None
        st.number_input(label, step=1.0 if (q.max or 0) > 10 else 0.1, format="%g", placeholder=placeholder, **kwargs)
    elif q.type == "boolean":
        st.toggle(label, **kwargs)
    else:
        labels = {o.value: o.label for o in q.options}
        st.radio(label, options=list(labels), format_func=labels.__getitem__, **kwargs)
    if not compact:
        st.caption(q.help)
    if error:
        st.error(error, icon=":material/error:")


def forget_widgets(prefix: str) -> None:
    """Drop widget state under a prefix so the widgets re-seed from their store (after a reset or a load)."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def _save(question: str, key: str, store: dict[str, Any]) -> None:
    value = st.session_state[key]
    if value is None:
        store.pop(question, None)
    else:
        store[question] = value
