"""Runs in worker processes, shared by the sessions that ask for the same settings.

A page that starts a run hands it to :func:`job_for`; another session asking for the same
settings meanwhile watches that run instead of starting the work again. The page streams
the run's progress (:meth:`Job.live`) and a Stop button ends it through the engine's
callback (status "cancelled").

The run itself goes to one of WORKERS processes (``ui/worker.py``, started by the first
run): the Streamlit server runs every session's script under one interpreter
lock, so a run computed in one of its threads competes with every student's rerun for
it, and under a class's load took three times as long. When every worker is busy, or a
worker cannot be started, the run goes to a thread of the server instead.
"""

from __future__ import annotations

import functools
import itertools
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from threadpoolctl import threadpool_limits

import nnls_core as nc
from ui.common import Frozen
from ui.worker import HEADER, Log, receive, send

#: Processes that compute runs (a two-core machine: the server keeps one core).
WORKERS = 2
_SCRIPT = Path(__file__).with_name("worker.py")


@functools.cache
def one_blas_thread() -> None:
    """Keep the server on one BLAS thread, once per process (workers get
    ``OPENBLAS_NUM_THREADS=1``): a class shares the cores, and a second thread spinning
    for a busy core slows a product by up to 2x (``nnls_core._threads``)."""
    threadpool_limits(1, user_api="blas")


class _Worker:
    """One worker process, with its pipes."""

    def __init__(self) -> None:
        # the library from this checkout, as the server imports it
        path = os.pathsep.join([str(_SCRIPT.parents[1]), os.environ.get("PYTHONPATH", "")])
        stop_r, self._stop_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, str(_SCRIPT), str(stop_r)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, pass_fds=(stop_r,),
                env=os.environ | {"PYTHONPATH": path.rstrip(os.pathsep),
                                  "OPENBLAS_NUM_THREADS": "1"})
        finally:
            os.close(stop_r)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, job_id: int) -> None:
        """End the run of job ``job_id`` if it is in progress (status "cancelled")."""
        try:
            os.write(self._stop_w, HEADER.pack(job_id))
        except OSError:  # the worker has ended
            pass


_pool: queue.Queue | None = None
_pool_lock = threading.Lock()


def _idle(create: bool = True) -> queue.Queue | None:
    """The workers waiting for a run, started by the first run that needs one (each
    imports the library, about half a second; not on a page's first open). With
    ``create`` False: None until then."""
    global _pool
    with _pool_lock:
        if _pool is None and create:
            _pool = queue.Queue()
            for _ in range(WORKERS):
                try:
                    _pool.put(_Worker())
                except OSError:  # no processes here: runs go to threads
                    break
        return _pool


class _Stop(threading.Event):
    """The Stop flag of a Job; setting it also stops the run in its worker (by job id: a
    Stop that comes late never ends the worker's next run)."""

    _ids = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        self.job_id = next(self._ids)
        self._worker: _Worker | None = None

    def attach(self, worker: _Worker | None) -> None:
        self._worker = worker
        if worker is not None and self.is_set():
            worker.stop(self.job_id)

    def set(self) -> None:
        super().set()
        worker = self._worker
        if worker is not None:
            worker.stop(self.job_id)


@st.cache_resource
def _jobs() -> tuple[dict, threading.Lock]:
    """Runs in progress, by settings: a session that asks for settings another session is
    already running watches that run instead of starting the same work again."""
    return {}, threading.Lock()


def job_for(key: tuple, problem: nc.Problem, options: dict, time_limit: float,
            done: Callable[[nc.Result], None] | None = None) -> Job:
    """The run of these settings in progress, or a new one; ``done(result)`` is called
    when a new one finishes."""
    jobs, lock = _jobs()
    with lock:
        job = jobs.get(key)
        if job is None or job.stop.is_set():
            job = jobs[key] = Job(key, problem, options, time_limit, (jobs, lock), done)
        return job


def prefetch(key: tuple, problem: nc.Problem, options: dict, time_limit: float,
             done: Callable[[nc.Result], None]) -> bool:
    """Start the run of these settings if a worker is idle now (never in a thread of the
    server, and only once the workers exist) and nobody runs it yet: a run a student is likely to ask for next, computed
    on the worker's otherwise idle core; ``done(result)`` keeps it."""
    jobs, lock = _jobs()
    with lock:
        if key in jobs:
            return False
        idle = _idle(create=False)
        try:
            worker = idle.get_nowait() if idle is not None else None
        except queue.Empty:
            worker = None
        if worker is None:
            return False
        jobs[key] = Job(key, problem, options, time_limit, (jobs, lock), done, worker)
        return True


class Job:
    """The main run in a worker process (or a thread), watched by every session that asks for its
    settings meanwhile: the page streams its progress and a Stop button ends it through
    the engine's callback (status "cancelled"). Its progress figure is built by the first
    watcher that asks after the run moved on, at most every LIVE_SECONDS, and handed to
    every watcher (thirty students waiting for one run would otherwise build thirty
    figures each time, which under load slowed the very run they waited for)."""

    LIVE_SECONDS = 0.25

    def __init__(self, key: tuple, problem: nc.Problem, options: dict, time_limit: float,
                 registry: tuple[dict, threading.Lock],
                 done: Callable[[nc.Result], None] | None = None,
                 worker: _Worker | None = None) -> None:
        self.key, self.stop, self.budget = key, _Stop(), time_limit
        self._registry, self._done, self._worker = registry, done, worker
        self.ks: list[int] = []
        self.objectives: list[float] = []
        self.x: np.ndarray | None = None
        self.k, self.elapsed = 0, 0.0
        self.result: nc.Result | None = None
        self.error: Exception | None = None
        self._log = Log()
        self._live: tuple[int, float, Frozen] | None = None  # (iteration, when, figure)
        self._live_lock = threading.Lock()
        self.thread = threading.Thread(target=self._work, args=(problem, options, time_limit),
                                       daemon=True)
        self.thread.start()

    def _callback(self, k: int, s: nc.State) -> bool:
        if self._log.record(k):  # log-spaced: a bounded record of the loss so far
            self.ks.append(k)
            self.objectives.append(float(s.objective))
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
            worker = self._worker
            if worker is None:
                try:
                    worker = _idle().get_nowait()
                except queue.Empty:
                    pass
            if worker is None:
                self.result = nc.solve(problem.A, problem.b, method="hadamard", **options,
                                       time_limit=time_limit, callback=self._callback)
            else:
                try:
                    self._in_worker(worker, problem, options, time_limit)
                finally:
                    self.stop.attach(None)
                    _idle().put(worker if worker.alive() else _Worker())
            if self._done is not None:
                self._done(self.result)
        except Exception as exc:  # shown by the page, not lost in the thread
            self.error = exc
        finally:
            jobs, lock = self._registry
            with lock:
                if jobs.get(self.key) is self:
                    del jobs[self.key]

    def _in_worker(self, worker: _Worker, problem: nc.Problem, options: dict,
                   time_limit: float) -> None:
        """The run in ``worker``: its progress copied here as it comes, then its Result."""
        self.stop.attach(worker)
        try:
            send(worker.proc.stdin, (self.stop.job_id, problem.A, problem.b, options, time_limit))
        except OSError:  # the worker died while idle
            worker.proc.kill()
            raise RuntimeError("the worker process was not running; try again") from None
        while (message := receive(worker.proc.stdout)) is not None:
            kind, *rest = message
            if kind == "progress":
                k, elapsed, ks, objectives, x = rest
                self.ks.extend(ks)
                self.objectives.extend(objectives)
                self.x, self.k, self.elapsed = x, k, elapsed
            elif kind == "error":
                raise rest[0]
            else:
                self.result = rest[0]
                return
        worker.proc.kill()
        raise RuntimeError(f"the worker process ended (exit code {worker.proc.wait()})")
