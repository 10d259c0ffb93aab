"""Runs in background threads, shared by the sessions that ask for the same settings.

A page that starts a long run hands it to :func:`job_for`; another session asking for the
same settings meanwhile watches that run instead of starting the work again. The page
streams the run's progress (:meth:`Job.live`) and a Stop button ends it through the
engine's callback (status "cancelled").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import nnls_core as nc
from ui.common import Frozen


@st.cache_resource
def _jobs() -> tuple[dict, threading.Lock]:
    """Runs in progress, by settings: a session that asks for settings another session is
    already running watches that run instead of starting the same work again."""
    return {}, threading.Lock()


def job_for(key: tuple, problem: nc.Problem, options: dict, time_limit: float) -> Job:
    """The run of these settings in progress, or a new one."""
    jobs, lock = _jobs()
    with lock:
        job = jobs.get(key)
        if job is None or job.stop.is_set():
            job = jobs[key] = Job(key, problem, options, time_limit, (jobs, lock))
        return job


class Job:
    """The main run in a background thread, watched by every session that asks for its
    settings meanwhile: the page streams its progress and a Stop button ends it through
    the engine's callback (status "cancelled"). Its progress figure is built by the first
    watcher that asks after the run moved on, at most every LIVE_SECONDS, and handed to
    every watcher (thirty students waiting for one run would otherwise build thirty
    figures each time, which under load slowed the very run they waited for)."""

    LIVE_SECONDS = 0.25

    def __init__(self, key: tuple, problem: nc.Problem, options: dict, time_limit: float,
                 registry: tuple[dict, threading.Lock]) -> None:
        self.key, self.stop, self.budget = key, threading.Event(), time_limit
        self._registry = registry
        self.ks: list[int] = []
        self.objectives: list[float] = []
        self.x: np.ndarray | None = None
        self.k, self.elapsed = 0, 0.0
        self.result: nc.Result | None = None
        self.error: Exception | None = None
        self._next = 1
        self._live: tuple[int, float, Frozen] | None = None  # (iteration, when, figure)
        self._live_lock = threading.Lock()
        self.thread = threading.Thread(target=self._work, args=(problem, options, time_limit),
                                       daemon=True)
        self.thread.start()

    def _callback(self, k: int, s: nc.State) -> bool:
        if k >= self._next:  # log-spaced: a bounded record of the loss so far
            self.ks.append(k)
            self.objectives.append(float(s.objective))
            self._next = int(k * 1.03) + 1
        self.x, self.k, self.elapsed = s.x, k, s.elapsed
        return not self.stop.is_set()

    def live(self, build: Callable[[], go.Figure]) -> Frozen | None:
        """The progress figure ``build()`` of the run so far, shared by its watchers; None
        before the first progress report."""
        with self._live_lock:
            if self.x is None or not self.ks:
                return None
            now = time.monotonic()
            if self._live is None or (self._live[0] != self.k
                                      and now - self._live[1] >= self.LIVE_SECONDS):
                self._live = (self.k, now, Frozen(build()))
            return self._live[2]

    def _work(self, problem: nc.Problem, options: dict, time_limit: float) -> None:
        try:
            self.result = nc.solve(problem.A, problem.b, method="hadamard", **options,
                                   time_limit=time_limit, callback=self._callback)
        except Exception as exc:  # shown by the page, not lost in the thread
            self.error = exc
        finally:
            jobs, lock = self._registry
            with lock:
                if jobs.get(self.key) is self:
                    del jobs[self.key]
