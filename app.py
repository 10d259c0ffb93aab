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
    "Learn": [
        st.Page("views/gd_basics.py", title="Gradient descent basics", icon=":material/school:"),
        st.Page("views/why_reparametrize.py", title="Why reparametrize", icon=":material/swap_horiz:"),
    ],
    "Explore": [
        st.Page("views/playground.py", title="Playground", icon=":material/tune:"),
        st.Page("views/implicit_bias.py", title="Implicit bias", icon=":material/target:"),
        st.Page("views/recovery.py", title="Recovery", icon=":material/grid_on:"),
        st.Page("views/rates.py", title="Rates", icon=":material/speed:"),
    ],
    "Compare": [
        st.Page("views/nmf.py", title="NMF", icon=":material/grid_view:"),
    ],
}

st.navigation(PAGES).run()
