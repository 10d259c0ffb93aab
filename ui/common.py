"""Small Streamlit helpers shared by the pages."""

from collections.abc import Callable

import orjson
import plotly.graph_objects as go
import plotly.io as pio
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
    """A finished figure kept as its JSON text, for figures cached across reruns.

    ``st.plotly_chart`` turns a figure into a dict with ``Figure.to_dict``, which deep-copies
    every trace and frame on every rerun (a tenth of a second for an animated figure); a
    Frozen figure hands over a dict read from the JSON it was made with (a few ms). It is
    kept as text, not as the dict, because a cached dict of an animated figure is tens of
    thousands of small objects that Python's garbage collector walks again and again: on
    a server under load that walk took most of the CPU (``perf``). Read-only: build a new
    figure to change it.

    Examples
    --------
    >>> f = Frozen(go.Figure(go.Scatter(y=[1, 2])))
    >>> f.to_dict()["data"][0]["y"]
    [1, 2]
    """

    def __init__(self, fig: go.Figure) -> None:  # noqa: D107 - no BaseFigure state needed
        self._json = pio.to_json(fig, validate=False)

    def to_dict(self) -> dict:
        return orjson.loads(self._json)


@st.cache_resource(max_entries=96, ttl=3600, show_spinner=False)
def _shared(name: str, key: tuple, _build: Callable[[], go.Figure]) -> Frozen:
    return Frozen(_build())


def shared_figure(name: str, key: tuple | None, build: Callable[[], go.Figure]):
    """``build()``, built once and shared by every session under ``(name, key)``; None: this
    session's own figure, built each time. The key must name everything the figure
    shows (settings, and for results kept in a store, the result objects)."""
    return build() if key is None else _shared(name, key, build)


def plot(fig, *, key: str | None = None) -> None:
    """Render a plotly figure with the dashboard's config."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch")
