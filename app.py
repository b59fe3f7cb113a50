"""Entry point: `streamlit run app.py`. Sets up the page, the session's state and the navigation."""

import streamlit as st

from ui import state

st.set_page_config(page_title="Deep learning advisor", page_icon=":material/explore:", layout="wide")
state.init()
# Wide Markdown tables (a rule's conditions, the Review's tables) scroll inside their own box on a phone
# instead of being cut off at the screen's edge. A constant style sheet: no user text goes into it.
st.html("<style>[data-testid='stMarkdownContainer'] table {display: block; max-width: 100%; overflow-x: auto}"
        "</style>")

pages = {
    "Decide": [
        st.Page("pages/advisor.py", title="Advisor", icon=":material/explore:", default=True),
        st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("pages/tables.py", title="Decision tables", icon=":material/table_chart:"),
    ],
    "Try and learn": [
        st.Page("pages/lab.py", title="Lab", icon=":material/science:"),
        st.Page("pages/review.py", title="Review", icon=":material/school:"),
    ],
}
st.navigation(pages).run()
# Mirror the state into the address bar after the page has run: the page may change it (a scenario's
# name), and a change made before st.navigation does not reach the browser's address bar.
state.sync_url()
