"""Small Streamlit helpers shared by the pages."""

import plotly.graph_objects as go
import streamlit as st
from plotly.basedatatypes import BaseFigure

PAPER = (
    "H.-H. Chou, J. Maly, C. M. Verdun, B. Freitas Paulo da Costa, H. Mirandola. "
    "*Get rid of your constraints and reparametrize: A study in NNLS and implicit bias.* "
    "AISTATS 2025, PMLR 258:829-837. [arXiv:2207.08437](https://arxiv.org/abs/2207.08437)"
)

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def citation() -> None:
    """Show the paper's reference in a small caption."""
    st.caption("Based on: " + PAPER)


class Frozen(BaseFigure):
    """A finished figure as its dict, for figures cached across reruns.

    ``st.plotly_chart`` turns a figure into a dict with ``Figure.to_dict``, which deep-copies
    every trace and frame on every rerun (a tenth of a second for an animated figure);
    a Frozen figure hands over the dict it was made with. Read-only: build a new figure to
    change it.

    Examples
    --------
    >>> f = Frozen(go.Figure(go.Scatter(y=[1, 2])))
    >>> f.to_dict()["data"][0]["y"]
    [1, 2]
    """

    def __init__(self, fig: go.Figure) -> None:  # noqa: D107 - no BaseFigure state needed
        self._spec = fig.to_dict()

    def to_dict(self) -> dict:
        return self._spec


def plot(fig, *, key: str | None = None) -> None:
    """Render a plotly figure with the dashboard's config."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch")
