"""Entry point of the NNLS dashboard: page config and navigation only.

Pages live in ``views/`` (not ``pages/``): with a folder named ``pages/``, Streamlit's
legacy multipage mode runs a deep-linked page without this entry script on a fresh
server.
"""

import streamlit as st

st.set_page_config(
    page_title="NNLS by reparametrization",
    page_icon=":material/functions:",
    layout="wide",
)

PAGES = {
    "Start": [
        st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
    ],
}

st.navigation(PAGES).run()
