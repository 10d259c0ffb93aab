"""Entry point of the NNLS dashboard: page config and navigation, and one BLAS thread for
the server (:func:`ui.jobs.one_blas_thread`).

Pages live in ``views/`` (not ``pages/``): with a folder named ``pages/``, Streamlit's
legacy multipage mode runs a deep-linked page without this entry script on a fresh
server. The navigation sits in the top bar, so that the pages keep the full width of a
1024 px projector; the tab icon ships in ``assets/`` (nothing is fetched from a font
host: Material icons in the menu come from Streamlit's bundled font).
"""

from pathlib import Path

import streamlit as st

from ui.jobs import one_blas_thread

one_blas_thread()

st.set_page_config(
    page_title="NNLS by reparametrization",
    page_icon=str(Path(__file__).resolve().parent / "assets" / "icon.png"),
    layout="wide",
    initial_sidebar_state="collapsed",
)

PAGES = {
    "": [
        st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
    ],
    "Learn": [
        st.Page("views/gd_basics.py", title="Gradient descent basics", icon=":material/school:"),
        st.Page("views/why_reparametrize.py", title="Why reparametrize", icon=":material/swap_horiz:"),
    ],
    "Explore": [
        st.Page("views/playground.py", title="Playground", icon=":material/tune:"),
        st.Page("views/tune.py", title="Tune", icon=":material/table_chart:"),
        st.Page("views/implicit_bias.py", title="Implicit bias", icon=":material/target:"),
        st.Page("views/recovery.py", title="Recovery", icon=":material/grid_on:"),
        st.Page("views/rates.py", title="Rates", icon=":material/speed:"),
    ],
    "Compare": [
        st.Page("views/nmf.py", title="NMF", icon=":material/grid_view:"),
    ],
}

# Streamlit leaves ~6rem above every title for its header; the top bar needs less, and a
# projector has 768 px to spare (style only: this element takes no room on the page)
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:3.5rem}</style>")

st.navigation(PAGES, position="top").run()
