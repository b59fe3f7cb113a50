"""The one place this project reaches into Streamlit's internals, so an upgrade breaks here, loudly, and nowhere else.

Streamlit runs the files of a `pages/` folder on their own (its older multipage mode) until the first
call to st.navigation in the server process. This app keeps its pages in a folder of that name, so a
link straight to /lab, say, opened before anyone loaded the app would skip app.py's set-up.
`through_app` turns that mode off (as st.navigation itself does) through the private class attribute
`PagesManager.uses_pages_directory`. tests/app/test_shim.py fails, naming this file, if a Streamlit
upgrade removes or renames it.
"""

from __future__ import annotations

import streamlit as st

from ui.state import ANSWERS

PRIVATE_ATTRIBUTE = "streamlit.runtime.pages_manager.PagesManager.uses_pages_directory"
WRITTEN_FOR = "1.67"  # the Streamlit version this was checked against (requirements.txt pins it)


def pages_manager() -> type:
    """Streamlit's PagesManager class, or an error saying which internal moved and where to fix it."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError as error:
        raise RuntimeError(_moved(f"cannot import it ({error})")) from error
    if not hasattr(PagesManager, "uses_pages_directory"):
        raise RuntimeError(_moved("the attribute is gone"))
    return PagesManager


def through_app() -> None:
    """Make sure this page runs inside app.py's navigation, even as a fresh server's very first request.

    Only a session's first run is restarted (app.py's set-up has not created its state yet): it has no
    clicks to lose.
    """
    manager = pages_manager()
    if manager.uses_pages_directory:
        manager.uses_pages_directory = False
    # Not only the session that turned the mode off: sessions opening a link at the same moment may have been
    # started in the folder mode before it was turned off (seen in bench/load_test.py --lab-only). Once each.
    if ANSWERS not in st.session_state and not st.session_state.get("_through_app_restarted"):
        st.session_state["_through_app_restarted"] = True
        st.rerun()


def _moved(what: str) -> str:
    return (f"Streamlit {st.__version__} changed an internal this app relies on, {PRIVATE_ATTRIBUTE}: {what}. "
            f"ui/shim.py was written for Streamlit {WRITTEN_FOR}; pin that version or update the shim.")
