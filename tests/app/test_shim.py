"""ui/shim.py leans on a private Streamlit attribute; these tests fail loudly when an upgrade moves it.

If one fails after upgrading Streamlit: find how st.navigation now turns off the `pages/` folder mode
(streamlit/commands/navigation.py) and change ui/shim.py to match, or pin the old version.
"""

from __future__ import annotations

import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from ui import shim


def test_the_private_attribute_is_still_there():
    from streamlit.runtime.pages_manager import PagesManager

    assert "uses_pages_directory" in vars(PagesManager), f"{shim.PRIVATE_ATTRIBUTE} is gone: update ui/shim.py"
    assert shim.pages_manager() is PagesManager


def run_script(tmp_path, body: str) -> AppTest:
    script = tmp_path / "main.py"
    script.write_text(textwrap.dedent(body))
    at = AppTest.from_file(str(script), default_timeout=30).run()
    assert not at.exception, at.exception
    return at


def test_st_navigation_still_turns_the_folder_mode_off(tmp_path):
    # through_app imitates this: if Streamlit stops using the attribute, the imitation means nothing.
    at = run_script(tmp_path, """
        import streamlit as st
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = True
        st.navigation([st.Page(lambda: st.write("page"), title="Only")]).run()
        st.session_state["after"] = PagesManager.uses_pages_directory
    """)
    assert at.session_state["after"] is False


THROUGH_APP = """
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    from ui.shim import through_app

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    if st.session_state["runs"] == 1:
        PagesManager.uses_pages_directory = True  # as on a fresh server, before any st.navigation call
        {setup}
    through_app()
    st.write(f"runs={{st.session_state['runs']}} folder_mode={{PagesManager.uses_pages_directory}}")
"""


def test_through_app_turns_the_mode_off_and_restarts_a_first_run(tmp_path):
    at = run_script(tmp_path, THROUGH_APP.format(setup="pass"))
    assert at.markdown[0].value == "runs=2 folder_mode=False"


def test_through_app_does_not_restart_a_session_already_set_up(tmp_path):
    at = run_script(tmp_path, THROUGH_APP.format(setup='st.session_state["answers"] = {}'))
    assert at.markdown[0].value == "runs=1 folder_mode=False"


def test_through_app_restarts_a_first_run_begun_before_another_session_turned_the_mode_off(tmp_path):
    # Ten sessions opening a Lab link on a fresh server: one turns the mode off while the others already run
    # the page on its own, without app.py's set-up.
    at = run_script(tmp_path, THROUGH_APP.format(setup="PagesManager.uses_pages_directory = False"))
    assert at.markdown[0].value == "runs=2 folder_mode=False"


def test_a_missing_attribute_fails_loudly_naming_the_shim(monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    with pytest.raises(RuntimeError, match=r"changed an internal .*uses_pages_directory.*ui/shim\.py"):
        shim.through_app()
