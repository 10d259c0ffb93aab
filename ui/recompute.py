"""Shared "recompute" widget of the paper pages: shipped results, Recompute with live
progress and Stop, and a server-side store of finished runs.

A page makes one :class:`Recompute` with its key prefix (``"ib"``, ``"rt"``) and its
figure builders; the widget keys are ``<prefix>_run_<name>`` (the button),
``<prefix>_stop`` (Stop), and the session keys ``<prefix>_job`` (the pending run),
``<prefix>_note`` (the message after a run or a stop) and ``<prefix>_result_<name>``
(this session's recomputed result).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

import nnls_core.paper as paper
from ui.common import plot, shared_figure

#: Finished runs kept per page on the server (the newest).
KEEP = 8


def duration(seconds: float) -> str:
    """A short human duration: seconds below 90 s, else minutes.

    Examples
    --------
    >>> duration(12.3), duration(600)
    ('12 s', '10 min')
    """
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


@st.cache_resource(show_spinner=False)
def shipped(name: str):
    """The shipped result of experiment ``name``, loaded once per server."""
    return paper.load_shipped(name)


@st.cache_resource(show_spinner=False)
def server_store(page: str) -> dict:
    """Finished runs of ``page``, shared by every session of this server (newest last):
    a copied link reopens the same figures without running again."""
    return {}


def remember(store: dict, key: Hashable, value: Any, keep: int = KEEP) -> None:
    """Put ``value`` in ``store`` and drop the oldest entries beyond ``keep``.

    Examples
    --------
    >>> s = {}
    >>> for k in range(4):
    ...     remember(s, k, k * k, keep=2)
    >>> s
    {2: 4, 3: 9}
    """
    store[key] = value
    while len(store) > keep:
        store.pop(next(iter(store)))


class Recompute:
    """Shipped results of a page's paper experiments, with "Recompute" buttons.

    Parameters
    ----------
    prefix : str
        The page's key prefix (session state is shared by all pages of the app).
    figures : dict
        Experiment name -> function ``result -> plotly Figure``.
    """

    def __init__(self, prefix: str, figures: dict[str, Callable]) -> None:
        self.prefix = prefix
        self.figures = figures

    def _key(self, what: str) -> str:
        return f"{self.prefix}_{what}"

    def result(self, name: str):
        """The recomputed result of this session, else the shipped one; and which."""
        key = self._key(f"result_{name}")
        if key in st.session_state:
            return st.session_state[key], "recomputed in this session"
        return shipped(name), "shipped result, computed once by bench/paper_assets.py"

    def figure(self, name: str):
        """The figure of :meth:`result` (the shipped one is built once per server)."""
        key = self._key(f"result_{name}")
        if key in st.session_state:
            return self.figures[name](st.session_state[key])
        return shared_figure(f"shipped {name}", (name,),
                             lambda: self.figures[name](shipped(name)))

    def _stopped(self, name: str) -> None:
        which = "earlier" if self._key(f"result_{name}") in st.session_state else "shipped"
        st.session_state[self._key("note")] = (f"Recomputing {name} was stopped: showing "
                                               f"the {which} result.")

    def handle(self, where) -> None:
        """Show the pending note in ``where``, and run the pending recompute there with a
        progress bar and a Stop button (any click interrupts the run: Streamlit stops a
        script at its next output)."""
        if self._key("note") in st.session_state:
            where.info(st.session_state.pop(self._key("note")), icon=":material/info:")
        name = st.session_state.pop(self._key("job"), None)
        if not name:
            return
        with where:
            bar = st.progress(0.0, text=f"Recomputing {name} at the paper's size...")
            st.button("Stop", key=self._key("stop"), icon=":material/stop:",
                      on_click=self._stopped, args=(name,),
                      help="Stop the computation and keep the shipped result.")
            result = paper.run(name, progress=lambda f: bar.progress(
                f, text=f"Recomputing {name} at the paper's size... {f:.1%}"))
        st.session_state[self._key(f"result_{name}")] = result
        st.session_state[self._key("note")] = f"{name} recomputed in {result.elapsed_s:.0f} s."
        st.rerun()

    def panel(self, name: str, notice: str) -> None:
        """The figure of ``name``, then one line "what to notice" beside its Recompute
        button."""
        plot(self.figure(name), key=name.lower())
        row = st.columns([5, 2], vertical_alignment="center")
        row[0].markdown(f"**What to notice:** {notice}")
        self.button(name, row[1])

    def button(self, name: str, col) -> None:
        """The "Recompute" button of ``name`` in ``col``, with the shipped run's time."""
        est = shipped(name).elapsed_s
        col.button(f"Recompute {name} (about {duration(est)})", key=self._key(f"run_{name}"),
                   icon=":material/refresh:", on_click=st.session_state.update,
                   kwargs={self._key("job"): name},
                   help=f"Run {name} again at the paper's size, with live progress and "
                        f"Stop. The shipped run took {est:.0f} s on this machine.")
