"""Small Streamlit helpers shared by the pages."""

import streamlit as st

PAPER = (
    "H.-H. Chou, J. Maly, C. M. Verdun, B. Freitas Paulo da Costa, H. Mirandola. "
    "*Get rid of your constraints and reparametrize: A study in NNLS and implicit bias.* "
    "AISTATS 2025, PMLR 258:829-837. [arXiv:2207.08437](https://arxiv.org/abs/2207.08437)"
)

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def citation() -> None:
    """Show the paper's reference in a small caption."""
    st.caption("Based on: " + PAPER)


def plot(fig, *, key: str | None = None) -> None:
    """Render a plotly figure with the dashboard's config."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch")
