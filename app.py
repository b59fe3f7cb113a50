"""Entry point: `streamlit run app.py`. Sets up the page, the session's state and the navigation."""

import streamlit as st

from ui import render, state

st.set_page_config(page_title="Deep learning advisor", page_icon=":material/explore:", layout="wide")
state.init()

advisor = st.Page("pages/advisor.py", title="Advisor", icon=":material/explore:", default=True)
pages = {
    "Decide": [
        advisor,
        st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("pages/tables.py", title="Decision tables", icon=":material/table_chart:"),
    ],
    "Try and learn": [
        st.Page("pages/lab.py", title="Lab", icon=":material/science:"),
        st.Page("pages/review.py", title="Review", icon=":material/school:"),
    ],
}
page = st.navigation(pages)
if page is not advisor:  # the Advisor's interview draws no Markdown table; its results step asks for this itself
    render.tables_scroll_sideways()
page.run()
# Mirror the state into the address bar after the page has run: the page may change it (a scenario's
# name), and a change made before st.navigation does not reach the browser's address bar.
state.sync_url()
